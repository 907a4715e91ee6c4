import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { runpodApi } from '../../api';
import { createAttempt } from '../rerun';
import type { EndpointInput } from '../../api/endpoints';
import { checkText } from '../../helpers/validation';
import { templateLocator } from '../template/shared';
import {
	applySettings,
	endpointOutput,
	gpuPoolsField,
	imageFields,
	readImage,
	readPools,
	settingFields,
} from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. sdxl-worker',
		description: 'A name for the endpoint, unique in your account',
	},
	{
		displayName: 'Worker From',
		name: 'workerSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Template',
				value: 'template',
				description: 'A serverless template you saved (Template → Create, type Serverless)',
			},
			{
				name: 'Image',
				value: 'image',
				description: 'A container image; RunPod creates a template bound to the endpoint',
			},
		],
		default: 'template',
	},
	{
		...templateLocator,
		description: 'The serverless template the workers run',
		displayOptions: { show: { workerSource: ['template'] } },
	},
	...imageFields.map((field) => ({
		...field,
		displayOptions: { show: { workerSource: ['image'] } },
	})),
	gpuPoolsField,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: settingFields,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['endpoint'], operation: ['create'] } },
	properties,
);

/**
 * Creates an endpoint. Free until jobs run, unless Min Workers keeps workers up. A name already in
 * use is refused, which also keeps n8n's Retry On Fail from creating a second endpoint.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const source = this.getNodeParameter('workerSource', itemIndex, 'template') as string;
	let input: EndpointInput = {
		name: checkText(
			node,
			itemIndex,
			'Name',
			this.getNodeParameter('name', itemIndex, ''),
			'Give the endpoint a name.',
		),
		gpuPools: readPools.call(this, itemIndex, this.getNodeParameter('gpuPools', itemIndex, [])),
		excludedGpuTypes: [],
		gpuCount: 1,
		workersMin: 0,
		workersMax: 3,
		idleTimeoutSeconds: 5,
		scalerType: 'QUEUE_DELAY',
		scalerValue: 4,
		flashBoot: true,
		executionTimeoutMs: 600_000,
		dataCenterIds: [],
	};
	if (source === 'image') input.image = readImage.call(this, itemIndex);
	else {
		input.templateId = checkText(
			node,
			itemIndex,
			'Template',
			this.getNodeParameter('templateId', itemIndex, '', { extractValue: true }),
			'Choose a serverless template, or set Worker From to Image.',
		);
	}
	input = applySettings.call(
		this,
		itemIndex,
		input,
		this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
	);

	const attempt = createAttempt.call(this, itemIndex, 'endpoint');
	const api = await runpodApi(this);
	const existing = (await api.endpoints.list({ itemIndex })).find(
		(endpoint) => endpoint.name === input.name,
	);
	// n8n's Retry On Fail: an earlier run of this item sent the create after checking the name was free.
	if (existing && attempt.sentBefore)
		return { ...(await endpointOutput.call(this, existing)), recovered: true };
	if (existing) {
		throw new NodeOperationError(
			node,
			`Name: an endpoint called "${input.name}" already exists (${existing.id})`,
			{
				itemIndex,
				description: 'Choose another name, or change the existing endpoint with Endpoint → Update.',
			},
		);
	}
	attempt.markSent();
	const { endpoint, recovered } = await api.endpoints.create(input, { itemIndex });
	const output = await endpointOutput.call(this, endpoint);
	return recovered ? { ...output, recovered: true } : output;
}
