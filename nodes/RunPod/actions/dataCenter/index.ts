import { defineResource } from '../node.type';
import * as getAll from './getAll.operation';

/** The Data Center resource: one row per operation gives its dropdown option and what runs. */
export const dataCenter = defineResource({
	name: 'Data Center',
	default: 'getAll',
	operations: {
		getAll: {
			name: 'Get Many',
			action: 'Get many data centers',
			description:
				"List RunPod's data centers with network volume support and which GPU types are in stock there",
			module: getAll,
		},
	},
});
