import { graphqlRequest } from '../transport/graphql';
import type { RequestContext, RequestOptions } from '../transport/graphql';

export interface GpuTypeSummary {
	id: string;
	displayName: string | null;
	memoryInGb: number | null;
	secureCloud: boolean | null;
	communityCloud: boolean | null;
	securePrice: number | null;
	communityPrice: number | null;
	secureSpotPrice: number | null;
	communitySpotPrice: number | null;
}

export interface LowestPriceQuote {
	/** On-demand USD per hour for the whole GPU count. */
	uninterruptablePrice: number | null;
	/** Spot floor for the whole GPU count. */
	minimumBidPrice: number | null;
	stockStatus: string | null;
	availableGpuCounts: number[] | null;
}

export const LIST_GPU_TYPES = `query ListGpuTypeSummaries {
	gpuTypes { id displayName memoryInGb secureCloud communityCloud securePrice communityPrice secureSpotPrice communitySpotPrice }
}`;

export const LOWEST_PRICE = `query GpuTypeQuote($filter: GpuTypeFilter, $price: GpuLowestPriceInput) {
	gpuTypes(input: $filter) {
		id
		lowestPrice(input: $price) { uninterruptablePrice minimumBidPrice stockStatus availableGpuCounts }
	}
}`;

export const documents = { LIST_GPU_TYPES, LOWEST_PRICE };

/** RunPod's catalog contains an "unknown" placeholder entry that is not a real GPU. */
export function isRealGpuType(gpu: { id?: string | null }): boolean {
	return !!gpu.id && gpu.id.toLowerCase() !== 'unknown';
}

export async function listGpuTypeSummaries(ctx: RequestContext, options: RequestOptions = {}): Promise<GpuTypeSummary[]> {
	const data = await graphqlRequest<{ gpuTypes: GpuTypeSummary[] | null }>(ctx, LIST_GPU_TYPES, {}, { ...options, idempotent: true });
	return (data.gpuTypes ?? []).filter(isRealGpuType);
}

/**
 * Live price and stock of one GPU type for a GPU count, in one cloud (secureCloud true/false)
 * or in either (undefined). Null when RunPod does not know the GPU type.
 */
export async function quote(
	ctx: RequestContext,
	gpuTypeId: string,
	gpuCount: number,
	secureCloud: boolean | undefined,
	options: RequestOptions = {},
): Promise<LowestPriceQuote | null> {
	const price: Record<string, unknown> = { gpuCount };
	if (secureCloud !== undefined) price.secureCloud = secureCloud;
	const data = await graphqlRequest<{ gpuTypes: Array<{ id: string; lowestPrice: LowestPriceQuote | null }> | null }>(
		ctx,
		LOWEST_PRICE,
		{ filter: { id: gpuTypeId }, price },
		{ ...options, idempotent: true },
	);
	const match = (data.gpuTypes ?? []).find((gpu) => gpu?.id === gpuTypeId);
	if (!match) return null;
	return match.lowestPrice ?? { uninterruptablePrice: null, minimumBidPrice: null, stockStatus: null, availableGpuCounts: [] };
}
