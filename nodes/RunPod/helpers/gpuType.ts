import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CloudQuote, GpuTypePrices } from '../api/types';
import { checkNumber } from './validation';

export type Cloud = 'SECURE' | 'COMMUNITY';
export type CloudChoice = Cloud | 'ALL';

export const gpuTypeLocator: INodeProperties = {
	displayName: 'GPU Type',
	name: 'gpuTypeId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The GPU type to price',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a GPU type...',
			typeOptions: { searchListMethod: 'searchGpuTypes', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. NVIDIA GeForce RTX 4090',
		},
	],
};

export const gpuCountField: INodeProperties = {
	displayName: 'GPU Count',
	name: 'gpuCount',
	type: 'number',
	default: 1,
	typeOptions: { minValue: 1, maxValue: 8 },
	description: 'The live prices and stock are for a pod with this many GPUs of the type',
};

export function readGpuCount(this: IExecuteFunctions, itemIndex: number): number {
	return checkNumber(
		this.getNode(),
		itemIndex,
		'GPU Count',
		this.getNodeParameter('gpuCount', itemIndex, 1),
		{
			min: 1,
			max: 8,
			integer: true,
		},
	);
}

/** RunPod reports "High", "Medium" or "Low" when it can rent; null, "None" or "Out" when it cannot. */
export function isInStock(quote: CloudQuote): boolean {
	return (
		!!quote.stockStatus &&
		!/^(none|out)$/i.test(quote.stockStatus.trim()) &&
		quote.onDemandPrice !== null
	);
}

function quoteOf(gpu: GpuTypePrices, cloud: Cloud): CloudQuote {
	return cloud === 'SECURE' ? gpu.secure : gpu.community;
}

function cloudsOf(choice: CloudChoice): Cloud[] {
	return choice === 'ALL' ? ['SECURE', 'COMMUNITY'] : [choice];
}

/** Whether RunPod rents this GPU type in the cloud at all (listed, priced or quoted there). */
export function isOfferedIn(gpu: GpuTypePrices, cloud: Cloud): boolean {
	const flag = cloud === 'SECURE' ? gpu.secureCloud : gpu.communityCloud;
	const listPrice = cloud === 'SECURE' ? gpu.securePrice : gpu.communityPrice;
	return (
		flag === true ||
		(typeof listPrice === 'number' && listPrice > 0) ||
		quoteOf(gpu, cloud).onDemandPrice !== null
	);
}

/** The lowest live on-demand price among the chosen clouds that have stock; null when none has. */
export function cheapestOffer(
	gpu: GpuTypePrices,
	choice: CloudChoice = 'ALL',
): { cloud: Cloud; price: number } | null {
	let best: { cloud: Cloud; price: number } | null = null;
	for (const cloud of cloudsOf(choice)) {
		const quote = quoteOf(gpu, cloud);
		if (!isInStock(quote)) continue;
		const price = quote.onDemandPrice as number;
		if (!best || price < best.price) best = { cloud, price };
	}
	return best;
}

function cloudView(quote: CloudQuote): IDataObject {
	return {
		onDemandPrice: quote.onDemandPrice,
		minimumBid: quote.minimumBid,
		stockStatus: quote.stockStatus,
		availableGpuCounts: quote.availableGpuCounts,
		inStock: isInStock(quote),
	};
}

/**
 * Everything known about a GPU type. List prices (securePrice…) are per GPU; the live quotes under
 * `secure` / `community` and the cheapest price are for all `gpuCount` GPUs, in USD per hour.
 */
export function fullGpuType(gpu: GpuTypePrices, choice: CloudChoice = 'ALL'): IDataObject {
	const cheapest = cheapestOffer(gpu, choice);
	return {
		id: gpu.id,
		displayName: gpu.displayName,
		memoryInGb: gpu.memoryInGb,
		secureCloud: gpu.secureCloud,
		communityCloud: gpu.communityCloud,
		securePrice: gpu.securePrice,
		communityPrice: gpu.communityPrice,
		secureSpotPrice: gpu.secureSpotPrice,
		communitySpotPrice: gpu.communitySpotPrice,
		gpuCount: gpu.gpuCount,
		secure: cloudView(gpu.secure),
		community: cloudView(gpu.community),
		inStock: cheapest !== null,
		cheapestOnDemandPrice: cheapest?.price ?? null,
		cheapestCloud: cheapest?.cloud ?? null,
	};
}

/** The flat ten fields a price table needs. */
export function simplifyGpuType(gpu: GpuTypePrices, choice: CloudChoice = 'ALL'): IDataObject {
	const cheapest = cheapestOffer(gpu, choice);
	return {
		id: gpu.id,
		displayName: gpu.displayName,
		memoryInGb: gpu.memoryInGb,
		gpuCount: gpu.gpuCount,
		cheapestOnDemandPrice: cheapest?.price ?? null,
		cheapestCloud: cheapest?.cloud ?? null,
		secureOnDemandPrice: gpu.secure.onDemandPrice,
		secureStockStatus: gpu.secure.stockStatus,
		communityOnDemandPrice: gpu.community.onDemandPrice,
		communityStockStatus: gpu.community.stockStatus,
	};
}

export function gpuTypeOutput(
	this: IExecuteFunctions,
	itemIndex: number,
	gpu: GpuTypePrices,
	choice: CloudChoice = 'ALL',
): IDataObject {
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return simplify ? simplifyGpuType(gpu, choice) : fullGpuType(gpu, choice);
}

export interface GpuFilters {
	cloudType: CloudChoice;
	minMemoryInGb?: number;
	inStockOnly: boolean;
	maxPricePerHour?: number;
}

export function matchesGpuFilters(gpu: GpuTypePrices, filters: GpuFilters): boolean {
	if (!cloudsOf(filters.cloudType).some((cloud) => isOfferedIn(gpu, cloud))) return false;
	if (filters.minMemoryInGb !== undefined && (gpu.memoryInGb ?? 0) < filters.minMemoryInGb)
		return false;
	const cheapest = cheapestOffer(gpu, filters.cloudType);
	if (filters.inStockOnly && !cheapest) return false;
	if (
		filters.maxPricePerHour !== undefined &&
		(!cheapest || cheapest.price > filters.maxPricePerHour)
	)
		return false;
	return true;
}

export type GpuSort = 'price' | 'vramDesc' | 'vramAsc';

/** Sorts a copy. Price: cheapest rentable first, types with no stock last. Ties go by memory, then name. */
export function sortGpuTypes(
	gpus: GpuTypePrices[],
	sortBy: GpuSort,
	choice: CloudChoice = 'ALL',
): GpuTypePrices[] {
	const price = (gpu: GpuTypePrices) => cheapestOffer(gpu, choice)?.price ?? Infinity;
	const memory = (gpu: GpuTypePrices) => gpu.memoryInGb ?? 0;
	const name = (gpu: GpuTypePrices) => gpu.displayName ?? gpu.id;
	const compare = (x: number, y: number) => (x === y ? 0 : x < y ? -1 : 1);
	return [...gpus].sort((a, b) => {
		const byPrice = compare(price(a), price(b));
		const byMemory = compare(memory(a), memory(b));
		const order =
			sortBy === 'price'
				? byPrice || -byMemory
				: sortBy === 'vramDesc'
					? -byMemory || byPrice
					: byMemory || byPrice;
		return order || name(a).localeCompare(name(b));
	});
}
