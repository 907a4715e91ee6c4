/** /v2/catalog: GPU types with list prices and (on request) pod stock, and data centers. */
import {
	CLOUDS,
	DATA_CENTERS,
	MAX_GPUS_PER_POD,
	findDataCenter,
	gpuCatalog,
	listPrice,
} from '../catalog';
import type { Cloud, DataCenterInfo, GpuCatalogEntry } from '../catalog';
import type { SandboxContext } from '../context';
import { stockStatus } from '../market';
import { freeGpus } from '../state';
import { RestProblem, ok } from './route';
import type { RestRoute } from './route';

type Availability = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
const RANK: Record<Availability, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

/** GraphQL's stockStatus thresholds (High ≥ 8 free, Medium ≥ 3, Low ≥ count), in REST's words. */
function level(free: number, count: number): Availability {
	const status = stockStatus(free, count);
	return status === null ? 'NONE' : (status.toUpperCase() as Availability);
}

const best = (levels: Availability[]): Availability =>
	levels.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'NONE');

interface AvailabilityQuery {
	products: string[];
	count: number;
	cloud: Cloud;
	countryCodes?: string[];
}

const AVAILABILITY_ONLY = [
	'product',
	'count',
	'cloud',
	'countryCodes',
	'cudaVersions',
	'minCudaVersion',
];

/** include/product rules of the GPU endpoints (400 either way, per the parameter descriptions). */
function availabilityQuery(params: Record<string, unknown>): AvailabilityQuery | undefined {
	const include = (params.include as string[] | undefined) ?? [];
	if (!include.includes('AVAILABILITY')) {
		const misplaced = AVAILABILITY_ONLY.filter((name) => params[name] !== undefined);
		if (misplaced.length > 0)
			throw new RestProblem(
				400,
				`${misplaced.join(', ')} ${misplaced.length > 1 ? 'are' : 'is'} valid only with include=AVAILABILITY.`,
			);
		return undefined;
	}
	const products = (params.product as string[] | undefined) ?? [];
	if (products.length === 0)
		throw new RestProblem(400, 'product is required with include=AVAILABILITY.');
	if (params.cudaVersions !== undefined && params.minCudaVersion !== undefined)
		throw new RestProblem(400, 'cudaVersions and minCudaVersion cannot be combined.');
	return {
		products,
		count: (params.count as number | undefined) ?? 1,
		cloud: (params.cloud as Cloud | undefined) ?? 'SECURE',
		countryCodes: params.countryCodes as string[] | undefined,
	};
}

function inCountries(dc: DataCenterInfo, countryCodes: string[] | undefined): boolean {
	return !countryCodes || countryCodes.includes(dc.countryCode);
}

/** Pod stock of one GPU type in one data center; the sandbox keeps no serverless or cluster stock (NONE). */
function dataCenterLevel(
	ctx: SandboxContext,
	gpu: GpuCatalogEntry,
	dcId: string,
	query: AvailabilityQuery,
): Availability {
	if (!query.products.includes('POD')) return 'NONE';
	if (listPrice(ctx.state.prices[gpu.id], query.cloud) === null) return 'NONE';
	return level(freeGpus(ctx.state, dcId, gpu.id, query.cloud), query.count);
}

function gpuView(ctx: SandboxContext, gpu: GpuCatalogEntry, query: AvailabilityQuery | undefined) {
	const prices = ctx.state.prices[gpu.id];
	const secure = prices.securePrice !== null;
	const community = prices.communityPrice !== null;
	const view: Record<string, unknown> = {
		id: gpu.id,
		name: gpu.displayName,
		pool: null,
		manufacturer: gpu.manufacturer,
		memory: gpu.memoryInGb,
		secure,
		community,
		// Required numbers even where the GPU is not offered (docs/runpod-rest-v2-notes.md §6): 0 there, meaningless.
		price: { secure: prices.securePrice ?? 0, community: prices.communityPrice ?? 0 },
		maxCount: {
			secure: secure ? MAX_GPUS_PER_POD : 0,
			community: community ? MAX_GPUS_PER_POD : 0,
		},
	};
	if (!query) return view;
	const hosts = DATA_CENTERS.filter(
		(dc) => ctx.state.stock[dc.id]?.[gpu.id] !== undefined && inCountries(dc, query.countryCodes),
	);
	const perDc = hosts.map((dc) => ({
		id: dc.id,
		name: dc.id,
		availability: dataCenterLevel(ctx, gpu, dc.id, query),
	}));
	// Overall: the whole cloud's free GPUs, but only if one data center fits the pod.
	const fits = perDc.some((dc) => dc.availability !== 'NONE');
	const totalFree = query.products.includes('POD')
		? hosts.reduce((sum, dc) => sum + freeGpus(ctx.state, dc.id, gpu.id, query.cloud), 0)
		: 0;
	view.availability = fits
		? best([level(totalFree, query.count), ...perDc.map((dc) => dc.availability)])
		: 'NONE';
	const listed = perDc.filter((dc) => dc.availability !== 'NONE');
	if (listed.length > 0) view.dataCenters = listed;
	return view;
}

