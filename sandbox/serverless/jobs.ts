/**
 * Simulated serverless workers and jobs: a queue per endpoint, workers that cold-start up to
 * workersMax and stay warm for idleTimeout, RunPod's statuses, TTL and retention expiry, and
 * webhooks that are retried twice when the receiver does not answer 200.
 * Jobs live in memory only: like RunPod's, they are gone after their retention anyway.
 */
import { SeededRandom } from '../random';
import type { SandboxState } from '../state';
import { findEndpoint } from './endpoints';
import type { EndpointRecord } from './endpoints';
import { planWork } from './worker';
import { serverlessRunCost } from './prices';
import type { WorkPlan } from './worker';

export type JobStatus =
	'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
export const TERMINAL_STATUSES: readonly JobStatus[] = [
	'COMPLETED',
	'FAILED',
	'CANCELLED',
	'TIMED_OUT',
];

export interface JobPolicy {
	executionTimeout?: number;
	ttl?: number;
	lowPriority?: boolean;
}

export interface JobRecord {
	id: string;
	endpointId: string;
	input: unknown;
	webhook?: string;
	policy: JobPolicy;
	/** Submitted through /runsync: its result is kept 1 minute instead of 30. */
	sync: boolean;
	status: JobStatus;
	submittedAtMs: number;
	startedAtMs?: number;
	finishedAtMs?: number;
	workerId?: string;
	output?: unknown;
	error?: string;
	retries: number;
	/** Streamed chunks not yet fetched through /stream. */
	streamBuffer: unknown[];
}

interface WorkerRecord {
	id: string;
	status: 'initializing' | 'idle' | 'running' | 'unhealthy';
	jobId?: string;
	/** When the worker was placed (a warm worker: when the engine first saw the endpoint). */
	placedAtMs?: number;
	/** When it became ready to take jobs; absent while it initializes. */
	readyAtMs?: number;
}

/** A worker as the REST face lists it: its state now and the jobs it ran. */
export interface WorkerView {
	id: string;
	status: WorkerRecord['status'];
	jobId?: string;
	placedAtMs: number;
	readyAtMs?: number;
	jobs: JobRecord[];
}

export interface WebhookDelivery {
	jobId: string;
	url: string;
	attempt: number;
	/** HTTP status of the answer, or 0 when none came. */
	status: number;
	error?: string;
}

export interface ServerlessOptions {
	/** How long a new worker takes to start (default 300 ms; a tenth of it with FlashBoot). */
	coldStartMs?: number;
	/** How long /status keeps a finished job: 30 minutes after /run, 1 minute after /runsync (RunPod's). */
	retentionMs?: { run?: number; runsync?: number };
	/** Wait between webhook attempts (RunPod: 10 s). */
	webhookRetryDelayMs?: number;
	/** Override of every endpoint's idle timeout, in ms (tests). */
	idleTimeoutMs?: number;
	/** /runsync answers after at most this long whatever its `wait` (RunPod may answer early too). */
	runsyncWaitCapMs?: number;
}

const DEFAULT_TTL_MS = 24 * 3_600_000;
const WEBHOOK_ATTEMPTS = 3;
const MAX_TIMER_MS = 2_147_483_647;

export class JobEngine {
	readonly jobs = new Map<string, JobRecord>();
	readonly webhookDeliveries: WebhookDelivery[] = [];
	private readonly workers = new Map<string, WorkerRecord[]>();
	private readonly queues = new Map<string, string[]>();
	private readonly unhealthy = new Map<string, number>();
	private readonly jobTimers = new Map<string, NodeJS.Timeout[]>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly waiters = new Set<() => void>();
	private readonly pending = new Set<Promise<unknown>>();
	/** See ServerlessOptions.runsyncWaitCapMs; tests may change it, reset() restores it. */
	runsyncWaitCapMs: number | undefined;
	private random: SeededRandom;
	private closed = false;
	/** Bumped by reset(): webhook deliveries of an earlier generation stop. */
	private generation = 0;
	/** Pending webhook retry waits, ended early by reset() and close(). */
	private readonly sleepers = new Set<() => void>();

	constructor(
		private readonly state: SandboxState,
		private readonly seed: number,
		private readonly options: ServerlessOptions = {},
	) {
		this.random = SeededRandom.fromSeed(seed + 0x10b5);
		this.runsyncWaitCapMs = options.runsyncWaitCapMs;
	}

