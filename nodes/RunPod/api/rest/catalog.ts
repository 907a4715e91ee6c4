import type { IDataObject } from 'n8n-workflow';

import { restRequest, segment } from '../requests';
import { asNodeError } from '../../transport/errors';
import type { RequestContext, RequestOptions } from '../../transport/request';
import { isRealGpuType } from '../domain';
import { transportFailureOf } from '../errors';
import type {
	CloudQuote,
	DataCenter,
	DataCenterSummary,
	GpuTypePrices,
	GpuTypeSummary,
	MachineRequirements,
} from '../types';
import type { DataCentersApi, GpuTypesApi } from '../contract';
import { gpuCatalogCheck } from '../gpuTypeCheck';
import { checkMachine } from './failures';

/** A GPU type as REST v2's catalog returns it. */
export interface RestGpuType {
	id: string;
	name?: string;
	memory?: number;
	secure?: boolean;
	community?: boolean;
	price?: { secure?: number; community?: number };
	availability?: string;
	/** Stock per data center for the asked configuration; left out when it is nowhere in stock. */
	dataCenters?: Array<{ id?: string; availability?: string }>;
}

/** A data center as REST v2's catalog returns it. */
export interface RestDataCenter {
	id: string;
	name?: string;
	region?: string;
	networkVolumeTypes?: string[];
	gpuAvailability?: Array<{ id?: string; name?: string; availability?: string }>;
}

type Cloud = 'SECURE' | 'COMMUNITY';

/**
 * Stock in one vocabulary on both APIs: GraphQL's words ("High", "Medium", "Low"), and null when
 * nothing can be rented (GraphQL's null, REST's NONE).
 */
