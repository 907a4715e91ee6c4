import type { INodeProperties } from 'n8n-workflow';

import type { ResourceModule } from '../node.type';
import * as create from './create.operation';
import * as createSpot from './createSpot.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as resume from './resume.operation';
import * as stop from './stop.operation';
import * as terminate from './terminate.operation';
import * as wait from './wait.operation';

export const operations: ResourceModule = {
	create,
	createSpot,
	get,
	getAll,
	resume,
	stop,
	terminate,
	wait,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['pod'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a pod',
				description:
					'Rent an on-demand GPU pod. Costs money: billing starts at once and runs until the pod is stopped or terminated.',
			},
			{
				name: 'Create Spot',
				value: 'createSpot',
				action: 'Create a spot pod',
				description:
					'Rent an interruptible pod at a bid price. Costs money. RunPod is phasing spot pods out.',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a pod',
				description: 'Get a pod with its status, cost per hour and connection details',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many pods',
				description: "List the account's pods, one item per pod",
			},
			{
				name: 'Resume',
				value: 'resume',
				action: 'Resume a pod',
				description: 'Start a stopped pod again. Costs money: GPU billing resumes.',
			},
			{
				name: 'Stop',
				value: 'stop',
				action: 'Stop a pod',
				description:
					'Stop a pod: GPU billing stops, the container disk is wiped, the pod volume is kept (storage is still billed)',
			},
			{
				name: 'Terminate',
				value: 'terminate',
				action: 'Terminate a pod',
				description: 'Delete a pod for good with its disks. Destroys data and cannot be undone.',
			},
			{
				name: 'Wait',
				value: 'wait',
				action: 'Wait for a pod',
				description: 'Wait until a pod is running and reachable, stopped, or terminated',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...createSpot.description,
	...get.description,
	...getAll.description,
	...resume.description,
	...stop.description,
	...terminate.description,
	...wait.description,
];
