/**
 * /v2/serverless/{id}/workers, …/workers/{workerId}/logs and …/releases: an endpoint's workers
 * as the job engine runs them (warm ones from workersMin, cold starts for queued jobs), the log
 * lines of what each worker did, and the endpoint's releases.
 */
import type { SandboxContext } from '../context';
import { findEndpoint } from '../serverless/endpoints';
import type { EndpointRecord } from '../serverless/endpoints';
import { engineOf } from '../serverless/graphql';
import type { WorkerView } from '../serverless/jobs';
import { releasesOf } from '../serverless/releases';
import { RestProblem, eventStream, ok } from './route';
import type { RestRoute } from './route';

const STATUS: Record<WorkerView['status'], string> = {
	initializing: 'INITIALIZING',
	idle: 'IDLE',
	running: 'RUNNING',
	unhealthy: 'UNHEALTHY',
};

function requireEndpoint(ctx: SandboxContext, id: unknown): EndpointRecord {
	const endpoint = findEndpoint(ctx.state, String(id));
	if (!endpoint) throw new RestProblem(404, `Endpoint ${String(id)} not found.`);
	return endpoint;
}

const workersOf = (ctx: SandboxContext, endpoint: EndpointRecord): WorkerView[] =>
	engineOf(ctx.state)?.workersOf(endpoint) ?? [];

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function currentVersion(ctx: SandboxContext, endpoint: EndpointRecord): number {
	const releases = releasesOf(ctx.state, endpoint, ctx.nowMs);
	return releases[releases.length - 1].version;
}

function workerView(
	ctx: SandboxContext,
	endpoint: EndpointRecord,
	worker: WorkerView,
	version: number,
) {
	const template = ctx.state.templates.find((t) => t.id === endpoint.templateId);
	const placed = worker.status !== 'initializing' || worker.readyAtMs !== undefined;
	return {
		id: worker.id,
		status: STATUS[worker.status],
		// The sandbox rolls every worker to a new release at once: none runs a stale one.
		isStale: false,
		version,
		gpuCount: endpoint.gpuCount,
		image: template?.imageName ?? null,
		uptimeSeconds:
			worker.readyAtMs !== undefined
				? Math.max(0, Math.floor((ctx.nowMs - worker.readyAtMs) / 1000))
				: null,
		gpuTypeId: null,
		dataCenterId: placed ? (endpoint.locations?.split(',')[0]?.trim() ?? null) || null : null,
		startedAt: worker.readyAtMs !== undefined ? iso(worker.readyAtMs) : null,
	};
}

interface LogLine {
	ms: number;
	source: 'container' | 'system';
	line: string;
}

/** What a worker did, as its host and its container would have logged it. */
function logLines(worker: WorkerView): LogLine[] {
	const lines: LogLine[] = [
		{ ms: worker.placedAtMs, source: 'system', line: `Worker ${worker.id} placed, pulling image` },
	];
	if (worker.readyAtMs !== undefined)
		lines.push({ ms: worker.readyAtMs, source: 'system', line: 'Worker ready.' });
	for (const job of worker.jobs) {
		if (job.startedAtMs !== undefined)
			lines.push({ ms: job.startedAtMs, source: 'container', line: `Started job ${job.id}` });
		if (job.finishedAtMs !== undefined) {
			const end =
				job.status === 'COMPLETED'
					? `Finished job ${job.id}`
					: `Job ${job.id} ${job.status}${job.error ? `: ${job.error}` : ''}`;
			lines.push({ ms: job.finishedAtMs, source: 'container', line: end });
		}
	}
	return lines.sort((a, b) => a.ms - b.ms);
}

export const endpointWorkerRoutes: RestRoute[] = [
	{
		operationId: 'listEndpointWorkers',
		handle: ({ ctx, params }) => {
			const endpoint = requireEndpoint(ctx, params.id);
			const version = currentVersion(ctx, endpoint);
			const workers = workersOf(ctx, endpoint).map((w) => workerView(ctx, endpoint, w, version));
			const count = (status: string) => workers.filter((w) => w.status === status).length;
			return ok({
				endpointVersion: version,
				summary: {
					running: count('RUNNING'),
					idle: count('IDLE'),
					initializing: count('INITIALIZING'),
					throttled: count('THROTTLED'),
					unhealthy: count('UNHEALTHY'),
					total: workers.length,
				},
				workers,
			});
		},
	},
	{
		operationId: 'getWorkerLogs',
		handle: ({ ctx, params }) => {
			const endpoint = requireEndpoint(ctx, params.id);
			const worker = workersOf(ctx, endpoint).find((w) => w.id === params.workerId);
			if (!worker)
				throw new RestProblem(
					404,
					`Worker ${String(params.workerId)} not found on endpoint ${endpoint.id}.`,
				);
			let lines = logLines(worker);
			if (params.source) lines = lines.filter((l) => l.source === params.source);
			if (typeof params.since === 'string') {
				const since = Date.parse(params.since);
				lines = lines.filter((l) => l.ms >= since);
			} else {
				const tail = (params.tail as number | undefined) ?? 100;
				lines = tail === 0 ? [] : lines.slice(-tail);
			}
			// Like RunPod's: the backfill, then the stream stays open (nothing live in the sandbox).
			return eventStream(
				lines.map((l, index) => {
					const ts = iso(l.ms);
					return {
						id: `${ts}/${String(index + 1).padStart(12, '0')}`,
						data: { ts, source: l.source, line: l.line },
					};
				}),
				true,
			);
		},
	},
	{
		operationId: 'listEndpointReleases',
		handle: ({ ctx, params }) => {
			const endpoint = requireEndpoint(ctx, params.id);
			const releases = releasesOf(ctx.state, endpoint, ctx.nowMs);
			const latest = releases[releases.length - 1].version;
			const workers = workersOf(ctx, endpoint).length;
			return ok({
				endpointVersion: latest,
				rollout: {
					inProgress: false,
					workersOnLatest: workers,
					workersTotal: workers,
					percentOnLatest: workers > 0 ? 100 : 0,
				},
				releases: [...releases].reverse().map((release) => ({
					id: release.id,
					version: release.version,
					source: 'MANUAL',
					buildId: null,
					createdByUserId: ctx.state.account.id,
					workerCount: release.version === latest ? workers : 0,
					createdAt: iso(release.createdAtMs),
					diff: release.diff,
				})),
			});
		},
	},
];
