import type { INodeProperties } from 'n8n-workflow';

import { requestPolicyProperty } from '../transport/policy';
import type { ResourceModule } from './node.type';
import * as pod from './pod';

/** Resource value → its operations; the router dispatches through this map. */
export const resources: Record<string, ResourceModule> = {
	pod: pod.operations,
};

/** The Resource selector followed by every resource's operation and fields. */
export const resourceProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Pod', value: 'pod' }],
		default: 'pod',
	},
	...pod.description,
	// Shown for every resource and operation: appended after all resources' fields.
	requestPolicyProperty,
];
