/**
 * /v2/billing: spend history in time buckets, derived from the sandbox's usage ledger (every
 * stretch a pod was billed). The sandbox charges only running pods' GPUs, the same money the
 * GraphQL balance runs down by; disk, CPU, storage, serverless and clusters are always 0.
 */
import type { SandboxContext } from '../context';
import { podSpendBetween } from '../pods';
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

const ZERO_ACCOUNT_AMOUNTS = {
	serverlessGpuAmount: 0,
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

function accountAmounts(podGpu: number) {
	return {
		totalAmount: amount(podGpu),
		podGpuAmount: amount(podGpu),
		podCpuAmount: 0,
		podDiskAmount: 0,
		...ZERO_ACCOUNT_AMOUNTS,
	};
}

function podAmounts(gpu: number) {
	return { totalAmount: amount(gpu), gpuAmount: amount(gpu), cpuAmount: 0, diskAmount: 0 };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export const billingRoutes: RestRoute[] = [
	{
		operationId: 'listBilling',
		handle: ({ ctx, params }) => {
			const window = resolveWindow(params, ctx.nowMs);
			const buckets = podSpendPerBucket(ctx, window).map((b) => ({
				...b,
				total: sum([...b.perPod.values()]),
			}));
			return ok({
				records: buckets.map((b) => ({
					startTime: iso(b.start),
					endTime: iso(b.end),
					...accountAmounts(b.total),
				})),
				metadata: {
					query: {
						startTime: iso(window.startMs),
						endTime: iso(window.endMs),
						bucketSize: window.size,
					},
					recordCount: buckets.length,
					totals: accountAmounts(sum(buckets.map((b) => b.total))),
				},
			});
		},
	},
	{
		operationId: 'listPodBilling',
		handle: ({ ctx, params }) => {
			const window = resolveWindow(params, ctx.nowMs);
			const podId = params.podId as string | undefined;
			// One record per pod per bucket it was billed in.
			const records = podSpendPerBucket(ctx, window).flatMap((b) =>
				[...b.perPod.entries()]
					.filter(([id, spent]) => spent > 0 && (podId === undefined || id === podId))
					.map(([id, spent]) => ({
						startTime: iso(b.start),
						endTime: iso(b.end),
						podId: id,
						spent,
					})),
			);
			return ok({
				records: records.map(({ spent, ...record }) => ({ ...record, ...podAmounts(spent) })),
				metadata: {
					query: {
						startTime: iso(window.startMs),
						endTime: iso(window.endMs),
						bucketSize: window.size,
						podId: podId ?? null,
					},
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
						startTime: iso(window.startMs),
						endTime: iso(window.endMs),
						bucketSize: window.size,
						networkVolumeId: (params.networkVolumeId as string | undefined) ?? null,
					},
					recordCount: 0,
					uniqueNetworkVolumeCount: 0,
					totals: { totalAmount: 0, standardAmount: 0, highPerformanceAmount: 0 },
				},
			});
		},
	},
];
