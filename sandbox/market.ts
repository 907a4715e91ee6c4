/** The catalog as RunPod shows it: GPU types with live prices and stock, data centers, CPU types. */
import {
	CLOUDS,
	CPU_TYPES,
	DATA_CENTERS,
	MAX_GPUS_PER_POD,
	findDataCenter,
	gpuCatalog,
	hostShapePerGpu,
	listPrice,
	spotPrice,
} from './catalog';
import type { Cloud, CpuTypeInfo, DataCenterInfo, GpuCatalogEntry, GpuPrices } from './catalog';
import { money } from './context';
import { freeGpus } from './state';
import type { SandboxState } from './state';

/** RunPod lists a placeholder GPU type that clients filter out. */
export const UNKNOWN_GPU_TYPE_ID = 'unknown';

export interface GpuTypeView {
	id: string;
	displayName: string;
	manufacturer: string;
	memoryInGb: number;
	cudaCores: null;
	secureCloud: boolean;
	communityCloud: boolean;
	securePrice: number | null;
	communityPrice: number | null;
	secureSpotPrice: number | null;
	communitySpotPrice: number | null;
	oneWeekPrice: number | null;
	oneMonthPrice: number | null;
	threeMonthPrice: number | null;
	sixMonthPrice: number | null;
	oneYearPrice: number | null;
	clusterPrice: null;
	throughput: null;
	nodeGroupGpuSizes: null;
	nodeGroupDatacenters: null;
	maxGpuCount: number;
	maxGpuCountSecureCloud: number;
	maxGpuCountCommunityCloud: number;
	minPodGpuCount: number;
}

export function findGpuType(gpuTypeId: string | null | undefined): GpuCatalogEntry | undefined {
	return gpuCatalog().find((gpu) => gpu.id === gpuTypeId);
}

/** Savings-plan prices follow the Secure price with the usual longer-is-cheaper discounts. */
function planPrice(securePrice: number | null, factor: number): number | null {
	return securePrice === null ? null : money(securePrice * factor);
}

/** A GPU type as gpuTypes shows it, at the given live prices. */
export function gpuTypeView(gpu: GpuCatalogEntry, prices: GpuPrices = gpu): GpuTypeView {
	const secure = prices.securePrice !== null;
	const community = prices.communityPrice !== null;
	return {
		id: gpu.id,
		displayName: gpu.displayName,
		manufacturer: gpu.manufacturer,
		memoryInGb: gpu.memoryInGb,
		cudaCores: null,
		secureCloud: secure,
		communityCloud: community,
		...prices,
		oneWeekPrice: planPrice(prices.securePrice, 0.95),
		oneMonthPrice: planPrice(prices.securePrice, 0.92),
		threeMonthPrice: planPrice(prices.securePrice, 0.87),
		sixMonthPrice: planPrice(prices.securePrice, 0.83),
		oneYearPrice: planPrice(prices.securePrice, 0.78),
		clusterPrice: null,
		throughput: null,
		nodeGroupGpuSizes: null,
		nodeGroupDatacenters: null,
		maxGpuCount: MAX_GPUS_PER_POD,
		maxGpuCountSecureCloud: secure ? MAX_GPUS_PER_POD : 0,
		maxGpuCountCommunityCloud: community ? MAX_GPUS_PER_POD : 0,
		minPodGpuCount: 1,
	};
}

function unknownGpuTypeView(): GpuTypeView {
	return {
		...gpuTypeView({
			id: UNKNOWN_GPU_TYPE_ID,
			displayName: 'unknown',
			memoryInGb: 0,
			manufacturer: 'NVIDIA',
			securePrice: null,
			communityPrice: null,
			secureSpotPrice: null,
			communitySpotPrice: null,
		}),
		manufacturer: 'unknown',
		maxGpuCount: 0,
		minPodGpuCount: 0,
	};
}

/** gpuTypes(input:{id|ids}): the catalog, RunPod's "unknown" entry included, optionally filtered. */
export function listGpuTypes(
	state: SandboxState,
	filter?: { id?: string | null; ids?: Array<string | null> | null } | null,
): GpuTypeView[] {
	const all = [
		...gpuCatalog().map((gpu) => gpuTypeView(gpu, state.prices[gpu.id])),
		unknownGpuTypeView(),
	];
	if (filter?.id) return all.filter((gpu) => gpu.id === filter.id);
	if (filter?.ids) return all.filter((gpu) => filter.ids?.includes(gpu.id));
	return all;
}

export function stockStatus(free: number, needed: number): 'High' | 'Medium' | 'Low' | null {
	if (free < needed || free <= 0) return null;
	if (free >= 8) return 'High';
	if (free >= 3) return 'Medium';
	return 'Low';
}

export interface LowestPriceInput {
	gpuCount: number;
	secureCloud?: boolean | null;
	dataCenterId?: string | null;
	countryCode?: string | null;
}

