import { defineResource } from '../node.type';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

/** The Data Center resource: one row per operation gives its dropdown option and what runs. */
export const dataCenter = defineResource({
	name: 'Data Center',
	default: 'getAll',
	operations: {
		get: {
			name: 'Get',
			action: 'Get a data center',
			description:
				'Get one data center with network volume support and the stock of each GPU type there (needs REST v2)',
			module: get,
		},
		getAll: {
			name: 'Get Many',
			action: 'Get many data centers',
			description:
				"List RunPod's data centers with network volume support and which GPU types are in stock there",
			module: getAll,
		},
	},
});
