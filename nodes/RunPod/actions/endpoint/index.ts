import { defineResource } from '../node.type';
import * as create from './create.operation';
import * as deleteEndpoint from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getHealth from './getHealth.operation';
import * as update from './update.operation';

/** The Endpoint resource: one row per operation gives its dropdown option and what runs. */
export const endpoint = defineResource({
	name: 'Endpoint',
	default: 'getAll',
	operations: {
		create: {
			name: 'Create',
			action: 'Create an endpoint',
			description:
				'Create a serverless endpoint from a template or an image. Free until jobs run, unless Min Workers keeps workers up.',
			module: create,
		},
		delete: {
			name: 'Delete',
			action: 'Delete an endpoint',
			description:
				'Delete an endpoint for good, with the template bound to it; its queued and running jobs are cancelled',
			module: deleteEndpoint,
		},
		get: {
			name: 'Get',
			action: 'Get an endpoint',
			description: "Get one endpoint's settings and job URLs",
			module: get,
		},
		getAll: {
			name: 'Get Many',
			action: 'Get many endpoints',
			description: 'List your serverless endpoints, one item per endpoint',
			module: getAll,
		},
		getHealth: {
			name: 'Get Health',
			action: 'Get endpoint health',
			description: 'Get the jobs in the queue and the workers, unhealthy ones included',
			module: getHealth,
		},
		update: {
			name: 'Update',
			action: 'Update an endpoint',
			description:
				'Change some settings of an endpoint (workers, GPUs, timeouts); the others are kept',
			module: update,
		},
	},
});
