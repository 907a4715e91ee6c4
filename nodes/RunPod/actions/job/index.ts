import type { INodeProperties } from 'n8n-workflow';

import type { ResourceModule } from '../node.type';
import * as cancel from './cancel.operation';
import * as getStatus from './getStatus.operation';
import * as purgeQueue from './purgeQueue.operation';
import * as retry from './retry.operation';
import * as run from './run.operation';
import * as stream from './stream.operation';

export const operations: ResourceModule = { cancel, getStatus, purgeQueue, retry, run, stream };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				action: 'Cancel a job',
				description: 'Stop a queued or running job, so it stops using (and billing) a worker',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				action: 'Get job status',
				description: "Get a job's status and, once it is done, its output",
			},
			{
				name: 'Purge Queue',
				value: 'purgeQueue',
				action: 'Purge endpoint queue',
				description: "Remove every job still waiting in an endpoint's queue; running jobs go on",
			},
			{
				name: 'Retry',
				value: 'retry',
				action: 'Retry a job',
				description:
					'Run a FAILED or TIMED_OUT job again, with the same ID and input. Costs a new run.',
			},
			{
				name: 'Run',
				value: 'run',
				action: 'Run a job',
				description:
					'Run your serverless endpoint with an input and get its output: wait for the result, queue only, or queue with a webhook. Billed per second of worker time.',
			},
			{
				name: 'Stream',
				value: 'stream',
				action: 'Stream job output',
				description: 'Collect the chunks a streaming worker yields until the job is done',
			},
		],
		default: 'run',
	},
	...run.description,
	...getStatus.description,
	...cancel.description,
	...retry.description,
	...purgeQueue.description,
	...stream.description,
];
