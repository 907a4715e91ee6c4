/**
 * The serverless job face: RunPod's job API at /v2/<endpointId>/<verb>[/<jobId>], on the same
 * port as the other faces (endpoint ids never collide with REST collection names), with the
 * same auth, fault injection and request log.
 */
import type { IncomingMessage, ServerResponse } from 'http';

import type { FaultController } from '../faults';
import { answerLateApply, detachedResponse } from '../server';
import type { RequestLogEntry } from '../server';
import type { SandboxState } from '../state';
import { findEndpoint } from './endpoints';
import type { JobEngine, JobPolicy } from './jobs';

export const JOB_VERBS = [
	'run',
	'runsync',
	'status',
	'stream',
	'cancel',
	'retry',
	'purge-queue',
	'health',
] as const;
type JobVerb = (typeof JOB_VERBS)[number];

const JOB_PATH = new RegExp(
	`^/v2/([A-Za-z0-9_-]+)/(${JOB_VERBS.join('|')})(?:/([A-Za-z0-9_-]+))?/?$`,
);

/** Payload limits RunPod enforces (docs/runpod-rest-v2-notes.md §5). */
export const PAYLOAD_LIMITS = { run: 10 * 1024 * 1024, runsync: 20 * 1024 * 1024 } as const;

export interface JobRoute {
	endpointId: string;
	verb: JobVerb;
	jobId?: string;
}

export function matchJobPath(pathname: string): JobRoute | undefined {
	const match = JOB_PATH.exec(pathname);
	if (!match) return undefined;
	return {
		endpointId: match[1],
		verb: match[2] as JobVerb,
		...(match[3] ? { jobId: match[3] } : {}),
	};
}

export interface JobHandlerOptions {
	state: SandboxState;
	engine: JobEngine;
	faults: FaultController;
	requests: RequestLogEntry[];
	onHang: (response: ServerResponse, hangMs: number) => void;
}

const METHODS: Record<JobVerb, string[]> = {
	run: ['POST'],
	runsync: ['POST'],
	status: ['GET', 'POST'],
	stream: ['GET', 'POST'],
	cancel: ['POST'],
	retry: ['POST'],
	'purge-queue': ['POST'],
	health: ['GET'],
};
const NEEDS_JOB_ID = new Set<JobVerb>(['status', 'stream', 'cancel', 'retry']);
const SYNC_WAIT = { min: 1000, max: 300_000, default: 90_000 };

function sendJson(
	response: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	response.end(text);
}

/** Reads the body up to `limit` bytes; undefined when it is larger. */
function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) tooLarge = true;
			else chunks.push(chunk);
		});
		request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

function redactedHeaders(request: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers)) {
		if (value === undefined) continue;
		const text = Array.isArray(value) ? value.join(', ') : value;
		headers[name] =
			name === 'authorization'
				? 'Bearer ***'
				: name === 'cookie' || name === 'x-api-key'
					? '***'
					: text;
	}
	return headers;
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

interface RunBody {
	input: unknown;
	webhook?: string;
	policy?: JobPolicy;
}

