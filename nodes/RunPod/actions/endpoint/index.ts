import { defineResource } from '../node.type';
import * as create from './create.operation';
import * as deleteEndpoint from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getHealth from './getHealth.operation';
import * as getReleases from './getReleases.operation';
import * as getWorkerLogs from './getWorkerLogs.operation';
import * as getWorkers from './getWorkers.operation';
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
		getReleases: {
			name: 'Get Releases',
			action: 'Get endpoint releases',
			description:
				"Get the endpoint's releases (versions of its settings, with what changed) and how far the latest has rolled out (needs REST v2)",
			module: getReleases,
		},
		getWorkerLogs: {
			name: 'Get Worker Logs',
			action: 'Get worker logs',
			description: "Get an active worker's most recent log lines (needs REST v2)",
			module: getWorkerLogs,
		},
		getWorkers: {
			name: 'Get Workers',
			action: 'Get endpoint workers',
			description:
				'Get the active workers and how many are running, idle, starting or unhealthy: why a job waits IN_QUEUE (needs REST v2)',
			module: getWorkers,
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
