import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { ClusterType, CreateClusterInput } from '../../api/clusters.types';
import { isDomainError, asNodeError } from '../../api/errors';
import { parseEnv } from '../../helpers/env';
import type { EnvEntry } from '../../helpers/env';
import { gpuTypeLocator } from '../../helpers/gpuType';
import { locatorValue } from '../../helpers/locator';
import { parsePorts } from '../../helpers/ports';
import type { PortEntry } from '../../helpers/ports';
import {
	checkNumber,
	checkOptionalText,
	checkText,
	invalidParameter,
} from '../../helpers/validation';
import {
	containerDiskField,
	envField,
	podVolumeField,
	portsField,
	simplifyOption,
	volumeMountPathField,
} from '../common.descriptions';
import { createOperation } from '../creates';
import { networkVolumeLocator } from '../networkVolume/volumeItem';
import { createAttempt, markUnsettled, unsettledBefore } from '../createAttempt';
import { clusterOutput } from './clusterItem';

/** RunPod's bounds (ClusterCompute): 2 to 250 pods; GPUs per pod up to the type's maximum. */
const MIN_PODS = 2;
const MAX_PODS = 250;
const MAX_GPUS_PER_POD = 8;

const CLUSTER_TYPES: Array<{ name: string; value: ClusterType; description: string }> = [
	{
		name: 'Application',
		value: 'APPLICATION',
		description: 'A general multi-node application cluster',
	},
	{ name: 'Ray', value: 'RAY', description: 'A managed Ray head and workers' },
	{ name: 'Slurm', value: 'SLURM', description: 'A managed Slurm controller and compute nodes' },
	{
		name: 'Training',
		value: 'TRAINING',
		description: 'A distributed-training cluster (e.g. PyTorch DDP over the private network)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['cluster'], operation: ['create'] } },
	[
		{
			displayName:
				'A cluster rents Pod Count pods of GPUs Per Pod GPUs each, all at once, and bills every pod by the hour from the first second until you delete the cluster (Cluster → Delete). Cluster → Get Pods shows what each pod costs per hour.',
			name: 'billingNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. trainer',
			description: 'A name to recognise the cluster by; its pods are named after it',
		},
		{
			displayName: 'Cluster Type',
			name: 'clusterType',
			type: 'options',
			default: 'TRAINING',
			options: CLUSTER_TYPES,
			description: 'What RunPod sets up on the pods besides the private network between them',
		},
		{
			...gpuTypeLocator,
			description:
				"The GPU of every pod. The list shows memory and hourly price per GPU; By ID takes RunPod's full name, e.g. NVIDIA H100 80GB HBM3.",
		},
		{
			displayName: 'GPUs Per Pod',
			name: 'gpuCountPerPod',
			type: 'number',
			default: 8,
			required: true,
			typeOptions: { minValue: 1, maxValue: MAX_GPUS_PER_POD },
			description: 'How many GPUs each pod has; every pod is the same',
		},
		{
			displayName: 'Pod Count',
			name: 'podCount',
			type: 'number',
			default: 2,
			required: true,
			typeOptions: { minValue: MIN_PODS, maxValue: MAX_PODS },
			description: `How many pods (nodes) the cluster has, ${MIN_PODS} to ${MAX_PODS}. Total GPUs = Pod Count × GPUs Per Pod.`,
		},
		{
			displayName: 'Image',
			name: 'imageName',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
			description: 'The container image every pod runs',
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				containerDiskField,
				{
					displayName: 'Data Center Name or ID',
					name: 'dataCenterId',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getDataCenters' },
					default: '',
					description:
						'Place the cluster in this data center (a cluster is always in one). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Docker Arguments',
					name: 'dockerArgs',
					type: 'string',
					default: '',
					placeholder: 'e.g. bash -c "torchrun train.py"',
					description: "Command that overrides the image's start command on every pod",
				},
				{ ...envField, description: 'Set on every pod, besides what RunPod sets (NODE_RANK…)' },
				{
					...networkVolumeLocator,
					required: false,
					description:
						"Mount a network volume on every pod (the cluster runs in the volume's data center)",
				},
				{ ...podVolumeField, default: 0 },
				portsField,
				{
					displayName: 'Start Jupyter',
					name: 'startJupyter',
					type: 'boolean',
					default: false,
					description: 'Whether RunPod starts Jupyter on every pod',
				},
				{
					displayName: 'Start SSH',
					name: 'startSsh',
					type: 'boolean',
					default: false,
					description:
						"Whether RunPod sets up SSH on every pod with your account's SSH keys (expose port 22/TCP to reach it)",
				},
				volumeMountPathField,
			],
		},
		simplifyOption,
	],
);

function readBoolean(value: unknown): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return value === true || value === 'true';
}

