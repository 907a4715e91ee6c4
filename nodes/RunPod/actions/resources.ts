import type { INodeProperties } from 'n8n-workflow';

import { requestPolicyProperty } from '../transport/policy';
import * as account from './account';
import * as dataCenter from './dataCenter';
import * as endpoint from './endpoint';
import * as gpuType from './gpuType';
import * as job from './job';
import * as networkVolume from './networkVolume';
import type { ResourceModule } from './node.type';
import * as pod from './pod';
import * as template from './template';

/** Resource value → its operations; the router dispatches through this map. */
export const resources: Record<string, ResourceModule> = {
	account: account.operations,
	dataCenter: dataCenter.operations,
	endpoint: endpoint.operations,
	gpuType: gpuType.operations,
	job: job.operations,
	networkVolume: networkVolume.operations,
	pod: pod.operations,
	template: template.operations,
};

/** The Resource selector followed by every resource's operation and fields. */
export const resourceProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account' },
			{ name: 'Data Center', value: 'dataCenter' },
			{ name: 'Endpoint', value: 'endpoint' },
			{ name: 'GPU Type', value: 'gpuType' },
			{ name: 'Job', value: 'job' },
			{ name: 'Network Volume', value: 'networkVolume' },
			{ name: 'Pod', value: 'pod' },
			{ name: 'Template', value: 'template' },
		],
		default: 'pod',
	},
	...account.description,
	...dataCenter.description,
	...endpoint.description,
	...gpuType.description,
	...job.description,
	...networkVolume.description,
	...pod.description,
	...template.description,
	// Shown for every resource and operation: keep it last, after all resources' fields.
	requestPolicyProperty,
];