/** RunPod's checks on a /run or /runsync body; a message when it is refused. */
function checkRunBody(raw: unknown): { body: RunBody } | { problem: string } {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw))
		return { problem: 'The request body must be a JSON object with an "input" field.' };
	const body = raw as Record<string, unknown>;
	if (!('input' in body) || body.input === null || body.input === undefined)
		return { problem: 'The request body must contain an "input" field.' };
	if (
		body.webhook !== undefined &&
		(typeof body.webhook !== 'string' || !/^https?:\/\//.test(body.webhook))
	) {
		return { problem: '"webhook" must be an http(s) URL.' };
	}
	const policy = (body.policy ?? {}) as Record<string, unknown>;
	if (typeof policy !== 'object' || Array.isArray(policy))
		return { problem: '"policy" must be an object.' };
	for (const key of ['executionTimeout', 'ttl'] as const) {
		const value = policy[key];
		if (
			value !== undefined &&
			(typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
		) {
			return { problem: `"policy.${key}" must be a positive whole number of milliseconds.` };
		}
	}
	return {
		body: {
			input: body.input,
			...(typeof body.webhook === 'string' ? { webhook: body.webhook } : {}),
			policy: {
				...(policy.executionTimeout !== undefined
					? { executionTimeout: policy.executionTimeout as number }
					: {}),
				...(policy.ttl !== undefined ? { ttl: policy.ttl as number } : {}),
				...(policy.lowPriority !== undefined ? { lowPriority: policy.lowPriority === true } : {}),
			},
		},
	};
}

export async function handleJobRequest(
	options: JobHandlerOptions,
	route: JobRoute,
	request: IncomingMessage,
	response: ServerResponse,
): Promise<void> {
	const { state, engine, faults, requests } = options;
	const method = request.method ?? 'GET';
	const limit = route.verb === 'runsync' ? PAYLOAD_LIMITS.runsync : PAYLOAD_LIMITS.run;
	const bodyText = await readBody(request, limit);
	let parsed: unknown;
	if (bodyText) {
		try {
			parsed = JSON.parse(bodyText);
		} catch {
			parsed = undefined;
		}
	}
	const url = new URL(request.url ?? '/', 'http://127.0.0.1');
	const entry: RequestLogEntry = {
		time: new Date().toISOString(),
		fields: [`job.${route.verb}`],
		query: '',
		variables: {},
		method,
		path: `${url.pathname}${url.search}`,
		...(parsed !== undefined ? { body: parsed } : {}),
		headers: redactedHeaders(request),
		status: 0,
	};
	requests.push(entry);
	// After a late apply, the answer goes nowhere: the client already got its failure.
	let late = false;
	const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
		if (late) return;
		entry.status = status;
		sendJson(response, status, body, headers);
	};

	const fault = faults.take(entry.fields);
	if (fault) entry.fault = fault.kind;
	const latency = faults.latencyMs + (fault?.kind === 'latency' ? fault.ms : 0);
	if (latency > 0) await delay(latency);
	if (fault?.kind === 'http429')
		return answer(
			429,
			{ error: 'Too Many Requests' },
			{ 'retry-after': String(fault.retryAfterSeconds ?? 1) },
		);
	if (fault?.kind === 'http5xx') return answer(fault.status, { error: 'Service Unavailable' });

	if (fault?.kind === 'lateApply') {
		entry.status = answerLateApply(response, fault, options.onHang);
		faults.later(fault.applyAfterMs, async () => {
			entry.appliedAt = new Date().toISOString();
			late = true;
			await carryOut(detachedResponse());
		});
		return;
	}
	await carryOut(response);

	/** RunPod's own work on the request, once it passed the edge (now, or late). */
	async function carryOut(response: ServerResponse): Promise<void> {
		const key = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
		if (!key || !state.apiKeys.some((k) => k.key === key))
			return answer(401, { error: 'Unauthorized' });
		if (!METHODS[route.verb].includes(method))
			return answer(405, { error: `Method ${method} not allowed on /${route.verb}` });
		const endpoint = findEndpoint(state, route.endpointId);
		if (!endpoint) return answer(404, { error: `Endpoint ${route.endpointId} not found` });
		if (NEEDS_JOB_ID.has(route.verb) && !route.jobId)
			return answer(400, { error: `/${route.verb} needs a job id: /${route.verb}/<jobId>` });

		const reply = async (status: number, body: unknown) => {
			if (fault?.kind === 'dropAfterApply') {
				entry.status = 0;
				if (fault.mode === 'reset') response.socket?.destroy();
				else options.onHang(response, fault.hangMs ?? 60_000);
				return;
			}
			answer(status, body);
		};

		switch (route.verb) {
			case 'run':
			case 'runsync': {
				if (bodyText === undefined) {
					return answer(413, {
						error: `Payload too large: /${route.verb} accepts at most ${limit / 1024 / 1024} MB.`,
					});
				}
				const checked = checkRunBody(parsed);
				if ('problem' in checked) return answer(400, { error: checked.problem });
				const job = engine.submit(endpoint, checked.body, route.verb === 'runsync');
				// RunPod answers IN_QUEUE even when a warm worker took the job at once.
				if (route.verb === 'run') return reply(200, { id: job.id, status: 'IN_QUEUE' });
				const wait = Number(url.searchParams.get('wait') ?? SYNC_WAIT.default);
				const waitMs = Math.min(
					SYNC_WAIT.max,
					Math.max(SYNC_WAIT.min, Number.isFinite(wait) ? wait : SYNC_WAIT.default),
				);
				await engine.waitFor(job, Math.min(waitMs, engine.runsyncWaitCapMs ?? waitMs));
				return reply(200, engine.statusView(job));
			}
			case 'status':
			case 'stream':
			case 'cancel':
			case 'retry': {
				const job = engine.find(endpoint.id, route.jobId as string);
				if (!job) return answer(404, { error: 'request does not exist' });
				if (route.verb === 'status') return reply(200, engine.statusView(job));
				if (route.verb === 'stream') return reply(200, engine.drainStream(job));
				if (route.verb === 'cancel') {
					engine.cancel(job);
					return reply(200, { id: job.id, status: job.status });
				}
				if (!engine.retry(job))
					return answer(400, {
						error: `Job ${job.id} is ${job.status}: only FAILED or TIMED_OUT jobs can be retried.`,
					});
				return reply(200, { id: job.id, status: 'IN_QUEUE' });
			}
			case 'purge-queue':
				return reply(200, { removed: engine.purgeQueue(endpoint.id), status: 'completed' });
			case 'health':
				return reply(200, engine.health(endpoint));
		}
	}
}