	// --- the API's verbs -----------------------------------------------------------------------

	submit(
		endpoint: EndpointRecord,
		body: { input: unknown; webhook?: string; policy?: JobPolicy },
		sync: boolean,
	): JobRecord {
		const suffix = sync ? 'u1' : 'e1';
		const job: JobRecord = {
			id: `${this.random.uuid()}-${suffix}`,
			endpointId: endpoint.id,
			input: body.input,
			...(body.webhook ? { webhook: body.webhook } : {}),
			policy: body.policy ?? {},
			sync,
			status: 'IN_QUEUE',
			submittedAtMs: Date.now(),
			retries: 0,
			streamBuffer: [],
		};
		this.jobs.set(job.id, job);
		this.enqueue(job);
		const ttl = job.policy.ttl ?? DEFAULT_TTL_MS;
		this.jobTimer(
			job.id,
			ttl,
			() => {
				if (!TERMINAL_STATUSES.includes(job.status)) this.forget(job);
			},
			'ttl',
		);
		this.pump(endpoint.id);
		return job;
	}

	find(endpointId: string, jobId: string): JobRecord | undefined {
		const job = this.jobs.get(jobId);
		return job && job.endpointId === endpointId ? job : undefined;
	}

	/** Resolves once the job is terminal or `waitMs` has passed. */
	async waitFor(job: JobRecord, waitMs: number): Promise<void> {
		const deadline = Date.now() + waitMs;
		while (!TERMINAL_STATUSES.includes(job.status) && this.jobs.has(job.id) && !this.closed) {
			const left = deadline - Date.now();
			if (left <= 0) return;
			await new Promise<void>((resolve) => {
				const timer = setTimeout(done, left);
				function done() {
					clearTimeout(timer);
					resolve();
				}
				this.waiters.add(done);
			});
		}
	}

	cancel(job: JobRecord): void {
		if (TERMINAL_STATUSES.includes(job.status)) return;
		this.finish(job, 'CANCELLED', {});
	}

	/** Puts a FAILED or TIMED_OUT job back in the queue; false for any other status. */
	retry(job: JobRecord): boolean {
		if (job.status !== 'FAILED' && job.status !== 'TIMED_OUT') return false;
		this.clearJobTimers(job.id, 'retention');
		Object.assign(job, { status: 'IN_QUEUE', retries: job.retries + 1, streamBuffer: [] });
		delete job.output;
		delete job.error;
		delete job.startedAtMs;
		delete job.finishedAtMs;
		delete job.workerId;
		this.enqueue(job);
		this.pump(job.endpointId);
		return true;
	}

	purgeQueue(endpointId: string): number {
		const queue = this.queues.get(endpointId) ?? [];
		this.queues.set(endpointId, []);
		for (const jobId of queue) {
			const job = this.jobs.get(jobId);
			if (job) this.forget(job);
		}
		return queue.length;
	}

	/** Cancels every unfinished job of an endpoint that is being deleted. */
	dropEndpoint(endpointId: string): void {
		this.purgeQueue(endpointId);
		for (const job of this.jobs.values()) if (job.endpointId === endpointId) this.cancel(job);
		this.workers.delete(endpointId);
	}

	health(endpoint: EndpointRecord) {
		this.ensureWarm(endpoint);
		const jobs = [...this.jobs.values()].filter((j) => j.endpointId === endpoint.id);
		const count = (status: JobStatus) => jobs.filter((j) => j.status === status).length;
		const workers = this.workers.get(endpoint.id) ?? [];
		const workerCount = (status: WorkerRecord['status']) =>
			workers.filter((w) => w.status === status).length;
		return {
			jobs: {
				completed: count('COMPLETED'),
				failed: count('FAILED') + count('TIMED_OUT'),
				inProgress: count('IN_PROGRESS'),
				inQueue: count('IN_QUEUE'),
				retried: jobs.reduce((sum, j) => sum + j.retries, 0),
			},
			workers: {
				idle: workerCount('idle'),
				initializing: workerCount('initializing'),
				ready: workerCount('idle'),
				running: workerCount('running'),
				throttled: 0,
				unhealthy: this.unhealthy.get(endpoint.id) ?? 0,
			},
		};
	}

