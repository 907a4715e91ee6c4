import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import type { CloudType, CreatePodInput } from '../../api/types';

/** Everything a create needs except the GPU type, which Create may choose among several. */
export type PodSpec = Omit<CreatePodInput, 'gpuTypeId'>;
import { parseEnv } from '../../helpers/env';
import type { EnvEntry } from '../../helpers/env';
import { parsePorts } from '../../helpers/ports';
import type { PortEntry } from '../../helpers/ports';
import { locatorValue } from '../../helpers/locator';
import {
	checkNumber,
	checkOptionalText,
	checkText,
	invalidParameter,
} from '../../helpers/validation';
import { gpuTypeLocator } from '../../helpers/gpuType';
import { registryAuthLocator } from '../containerRegistryAuth/registryAuthItem';
import { networkVolumeLocator } from '../networkVolume/volumeItem';
import { templateLocator } from '../template/templateItem';
import {
	cloudTypeOptions,
	containerDiskField,
	envField,
	podVolumeField,
	portsField,
	volumeMountPathField,
} from '../common.descriptions';

const CUDA_VERSIONS = [
	'11.8',
	'12.0',
	'12.1',
	'12.2',
	'12.3',
	'12.4',
	'12.5',
	'12.6',
	'12.7',
	'12.8',
	'12.9',
];

/** One GPU type: the same locator as everywhere, described for renting. */
export const gpuTypeField: INodeProperties = {
	...gpuTypeLocator,
	description:
		"The GPU to rent. The list shows memory and hourly price per GPU; By ID takes RunPod's full name, e.g. NVIDIA GeForce RTX 4090.",
};

/** What the pod runs: name and image or template. */
export const podSourceFields: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. comfyui-worker',
		description: 'A name to recognise the pod by. RunPod does not require names to be unique.',
	},
	{
		displayName: 'Deploy From',
		name: 'deployFrom',
		type: 'options',
		default: 'image',
		options: [
			{
				name: 'Docker Image',
				value: 'image',
				description: 'Any public image, or a private one with registry auth in a template',
			},
			{ name: 'Template', value: 'template', description: 'One of your RunPod templates' },
		],
	},
	{
		displayName: 'Image',
		name: 'imageName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
		description: 'The Docker image the pod runs',
		displayOptions: { show: { deployFrom: ['image'] } },
	},
	{
		...templateLocator,
		description:
			'The template the pod is created from: its image, disks, ports, start command and environment',
		displayOptions: { show: { deployFrom: ['template'] } },
	},
];

/** The machine: GPU count, cloud, disks. */
export const podMachineFields: INodeProperties[] = [
	{
		displayName: 'GPU Count',
		name: 'gpuCount',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, maxValue: 8 },
		description: 'How many GPUs of that type the pod gets; the price is per GPU',
	},
	{
		displayName: 'Cloud Type',
		name: 'cloudType',
		type: 'options',
		default: 'SECURE',
		options: cloudTypeOptions,
		description: 'Where the pod may run',
	},
	...[containerDiskField, podVolumeField, volumeMountPathField].map((field) => ({
		...field,
		displayOptions: { show: { deployFrom: ['image'] } },
	})),
	{
		displayName: 'Template Overrides',
		name: 'templateOverrides',
		type: 'collection',
		placeholder: 'Add Override',
		default: {},
		description:
			"The pod gets the template's disks and mount path; add one here only to replace the template's value",
		displayOptions: { show: { deployFrom: ['template'] } },
		options: [
			{ ...containerDiskField, description: "Replaces the template's container disk size" },
			{ ...podVolumeField, description: "Replaces the template's pod volume size; 0 for none" },
			{
				...volumeMountPathField,
				description: "Replaces the template's mount path for the pod volume (or network volume)",
			},
		],
	},
];

