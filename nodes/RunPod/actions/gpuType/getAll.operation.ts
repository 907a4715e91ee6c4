import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { checkNumber, invalidParameter } from '../../helpers/validation';
import {
	cloudTypeOptions,
	limitOption,
	returnAllOption,
	simplifyOption,
	readLimit,
} from '../common.descriptions';
import {
	gpuCountField,
	gpuTypeOutput,
	matchesGpuFilters,
	readGpuCount,
	sortGpuTypes,
} from '../../helpers/gpuType';
import type { CloudChoice, GpuFilters, GpuSort } from '../../helpers/gpuType';

export const description = updateDisplayOptions(
	{ show: { resource: ['gpuType'], operation: ['getAll'] } },
	[
		gpuCountField,
		returnAllOption,
		limitOption,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Cloud Type',
					name: 'cloudType',
					type: 'options',
					default: 'ALL',
					options: cloudTypeOptions,
					description:
						'Only GPU types offered in this cloud; the cheapest price and stock are taken from it',
				},
				{
					displayName: 'In Stock Only',
					name: 'inStockOnly',
					type: 'boolean',
					default: true,
					description:
						'Whether to leave out GPU types that cannot be rented right now for the GPU count',
				},
				{
					displayName: 'Max Cost Per Hour (USD)',
					name: 'maxPricePerHour',
					type: 'number',
					default: 1,
					typeOptions: { minValue: 0, numberPrecision: 2 },
					description:
						'Only GPU types that can be rented right now for at most this on-demand price, for all the GPUs together',
				},
				{
					displayName: 'Minimum GPU Memory (GB)',
					name: 'minMemoryInGb',
					type: 'number',
					default: 24,
					typeOptions: { minValue: 0 },
					description: 'Only GPU types with at least this much GPU memory per GPU',
				},
			],
		},
		{
			displayName: 'Sort By',
			name: 'sortBy',
			type: 'options',
			default: 'price',
			options: [
				{
					name: 'Price (Cheapest First)',
					value: 'price',
					description: 'Live on-demand price; GPU types with no stock last',
				},
				{ name: 'VRAM (Largest First)', value: 'vramDesc' },
				{ name: 'VRAM (Smallest First)', value: 'vramAsc' },
			],
		},
		simplifyOption,
	],
);

function readFilters(this: IExecuteFunctions, itemIndex: number): GpuFilters {
	const node = this.getNode();
	const raw = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const cloudType = String(raw.cloudType ?? 'ALL').toUpperCase();
	if (cloudType !== 'ALL' && cloudType !== 'SECURE' && cloudType !== 'COMMUNITY') {
		throw invalidParameter(
			node,
			itemIndex,
			'Cloud Type',
			`"${cloudType}" is not a cloud type`,
			'Use SECURE, COMMUNITY or ALL (Any).',
		);
	}
	const filters: GpuFilters = {
		cloudType: cloudType as CloudChoice,
		inStockOnly: raw.inStockOnly === true,
	};
	if (raw.minMemoryInGb !== undefined) {
		filters.minMemoryInGb = checkNumber(
			node,
			itemIndex,
			'Minimum GPU Memory (GB)',
			raw.minMemoryInGb,
			{ min: 0 },
		);
	}
	if (raw.maxPricePerHour !== undefined) {
		filters.maxPricePerHour = checkNumber(
			node,
			itemIndex,
			'Max Cost Per Hour (USD)',
			raw.maxPricePerHour,
			{ min: 0 },
		);
	}
	return filters;
}

function readSort(this: IExecuteFunctions, itemIndex: number): GpuSort {
	const sortBy = this.getNodeParameter('sortBy', itemIndex, 'price') as string;
	if (sortBy !== 'price' && sortBy !== 'vramDesc' && sortBy !== 'vramAsc') {
		throw invalidParameter(
			this.getNode(),
			itemIndex,
			'Sort By',
			`"${sortBy}" is not a sort order`,
			'Use price, vramDesc or vramAsc.',
		);
	}
	return sortBy;
}

/** One request: every GPU type with list prices and live quotes for both clouds. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	const gpuCount = readGpuCount.call(this, itemIndex);
	const filters = readFilters.call(this, itemIndex);
	const sortBy = readSort.call(this, itemIndex);
	const limit = readLimit.call(this, itemIndex);
	const all = await api.gpuTypes.listPrices(gpuCount, { itemIndex });
	return sortGpuTypes(
		all.filter((gpu) => matchesGpuFilters(gpu, filters)),
		sortBy,
		filters.cloudType,
	)
		.slice(0, limit)
		.map((gpu) => gpuTypeOutput.call(this, itemIndex, gpu, filters.cloudType));
}
