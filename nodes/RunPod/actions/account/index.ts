import { defineResource } from '../node.type';
import * as get from './get.operation';

/** The Account resource: one row per operation gives its dropdown option and what runs. */
export const account = defineResource({
	name: 'Account',
	default: 'get',
	operations: {
		get: {
			name: 'Get',
			action: 'Get the account',
			description:
				'Get the balance, the current spend per hour, the spend limit, hours of balance left and how many pods run',
			module: get,
		},
	},
});
