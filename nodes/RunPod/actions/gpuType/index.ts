import type { INodeProperties } from 'n8n-workflow';

import type { ResourceModule } from '../node.type';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations: ResourceModule = { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['gpuType'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a GPU type',
				description:
					'Get one GPU type with its list prices and live price and stock for a GPU count',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many GPU types',
				description:
					'List GPU types with live prices and stock, filtered and sorted (e.g. cheapest in stock with 24 GB or more)',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
