import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Endpoint, EndpointInput, ScalerType } from '../../api/endpoints';
import { parseEnv } from '../../helpers/env';
import type { EnvEntry } from '../../helpers/env';
import { checkNumber, checkOptionalText, checkText } from '../../helpers/validation';
import { endpointBaseUrl } from '../../api/serverlessJobs';
import { locatorValue } from '../../helpers/locator';
import { envField } from '../common.descriptions';
import { networkVolumeLocator } from '../networkVolume/volumeItem';
import { consoleUrl } from '../job/jobItem';

export { endpointLocator, readEndpointId } from '../job/jobItem';

/** RunPod's serverless GPU pools: workers run on whichever listed pool has capacity. */
export const GPU_POOLS = [
	{ name: '16 GB (RTX A4000, A4500, RTX 4000, RTX 2000)', value: 'AMPERE_16' },
	{ name: '24 GB (L4, RTX A5000, RTX 3090)', value: 'AMPERE_24' },
	{ name: '24 GB PRO (RTX 4090)', value: 'ADA_24' },
	{ name: '32 GB PRO (RTX 5090)', value: 'ADA_32_PRO' },
	{ name: '48 GB (RTX A6000, A40)', value: 'AMPERE_48' },
	{ name: '48 GB PRO (L40, L40S, RTX 6000 Ada)', value: 'ADA_48_PRO' },
	{ name: '80 GB (A100)', value: 'AMPERE_80' },
	{ name: '80 GB PRO (H100)', value: 'ADA_80_PRO' },
	{ name: '96 GB (RTX PRO 6000)', value: 'BLACKWELL_96' },
	{ name: '141 GB (H200)', value: 'HOPPER_141' },
	{ name: '180 GB (B200)', value: 'BLACKWELL_180' },
];
const POOL_IDS = new Set(GPU_POOLS.map((pool) => pool.value));

export const gpuPoolsField: INodeProperties = {
	displayName: 'GPU Pools',
	name: 'gpuPools',
	type: 'multiOptions',
	options: GPU_POOLS,
	default: ['ADA_24'],
	description:
		'GPU sizes the workers may run on, in order of preference; more pools mean fewer waits for a free GPU',
};

/** The settings shared by Create (Additional Fields) and Update (Update Fields). */
export const settingFields: INodeProperties[] = [
	{
		displayName: 'Data Center Names or IDs',
		name: 'dataCenterIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getDataCenters' },
		default: [],
		description:
			'Where workers may run. Empty: anywhere. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Excluded GPU Type Names or IDs',
		name: 'excludedGpuTypes',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getGpuTypes' },
		default: [],
		description:
			'GPU types to leave out of the chosen pools. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Execution Timeout (Seconds)',
		name: 'executionTimeoutSeconds',
		type: 'number',
		default: 600,
		typeOptions: { minValue: 5, maxValue: 604800 },
		description:
			'RunPod stops a job (TIMED_OUT) that runs longer than this, so a stuck worker cannot bill for hours',
	},
	{
		displayName: 'FlashBoot',
		name: 'flashBoot',
		type: 'boolean',
		default: true,
		description:
			'Whether RunPod keeps worker images cached for cold starts of a second or two instead of tens of seconds. No extra cost.',
	},
	{
		displayName: 'GPU Count',
		name: 'gpuCount',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, maxValue: 8 },
		description: 'GPUs per worker',
	},
	{
		displayName: 'Idle Timeout (Seconds)',
		name: 'idleTimeoutSeconds',
		type: 'number',
		default: 5,
		typeOptions: { minValue: 1, maxValue: 3600 },
		description:
			'How long a worker stays up (and billed) after its last job, ready for the next one',
	},
	{
		displayName: 'Max Workers',
		name: 'workersMax',
		type: 'number',
		default: 3,
		typeOptions: { minValue: 0, maxValue: 30 },
		description: 'The most workers RunPod starts at once; caps the cost of a burst of jobs',
	},
	{
		displayName: 'Min Workers',
		name: 'workersMin',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, maxValue: 30 },
		description:
			'Workers kept running at all times: no cold starts, but they are billed around the clock (at a discount) even with no jobs',
	},
	{
		...networkVolumeLocator,
		required: false,
		description:
			'A network volume mounted at /runpod-volume on every worker; workers then run only in its data center',
	},
	{
		displayName: 'Scale By',
		name: 'scalerType',
		type: 'options',
		options: [
			{
				name: 'Queue Delay',
				value: 'QUEUE_DELAY',
				description: 'Start a worker when a job has waited longer than Scale Value seconds',
			},
			{
				name: 'Request Count',
				value: 'REQUEST_COUNT',
				description: 'One worker per Scale Value jobs in the queue',
			},
		],
		default: 'QUEUE_DELAY',
	},
	{
		displayName: 'Scale Value',
		name: 'scalerValue',
		type: 'number',
		default: 4,
		typeOptions: { minValue: 1, maxValue: 1000 },
		description: 'Seconds of queue delay, or jobs per worker, depending on Scale By',
	},
];

/** Fields only for an endpoint created from an image (RunPod creates a bound template for it). */
export const imageFields: INodeProperties[] = [
	{
		displayName: 'Image',
		name: 'imageName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. runpod/worker-comfyui:5.1.0-base',
		description:
			"The worker's container image. RunPod creates a template bound to the endpoint, and deletes it with the endpoint.",
	},
	{
		displayName: 'Container Disk (GB)',
		name: 'containerDiskInGb',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 1, maxValue: 1000 },
		description: 'Disk space for the container; emptied whenever a worker stops',
	},
	{
		displayName: 'Start Command',
		name: 'dockerArgs',
		type: 'string',
		default: '',
		description: "Overrides the image's start command. Empty: the image's own.",
	},
	envField,
];