export function unifiedStock(level: string | null | undefined): string | null {
	if (!level) return null;
	const upper = level.trim().toUpperCase();
	if (upper === 'NONE' || upper === 'OUT') return null;
	return upper.charAt(0) + upper.slice(1).toLowerCase();
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

function summary(gpu: RestGpuType): GpuTypeSummary {
	// REST quotes a price even where the GPU is not offered (openapi.json quirk): only offered clouds get one.
	const price = (cloud: Cloud) => {
		const offered = cloud === 'SECURE' ? gpu.secure : gpu.community;
		const value = cloud === 'SECURE' ? gpu.price?.secure : gpu.price?.community;
		return offered && typeof value === 'number' ? value : null;
	};
	return {
		id: gpu.id,
		displayName: gpu.name ?? null,
		memoryInGb: gpu.memory ?? null,
		secureCloud: gpu.secure ?? null,
		communityCloud: gpu.community ?? null,
		securePrice: price('SECURE'),
		communityPrice: price('COMMUNITY'),
		// Spot prices exist only on GraphQL.
		secureSpotPrice: null,
		communitySpotPrice: null,
	};
}

/** Stock for the request: in the pinned data center when there is one, else anywhere. */
function stockOf(gpu: RestGpuType | undefined, dataCenterId: string | undefined): string | null {
	if (!gpu) return null;
	if (!dataCenterId) return unifiedStock(gpu.availability);
	return unifiedStock((gpu.dataCenters ?? []).find((dc) => dc?.id === dataCenterId)?.availability);
}

function quote(
	gpu: RestGpuType | undefined,
	listPrice: number | null,
	gpuCount: number,
	dataCenterId?: string,
): CloudQuote {
	const stockStatus = stockOf(gpu, dataCenterId);
	// openapi.json: `price` is for a single GPU, "the rate for a unit is the figure times gpu.count".
	const onDemandPrice = listPrice === null ? null : round(listPrice * gpuCount);
	return {
		onDemandPrice,
		onDemandPriceAtMost: onDemandPrice,
		minimumBid: null,
		stockStatus,
		availableGpuCounts: stockStatus ? [gpuCount] : [],
	};
}

/** Every GPU type's query for one cloud: price and stock for `count` GPUs on the CUDA versions allowed, pods only. */
function availabilityQuery(
	gpuCount: number,
	cloud: Cloud,
	machine: MachineRequirements,
): IDataObject {
	const query: IDataObject = { include: 'AVAILABILITY', product: 'POD', count: gpuCount, cloud };
	if (machine.allowedCudaVersions?.length)
		query.cudaVersions = machine.allowedCudaVersions.join(',');
	return query;
}

export async function listSummaries(
	ctx: RequestContext,
	options: RequestOptions,
): Promise<GpuTypeSummary[]> {
	const answer = await restRequest<{ gpus?: RestGpuType[] }>(
		ctx,
		{ method: 'GET', path: '/v2/catalog/gpus' },
		{ ...options, idempotent: true },
	);
	return (answer?.gpus ?? []).filter((gpu) => gpu && isRealGpuType(gpu)).map(summary);
}

function combine(
	secure: RestGpuType,
	community: RestGpuType | undefined,
	gpuCount: number,
	machine: MachineRequirements,
): GpuTypePrices {
	const base = summary(secure);
	return {
		...base,
		gpuCount,
		secure: quote(secure, base.securePrice, gpuCount, machine.dataCenterId),
		community: quote(community, base.communityPrice, gpuCount, machine.dataCenterId),
	};
}

/** Two requests (REST reports stock per cloud only when asked per cloud), sent together. */
export async function listPrices(
	ctx: RequestContext,
	gpuCount: number,
	options: RequestOptions,
	machine: MachineRequirements = {},
): Promise<GpuTypePrices[]> {
	const ask = async (cloud: Cloud) =>
		(
			await restRequest<{ gpus?: RestGpuType[] }>(
				ctx,
				{
					method: 'GET',
					path: '/v2/catalog/gpus',
					qs: availabilityQuery(gpuCount, cloud, machine),
				},
				{ ...options, idempotent: true },
			)
		)?.gpus ?? [];
	const [secure, community] = await Promise.all([ask('SECURE'), ask('COMMUNITY')]);
	const communityById = new Map(community.filter(Boolean).map((gpu) => [gpu.id, gpu]));
	return secure
		.filter((gpu) => gpu && isRealGpuType(gpu))
		.map((gpu) => combine(gpu, communityById.get(gpu.id), gpuCount, machine));
}

export async function getPrices(
	ctx: RequestContext,
	gpuTypeId: string,
	gpuCount: number,
	options: RequestOptions,
	machine: MachineRequirements = {},
): Promise<GpuTypePrices | null> {
	const ask = async (cloud: Cloud) =>
		await restRequest<RestGpuType>(
			ctx,
			{
				method: 'GET',
				path: `/v2/catalog/gpus/${segment(gpuTypeId)}`,
				qs: availabilityQuery(gpuCount, cloud, machine),
			},
			{ ...options, idempotent: true },
		);
	try {
		const [secure, community] = await Promise.all([ask('SECURE'), ask('COMMUNITY')]);
		return secure && isRealGpuType(secure) ? combine(secure, community, gpuCount, machine) : null;
	} catch (error) {
		if (transportFailureOf(error)?.status === 404) return null;
		throw asNodeError(ctx.getNode(), error, options.itemIndex);
	}
}

/** REST's region (`NORTH_AMERICA`) in words ("North America"); null when RunPod does not know it. */
function regionName(region: string | undefined): string | null {
	if (!region || region === 'UNKNOWN') return null;
	return region
		.toLowerCase()
		.split('_')
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

function dataCenterSummary(dc: RestDataCenter): DataCenterSummary {
	return {
		id: dc.id,
		name: dc.name ?? null,
		// REST names the continent (region), GraphQL the country: the continent, in words.
		location: regionName(dc.region),
		storageSupport: (dc.networkVolumeTypes ?? []).length > 0,
	};
}

export async function listDataCenters(
	ctx: RequestContext,
	options: RequestOptions,
): Promise<DataCenterSummary[]> {
	const answer = await restRequest<{ dataCenters?: RestDataCenter[] }>(
		ctx,
		{ method: 'GET', path: '/v2/catalog/datacenters' },
		{ ...options, idempotent: true },
	);
	return (answer?.dataCenters ?? []).filter((dc) => dc && dc.id).map(dataCenterSummary);
}

function withAvailability(dc: RestDataCenter): DataCenter {
	return {
		...dataCenterSummary(dc),
		gpuAvailability: (dc.gpuAvailability ?? [])
			.filter((gpu) => gpu && isRealGpuType({ id: gpu.id }))
			.map((gpu) => ({
				gpuTypeId: gpu.id ?? null,
				displayName: gpu.name ?? null,
				stockStatus: unifiedStock(gpu.availability),
				available: unifiedStock(gpu.availability) !== null,
			})),
	};
}

/** One data center with its GPU stock, or null when RunPod does not know it (404). */
export async function getDataCenter(
	ctx: RequestContext,
	dataCenterId: string,
	options: RequestOptions,
): Promise<DataCenter | null> {
	try {
		const dc = await restRequest<RestDataCenter>(
			ctx,
			{
				method: 'GET',
				path: `/v2/catalog/datacenters/${segment(dataCenterId)}`,
				qs: { include: 'GPU_AVAILABILITY' },
			},
			{ ...options, idempotent: true },
		);
		return dc && dc.id ? withAvailability(dc) : null;
	} catch (error) {
		if (transportFailureOf(error)?.status === 404) return null;
		throw asNodeError(ctx.getNode(), error, options.itemIndex);
	}
}

export async function listDataCentersWithAvailability(
	ctx: RequestContext,
	options: RequestOptions,
): Promise<DataCenter[]> {
	const answer = await restRequest<{ dataCenters?: RestDataCenter[] }>(
		ctx,
		{ method: 'GET', path: '/v2/catalog/datacenters', qs: { include: 'GPU_AVAILABILITY' } },
		{ ...options, idempotent: true },
	);
	return (answer?.dataCenters ?? []).filter((dc) => dc && dc.id).map(withAvailability);
}

/** GPU types on REST v2 (the catalog). */
export function restGpuTypesApi(ctx: RequestContext): GpuTypesApi {
	const node = ctx.getNode();
	// REST v2 refuses a GPU type its catalog lacks (400): lists are screened against it first.
	const isKnownGpuType = gpuCatalogCheck(async (options) => await listSummaries(ctx, options));
	return {
		unknownAmong: async (gpuTypeIds, options = {}) => {
			const unknown: string[] = [];
			for (const id of gpuTypeIds) if (!(await isKnownGpuType(id, options))) unknown.push(id);
			return unknown;
		},
		listSummaries: async (options = {}) => await listSummaries(ctx, options),
		listPrices: async (gpuCount, options = {}, machine = {}) => {
			checkMachine(node, machine, options);
			return await listPrices(ctx, gpuCount, options, machine);
		},
		getPrices: async (gpuTypeId, gpuCount, options = {}, machine = {}) => {
			checkMachine(node, machine, options);
			return await getPrices(ctx, gpuTypeId, gpuCount, options, machine);
		},
	};
}

/** Data centers on REST v2 (the catalog). */
export function restDataCentersApi(ctx: RequestContext): DataCentersApi {
	return {
		list: async (options = {}) => await listDataCenters(ctx, options),
		listWithAvailability: async (options = {}) =>
			await listDataCentersWithAvailability(ctx, options),
		get: async (dataCenterId, options = {}) => await getDataCenter(ctx, dataCenterId, options),
	};
}