export const podAdditionalFields: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
		{
			displayName: 'Allowed CUDA Versions',
			name: 'allowedCudaVersions',
			type: 'multiOptions',
			default: [],
			options: CUDA_VERSIONS.map((version) => ({ name: version, value: version })),
			description:
				'Only place the pod on machines with one of these CUDA versions; none selected means any',
		},
		{
			...registryAuthLocator,
			required: false,
			description:
				'Stored credentials to pull a private image with (Container Registry Auth → Create; REST v2 lists them)',
		},
		{
			displayName: 'Data Center Name or ID',
			name: 'dataCenterId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getDataCenters' },
			default: '',
			description:
				'Pin the pod to one data center. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Docker Arguments',
			name: 'dockerArgs',
			type: 'string',
			default: '',
			placeholder: 'e.g. bash -c "python serve.py"',
			description:
				"Command that overrides the image's start command (with a template: the template's)",
		},
		{
			...envField,
			description:
				"With a template, these are added to the template's variables; a name the template has gets the value set here",
		},
		{
			displayName: 'Minimum Memory (GB)',
			name: 'minMemoryInGb',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description: 'Only machines with at least this much RAM; 0 for any',
		},
		{
			displayName: 'Minimum vCPUs',
			name: 'minVcpuCount',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description: 'Only machines with at least this many virtual CPUs; 0 for any',
		},
		{
			...networkVolumeLocator,
			required: false,
			description:
				"Attach a network volume (Secure Cloud only; the pod runs in the volume's data center)",
		},
		{
			...portsField,
			description: `${portsField.description} With a template, these replace the template's ports.`,
		},
		{
			displayName: 'Public IP',
			name: 'supportPublicIp',
			type: 'boolean',
			default: true,
			description: 'Whether the pod needs a public IP (for TCP ports such as SSH)',
		},
		{
			displayName: 'Start SSH',
			name: 'startSsh',
			type: 'boolean',
			default: true,
			description:
				'Whether RunPod starts an SSH server in the pod (expose port 22/TCP to reach it)',
		},
	],
};

/** Reads and checks the shared create fields of one item; throws before anything is sent. */
export function readCreateInput(this: IExecuteFunctions, itemIndex: number): PodSpec {
	const node = this.getNode();
	const deployFrom = this.getNodeParameter('deployFrom', itemIndex, 'image') as string;
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	// A CPU pod (Compute Type CPU) has no GPU count or cloud choice: those fields are hidden then.
	const isCpu = this.getNodeParameter('computeType', itemIndex, 'GPU') === 'CPU';
	const input: PodSpec = {
		name: checkOptionalText(node, itemIndex, 'Name', this.getNodeParameter('name', itemIndex, '')),
		gpuCount: isCpu
			? 1
			: checkNumber(node, itemIndex, 'GPU Count', this.getNodeParameter('gpuCount', itemIndex, 1), {
					min: 1,
					max: 8,
					integer: true,
				}),
		cloudType: isCpu ? 'SECURE' : readCloudType.call(this, itemIndex),
	};
	// From a template, the disks and mount path are the template's unless the user overrides them.
	const disks =
		deployFrom === 'template'
			? (this.getNodeParameter('templateOverrides', itemIndex, {}) as IDataObject)
			: {
					containerDiskInGb: this.getNodeParameter('containerDiskInGb', itemIndex, 20),
					volumeInGb: this.getNodeParameter('volumeInGb', itemIndex, 0),
					volumeMountPath: this.getNodeParameter('volumeMountPath', itemIndex, ''),
				};
	if (disks.containerDiskInGb !== undefined) {
		input.containerDiskInGb = checkNumber(
			node,
			itemIndex,
			'Container Disk (GB)',
			disks.containerDiskInGb,
			{ min: 1, max: 4000, integer: true },
		);
	}
	if (disks.volumeInGb !== undefined) {
		input.volumeInGb = checkNumber(node, itemIndex, 'Pod Volume (GB)', disks.volumeInGb, {
			min: 0,
			max: 4000,
			integer: true,
		});
	}
	input.volumeMountPath = checkOptionalText(
		node,
		itemIndex,
		'Volume Mount Path',
		disks.volumeMountPath,
	);

	if (deployFrom === 'template') {
		input.templateId = checkText(
			node,
			itemIndex,
			'Template',
			this.getNodeParameter('templateId', itemIndex, '', { extractValue: true }),
			'Choose a template, or switch Deploy From to Docker Image.',
		);
	} else {
		input.imageName = checkText(
			node,
			itemIndex,
			'Image',
			this.getNodeParameter('imageName', itemIndex, ''),
			'Enter a Docker image such as runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04.',
		);
		if (/\s/.test(input.imageName)) {
			throw invalidParameter(
				node,
				itemIndex,
				'Image',
				`"${input.imageName}" contains spaces`,
				'A Docker image name has no spaces, e.g. ubuntu:22.04.',
			);
		}
	}
	if (input.volumeMountPath !== undefined && !input.volumeMountPath.startsWith('/')) {
		throw invalidParameter(
			node,
			itemIndex,
			'Volume Mount Path',
			`"${input.volumeMountPath}" is not an absolute path`,
			'Use a path starting with "/", e.g. /workspace.',
		);
	}

	const portEntries = ((additional.ports as IDataObject | undefined)?.port ?? []) as PortEntry[];
	const envEntries = ((additional.env as IDataObject | undefined)?.variable ?? []) as EnvEntry[];
	input.ports = parsePorts(node, itemIndex, portEntries);
	input.env = parseEnv(node, itemIndex, envEntries);
	input.dataCenterId = checkOptionalText(
		node,
		itemIndex,
		'Data Center Name or ID',
		additional.dataCenterId,
	);
	input.networkVolumeId = checkOptionalText(
		node,
		itemIndex,
		'Network Volume',
		locatorValue(additional.networkVolumeId),
	);
	input.containerRegistryAuthId = checkOptionalText(
		node,
		itemIndex,
		'Container Registry Auth',
		locatorValue(additional.containerRegistryAuthId),
	);
	input.dockerArgs = checkOptionalText(node, itemIndex, 'Docker Arguments', additional.dockerArgs);
	if (additional.minVcpuCount) {
		input.minVcpuCount = checkNumber(node, itemIndex, 'Minimum vCPUs', additional.minVcpuCount, {
			min: 0,
			integer: true,
		});
	}
	if (additional.minMemoryInGb) {
		input.minMemoryInGb = checkNumber(
			node,
			itemIndex,
			'Minimum Memory (GB)',
			additional.minMemoryInGb,
			{
				min: 0,
				integer: true,
			},
		);
	}
	const cuda = readCudaVersions(node, itemIndex, additional.allowedCudaVersions);
	if (cuda.length) input.allowedCudaVersions = cuda;
	input.startSsh = readOptionalBoolean(node, itemIndex, 'Start SSH', additional.startSsh);
	input.supportPublicIp = readOptionalBoolean(
		node,
		itemIndex,
		'Public IP',
		additional.supportPublicIp,
	);
	return input;
}