interface CloudOffer {
	cloud: Cloud;
	price: number;
	spot: number | null;
	/** Most GPUs free on one data center: the largest pod that fits. */
	largestFit: number;
	totalFree: number;
}

function matchingDataCenters(input: {
	dataCenterId?: string | null;
	countryCode?: string | null;
}): DataCenterInfo[] {
	return DATA_CENTERS.filter(
		(dc) =>
			(!input.dataCenterId || dc.id === input.dataCenterId) &&
			(!input.countryCode || dc.countryCode === input.countryCode),
	);
}

/**
 * lowestPrice: the on-demand price of gpuCount GPUs in the chosen cloud (or, with secureCloud
 * omitted, the cheapest cloud that has them free), the spot floor, and the stock.
 * null when the type is not offered in the asked cloud, or gpuCount is below 1.
 */
export function lowestPrice(state: SandboxState, gpuTypeId: string, input: LowestPriceInput) {
	const gpu = findGpuType(gpuTypeId);
	if (!gpu || !Number.isInteger(input.gpuCount) || input.gpuCount < 1) return null;
	const prices = state.prices[gpu.id] ?? gpu;
	const clouds =
		input.secureCloud === true
			? ['SECURE' as const]
			: input.secureCloud === false
				? ['COMMUNITY' as const]
				: CLOUDS;
	const dataCenters = matchingDataCenters(input);
	const offers: CloudOffer[] = [];
	for (const cloud of clouds) {
		const price = listPrice(prices, cloud);
		if (price === null) continue;
		const free = dataCenters.map((dc) => freeGpus(state, dc.id, gpu.id, cloud));
		offers.push({
			cloud,
			price,
			spot: spotPrice(prices, cloud),
			largestFit: Math.max(0, ...free),
			totalFree: free.reduce((sum, n) => sum + n, 0),
		});
	}
	if (offers.length === 0) return null;
	const byPrice = [...offers].sort((a, b) => a.price - b.price);
	const offer = byPrice.find((o) => o.largestFit >= input.gpuCount) ?? byPrice[0];
	const status =
		offer.largestFit >= input.gpuCount ? stockStatus(offer.totalFree, input.gpuCount) : null;
	const shape = hostShapePerGpu(gpu.memoryInGb);
	return {
		gpuName: gpu.displayName,
		gpuTypeId: gpu.id,
		minimumBidPrice: offer.spot === null ? null : money(offer.spot * input.gpuCount),
		uninterruptablePrice: money(offer.price * input.gpuCount),
		stockStatus: status,
		availableGpuCounts: [1, 2, 4, 8].filter((n) => n <= offer.largestFit),
		maxUnreservedGpuCount: Math.min(offer.largestFit, MAX_GPUS_PER_POD),
		minMemory: shape.memoryInGb * input.gpuCount,
		minVcpu: shape.vcpu * input.gpuCount,
		minDisk: null,
		minDownload: null,
		minUpload: null,
		rentalPercentage: null,
		rentedCount: null,
		totalCount: null,
		countryCode: input.countryCode ?? null,
		supportPublicIp: true,
		compliance: null,
	};
}

export interface DataCenterView {
	id: string;
	name: string;
	location: string;
	storageSupport: boolean;
	listed: boolean;
	globalNetwork: boolean;
	compliance: null;
}

export function dataCenterView(dc: DataCenterInfo): DataCenterView {
	return {
		id: dc.id,
		name: dc.id,
		location: dc.location,
		storageSupport: dc.storageSupport,
		listed: true,
		globalNetwork: false,
		compliance: null,
	};
}

export function listDataCenters(): DataCenterView[] {
	return DATA_CENTERS.map(dataCenterView);
}

export function dataCenterViewById(id: string): DataCenterView | null {
	const dc = findDataCenter(id);
	return dc ? dataCenterView(dc) : null;
}

/** DataCenter.gpuAvailability: GPU types with free GPUs in that data center. */
export function gpuAvailability(
	state: SandboxState,
	dataCenterId: string,
	input?: { gpuCount?: number | null; secureCloud?: boolean | null } | null,
) {
	const needed = Math.max(1, input?.gpuCount ?? 1);
	const clouds =
		input?.secureCloud === true
			? ['SECURE' as const]
			: input?.secureCloud === false
				? ['COMMUNITY' as const]
				: CLOUDS;
	return gpuCatalog()
		.map((gpu) => {
			const free = clouds.reduce(
				(sum, cloud) => sum + freeGpus(state, dataCenterId, gpu.id, cloud),
				0,
			);
			return { gpu, free, status: stockStatus(free, needed) };
		})
		.filter((entry) => entry.status !== null)
		.map(({ gpu, status }) => ({
			id: gpu.id,
			available: true,
			stockStatus: status,
			gpuTypeId: gpu.id,
			gpuTypeDisplayName: gpu.displayName,
			displayName: gpu.displayName,
		}));
}

export function listCpuTypes(): CpuTypeInfo[] {
	return CPU_TYPES.map((cpu) => ({ ...cpu }));
}
