import type { INodeProperties } from 'n8n-workflow';

import type { ResourceModule } from '../node.type';
import * as create from './create.operation';
import * as deleteTemplate from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations: ResourceModule = { create, delete: deleteTemplate, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['template'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a template',
				description:
					'Save a pod or serverless template: image, disks, ports, environment, start command. Free.',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a template',
				description: 'Delete a template for good. Destroys the template and cannot be undone.',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a template',
				description: 'Get one of your templates',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many templates',
				description: 'List your templates, one item per template',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a template',
				description: 'Change some fields of a template; the others are kept',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...deleteTemplate.description,
	...get.description,
	...getAll.description,
	...update.description,
];
