import type { INodeProperties } from 'n8n-workflow';

import type { ResourceModule } from '../node.type';
import * as create from './create.operation';
import * as deleteEndpoint from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getHealth from './getHealth.operation';
import * as update from './update.operation';

export const operations: ResourceModule = {
	create,
	delete: deleteEndpoint,
	get,
	getAll,
	getHealth,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['endpoint'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an endpoint',
				description:
					'Create a serverless endpoint from a template or an image. Free until jobs run, unless Min Workers keeps workers up.',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete an endpoint',
				description:
					'Delete an endpoint for good, with the template bound to it; its queued and running jobs are cancelled',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an endpoint',
				description: "Get one endpoint's settings and job URLs",
			},
			{
				name: 'Get Health',
				value: 'getHealth',
				action: 'Get endpoint health',
				description: 'Get the jobs in the queue and the workers, unhealthy ones included',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many endpoints',
				description: 'List your serverless endpoints, one item per endpoint',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update an endpoint',
				description:
					'Change some settings of an endpoint (workers, GPUs, timeouts); the others are kept',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...deleteEndpoint.description,
	...get.description,
	...getAll.description,
	...getHealth.description,
	...update.description,
];
