import { defineResource } from '../node.type';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

/** The GPU Type resource: one row per operation gives its dropdown option and what runs. */
export const gpuType = defineResource({
	name: 'GPU Type',
	default: 'getAll',
	operations: {
		get: {
			name: 'Get',
			action: 'Get a GPU type',
			description: 'Get one GPU type with its list prices and live price and stock for a GPU count',
			module: get,
		},
		getAll: {
			name: 'Get Many',
			action: 'Get many GPU types',
			description:
				'List GPU types with live prices and stock, filtered and sorted (e.g. cheapest in stock with 24 GB or more)',
			module: getAll,
		},
	},
});
