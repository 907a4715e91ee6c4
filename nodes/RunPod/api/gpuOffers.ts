import { graphqlRequest } from '../transport/graphql';
import type { RequestContext, RequestOptions } from '../transport/graphql';
import { isRealGpuType } from './gpus';

/** What RunPod would charge right now for one pod with N GPUs of a type, in one cloud. */
export interface CloudOffer {
	cloud: 'SECURE' | 'COMMUNITY';
	/** On-demand USD/hour for all the pod's GPUs. */
	pricePerHour: number;
	stockStatus: string;
}

export interface GpuOffer {
	gpuTypeId: string;
	displayName: string | null;
	memoryInGb: number;
	offers: CloudOffer[];
}

// Two aliased lowestPrice lookups fetch both clouds in one request (NOTES §4).
export const LIST_OFFERS = `query ListGpuOffers($secure: GpuLowestPriceInput, $community: GpuLowestPriceInput) {
	gpuTypes {
		id displayName memoryInGb
		secure: lowestPrice(input: $secure) { uninterruptablePrice stockStatus }
		community: lowestPrice(input: $community) { uninterruptablePrice stockStatus }
	}
}`;

export const documents = { LIST_OFFERS };

interface OfferRow {
	id: string;
	displayName: string | null;
	memoryInGb: number | null;
	secure: { uninterruptablePrice: number | null; stockStatus: string | null } | null;
	community: { uninterruptablePrice: number | null; stockStatus: string | null } | null;
}

/** Every GPU type that is in stock somewhere for `gpuCount` GPUs, with its live on-demand price per cloud. */
export async function listInStockOffers(ctx: RequestContext, gpuCount: number, options: RequestOptions = {}): Promise<GpuOffer[]> {
	const data = await graphqlRequest<{ gpuTypes: OfferRow[] | null }>(
		ctx,
		LIST_OFFERS,
		{ secure: { gpuCount, secureCloud: true }, community: { gpuCount, secureCloud: false } },
		{ ...options, idempotent: true },
	);
	const result: GpuOffer[] = [];
	for (const row of (data.gpuTypes ?? []).filter(isRealGpuType)) {
		const offers: CloudOffer[] = [];
		for (const [cloud, quote] of [
			['SECURE', row.secure],
			['COMMUNITY', row.community],
		] as const) {
			if (quote && typeof quote.uninterruptablePrice === 'number' && quote.stockStatus) {
				offers.push({ cloud, pricePerHour: quote.uninterruptablePrice, stockStatus: quote.stockStatus });
			}
		}
		if (offers.length) result.push({ gpuTypeId: row.id, displayName: row.displayName, memoryInGb: row.memoryInGb ?? 0, offers });
	}
	return result;
}
