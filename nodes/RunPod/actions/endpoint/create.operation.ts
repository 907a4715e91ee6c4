import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { isDomainError, asNodeError } from '../../api/errors';
import { createOperation, namingCreated } from '../creates';
import { createAttempt, earlierCreateAmong, markUnsettled } from '../createAttempt';
import type { CreatedEndpoint, EndpointInput } from '../../api/endpoints';
import { checkText } from '../../helpers/validation';
import { templateLocator } from '../template/templateItem';
import {
	applySettings,
	endpointOutput,
	gpuPoolsField,
	imageFields,
	readImage,
	readPools,
	settingFields,
} from './endpointFields';

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

/** Reads and checks the item's endpoint settings; sends nothing. */
function prepare(this: IExecuteFunctions, itemIndex: number): EndpointInput {
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

	return input;
}

/**
 * Creates an endpoint. Free until jobs run, unless Min Workers keeps workers up. A name already in
 * use is refused; endpoints carry no marker, so only "absent before, exactly one after" proves an
 * endpoint is this item's (n8n's Retry On Fail, a lost answer).
 */
async function run(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	input: EndpointInput,
): Promise<IDataObject> {
	const node = this.getNode();
	const attempt = createAttempt.call(this, itemIndex, 'endpoint');
	const all = await api.endpoints.list({ itemIndex });
	const named = all.filter((endpoint) => endpoint.name === input.name);
	// n8n's Retry On Fail: an earlier run of this item sent the create after checking the name was free.
	const earlier = earlierCreateAmong(this, attempt, itemIndex, named, () => true, {
		resource: 'endpoint',
		described: `named "${input.name}"`,
	});
	if (earlier) return { ...(await endpointOutput.call(this, earlier)), recovered: true };
	const existing = named[0];
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
	attempt.markSent({ existingIds: all.map((endpoint) => endpoint.id) });
	let created: CreatedEndpoint;
	try {
		created = await api.endpoints.create(input, { itemIndex });
	} catch (error) {
		if (isDomainError(error, 'Unsettled')) markUnsettled(attempt, error);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
	try {
		const output = await endpointOutput.call(this, created.endpoint);
		return created.recovered ? { ...output, recovered: true } : output;
	} catch (error) {
		throw namingCreated.call(this, error, itemIndex, `the endpoint ${created.endpoint.id}`);
	}
}

export const { execute, executeBatch } = createOperation({ prepare, run });

export function billed(output: IDataObject): string | undefined {
	return typeof output.id === 'string' ? `endpoint ${output.id}` : undefined;
}