	/** The endpoint's active workers now (warm ones from workersMin included), with the jobs each ran. */
	workersOf(endpoint: EndpointRecord): WorkerView[] {
		const jobs = [...this.jobs.values()];
		return this.ensureWarm(endpoint).map((worker) => ({
			id: worker.id,
			status: worker.status,
			...(worker.jobId ? { jobId: worker.jobId } : {}),
			placedAtMs: worker.placedAtMs ?? Date.now(),
			...(worker.readyAtMs !== undefined ? { readyAtMs: worker.readyAtMs } : {}),
			jobs: jobs.filter((job) => job.workerId === worker.id),
		}));
	}

	/** The `/status` answer. */
	statusView(job: JobRecord): Record<string, unknown> {
		const started = job.startedAtMs ?? (job.status === 'IN_QUEUE' ? undefined : job.finishedAtMs);
		return {
			id: job.id,
			status: job.status,
			delayTime: (started ?? Date.now()) - job.submittedAtMs,
			executionTime: job.startedAtMs ? (job.finishedAtMs ?? Date.now()) - job.startedAtMs : 0,
			...(job.workerId ? { workerId: job.workerId } : {}),
			...(job.retries ? { retries: job.retries } : {}),
			...(job.status === 'COMPLETED' ? { output: job.output } : {}),
			...(job.error !== undefined ? { error: job.error } : {}),
		};
	}

	/** Drains the chunks streamed since the last call. */
	drainStream(job: JobRecord): Record<string, unknown> {
		const stream = job.streamBuffer.splice(0).map((output) => ({ output }));
		return { status: job.status, stream };
	}

	/** Ends a job's life at once, as TTL or retention would (tests). */
	expire(jobId: string): void {
		const job = this.jobs.get(jobId);
		if (job) this.forget(job);
	}

	/** Drops jobs, workers and timers; waits for webhook deliveries in flight. */
	reset(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.jobTimers.clear();
		this.jobs.clear();
		this.workers.clear();
		this.queues.clear();
		this.unhealthy.clear();
		this.webhookDeliveries.length = 0;
		this.generation++;
		for (const wake of [...this.sleepers]) wake();
		this.runsyncWaitCapMs = this.options.runsyncWaitCapMs;
		this.random = SeededRandom.fromSeed(this.seed + 0x10b5);
		this.wake();
	}

	async close(): Promise<void> {
		this.closed = true;
		this.reset();
		await Promise.allSettled([...this.pending]);
	}

	// --- the simulation ------------------------------------------------------------------------

	private enqueue(job: JobRecord): void {
		const queue = this.queues.get(job.endpointId) ?? [];
		if (job.policy.lowPriority) queue.push(job.id);
		else {
			const firstLow = queue.findIndex((id) => this.jobs.get(id)?.policy.lowPriority);
			if (firstLow < 0) queue.push(job.id);
			else queue.splice(firstLow, 0, job.id);
		}
		this.queues.set(job.endpointId, queue);
	}

	private ensureWarm(endpoint: EndpointRecord): WorkerRecord[] {
		let workers = this.workers.get(endpoint.id);
		if (!workers) {
			const now = Date.now();
			workers = Array.from({ length: endpoint.workersMin }, () => ({
				id: this.random.id(14),
				status: 'idle' as const,
				placedAtMs: now,
				readyAtMs: now,
			}));
			this.workers.set(endpoint.id, workers);
		}
		return workers;
	}

	/** Hands queued jobs to idle workers and starts new workers for the rest, up to workersMax. */
	private pump(endpointId: string): void {
		const endpoint = findEndpoint(this.state, endpointId);
		if (!endpoint || this.closed) return;
		let workers = this.ensureWarm(endpoint);
		// A lowered workersMax retires idle workers first.
		for (let extra = workers.length - endpoint.workersMax; extra > 0; extra--) {
			const idle = workers.find((w) => w.status === 'idle');
			if (!idle) break;
			workers = workers.filter((w) => w !== idle);
		}
		this.workers.set(endpointId, workers);
		const queue = this.queues.get(endpointId) ?? [];
		while (queue.length > 0) {
			const worker = workers.find((w) => w.status === 'idle');
			if (!worker) break;
			const job = this.jobs.get(queue.shift() as string);
			if (job) this.start(endpoint, worker, job);
		}
		const starting = workers.filter((w) => w.status === 'initializing').length;
		let wanted = queue.length - starting;
		while (wanted > 0 && workers.length < endpoint.workersMax) {
			const worker: WorkerRecord = {
				id: this.random.id(14),
				status: 'initializing',
				placedAtMs: Date.now(),
			};
			workers.push(worker);
			wanted--;
			const coldStart = this.options.coldStartMs ?? 300;
			this.timer(
				endpoint.flashBootType === 'FLASHBOOT' ? Math.round(coldStart / 10) : coldStart,
				() => {
					worker.status = 'idle';
					worker.readyAtMs = Date.now();
					this.scheduleIdle(endpoint.id, worker);
					this.pump(endpoint.id);
				},
			);
		}
	}