function requireGpu(id: unknown): GpuCatalogEntry {
	const gpu = gpuCatalog().find((g) => g.id === id);
	if (!gpu) throw new RestProblem(404, `GPU type ${String(id)} not found`);
	return gpu;
}

function dataCenterView(ctx: SandboxContext, dc: DataCenterInfo, include: string[]) {
	const view: Record<string, unknown> = {
		id: dc.id,
		name: dc.id,
		region: dc.region,
		globalNetwork: false,
		networkVolumeTypes: [...dc.volumeTypes],
		// The sandbox claims no certifications it cannot show.
		compliance: [],
	};
	if (include.includes('GPU_AVAILABILITY')) {
		const offered = gpuCatalog().filter((gpu) => ctx.state.stock[dc.id]?.[gpu.id] !== undefined);
		// Omitted entirely when the data center offers no GPUs (spec); CPU flavors are not modelled, so cpuAvailability never appears.
		if (offered.length > 0) {
			view.gpuAvailability = offered.map((gpu) => ({
				id: gpu.id,
				name: gpu.displayName,
				availability: level(
					CLOUDS.reduce((sum, cloud) => sum + freeGpus(ctx.state, dc.id, gpu.id, cloud), 0),
					1,
				),
			}));
		}
	}
	return view;
}

export const catalogRoutes: RestRoute[] = [
	{
		operationId: 'listGpuTypes',
		handle: ({ ctx, params }) => {
			const query = availabilityQuery(params);
			let gpus = gpuCatalog();
			// With countryCodes, a GPU type with no data center in those countries drops out (spec).
			if (query?.countryCodes) {
				gpus = gpus.filter((gpu) =>
					DATA_CENTERS.some(
						(dc) =>
							ctx.state.stock[dc.id]?.[gpu.id] !== undefined && inCountries(dc, query.countryCodes),
					),
				);
			}
			return ok({ gpus: gpus.map((gpu) => gpuView(ctx, gpu, query)) });
		},
	},
	{
		operationId: 'getGpuType',
		handle: ({ ctx, params }) => ok(gpuView(ctx, requireGpu(params.id), availabilityQuery(params))),
	},
	{
		operationId: 'listDataCenters',
		handle: ({ ctx, params }) => {
			const regions = params.regions as string[] | undefined;
			const volumeTypes = (params.networkVolumeTypes as string[] | undefined) ?? [];
			const compliance = (params.compliance as string[] | undefined) ?? [];
			const globalNetwork = params.globalNetwork as boolean | undefined;
			const include = (params.include as string[] | undefined) ?? [];
			const dataCenters = DATA_CENTERS.filter(
				(dc) =>
					(!regions || regions.includes(dc.region)) &&
					volumeTypes.every((type) => (dc.volumeTypes as string[]).includes(type)) &&
					// No sandbox data center holds a certification, so any compliance filter matches none.
					compliance.length === 0 &&
					(globalNetwork === undefined || globalNetwork === false),
			);
			return ok({ dataCenters: dataCenters.map((dc) => dataCenterView(ctx, dc, include)) });
		},
	},
	{
		operationId: 'getDataCenter',
		handle: ({ ctx, params }) => {
			const dc = findDataCenter(String(params.id));
			if (!dc) throw new RestProblem(404, `Data center ${String(params.id)} not found`);
			return ok(dataCenterView(ctx, dc, (params.include as string[] | undefined) ?? []));
		},
	},
];
