import type { INodeProperties } from 'n8n-workflow';

import type { ResourceModule } from '../node.type';
import * as create from './create.operation';
import * as deleteNetworkVolume from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations: ResourceModule = {
	create,
	delete: deleteNetworkVolume,
	get,
	getAll,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['networkVolume'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a network volume',
				description:
					'Create persistent storage in a data center. Costs money: storage is billed per GB every month until deleted.',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a network volume',
				description:
					'Delete a network volume and every file on it. Destroys data and cannot be undone.',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a network volume',
				description: 'Get a network volume with its size and data center',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many network volumes',
				description: 'List your network volumes, one item per volume',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a network volume',
				description:
					'Rename a network volume or make it bigger (never smaller). Growing costs more per month.',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...deleteNetworkVolume.description,
	...get.description,
	...getAll.description,
	...update.description,
];