	private start(endpoint: EndpointRecord, worker: WorkerRecord, job: JobRecord): void {
		const plan = planWork(job.input);
		worker.status = 'running';
		worker.jobId = job.id;
		Object.assign(job, { status: 'IN_PROGRESS', startedAtMs: Date.now(), workerId: worker.id });
		this.wake();

		const timeoutMs = job.policy.executionTimeout ?? endpoint.executionTimeoutMs;
		const runsFor = plan.untilTimeout ? Infinity : plan.durationMs;
		plan.chunks.forEach((chunk, index) => {
			const at = Number.isFinite(runsFor) ? (runsFor * index) / plan.chunks.length : index * 50;
			if (at < timeoutMs || timeoutMs <= 0)
				this.jobTimer(job.id, at, () => job.streamBuffer.push(chunk), 'run');
		});
		if (timeoutMs > 0 && runsFor >= timeoutMs) {
			this.jobTimer(
				job.id,
				timeoutMs,
				() =>
					this.finish(job, 'TIMED_OUT', {
						error: `Job timed out after ${timeoutMs / 1000} seconds (execution timeout)`,
					}),
				'run',
			);
		} else if (Number.isFinite(runsFor)) {
			this.jobTimer(job.id, runsFor, () => this.complete(job, worker, plan), 'run');
		}
	}

	private complete(job: JobRecord, worker: WorkerRecord, plan: WorkPlan): void {
		if (plan.crashWorker) {
			worker.status = 'unhealthy';
			this.unhealthy.set(job.endpointId, (this.unhealthy.get(job.endpointId) ?? 0) + 1);
			const workers = this.workers.get(job.endpointId) ?? [];
			this.workers.set(
				job.endpointId,
				workers.filter((w) => w !== worker),
			);
		}
		if (plan.failure !== undefined) this.finish(job, 'FAILED', { error: plan.failure });
		else this.finish(job, 'COMPLETED', { output: plan.output });
	}

	/** A job that ran on a worker is billed (REST /v2/billing/serverless, and the balance): its run, at its endpoint's pool. */
	private bill(job: JobRecord): void {
		const endpoint = findEndpoint(this.state, job.endpointId);
		if (job.startedAtMs === undefined || job.finishedAtMs === undefined || !endpoint) return;
		const run = {
			endpointId: job.endpointId,
			gpuIds: endpoint.gpuIds,
			gpuCount: endpoint.gpuCount,
			startMs: job.startedAtMs,
			endMs: job.finishedAtMs,
		};
		(this.state.serverlessUsage ??= []).push(run);
		// As on RunPod, serverless spend runs the balance down too (unrounded: a run costs fractions of a cent).
		this.state.account.clientBalance -= serverlessRunCost(run);
	}

	private finish(
		job: JobRecord,
		status: JobStatus,
		result: { output?: unknown; error?: string },
	): void {
		const wasQueued = job.status === 'IN_QUEUE';
		this.clearJobTimers(job.id, 'run');
		Object.assign(job, { status, finishedAtMs: Date.now(), ...result });
		this.bill(job);
		if (wasQueued) {
			const queue = this.queues.get(job.endpointId) ?? [];
			this.queues.set(
				job.endpointId,
				queue.filter((id) => id !== job.id),
			);
		}
		this.clearJobTimers(job.id, 'ttl');
		const retention = job.sync
			? (this.options.retentionMs?.runsync ?? 60_000)
			: (this.options.retentionMs?.run ?? 30 * 60_000);
		this.jobTimer(job.id, retention, () => this.forget(job), 'retention');

		const worker = (this.workers.get(job.endpointId) ?? []).find((w) => w.jobId === job.id);
		if (worker) {
			worker.status = 'idle';
			delete worker.jobId;
			this.scheduleIdle(job.endpointId, worker);
		}
		if (job.webhook && status !== 'CANCELLED') this.track(this.deliver(job, job.webhook));
		this.wake();
		this.pump(job.endpointId);
	}

