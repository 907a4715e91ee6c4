import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { cheapestOffer, isInStock } from '../../helpers/gpuType';
import type { Cloud, CloudChoice } from '../../helpers/gpuType';
import type { GpuTypePrices } from '../../api/types';
import { checkNumber, checkText } from '../../helpers/validation';
import type { TriggerEvent } from './types';

export interface GpuAvailableParams {
	/** One GPU type, or every GPU type with at least `minMemoryInGb` of VRAM. */
	gpuTypeId?: string;
	minMemoryInGb: number;
	cloudType: CloudChoice;
	gpuCount: number;
	maxPricePerHr: number;
}

/** GPU type IDs that were available within the price at the last poll. */
export type GpuAvailableState = string[];

interface Offer {
	gpu: GpuTypePrices;
	cloud: Cloud;
	price: number;
}

export function readGpuAvailableParams(ctx: IPollFunctions): GpuAvailableParams {
	const node = ctx.getNode();
	const selection = ctx.getNodeParameter('gpuSelection', 'type') as string;
	const gpuCount = checkNumber(node, 0, 'GPU Count', ctx.getNodeParameter('gpuCount', 1), {
		min: 1,
		max: 8,
		integer: true,
	});
	const maxPricePerHr = checkNumber(
		node,
		0,
		'Max Price Per Hour (USD)',
		ctx.getNodeParameter('maxPricePerHr', 0),
		{ min: 0.01 },
	);
	const cloudType = ctx.getNodeParameter('cloudType', 'ALL') as CloudChoice;
	if (selection === 'minMemory') {
		const minMemoryInGb = checkNumber(
			node,
			0,
			'Minimum VRAM (GB)',
			ctx.getNodeParameter('minMemoryInGb', 80),
			{ min: 1, integer: true },
		);
		return { minMemoryInGb, cloudType, gpuCount, maxPricePerHr };
	}
	const gpuTypeId = checkText(
		node,
		0,
		'GPU Type',
		ctx.getNodeParameter('gpuTypeId', '', { extractValue: true }),
		'Choose a GPU type from the list, or enter its ID (e.g. NVIDIA H100 80GB HBM3).',
	);
	return { gpuTypeId, minMemoryInGb: 0, cloudType, gpuCount, maxPricePerHr };
}

/** The cheapest way to rent each matching GPU type right now within the price, by GPU type ID. */
function offersWithinPrice(gpus: GpuTypePrices[], params: GpuAvailableParams): Map<string, Offer> {
	const offers = new Map<string, Offer>();
	for (const gpu of gpus) {
		if (
			params.gpuTypeId ? gpu.id !== params.gpuTypeId : (gpu.memoryInGb ?? 0) < params.minMemoryInGb
		)
			continue;
		const offer = cheapestOffer(gpu, params.cloudType);
		if (offer && offer.price <= params.maxPricePerHr) offers.set(gpu.id, { gpu, ...offer });
	}
	return offers;
}

function quoteItem(gpu: GpuTypePrices, cloud: Cloud): IDataObject {
	const quote = cloud === 'SECURE' ? gpu.secure : gpu.community;
	return {
		pricePerHr: quote.onDemandPrice,
		stockStatus: quote.stockStatus,
		inStock: isInStock(quote),
	};
}

function offerItem(offer: Offer, params: GpuAvailableParams, now: Date): IDataObject {
	const { gpu } = offer;
	return {
		event: 'gpuAvailable',
		gpuTypeId: gpu.id,
		displayName: gpu.displayName,
		memoryInGb: gpu.memoryInGb,
		gpuCount: gpu.gpuCount,
		cloudType: offer.cloud,
		pricePerHr: offer.price,
		pricePerGpuPerHr: Math.round((offer.price / gpu.gpuCount) * 10000) / 10000,
		maxPricePerHr: params.maxPricePerHr,
		stockStatus: (offer.cloud === 'SECURE' ? gpu.secure : gpu.community).stockStatus,
		secure: quoteItem(gpu, 'SECURE'),
		community: quoteItem(gpu, 'COMMUNITY'),
		detectedAt: now.toISOString(),
	};
}

/**
 * GPU Available: fires for a GPU type when it becomes rentable (in stock in an allowed cloud,
 * live on-demand price for the GPU count at most Max Price), not again while it stays so; once it
 * goes out of stock or above the price, the next return fires again.
 */
export const gpuAvailable: TriggerEvent<GpuAvailableParams, GpuTypePrices[], GpuAvailableState> = {
	readParams: readGpuAvailableParams,
	stateKey: (p) =>
		JSON.stringify([
			p.gpuTypeId ?? `>=${p.minMemoryInGb}GB`,
			p.cloudType,
			p.gpuCount,
			p.maxPricePerHr,
		]),
	observe: async (source, params) => await source.gpuQuotes(params.gpuCount, params.gpuTypeId),
	seed: (gpus, params) => [...offersWithinPrice(gpus, params).keys()].sort(),
	step(previous, gpus, params, now) {
		const offers = offersWithinPrice(gpus, params);
		const before = new Set(previous);
		const events = [...offers.values()]
			.filter((offer) => !before.has(offer.gpu.id))
			.sort((a, b) => a.price - b.price)
			.map((offer) => offerItem(offer, params, now));
		return { state: [...offers.keys()].sort(), events };
	},
	sample(gpus, params, now) {
		const offers = [...offersWithinPrice(gpus, params).values()].sort((a, b) => a.price - b.price);
		if (offers.length)
			return [{ ...offerItem(offers[0], params, now), sample: true, sampleFrom: 'account' }];
		// Nothing fits right now: show the cheapest matching GPU at any price, so the fields are real.
		const anyPrice = [
			...offersWithinPrice(gpus, { ...params, maxPricePerHr: Number.POSITIVE_INFINITY }).values(),
		].sort((a, b) => a.price - b.price);
		if (anyPrice.length)
			return [
				{
					...offerItem(anyPrice[0], params, now),
					sample: true,
					sampleFrom: 'account',
					withinPrice: false,
				},
			];
		return [
			{
				event: 'gpuAvailable',
				gpuTypeId: params.gpuTypeId ?? 'NVIDIA H100 80GB HBM3',
				displayName: 'H100 SXM',
				memoryInGb: 80,
				gpuCount: params.gpuCount,
				cloudType: 'SECURE',
				pricePerHr: 2.99 * params.gpuCount,
				pricePerGpuPerHr: 2.99,
				maxPricePerHr: params.maxPricePerHr,
				stockStatus: 'Low',
				detectedAt: now.toISOString(),
				sample: true,
				sampleFrom: 'example',
			},
		];
	},
};