/** What RunPod's console and job API call this endpoint. */
export async function endpointOutput(
	this: IExecuteFunctions,
	endpoint: Endpoint,
): Promise<IDataObject> {
	const base = await endpointBaseUrl(this, endpoint.id);
	return {
		...endpoint,
		requestUrls: {
			run: `${base}/run`,
			runsync: `${base}/runsync`,
			status: `${base}/status/{jobId}`,
			stream: `${base}/stream/{jobId}`,
			cancel: `${base}/cancel/{jobId}`,
			health: `${base}/health`,
		},
		consoleUrl: consoleUrl(endpoint.id),
	};
}

export function endpointNotFound(
	this: IExecuteFunctions,
	itemIndex: number,
	endpointId: string,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), `The endpoint "${endpointId}" was not found`, {
		itemIndex,
		description:
			'Your RunPod account has no serverless endpoint with this ID. Check the ID, or list your endpoints with Endpoint → Get Many.',
	});
}

/** Applies the settings in `fields` (Additional Fields or Update Fields) onto `input`, checking each. */
export function applySettings(
	this: IExecuteFunctions,
	itemIndex: number,
	input: EndpointInput,
	fields: IDataObject,
): EndpointInput {
	const node = this.getNode();
	const next = { ...input };
	const whole = (label: string, value: unknown, min: number, max: number) =>
		checkNumber(node, itemIndex, label, value, { min, max, integer: true });
	if (fields.name !== undefined)
		next.name = checkText(node, itemIndex, 'Name', fields.name, 'Give the endpoint a name.');
	if (fields.gpuPools !== undefined)
		next.gpuPools = readPools.call(this, itemIndex, fields.gpuPools);
	if (fields.excludedGpuTypes !== undefined)
		next.excludedGpuTypes = stringList(fields.excludedGpuTypes);
	if (fields.dataCenterIds !== undefined) next.dataCenterIds = stringList(fields.dataCenterIds);
	if (fields.gpuCount !== undefined) next.gpuCount = whole('GPU Count', fields.gpuCount, 1, 8);
	if (fields.workersMin !== undefined)
		next.workersMin = whole('Min Workers', fields.workersMin, 0, 30);
	if (fields.workersMax !== undefined)
		next.workersMax = whole('Max Workers', fields.workersMax, 0, 30);
	if (fields.idleTimeoutSeconds !== undefined)
		next.idleTimeoutSeconds = whole('Idle Timeout (Seconds)', fields.idleTimeoutSeconds, 1, 3600);
	if (fields.scalerType !== undefined)
		next.scalerType =
			fields.scalerType === 'REQUEST_COUNT' ? 'REQUEST_COUNT' : ('QUEUE_DELAY' as ScalerType);
	if (fields.scalerValue !== undefined)
		next.scalerValue = whole('Scale Value', fields.scalerValue, 1, 1000);
	if (fields.flashBoot !== undefined) next.flashBoot = fields.flashBoot === true;
	if (fields.executionTimeoutSeconds !== undefined) {
		next.executionTimeoutMs =
			whole('Execution Timeout (Seconds)', fields.executionTimeoutSeconds, 5, 604800) * 1000;
	}
	if (fields.networkVolumeId !== undefined)
		next.networkVolumeId = checkOptionalText(
			node,
			itemIndex,
			'Network Volume',
			locatorValue(fields.networkVolumeId),
		);
	if (next.workersMin > next.workersMax) {
		throw new NodeOperationError(
			node,
			`Min Workers (${next.workersMin}) is above Max Workers (${next.workersMax})`,
			{
				itemIndex,
				description:
					'Min Workers are kept running all the time and count towards Max Workers: lower Min Workers or raise Max Workers.',
			},
		);
	}
	return next;
}

function stringList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list.map((entry) => String(entry).trim()).filter(Boolean);
}

export function readPools(this: IExecuteFunctions, itemIndex: number, value: unknown): string[] {
	const pools = stringList(value);
	const unknown = pools.filter((pool) => !POOL_IDS.has(pool));
	if (pools.length === 0 || unknown.length > 0) {
		throw new NodeOperationError(
			this.getNode(),
			pools.length === 0
				? 'GPU Pools: choose at least one'
				: `GPU Pools: "${unknown.join('", "')}" is not a RunPod GPU pool`,
			{ itemIndex, description: `Choose from: ${GPU_POOLS.map((pool) => pool.value).join(', ')}.` },
		);
	}
	return pools;
}

export function readImage(this: IExecuteFunctions, itemIndex: number): EndpointInput['image'] {
	const node = this.getNode();
	const variables = (this.getNodeParameter('env', itemIndex, {}) as IDataObject)?.variable;
	// Another resource's field of the same name can leave a single empty entry as the default.
	const entries = (Array.isArray(variables) ? variables : []) as EnvEntry[];
	return {
		imageName: checkText(
			node,
			itemIndex,
			'Image',
			this.getNodeParameter('imageName', itemIndex, ''),
			"Enter the worker's container image, e.g. runpod/worker-comfyui:5.1.0-base.",
		),
		containerDiskInGb: checkNumber(
			node,
			itemIndex,
			'Container Disk (GB)',
			this.getNodeParameter('containerDiskInGb', itemIndex, 10),
			{ min: 1, max: 1000, integer: true },
		),
		dockerArgs: String(this.getNodeParameter('dockerArgs', itemIndex, '') ?? '').trim(),
		env: parseEnv(node, itemIndex, entries),
	};
}
