import type { INodeProperties } from 'n8n-workflow';

import type { ResourceModule } from '../node.type';
import * as getAll from './getAll.operation';

export const operations: ResourceModule = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['dataCenter'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many data centers',
				description:
					"List RunPod's data centers with network volume support and which GPU types are in stock there",
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
