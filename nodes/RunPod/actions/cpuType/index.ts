import { defineResource } from '../node.type';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

/** The CPU Type resource (REST v2): CPU flavors for CPU pods, with price and stock for a size. */
export const cpuType = defineResource({
	name: 'CPU Type',
	default: 'getAll',
	operations: {
		get: {
			name: 'Get',
			action: 'Get a CPU type',
			description: 'Get one CPU type with its price and stock for a vCPU count (REST v2)',
			module: get,
		},
		getAll: {
			name: 'Get Many',
			action: 'Get many CPU types',
			description: 'List CPU types for CPU pods with prices and stock for a vCPU count (REST v2)',
			module: getAll,
		},
	},
});
