import type { INodeProperties } from 'n8n-workflow';

import type { ResourceModule } from '../node.type';
import * as get from './get.operation';

export const operations: ResourceModule = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get the account',
				description:
					'Get the balance, the current spend per hour, the spend limit, hours of balance left and how many pods run',
			},
		],
		default: 'get',
	},
	...get.description,
];