	/** A worker with nothing to do leaves after the idle timeout, unless workersMin keeps it. */
	private scheduleIdle(endpointId: string, worker: WorkerRecord): void {
		const endpoint = findEndpoint(this.state, endpointId);
		if (!endpoint) return;
		const idleMs = this.options.idleTimeoutMs ?? endpoint.idleTimeout * 1000;
		this.timer(idleMs, () => {
			const workers = this.workers.get(endpointId) ?? [];
			const current = findEndpoint(this.state, endpointId);
			if (worker.status !== 'idle' || workers.length <= (current?.workersMin ?? 0)) return;
			this.workers.set(
				endpointId,
				workers.filter((w) => w !== worker),
			);
		});
	}

	private forget(job: JobRecord): void {
		const worker = (this.workers.get(job.endpointId) ?? []).find((w) => w.jobId === job.id);
		if (worker) {
			worker.status = 'idle';
			delete worker.jobId;
		}
		for (const timer of this.jobTimers.get(job.id) ?? []) clearTimeout(timer);
		this.jobTimers.delete(job.id);
		this.jobs.delete(job.id);
		const queue = this.queues.get(job.endpointId);
		if (queue)
			this.queues.set(
				job.endpointId,
				queue.filter((id) => id !== job.id),
			);
		this.wake();
		if (worker) this.pump(job.endpointId);
	}

	/** POSTs the /status object (with input and webhook) until a 200, three attempts in all. */
	private async deliver(job: JobRecord, url: string): Promise<void> {
		const body = JSON.stringify({ ...this.statusView(job), input: job.input, webhook: url });
		const generation = this.generation;
		for (
			let attempt = 1;
			attempt <= WEBHOOK_ATTEMPTS && !this.closed && generation === this.generation;
			attempt++
		) {
			const delivery: WebhookDelivery = { jobId: job.id, url, attempt, status: 0 };
			this.webhookDeliveries.push(delivery);
			try {
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body,
					signal: AbortSignal.timeout(10_000),
				});
				delivery.status = response.status;
				await response.arrayBuffer().catch(() => undefined);
				if (response.status === 200) return;
			} catch (error) {
				delivery.error = (error as Error).message;
			}
			if (attempt < WEBHOOK_ATTEMPTS) await this.pause(this.options.webhookRetryDelayMs ?? 10_000);
		}
	}

	/** A wait that reset() and close() cut short, so close() never waits on a retry delay. */
	private pause(ms: number): Promise<void> {
		return new Promise<void>((resolve) => {
			const timer = setTimeout(done, ms);
			timer.unref();
			const sleepers = this.sleepers;
			function done() {
				clearTimeout(timer);
				sleepers.delete(done);
				resolve();
			}
			sleepers.add(done);
		});
	}

	private track(promise: Promise<unknown>): void {
		this.pending.add(promise);
		void promise.finally(() => this.pending.delete(promise));
	}

	private wake(): void {
		const waiters = [...this.waiters];
		this.waiters.clear();
		for (const wake of waiters) wake();
	}

	private timer(ms: number, run: () => void): NodeJS.Timeout {
		const timer = setTimeout(
			() => {
				this.timers.delete(timer);
				run();
			},
			Math.min(Math.max(0, ms), MAX_TIMER_MS),
		);
		timer.unref();
		this.timers.add(timer);
		return timer;
	}

	private jobTimer(
		jobId: string,
		ms: number,
		run: () => void,
		kind: 'run' | 'ttl' | 'retention',
	): void {
		const timer = this.timer(ms, run) as NodeJS.Timeout & { kind?: string };
		timer.kind = kind;
		const list = this.jobTimers.get(jobId) ?? [];
		list.push(timer);
		this.jobTimers.set(jobId, list);
	}

	private clearJobTimers(jobId: string, kind: 'run' | 'ttl' | 'retention'): void {
		const list = (this.jobTimers.get(jobId) ?? []) as Array<NodeJS.Timeout & { kind?: string }>;
		for (const timer of list.filter((t) => t.kind === kind)) {
			clearTimeout(timer);
			this.timers.delete(timer);
		}
		this.jobTimers.set(
			jobId,
			list.filter((t) => t.kind !== kind),
		);
	}
}
