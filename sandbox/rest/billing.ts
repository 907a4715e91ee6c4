/**
 * /v2/billing: spend history in time buckets, derived from the sandbox's usage ledgers: every
 * stretch a pod was billed (its GPUs, the same money the GraphQL balance runs down by) and every
 * job a serverless worker ran (GPU-seconds at the endpoint's pool price, also taken off the
 * balance). Disk, CPU, storage, public endpoints and clusters are always 0: the sandbox has no
 * public endpoints, and bills a cluster's pods as pods (how RunPod splits them is not documented).
 */
import type { SandboxContext } from '../context';
import type { SandboxState } from '../state';
import { podSpendBetween } from '../pods';
import { serverlessRunCost } from '../serverless/prices';
import { RestProblem, ok } from './route';
import type { RestRoute } from './route';

type BucketSize = 'hour' | 'day' | 'week' | 'month' | 'year';

const DAY_MS = 86_400_000;
const DEFAULT_LOOKBACK_MS = 30 * DAY_MS;
/** More buckets than this in one answer is refused (the sandbox's own limit; RunPod's is not documented). */
const MAX_BUCKETS = 10_000;

/** Start of the UTC bucket holding `ms` (weeks start on Monday). */
function bucketStart(ms: number, size: BucketSize): number {
	const d = new Date(ms);
	switch (size) {
		case 'hour':
			return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
		case 'day':
			return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
		case 'week':
			return Date.UTC(
				d.getUTCFullYear(),
				d.getUTCMonth(),
				d.getUTCDate() - ((d.getUTCDay() + 6) % 7),
			);
		case 'month':
			return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
		default:
			return Date.UTC(d.getUTCFullYear(), 0, 1);
	}
}

function nextBucket(start: number, size: BucketSize, steps = 1): number {
	const d = new Date(start);
	switch (size) {
		case 'hour':
			return start + steps * 3_600_000;
		case 'day':
			return start + steps * DAY_MS;
		case 'week':
			return start + steps * 7 * DAY_MS;
		case 'month':
			return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + steps, 1);
		default:
			return Date.UTC(d.getUTCFullYear() + steps, 0, 1);
	}
}

