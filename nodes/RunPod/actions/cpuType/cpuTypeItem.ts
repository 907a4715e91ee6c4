import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CpuType } from '../../api/cpuTypes.types';
import { checkNumber, invalidParameter } from '../../helpers/validation';

/** One CPU type (CPU flavor), chosen from RunPod's catalog or by ID. */
export const cpuTypeLocator: INodeProperties = {
	displayName: 'CPU Type',
	name: 'cpuTypeId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The CPU flavor. The list shows RAM and hourly price per vCPU.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a CPU type...',
			typeOptions: { searchListMethod: 'searchCpuTypes', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. cpu3c',
		},
	],
};

/** The size prices and stock are read for (Get, Get Many). */
export const vcpuCountFilterField: INodeProperties = {
	displayName: 'vCPU Count',
	name: 'vcpuCount',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0 },
	description:
		"Price and stock for a pod with this many vCPUs (2, 4, 8, 16, 32 or 64). 0 means each CPU type's smallest size.",
};

const isPowerOfTwo = (n: number) => n >= 2 && (n & (n - 1)) === 0;

/** A vCPU count RunPod accepts (a power of two from 2); 0 only where `allowSmallest`. */
export function readVcpuCount(
	this: IExecuteFunctions,
	itemIndex: number,
	allowSmallest: boolean,
): number | undefined {
	const value = checkNumber(
		this.getNode(),
		itemIndex,
		'vCPU Count',
		this.getNodeParameter('vcpuCount', itemIndex, allowSmallest ? 0 : 2),
		{ min: 0, max: 512, integer: true },
	);
	if (allowSmallest && value === 0) return undefined;
	if (!isPowerOfTwo(value)) {
		throw invalidParameter(
			this.getNode(),
			itemIndex,
			'vCPU Count',
			`${value} is not a power of two`,
			`RunPod sizes CPU pods in powers of two: choose 2, 4, 8, 16, 32 or 64${allowSmallest ? ", or 0 for each CPU type's smallest size" : ''}.`,
		);
	}
	return value;
}

/** A CPU type as the node outputs it: the size asked for first, then the flavor's range and prices. */
export function cpuTypeOutput(cpu: CpuType, simplify: boolean): IDataObject {
	if (!simplify && cpu.source) return { ...cpu.source };
	return {
		id: cpu.id,
		name: cpu.name,
		group: cpu.group,
		vcpuCount: cpu.vcpuCount,
		memoryInGb: cpu.memoryInGb,
		pricePerHour: cpu.pricePerHour,
		stockStatus: cpu.stockStatus,
		inStock: cpu.stockStatus !== null,
		dataCenters: cpu.dataCenters.filter((dc) => dc.stockStatus !== null).map((dc) => dc.id),
		minVcpuCount: cpu.minVcpuCount,
		maxVcpuCount: cpu.maxVcpuCount,
		ramGbPerVcpu: cpu.ramGbPerVcpu,
		pricePerVcpu: cpu.pricePerVcpu,
		serverlessPricePerVcpu: cpu.serverlessPricePerVcpu,
	};
}
