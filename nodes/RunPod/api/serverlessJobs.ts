/**
 * RunPod's serverless job API (`<serverless base URL>/v2/<endpointId>`): run, runsync, status,
 * stream, cancel, retry, purge-queue and health, with RunPod's limits.
 */
import type { IDataObject } from 'n8n-workflow';

import { asNodeError, failureMessage, failureOf } from '../transport/errors';
import { DEFAULT_BASE_URL, DEFAULT_SERVERLESS_BASE_URL, errorText, jobRequest } from './requests';
import type { JobAnswer } from '../transport/jobRequest';
import type { RequestContext } from '../transport/request';
import { credentialData } from '../transport/credentials';
import { downloadFile } from '../transport/download';
import { originOf } from '../helpers/urlGuard';

export type JobStatus =
	'IN_QUEUE' | 'IN_PROGRESS' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

/**
 * The statuses after which a job never changes again; a job webhook arrives once a job reaches
 * one of them (the Job Trigger offers them as its status filter).
 */
export const TERMINAL_STATUSES = [
	'COMPLETED',
	'FAILED',
	'CANCELLED',
	'TIMED_OUT',
] as const satisfies readonly JobStatus[];

export function isTerminalStatus(status: string): boolean {
	return (TERMINAL_STATUSES as readonly string[]).includes(status);
}
/** Terminal statuses that mean the job did not produce its output. */
export const UNSUCCESSFUL_STATUSES: readonly string[] = ['FAILED', 'CANCELLED', 'TIMED_OUT'];

/** RunPod refuses larger request bodies (docs/runpod-rest-v2-notes.md §5). */
export const PAYLOAD_LIMIT_BYTES = { run: 10 * 1024 * 1024, runsync: 20 * 1024 * 1024 } as const;
/** `/runsync?wait=` bounds, in ms. */
export const RUNSYNC_WAIT_MS = { min: 1000, max: 300_000 } as const;
/** How long RunPod keeps a finished job's result, in minutes. */
export const RETENTION_MINUTES = { run: 30, runsync: 1 } as const;

export interface JobState {
	id: string;
	status: JobStatus;
	output?: unknown;
	error?: unknown;
	delayTime?: number;
	executionTime?: number;
}

export interface JobPolicy extends IDataObject {
	executionTimeout?: number;
	ttl?: number;
	lowPriority?: boolean;
}

export interface RunRequest extends IDataObject {
	input: IDataObject;
	webhook?: string;
	policy?: JobPolicy;
}

export interface StreamChunk {
	status: JobStatus;
	stream: Array<{ output: unknown }>;
}

export interface EndpointHealth extends IDataObject {
	jobs: IDataObject;
	workers: IDataObject;
}

interface CallOptions {
	itemIndex?: number;
}

/** The endpoint does not exist, or the key may not use it. */
export class EndpointNotFoundError extends Error {
	name = 'EndpointNotFoundError';
}

/** RunPod refused the request as invalid (400), with its reason. */
export class JobRequestRefusedError extends Error {
	name = 'JobRequestRefusedError';
}

/**
 * A /run or /runsync whose answer was lost (a gateway 5xx, a broken connection, a timeout):
 * RunPod may have queued the job, and the job API cannot list jobs, so nobody can look for it.
 * It is never sent again. `message` says what failed.
 */
export class SubmissionLostError extends Error {
	name = 'SubmissionLostError';
}

/** A /stream answer that was lost: RunPod handed its chunks out once, so they are gone. */
export class StreamAnswerLostError extends Error {
	name = 'StreamAnswerLostError';
}

/** Whether an error is a failure that does not say whether RunPod carried the request out. */
function lostAnswer(error: unknown): string | undefined {
	const failure = failureOf(error);
	if (!failure?.ambiguous) return undefined;
	return failureMessage({ ...failure, attempts: 1 });
}

/** A failure of a request that must not be sent twice, as the node error to throw. */
function notResent(
	ctx: RequestContext,
	error: unknown,
	itemIndex: number | undefined,
	kind: 'submission' | 'stream',
): Error {
	const lost = lostAnswer(error);
	if (lost && kind === 'submission') return new SubmissionLostError(lost);
	if (lost) return new StreamAnswerLostError(lost);
	return asNodeError(ctx.getNode(), error, itemIndex);
}

function jobPath(verb: string, jobId: string): string {
	return `/${verb}/${encodeURIComponent(jobId)}`;
}

function refusedOrMissing(status: number, body: unknown, what: string): never {
	if (status === 404) throw new EndpointNotFoundError(errorText(body) ?? `${what} was not found`);
	throw new JobRequestRefusedError(
		errorText(body) ?? `RunPod refused the request (HTTP ${status})`,
	);
}

/** Queues a job (`/run`). Not idempotent: every call costs a job. */
export async function run(
	ctx: RequestContext,
	endpointId: string,
	body: RunRequest,
	options: CallOptions = {},
): Promise<JobState> {
	let answer: JobAnswer<JobState>;
	try {
		answer = await jobRequest<JobState>(
			ctx,
			endpointId,
			{ method: 'POST', path: '/run', body, idempotent: false, ...options },
			[400, 404],
		);
	} catch (error) {
		throw notResent(ctx, error, options.itemIndex, 'submission');
	}
	if (answer.status !== 200) refusedOrMissing(answer.status, answer.body, `Endpoint ${endpointId}`);
	return answer.body;
}

