import type { IDataObject } from 'n8n-workflow';

import { graphqlRequest } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/graphql';
import { isRealGpuType } from '../domain';
import type { CloudQuote, GpuTypePrices, GpuTypeSummary, MachineRequirements } from '../types';
import type { GpuTypesApi } from '../contract';
import { retirementGuard } from './failures';

export type { GpuTypeSummary } from '../types';

export interface LowestPriceQuote {
	/**
	 * On-demand USD per hour, read as for the whole GPU count; public clients disagree whether it is
	 * per GPU, so cost guards use the larger reading (docs/cost-guard.md).
	 */
	uninterruptablePrice: number | null;
	/** Spot floor for the whole GPU count. */
	minimumBidPrice: number | null;
	stockStatus: string | null;
	availableGpuCounts: number[] | null;
}

export const LIST_GPU_TYPES = `query ListGpuTypeSummaries {
	gpuTypes { id displayName memoryInGb secureCloud communityCloud securePrice communityPrice secureSpotPrice communitySpotPrice }
}`;

// List prices plus a live quote per cloud: lowestPrice is aliased so both clouds come in one request (docs/runpod-graphql-notes.md §4).
export const PRICES = `query GpuTypePrices($filter: GpuTypeFilter, $secure: GpuLowestPriceInput, $community: GpuLowestPriceInput) {
	gpuTypes(input: $filter) {
		id displayName memoryInGb secureCloud communityCloud securePrice communityPrice secureSpotPrice communitySpotPrice
		secure: lowestPrice(input: $secure) { uninterruptablePrice minimumBidPrice stockStatus availableGpuCounts }
		community: lowestPrice(input: $community) { uninterruptablePrice minimumBidPrice stockStatus availableGpuCounts }
	}
}`;

export const documents = { LIST_GPU_TYPES, PRICES };

export async function listGpuTypeSummaries(
	ctx: RequestContext,
	options: RequestOptions = {},
): Promise<GpuTypeSummary[]> {
	const data = await graphqlRequest<{ gpuTypes: GpuTypeSummary[] | null }>(
		ctx,
		LIST_GPU_TYPES,
		{},
		{ ...options, idempotent: true },
	);
	return (data.gpuTypes ?? []).filter(isRealGpuType);
}

interface PricesRow extends GpuTypeSummary {
	secure: LowestPriceQuote | null;
	community: LowestPriceQuote | null;
}

/**
 * The larger of the two readings of uninterruptablePrice: the whole pod's price, or one GPU's
 * (then the pod costs it × gpuCount). Until a live answer settles the unit, a guard that uses this
 * refuses rather than overspends when the guess is wrong (docs/cost-guard.md).
 */
export function largerReading(price: number | null, gpuCount: number): number | null {
	if (price === null) return null;
	return Math.max(price, Math.round(price * gpuCount * 1e6) / 1e6);
}

function toCloudQuote(quote: LowestPriceQuote | null, gpuCount: number): CloudQuote {
	const onDemandPrice =
		typeof quote?.uninterruptablePrice === 'number' ? quote.uninterruptablePrice : null;
	return {
		onDemandPrice,
		onDemandPriceAtMost: largerReading(onDemandPrice, gpuCount),
		minimumBid: typeof quote?.minimumBidPrice === 'number' ? quote.minimumBidPrice : null,
		stockStatus: quote?.stockStatus ?? null,
		availableGpuCounts: (quote?.availableGpuCounts ?? []).filter(
			(n): n is number => typeof n === 'number',
		),
	};
}

export type { MachineRequirements } from '../types';

function requirementsInput(machine: MachineRequirements): IDataObject {
	const input: IDataObject = {};
	if (machine.dataCenterId) input.dataCenterId = machine.dataCenterId;
	if (machine.minVcpuCount) input.minVcpuCount = machine.minVcpuCount;
	if (machine.minMemoryInGb) input.minMemoryInGb = machine.minMemoryInGb;
	if (machine.allowedCudaVersions?.length) input.allowedCudaVersions = machine.allowedCudaVersions;
	if (machine.supportPublicIp !== undefined) input.supportPublicIp = machine.supportPublicIp;
	return input;
}

async function prices(
	ctx: RequestContext,
	filter: { id: string } | undefined,
	gpuCount: number,
	options: RequestOptions,
	machine: MachineRequirements = {},
): Promise<GpuTypePrices[]> {
	const data = await graphqlRequest<{ gpuTypes: PricesRow[] | null }>(
		ctx,
		PRICES,
		{
			...(filter ? { filter } : {}),
			secure: { gpuCount, secureCloud: true, ...requirementsInput(machine) },
			community: { gpuCount, secureCloud: false, ...requirementsInput(machine) },
		},
		{ ...options, idempotent: true },
	);
	return (data.gpuTypes ?? [])
		.filter((row) => row && isRealGpuType(row))
		.map((row) => ({
			id: row.id,
			displayName: row.displayName ?? null,
			memoryInGb: row.memoryInGb ?? null,
			secureCloud: row.secureCloud ?? null,
			communityCloud: row.communityCloud ?? null,
			securePrice: row.securePrice ?? null,
			communityPrice: row.communityPrice ?? null,
			secureSpotPrice: row.secureSpotPrice ?? null,
			communitySpotPrice: row.communitySpotPrice ?? null,
			gpuCount,
			secure: toCloudQuote(row.secure, gpuCount),
			community: toCloudQuote(row.community, gpuCount),
		}));
}

/** Every real GPU type with list prices and live quotes for `gpuCount` GPUs in each cloud, in one request. */
export async function listPrices(
	ctx: RequestContext,
	gpuCount: number,
	options: RequestOptions = {},
	machine: MachineRequirements = {},
): Promise<GpuTypePrices[]> {
	return await prices(ctx, undefined, gpuCount, options, machine);
}

/** One GPU type's prices and live quotes, or null when RunPod does not know it. */
export async function getPrices(
	ctx: RequestContext,
	gpuTypeId: string,
	gpuCount: number,
	options: RequestOptions = {},
	machine: MachineRequirements = {},
): Promise<GpuTypePrices | null> {
	const rows = await prices(ctx, { id: gpuTypeId }, gpuCount, options, machine);
	return rows.find((row) => row.id === gpuTypeId) ?? null;
}

/** GPU types on GraphQL. */
export function graphqlGpuTypesApi(ctx: RequestContext): GpuTypesApi {
	const guard = retirementGuard(ctx.getNode());
	return {
		// GraphQL takes an unknown GPU type to its "no capacity" answer; create then tells them apart.
		unknownAmong: async () => [],
		listSummaries: async (options = {}) =>
			await guard(options, async () => await listGpuTypeSummaries(ctx, options)),
		listPrices: async (gpuCount, options = {}, machine = {}) =>
			await guard(options, async () => await listPrices(ctx, gpuCount, options, machine)),
		getPrices: async (gpuTypeId, gpuCount, options = {}, machine = {}) =>
			await guard(options, async () => await getPrices(ctx, gpuTypeId, gpuCount, options, machine)),
	};
}
