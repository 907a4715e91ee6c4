import { defineResource } from '../node.type';
import * as getSpend from './getSpend.operation';

/** The Billing resource (REST v2 only): spend history in time buckets. */
export const billing = defineResource({
	name: 'Billing',
	default: 'getSpend',
	operations: {
		getSpend: {
			name: 'Get Spend',
			action: 'Get spend over a period',
			description:
				'Get what the account, its pods, serverless endpoints, volumes or clusters cost, one item per hour, day, week, month or year',
			module: getSpend,
		},
	},
});
