/**
 * CPU pods (Pod → Create, Compute Type CPU; REST v2 only): a CPU type and a vCPU count instead of
 * GPUs, priced from the CPU catalog for the cost guard. create.operation.ts rents them through the
 * same create path as GPU pods (create marker, recovery after a lost answer).
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { CpuType } from '../../api/cpuTypes.types';
import { checkText, invalidParameter } from '../../helpers/validation';
import { cpuTypeLocator, readVcpuCount } from '../cpuType/cpuTypeItem';
import type { PodSpec } from './create.fields';

export interface CpuChoice {
	cpuTypeId: string;
	vcpuCount: number;
}

export const computeTypeField: INodeProperties = {
	displayName: 'Compute Type',
	name: 'computeType',
	type: 'options',
	default: 'GPU',
	options: [
		{ name: 'GPU', value: 'GPU', description: 'A pod with one or more GPUs' },
		{
			name: 'CPU',
			value: 'CPU',
			description:
				"A CPU pod: a CPU type and a number of vCPUs, no GPU, on Secure Cloud. Needs RunPod's REST API v2.",
		},
	],
	description: 'Whether the pod gets GPUs or only CPUs',
};

const cpuOnly = { show: { computeType: ['CPU'] } };

export const cpuFields: INodeProperties[] = [
	{
		...cpuTypeLocator,
		description:
			'The CPU flavor to rent. The list shows RAM and hourly price per vCPU; By ID takes its short name, e.g. cpu3c.',
		displayOptions: cpuOnly,
	},
	{
		displayName: 'vCPU Count',
		name: 'vcpuCount',
		type: 'number',
		default: 2,
		typeOptions: { minValue: 2 },
		description:
			"How many vCPUs the pod gets: 2, 4, 8, 16, 32 or 64, within the CPU type's range. Memory follows from the CPU type (RAM per vCPU × vCPUs); the price is per vCPU.",
		displayOptions: cpuOnly,
	},
];

/** GPU-only settings a CPU pod would silently lose: refused before anything is sent. */
const GPU_ONLY: Array<[keyof PodSpec, string]> = [
	['minVcpuCount', 'Minimum vCPUs'],
	['minMemoryInGb', 'Minimum Memory (GB)'],
	['allowedCudaVersions', 'Allowed CUDA Versions'],
];

/** The CPU type and size, checked with the rest of the item before any request. */
export function readCpuChoice(
	this: IExecuteFunctions,
	itemIndex: number,
	spec: PodSpec,
): CpuChoice {
	const node = this.getNode();
	const cpuTypeId = checkText(
		node,
		itemIndex,
		'CPU Type',
		this.getNodeParameter('cpuTypeId', itemIndex, '', { extractValue: true }),
		'Choose a CPU type from the list, or enter its ID such as "cpu3c".',
	);
	const vcpuCount = readVcpuCount.call(this, itemIndex, false) as number;
	for (const [field, name] of GPU_ONLY) {
		const value = spec[field];
		if (value !== undefined && !(Array.isArray(value) && value.length === 0) && value !== 0) {
			throw invalidParameter(
				node,
				itemIndex,
				name,
				'it applies to GPU pods only',
				`Remove ${name} from Additional Fields: a CPU pod's size is its CPU type and vCPU Count.`,
			);
		}
	}
	if ((spec.volumeInGb ?? 0) > 0) {
		throw invalidParameter(
			node,
			itemIndex,
			'Pod Volume (GB)',
			'CPU pods have no pod volume',
			'Set Pod Volume (GB) to 0, and attach a network volume (Additional Fields) for data that must outlive the pod.',
		);
	}
	return { cpuTypeId, vcpuCount };
}

/**
 * The CPU type at the chosen size, checked before renting: known to RunPod, the size in its range,
 * the price within Max Cost Per Hour. Nothing is rented here.
 */
export async function checkCpuPod(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	cpu: CpuChoice,
	maxCostPerHour: number,
): Promise<CpuType> {
	const node = this.getNode();
	const type = await api.cpuTypes.get(cpu.cpuTypeId, { vcpuCount: cpu.vcpuCount }, { itemIndex });
	if (!type) {
		throw new NodeOperationError(node, `RunPod does not know the CPU type "${cpu.cpuTypeId}"`, {
			itemIndex,
			description:
				'Choose a CPU type from the list, or look up valid IDs with CPU Type → Get Many. IDs are short names such as "cpu3c".',
		});
	}
	if (type.pricePerHour === null) {
		throw invalidParameter(
			node,
			itemIndex,
			'vCPU Count',
			`${type.id} comes with ${type.minVcpuCount ?? '?'} to ${type.maxVcpuCount ?? '?'} vCPUs, not ${cpu.vcpuCount}`,
			'Choose a vCPU count in that range, or another CPU type (CPU Type → Get Many shows each range).',
		);
	}
	if (maxCostPerHour > 0 && type.pricePerHour > maxCostPerHour) {
		throw new NodeOperationError(
			node,
			`Nothing was rented: the CPU pod would cost $${type.pricePerHour}/hour, over Max Cost Per Hour ($${maxCostPerHour})`,
			{
				itemIndex,
				description: `${type.id} with ${cpu.vcpuCount} vCPUs costs $${type.pricePerVcpu}/hour per vCPU. Raise Max Cost Per Hour, lower vCPU Count, or choose a cheaper CPU type.`,
			},
		);
	}
	return type;
}

/** RunPod had no machine for the CPU pod. */
export function noCpuCapacity(
	this: IExecuteFunctions,
	itemIndex: number,
	spec: PodSpec,
	cpu: CpuChoice,
): NodeOperationError {
	return new NodeOperationError(
		this.getNode(),
		`Nothing was rented: RunPod has no ${cpu.cpuTypeId} pod with ${cpu.vcpuCount} vCPUs free${spec.dataCenterId ? ` in ${spec.dataCenterId}` : ''}`,
		{
			itemIndex,
			description:
				'Choose fewer vCPUs or another CPU type (CPU Type → Get Many, In Stock Only, shows what is free), remove the data center, or try again later.',
		},
	);
}
