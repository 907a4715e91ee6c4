import { defineResource } from '../node.type';
import * as create from './create.operation';
import * as deleteNetworkVolume from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

/** The Network Volume resource: one row per operation gives its dropdown option and what runs. */
export const networkVolume = defineResource({
	name: 'Network Volume',
	default: 'getAll',
	operations: {
		create: {
			name: 'Create',
			action: 'Create a network volume',
			description:
				'Create persistent storage in a data center. Costs money: storage is billed per GB every month until deleted.',
			module: create,
		},
		delete: {
			name: 'Delete',
			action: 'Delete a network volume',
			description:
				'Delete a network volume and every file on it. Destroys data and cannot be undone.',
			module: deleteNetworkVolume,
		},
		get: {
			name: 'Get',
			action: 'Get a network volume',
			description: 'Get a network volume with its size and data center',
			module: get,
		},
		getAll: {
			name: 'Get Many',
			action: 'Get many network volumes',
			description: 'List your network volumes, one item per volume',
			module: getAll,
		},
		update: {
			name: 'Update',
			action: 'Update a network volume',
			description:
				'Rename a network volume or make it bigger (never smaller). Growing costs more per month.',
			module: update,
		},
	},
});