/** Accepts the list from the UI, or a comma-separated string from an expression. */
function readCudaVersions(node: INode, itemIndex: number, value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const versions = (Array.isArray(value) ? value : String(value).split(','))
		.map((v) => String(v).trim())
		.filter(Boolean);
	const unknown = versions.filter((v) => !CUDA_VERSIONS.includes(v));
	if (unknown.length) {
		throw invalidParameter(
			node,
			itemIndex,
			'Allowed CUDA Versions',
			`unknown version ${unknown.map((v) => `"${v}"`).join(', ')}`,
			`Use versions from the list: ${CUDA_VERSIONS.join(', ')}.`,
		);
	}
	return versions;
}

function readOptionalBoolean(
	node: INode,
	itemIndex: number,
	parameter: string,
	value: unknown,
): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw invalidParameter(
		node,
		itemIndex,
		parameter,
		`expected true or false, got ${JSON.stringify(value)}`,
		`Set ${parameter} to true or false.`,
	);
}

/** The single GPU type of Create Spot, or of Create in "One GPU Type" mode. */
export function readGpuTypeId(this: IExecuteFunctions, itemIndex: number): string {
	return checkText(
		this.getNode(),
		itemIndex,
		'GPU Type',
		this.getNodeParameter('gpuTypeId', itemIndex, '', { extractValue: true }),
		'Choose a GPU type from the list, or use an ID such as "NVIDIA GeForce RTX 4090".',
	);
}

function readCloudType(this: IExecuteFunctions, itemIndex: number): CloudType {
	const value = String(this.getNodeParameter('cloudType', itemIndex, 'SECURE')).toUpperCase();
	if (value !== 'SECURE' && value !== 'COMMUNITY' && value !== 'ALL') {
		throw invalidParameter(
			this.getNode(),
			itemIndex,
			'Cloud Type',
			`"${value}" is not a cloud type`,
			'Use SECURE, COMMUNITY or ALL (Any).',
		);
	}
	return value;
}