/** Runs a job and waits up to `waitMs` for it (`/runsync`); an unfinished job comes back IN_QUEUE or IN_PROGRESS. */
export async function runSync(
	ctx: RequestContext,
	endpointId: string,
	body: RunRequest,
	waitMs: number,
	options: CallOptions = {},
): Promise<JobState> {
	const wait = Math.min(RUNSYNC_WAIT_MS.max, Math.max(RUNSYNC_WAIT_MS.min, Math.round(waitMs)));
	let answer: JobAnswer<JobState>;
	try {
		answer = await jobRequest<JobState>(
			ctx,
			endpointId,
			{
				method: 'POST',
				path: '/runsync',
				qs: { wait },
				body,
				idempotent: false,
				extraTimeoutMs: wait,
				...options,
			},
			[400, 404],
		);
	} catch (error) {
		throw notResent(ctx, error, options.itemIndex, 'submission');
	}
	if (answer.status !== 200) refusedOrMissing(answer.status, answer.body, `Endpoint ${endpointId}`);
	return answer.body;
}

/** A job's status and result; undefined when RunPod no longer knows it (expired, or a wrong ID). */
export async function status(
	ctx: RequestContext,
	endpointId: string,
	jobId: string,
	options: CallOptions = {},
): Promise<JobState | undefined> {
	const answer = await jobRequest<JobState>(
		ctx,
		endpointId,
		{ method: 'GET', path: jobPath('status', jobId), idempotent: true, ...options },
		[404],
	);
	return answer.status === 404 ? undefined : answer.body;
}

/**
 * What the job streamed since the last call; undefined when RunPod no longer knows the job.
 * Not idempotent: each call drains RunPod's buffer, so a lost answer is never asked again
 * (StreamAnswerLostError): a second call would return the chunks after the lost ones.
 */
export async function stream(
	ctx: RequestContext,
	endpointId: string,
	jobId: string,
	options: CallOptions = {},
): Promise<StreamChunk | undefined> {
	let answer: JobAnswer<StreamChunk>;
	try {
		answer = await jobRequest<StreamChunk>(
			ctx,
			endpointId,
			{ method: 'GET', path: jobPath('stream', jobId), idempotent: false, ...options },
			[404],
		);
	} catch (error) {
		throw notResent(ctx, error, options.itemIndex, 'stream');
	}
	return answer.status === 404
		? undefined
		: { status: answer.body.status, stream: answer.body.stream ?? [] };
}

export async function cancel(
	ctx: RequestContext,
	endpointId: string,
	jobId: string,
	options: CallOptions = {},
): Promise<JobState | undefined> {
	const answer = await jobRequest<JobState>(
		ctx,
		endpointId,
		{ method: 'POST', path: jobPath('cancel', jobId), idempotent: true, ...options },
		[404],
	);
	return answer.status === 404 ? undefined : answer.body;
}

/** Requeues a FAILED or TIMED_OUT job (RunPod refuses others). Not idempotent: each call may run it again. */
export async function retry(
	ctx: RequestContext,
	endpointId: string,
	jobId: string,
	options: CallOptions = {},
): Promise<JobState | undefined> {
	const answer = await jobRequest<JobState>(
		ctx,
		endpointId,
		{ method: 'POST', path: jobPath('retry', jobId), idempotent: false, ...options },
		[400, 404],
	);
	if (answer.status === 404) return undefined;
	if (answer.status === 400) refusedOrMissing(400, answer.body, `Job ${jobId}`);
	return answer.body;
}

export async function purgeQueue(
	ctx: RequestContext,
	endpointId: string,
	options: CallOptions = {},
): Promise<{ removed: number; status: string }> {
	const answer = await jobRequest<{ removed: number; status: string }>(
		ctx,
		endpointId,
		{ method: 'POST', path: '/purge-queue', idempotent: true, ...options },
		[404],
	);
	if (answer.status === 404) refusedOrMissing(404, answer.body, `Endpoint ${endpointId}`);
	return answer.body;
}

export async function health(
	ctx: RequestContext,
	endpointId: string,
	options: CallOptions = {},
): Promise<EndpointHealth> {
	const answer = await jobRequest<EndpointHealth>(
		ctx,
		endpointId,
		{ method: 'GET', path: '/health', idempotent: true, ...options },
		[404],
	);
	if (answer.status === 404) refusedOrMissing(404, answer.body, `Endpoint ${endpointId}`);
	return answer.body;
}

/** The Job Trigger's one-shot re-check of a job RunPod reported (no retries: a webhook answers at once). */
export { checkJobStatus } from '../transport/jobStatusRecheck';

/** The job API URL of one endpoint (outputs name where a job ran). */
export { endpointBaseUrl } from './requests';

/** A download of a file a job's output links to, refused or failed: why, in a few words. */
export { downloadRefusalOf } from '../transport/download';
export type { DownloadFailure } from '../transport/download';

/**
 * Downloads a file a job's output links to, which anyone who can feed the job may have chosen:
 * public https hosts, and the credential's own RunPod hosts as they are.
 */
export async function downloadJobFile(
	ctx: RequestContext,
	url: string,
	limits: { maxBytes: number; timeoutMs: number },
): Promise<{ bytes: Buffer; mimeType?: string }> {
	const credential = await credentialData(ctx);
	const trustedOrigins = [
		credential.baseUrl || DEFAULT_BASE_URL,
		credential.serverlessBaseUrl || DEFAULT_SERVERLESS_BASE_URL,
	]
		.map(originOf)
		.filter((origin): origin is string => Boolean(origin));
	return await downloadFile(ctx, url, { ...limits, trustedOrigins });
}
