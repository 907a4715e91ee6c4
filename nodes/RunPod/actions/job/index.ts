import { defineResource } from '../node.type';
import * as cancel from './cancel.operation';
import * as getStatus from './getStatus.operation';
import * as purgeQueue from './purgeQueue.operation';
import * as retry from './retry.operation';
import * as run from './run.operation';
import * as stream from './stream.operation';

/**
 * The Job resource: one row per operation gives its dropdown option and what runs. The rows are in
 * the order the fields appear (Run's first); the dropdown sorts the options by name.
 */
export const job = defineResource({
	name: 'Job',
	default: 'run',
	operations: {
		run: {
			name: 'Run',
			action: 'Run a job',
			description:
				'Run your serverless endpoint with an input and get its output: wait for the result, queue only, or queue with a webhook. Billed per second of worker time.',
			module: run,
		},
		getStatus: {
			name: 'Get Status',
			action: 'Get job status',
			description: "Get a job's status and, once it is done, its output",
			module: getStatus,
		},
		cancel: {
			name: 'Cancel',
			action: 'Cancel a job',
			description: 'Stop a queued or running job, so it stops using (and billing) a worker',
			module: cancel,
		},
		retry: {
			name: 'Retry',
			action: 'Retry a job',
			description:
				'Run a FAILED or TIMED_OUT job again, with the same ID and input. Costs a new run.',
			module: retry,
		},
		purgeQueue: {
			name: 'Purge Queue',
			action: 'Purge endpoint queue',
			description: "Remove every job still waiting in an endpoint's queue; running jobs go on",
			module: purgeQueue,
		},
		stream: {
			name: 'Stream',
			action: 'Stream job output',
			description: 'Collect the chunks a streaming worker yields until the job is done',
			module: stream,
		},
	},
});