function snapUp(ms: number, size: BucketSize): number {
	const start = bucketStart(ms, size);
	return start === ms ? ms : nextBucket(start, size);
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const amount = (value: number) => Math.round(value * 1e6) / 1e6;

interface Window {
	size: BucketSize;
	starts: number[];
	startMs: number;
	endMs: number;
}

/** startTime/endTime or lastN, snapped to bucket boundaries as the parameter descriptions say. */
function resolveWindow(params: Record<string, unknown>, nowMs: number): Window {
	const size = (params.bucketSize as BucketSize | undefined) ?? 'day';
	let startMs: number;
	let endMs: number;
	if (params.lastN !== undefined) {
		if (params.startTime !== undefined || params.endTime !== undefined)
			throw new RestProblem(400, 'lastN cannot be combined with startTime or endTime.');
		const current = bucketStart(nowMs, size);
		endMs = nextBucket(current, size);
		startMs = nextBucket(current, size, -((params.lastN as number) - 1));
	} else {
		startMs = bucketStart(
			params.startTime !== undefined
				? Date.parse(String(params.startTime))
				: nowMs - DEFAULT_LOOKBACK_MS,
			size,
		);
		endMs = snapUp(params.endTime !== undefined ? Date.parse(String(params.endTime)) : nowMs, size);
	}
	if (!(endMs > startMs)) throw new RestProblem(400, 'startTime must be before endTime.');
	const starts: number[] = [];
	for (let at = startMs; at < endMs; at = nextBucket(at, size)) {
		starts.push(at);
		if (starts.length > MAX_BUCKETS)
			throw new RestProblem(
				400,
				`The period holds more than ${MAX_BUCKETS} ${size} buckets; use a larger bucketSize.`,
			);
	}
	return { size, starts, startMs, endMs };
}

function podSpendPerBucket(ctx: SandboxContext, window: Window) {
	return window.starts.map((start) => {
		const end = nextBucket(start, window.size);
		return { start, end, perPod: podSpendBetween(ctx.state, start, end, ctx.nowMs) };
	});
}

/** What each endpoint's jobs cost between two instants (the part of each run inside them). */
function serverlessSpendBetween(
	state: SandboxState,
	fromMs: number,
	toMs: number,
): Map<string, number> {
	const spend = new Map<string, number>();
	for (const run of state.serverlessUsage ?? []) {
		const start = Math.max(run.startMs, fromMs);
		const end = Math.min(run.endMs, toMs);
		if (end <= start) continue;
		const cost = serverlessRunCost({ ...run, startMs: start, endMs: end });
		spend.set(run.endpointId, (spend.get(run.endpointId) ?? 0) + cost);
	}
	return spend;
}

function serverlessSpendPerBucket(ctx: SandboxContext, window: Window) {
	return window.starts.map((start) => {
		const end = nextBucket(start, window.size);
		return { start, end, perEndpoint: serverlessSpendBetween(ctx.state, start, end) };
	});
}

const ZERO_ACCOUNT_AMOUNTS = {
	serverlessCpuAmount: 0,
	serverlessDiskAmount: 0,
	serverlessFeeAmount: 0,
	storageStandardAmount: 0,
	storageHighPerformanceAmount: 0,
	endpointAmount: 0,
	clusterGpuAmount: 0,
	clusterDiskAmount: 0,
	clusterNetworkingAmount: 0,
};

function accountAmounts(podGpu: number, serverlessGpu = 0) {
	return {
		totalAmount: amount(podGpu + serverlessGpu),
		podGpuAmount: amount(podGpu),
		podCpuAmount: 0,
		podDiskAmount: 0,
		serverlessGpuAmount: amount(serverlessGpu),
		...ZERO_ACCOUNT_AMOUNTS,
	};
}

function serverlessAmounts(gpu: number) {
	return {
		totalAmount: amount(gpu),
		gpuAmount: amount(gpu),
		cpuAmount: 0,
		diskAmount: 0,
		feeAmount: 0,
	};
}

const queryOf = (window: Window) => ({
	startTime: iso(window.startMs),
	endTime: iso(window.endMs),
	bucketSize: window.size,
});

function podAmounts(gpu: number) {
	return { totalAmount: amount(gpu), gpuAmount: amount(gpu), cpuAmount: 0, diskAmount: 0 };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** One record per resource per bucket it spent in (only `onlyId`'s when given), as RunPod lists them. */
function recordsPerResource<K extends string>(
	buckets: Array<{ start: number; end: number; spend: Map<string, number> }>,
	idKey: K,
	onlyId: string | undefined,
): Array<{ startTime: string; endTime: string; spent: number } & Record<K, string>> {
	return buckets.flatMap((b) =>
		[...b.spend.entries()]
			.filter(([id, spent]) => spent > 0 && (onlyId === undefined || id === onlyId))
			.map(
				([id, spent]) =>
					({ startTime: iso(b.start), endTime: iso(b.end), [idKey]: id, spent }) as {
						startTime: string;
						endTime: string;
						spent: number;
					} & Record<K, string>,
			),
	);
}

export const billingRoutes: RestRoute[] = [
	{
		operationId: 'listBilling',
		handle: ({ ctx, params }) => {
			const window = resolveWindow(params, ctx.nowMs);
			const serverless = serverlessSpendPerBucket(ctx, window);
			const buckets = podSpendPerBucket(ctx, window).map((b, i) => ({
				...b,
				total: sum([...b.perPod.values()]),
				serverless: sum([...serverless[i].perEndpoint.values()]),
			}));
			return ok({
				records: buckets.map((b) => ({
					startTime: iso(b.start),
					endTime: iso(b.end),
					...accountAmounts(b.total, b.serverless),
				})),
				metadata: {
					query: queryOf(window),
					recordCount: buckets.length,
					totals: accountAmounts(
						sum(buckets.map((b) => b.total)),
						sum(buckets.map((b) => b.serverless)),
					),
				},
			});
		},
	},
	{
		operationId: 'listPodBilling',
		handle: ({ ctx, params }) => {
			const window = resolveWindow(params, ctx.nowMs);
			const podId = params.podId as string | undefined;
			const records = recordsPerResource(
				podSpendPerBucket(ctx, window).map((b) => ({ ...b, spend: b.perPod })),
				'podId',
				podId,
			);
			return ok({
				records: records.map(({ spent, ...record }) => ({ ...record, ...podAmounts(spent) })),
				metadata: {
					query: { ...queryOf(window), podId: podId ?? null },
					recordCount: records.length,
					uniquePodCount: new Set(records.map((r) => r.podId)).size,
					totals: podAmounts(sum(records.map((r) => r.spent))),
				},
			});
		},
	},
	{
		operationId: 'listNetworkVolumeBilling',
		handle: ({ ctx, params }) => {
			const window = resolveWindow(params, ctx.nowMs);
			// The sandbox charges nothing for storage (as its balance), so there is nothing to list.
			return ok({
				records: [],
				metadata: {
					query: {
						...queryOf(window),
						networkVolumeId: (params.networkVolumeId as string | undefined) ?? null,
					},
					recordCount: 0,
					uniqueNetworkVolumeCount: 0,
					totals: { totalAmount: 0, standardAmount: 0, highPerformanceAmount: 0 },
				},
			});
		},
	},
	{
		operationId: 'listServerlessBilling',
		handle: ({ ctx, params }) => {
			const window = resolveWindow(params, ctx.nowMs);
			const serverlessId = params.serverlessId as string | undefined;
			const records = recordsPerResource(
				serverlessSpendPerBucket(ctx, window).map((b) => ({ ...b, spend: b.perEndpoint })),
				'serverlessId',
				serverlessId,
			);
			return ok({
				records: records.map(({ spent, ...record }) => ({
					...record,
					...serverlessAmounts(spent),
				})),
				metadata: {
					query: { ...queryOf(window), serverlessId: serverlessId ?? null },
					recordCount: records.length,
					uniqueServerlessCount: new Set(records.map((r) => r.serverlessId)).size,
					totals: serverlessAmounts(sum(records.map((r) => r.spent))),
				},
			});
		},
	},
	{
		operationId: 'listEndpointBilling',
		handle: ({ ctx, params }) => {
			const window = resolveWindow(params, ctx.nowMs);
			// RunPod's public endpoints (hosted models) do not exist in the sandbox: every bucket is 0.
			const records = window.starts.map((start) => ({
				startTime: iso(start),
				endTime: iso(nextBucket(start, window.size)),
				totalAmount: 0,
			}));
			return ok({
				records,
				metadata: {
					query: queryOf(window),
					recordCount: records.length,
					totals: { totalAmount: 0 },
				},
			});
		},
	},
	{
		operationId: 'listClusterBilling',
		handle: ({ ctx, params }) => {
			const window = resolveWindow(params, ctx.nowMs);
			// The sandbox bills no clusters yet: nothing to list.
			return ok({
				records: [],
				metadata: {
					query: {
						...queryOf(window),
						clusterId: (params.clusterId as string | undefined) ?? null,
					},
					recordCount: 0,
					uniqueClusterCount: 0,
					totals: { totalAmount: 0, gpuAmount: 0, diskAmount: 0, networkingAmount: 0 },
				},
			});
		},
	},
];