/** Everything the user typed, checked for every item before RunPod is asked anything. */
function prepare(this: IExecuteFunctions, itemIndex: number): CreateClusterInput {
	const node = this.getNode();
	const clusterType = this.getNodeParameter('clusterType', itemIndex, 'TRAINING') as string;
	if (!CLUSTER_TYPES.some((option) => option.value === clusterType)) {
		throw invalidParameter(
			node,
			itemIndex,
			'Cluster Type',
			`"${clusterType}" is not a cluster type`,
			`Use one of ${CLUSTER_TYPES.map((option) => option.value).join(', ')}.`,
		);
	}
	const input: CreateClusterInput = {
		name: checkText(
			node,
			itemIndex,
			'Name',
			this.getNodeParameter('name', itemIndex, ''),
			'Enter a name for the cluster.',
		),
		type: clusterType as ClusterType,
		gpuTypeId: checkText(
			node,
			itemIndex,
			'GPU Type',
			this.getNodeParameter('gpuTypeId', itemIndex, '', { extractValue: true }),
			'Choose a GPU type from the list, or use an ID such as "NVIDIA H100 80GB HBM3".',
		),
		gpuCountPerPod: checkNumber(
			node,
			itemIndex,
			'GPUs Per Pod',
			this.getNodeParameter('gpuCountPerPod', itemIndex, 8),
			{ min: 1, max: MAX_GPUS_PER_POD, integer: true },
		),
		podCount: checkNumber(
			node,
			itemIndex,
			'Pod Count',
			this.getNodeParameter('podCount', itemIndex, MIN_PODS),
			{ min: MIN_PODS, max: MAX_PODS, integer: true },
		),
		imageName: checkText(
			node,
			itemIndex,
			'Image',
			this.getNodeParameter('imageName', itemIndex, ''),
			'Enter the container image every pod runs, e.g. runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04.',
		),
	};
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	if (additional.containerDiskInGb !== undefined)
		input.containerDiskInGb = checkNumber(
			node,
			itemIndex,
			'Container Disk (GB)',
			additional.containerDiskInGb,
			{ min: 1, integer: true },
		);
	const dataCenterId = checkOptionalText(
		node,
		itemIndex,
		'Data Center Name or ID',
		additional.dataCenterId,
	);
	if (dataCenterId) input.dataCenterIds = [dataCenterId];
	input.dockerArgs = checkOptionalText(node, itemIndex, 'Docker Arguments', additional.dockerArgs);
	input.env = parseEnv(
		node,
		itemIndex,
		((additional.env as IDataObject | undefined)?.variable ?? []) as EnvEntry[],
	);
	input.ports = parsePorts(
		node,
		itemIndex,
		((additional.ports as IDataObject | undefined)?.port ?? []) as PortEntry[],
	);
	input.networkVolumeId = checkOptionalText(
		node,
		itemIndex,
		'Network Volume',
		locatorValue(additional.networkVolumeId),
	);
	if (additional.volumeInGb !== undefined) {
		input.volumeInGb = checkNumber(node, itemIndex, 'Pod Volume (GB)', additional.volumeInGb, {
			min: 0,
			integer: true,
		});
		if (input.volumeInGb > 0 && input.volumeInGb < 10)
			throw invalidParameter(
				node,
				itemIndex,
				'Pod Volume (GB)',
				`${input.volumeInGb} GB is below RunPod's 10 GB minimum`,
				'Set Pod Volume (GB) to 0 for none, or to 10 or more.',
			);
	}
	if (input.networkVolumeId && input.volumeInGb)
		throw invalidParameter(
			node,
			itemIndex,
			'Pod Volume (GB)',
			'a cluster can mount a network volume or have a pod volume, not both',
			'Remove Pod Volume (GB) or the Network Volume.',
		);
	input.volumeMountPath = checkOptionalText(
		node,
		itemIndex,
		'Volume Mount Path',
		additional.volumeMountPath,
	);
	if (input.volumeMountPath !== undefined && !input.volumeMountPath.startsWith('/'))
		throw invalidParameter(
			node,
			itemIndex,
			'Volume Mount Path',
			`"${input.volumeMountPath}" is not an absolute path`,
			'Use a path starting with "/", e.g. /workspace.',
		);
	input.startSsh = readBoolean(additional.startSsh);
	input.startJupyter = readBoolean(additional.startJupyter);
	return input;
}

/**
 * Like Pod → Create: the cluster's pods carry this item's create marker, so a rerun (Retry On
 * Fail, a re-queued execution) finds the cluster an earlier run rented instead of renting another,
 * and a create whose answer was lost is settled by looking for it, never sent again.
 */
async function run(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	input: CreateClusterInput,
): Promise<IDataObject> {
	const attempt = createAttempt.call(this, itemIndex, 'cluster');
	const earlier = await api.clusters.findByCreateMarker(attempt.marker, { itemIndex });
	if (earlier) return { ...clusterOutput.call(this, itemIndex, earlier), recovered: true };
	const unsettled = unsettledBefore.call(this, attempt, itemIndex);
	if (unsettled) throw unsettled;
	attempt.markSent();
	try {
		const { cluster, recovered } = await api.clusters.create(input, {
			itemIndex,
			marker: attempt.marker,
		});
		const output = clusterOutput.call(this, itemIndex, cluster);
		return recovered ? { ...output, recovered: true } : output;
	} catch (error) {
		if (isDomainError(error, 'Unsettled')) markUnsettled(attempt, error);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}

export const { execute, executeBatch } = createOperation({ prepare, run });

/** What an item's output names when another item stops the node. */
export function billed(output: IDataObject): string | undefined {
	return typeof output.id === 'string' ? `cluster ${output.id}` : undefined;
}
