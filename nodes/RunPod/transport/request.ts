import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { RequestWindow } from './requestWindow';
import type { RequestContext } from './context';
import { CREDENTIAL_TYPE, checkedBaseUrl, credentialData, runCredentials } from './credentials';
import { asNodeError, failureMessage, failureOf, toNodeApiError, uncheckedError } from './errors';
import type { RunPodFailure } from './errors';
import { policyFromNode } from './policy';
import { isRetryable, quotaRemaining, quotaWaitMs, retryDelayMs } from './retry';
import type { HeaderBag, RetryPolicy } from './retry';

/**
 * The protocol-neutral request core: sends through n8n's authenticated helper, classifies
 * failures, retries by policy, waits out the rate limit and recovers lost answers. The GraphQL
 * and REST envelopes only say how to build a request and how to read its answer.
 */

export type { RequestContext };

export const DEFAULT_BASE_URL = 'https://api.runpod.io';

export interface RequestOptions {
	/** Safe to send twice (reads, stop, terminate, deletes, whole-object updates). */
	idempotent?: boolean;
	/** The item the request is for, so errors show "[item N]". */
	itemIndex?: number;
	/** Overrides of the policy read from the node's Retry and Timeout options. */
	policy?: Partial<RetryPolicy>;
	/** The execution's shared limit on requests in flight (batched operations). */
	window?: RequestWindow;
	/**
	 * Aliased GraphQL documents: errors that name an alias (`errors[].path`) come back with the
	 * data instead of failing the request, so one alias fails only its own item.
	 */
	partialErrors?: boolean;
}

/** An error of one part of an answer (a GraphQL alias), returned beside the other parts' data. */
export interface PartError {
	message?: string;
	path?: Array<string | number>;
}

/**
 * How to find out whether a request that is not safe to resend was carried out anyway,
 * when its answer was lost (timeout, dropped connection, 5xx after sending).
 */
export interface Recovery<T> {
	/** Looks for what the request would have done; returns it when it happened. May throw. */
	find: () => Promise<T | undefined>;
	/** What the node looked for, in words a user can search for, e.g. `a pod with N8N_RUNPOD_CREATE_ID=…`. */
	lookingFor: string;
	/** An error of `find` that is itself the answer (e.g. two resources carry the marker): passed on as it is. */
	final?: (error: unknown) => boolean;
	/**
	 * Whether the request may be sent again when one look does not find its effect: a resume
	 * (a second start of the same pod rents nothing more). Creates are never resent: they settle.
	 */
	resendWhenNotFound?: boolean;
}

/**
 * How long the node looks for what a request that must not be sent twice made, after a failure
 * that does not say whether RunPod carried it out (a gateway 5xx, a broken connection, a
 * timeout): a first look at once, then looks further apart, until `maxTotalMs`. RunPod may need
 * a while to place a pod behind a busy gateway. Not a user option; tests shrink it.
 */
export const SETTLE_SCHEDULE = { firstDelayMs: 1000, maxDelayMs: 15_000, maxTotalMs: 120_000 };

export interface Recovered<T> {
	data: T;
	/** True when the answer was lost and `find` found the result instead. */
	recovered: boolean;
	/** With `partialErrors`: the errors of single parts, beside the data of the others. */
	errors?: PartError[];
	/** True when an earlier attempt's answer was lost (RunPod may have applied it already). */
	resent?: boolean;
}

export interface FullResponse {
	statusCode: number;
	headers: HeaderBag;
	body: unknown;
}

/** The outcome of one attempt; a failure carries only what is safe to show. */
export type Attempt<T> =
	{ ok: true; data: T; errors?: PartError[] } | { ok: false; failure: RunPodFailure };

/** One protocol's way of asking and of reading the answer. */
export interface Envelope<T> {
	method: IHttpRequestMethods;
	url: string;
	qs?: IDataObject;
	body?: unknown;
	/** Changes nothing at RunPod (a GraphQL query, a REST GET): a lost answer is just a lost answer. */
	readOnly?: boolean;
	read: (response: FullResponse, options: RequestOptions) => Attempt<T>;
	/** Whether RunPod may have carried the request out although the node saw this failure. */
	mayHaveBeenApplied?: (failure: RunPodFailure) => boolean;
	/**
	 * The answer is a stream (Server-Sent Events): it is read by this, from n8n's stream, into the
	 * body `read` gets. A failure while reading counts as a broken connection.
	 */
	stream?: (body: unknown, statusCode: number) => Promise<unknown>;
}

/** The credential's base URL without trailing slashes. */
export async function baseUrl(ctx: RequestContext): Promise<string> {
	const { baseUrl: url } = await credentialData(ctx);
	return checkedBaseUrl(ctx.getNode(), 'Base URL', url, DEFAULT_BASE_URL);
}

/**
 * Until when each RunPod host asked not to be sent anything (its RateLimit said 0 remaining).
 * Kept per node run (the context object), so nothing outlives an execution or crosses credentials.
 */
const quietUntilByRun = new WeakMap<RequestContext, Map<string, number>>();

function quietUntilFor(ctx: RequestContext): Map<string, number> {
	let hosts = quietUntilByRun.get(ctx);
	if (!hosts) quietUntilByRun.set(ctx, (hosts = new Map()));
	return hosts;
}

function hostOf(url: string): string {
	const match = /^[a-z]+:\/\/[^/]+/i.exec(url);
	return match ? match[0] : url;
}

/**
 * Sends one request and returns its data; after a lost answer, `recovery.find` checks whether
 * RunPod carried it out: if so, that result is returned with `recovered: true`; if not, the
 * request is sent again within the policy. Every failure becomes a NodeApiError.
 */
export async function send<T>(
	ctx: RequestContext,
	envelope: Envelope<T>,
	options: RequestOptions = {},
	recovery?: Recovery<T>,
): Promise<Recovered<T>> {
	// Read (and validate) the options before anything is sent.
	const policy = { ...policyFromNode(ctx, options.itemIndex), ...options.policy };
	const started = Date.now();
	const host = hostOf(envelope.url);
	const mayHaveBeenApplied = (failure: RunPodFailure) =>
		failure.ambiguous || (envelope.mayHaveBeenApplied?.(failure) ?? false);
	const quietUntil = quietUntilFor(ctx);
	let earlierAnswerLost = false;

	for (let attempt = 1; ; attempt++) {
		const outcome = await sendInWindow(ctx, envelope, policy, started, host, options);
		if (outcome.ok) {
			return {
				data: outcome.data,
				recovered: false,
				...(outcome.errors ? { errors: outcome.errors } : {}),
				resent: earlierAnswerLost,
			};
		}
		const failure: RunPodFailure = {
			...outcome.failure,
			...(envelope.readOnly ? { ambiguous: false } : {}),
			attempts: attempt,
			...(earlierAnswerLost ? { earlierAnswerLost } : {}),
		};
		earlierAnswerLost ||= !envelope.readOnly && !recovery && mayHaveBeenApplied(failure);

		let retryable = isRetryable(failure, !!options.idempotent);
		if (recovery && mayHaveBeenApplied(failure)) {
			// A create is settled, never resent: RunPod may still be carrying it out, so the node
			// looks for its result until the schedule runs out.
			if (!options.idempotent && !recovery.resendWhenNotFound) {
				return { data: await settle(ctx, recovery, failure, options.itemIndex), recovered: true };
			}
			// Sending it again costs nothing more (terminate, delete, resume): one look saves a
			// false "not found" or a needless second start.
			const found = await findOrExplain(ctx, recovery, failure, options.itemIndex);
			if (found !== undefined) return { data: found, recovered: true };
			retryable = isRetryable(failure, true);
		}

		const delay = retryDelayMs(attempt, policy, failure);
		const outOfTime = Date.now() - started + delay > policy.maxTotalMs;
		if (attempt >= policy.maxAttempts || outOfTime || !retryable) {
			throw toNodeApiError(ctx.getNode(), failure, options.itemIndex);
		}
		await sleep(delay);
		// The backoff already waited out what this answer's rate limit asked for.
		if (delay >= (failure.retryAfterMs ?? 0)) quietUntil.delete(host);
	}
}

/**
 * Looks for what an ambiguous request made, on SETTLE_SCHEDULE: returns it once found, or fails
 * with an error that names what to look for and says RunPod may still carry the request out.
 */
async function settle<T>(
	ctx: RequestContext,
	recovery: Recovery<T>,
	failure: RunPodFailure,
	itemIndex: number | undefined,
): Promise<T> {
	let waited = 0;
	let pause = SETTLE_SCHEDULE.firstDelayMs;
	// A look that fails (RunPod busy) does not end the search; only the last one's failure is told.
	let lookFailed: unknown;
	for (;;) {
		try {
			const found = await findOrExplain(ctx, recovery, failure, itemIndex);
			if (found !== undefined) return found;
			lookFailed = undefined;
		} catch (error) {
			if (recovery.final?.(error)) throw asNodeError(ctx.getNode(), error, itemIndex);
			lookFailed = error;
		}
		const left = SETTLE_SCHEDULE.maxTotalMs - waited;
		if (left <= 0) break;
		const wait = Math.min(pause, left);
		await sleep(wait);
		waited += wait;
		pause = Math.min(pause * 2, SETTLE_SCHEDULE.maxDelayMs);
	}
	if (lookFailed) throw asNodeError(ctx.getNode(), lookFailed, itemIndex);
	const lookedSeconds = Math.max(1, Math.round(waited / 1000));
	throw toNodeApiError(
		ctx.getNode(),
		{ ...failure, ambiguous: true, unsettled: { lookingFor: recovery.lookingFor, lookedSeconds } },
		itemIndex,
	);
}

/** Never sends while RunPod said the quota is used up; fails at once when the wait would not fit the policy. */
async function waitForQuota(
	ctx: RequestContext,
	host: string,
	started: number,
	policy: RetryPolicy,
	itemIndex: number | undefined,
): Promise<void> {
	const quietUntil = quietUntilFor(ctx);
	const until = quietUntil.get(host);
	if (until === undefined) return;
	const wait = until - Date.now();
	if (wait <= 0) {
		quietUntil.delete(host);
		return;
	}
	if (Date.now() - started + wait > policy.maxTotalMs) {
		throw toNodeApiError(
			ctx.getNode(),
			{
				kind: 'http',
				status: 429,
				messages: [],
				ambiguous: false,
				retryAfterMs: wait,
				notSent: true,
			},
			itemIndex,
		);
	}
	await sleep(wait);
	quietUntil.delete(host);
}

async function findOrExplain<T>(
	ctx: RequestContext,
	recovery: Recovery<T>,
	failure: RunPodFailure,
	itemIndex: number | undefined,
): Promise<T | undefined> {
	try {
		return await recovery.find();
	} catch (lookupError) {
		if (recovery.final?.(lookupError)) throw asNodeError(ctx.getNode(), lookupError, itemIndex);
		const lookup = failureOf(lookupError);
		const why = lookup
			? failureMessage(lookup)
			: (lookupError as Error | undefined)?.message || 'the lookup failed';
		throw uncheckedError(
			ctx.getNode(),
			failure,
			{ lookingFor: recovery.lookingFor, why },
			itemIndex,
		);
	}
}

/** One attempt, counted in the execution's request window when there is one. */
async function sendInWindow<T>(
	ctx: RequestContext,
	envelope: Envelope<T>,
	policy: RetryPolicy,
	started: number,
	host: string,
	options: RequestOptions,
): Promise<Attempt<T>> {
	const window = options.window;
	if (!window) {
		await waitForQuota(ctx, host, started, policy, options.itemIndex);
		return (await sendOnce(ctx, envelope, policy.timeoutMs, host, options)).attempt;
	}
	await window.acquire();
	let sent: Sent<T> | undefined;
	try {
		// Checked once the window lets this request go: answers meanwhile may have used up the quota.
		await waitForQuota(ctx, host, started, policy, options.itemIndex);
		sent = await sendOnce(ctx, envelope, policy.timeoutMs, host, options);
		return sent.attempt;
	} finally {
		const failure = sent && !sent.attempt.ok ? sent.attempt.failure : undefined;
		window.release({
			rateLimited: failure?.kind === 'http' && failure.status === 429,
			waitMs: failure?.retryAfterMs,
			quotaRemaining: sent?.quotaRemaining,
		});
	}
}

/** One attempt's outcome, and what RunPod's RateLimit header said is left of its quota. */
interface Sent<T> {
	attempt: Attempt<T>;
	quotaRemaining?: number;
}

async function sendOnce<T>(
	ctx: RequestContext,
	envelope: Envelope<T>,
	timeoutMs: number,
	host: string,
	options: RequestOptions,
): Promise<Sent<T>> {
	let response: FullResponse;
	try {
		// The run's decrypted credential goes along, so n8n does not read and decrypt it again per request.
		const credentialsDecrypted = await runCredentials(ctx);
		response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			{
				method: envelope.method,
				url: envelope.url,
				...(envelope.qs ? { qs: envelope.qs } : {}),
				...(envelope.body !== undefined ? { body: envelope.body } : {}),
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: timeoutMs,
				...(envelope.stream
					? { encoding: 'stream' as const, headers: { accept: 'text/event-stream' } }
					: {}),
			},
			{ credentialsDecrypted },
		)) as FullResponse;
		if (envelope.stream)
			response = {
				...response,
				body: await envelope.stream(response.body, response.statusCode),
			};
	} catch (error) {
		// Our own configuration problems (e.g. no credential) are already clear n8n errors.
		if ((error as Error | undefined)?.name === 'NodeOperationError')
			throw asNodeError(ctx.getNode(), error);
		const code = findCode(error);
		if (code === 'ERR_CANCELED') {
			throw new NodeOperationError(
				ctx.getNode(),
				'The execution was cancelled while waiting for RunPod',
			);
		}
		return { attempt: { ok: false, failure: networkFailure(error, code) } };
	}
	const headers = response.headers ?? {};
	const quotaWait = quotaWaitMs(headers);
	if (quotaWait !== undefined && quotaWait > 0)
		quietUntilFor(ctx).set(host, Date.now() + quotaWait);
	return { attempt: envelope.read(response, options), quotaRemaining: quotaRemaining(headers) };
}

/** A JSON body as an object, or undefined when it is none (proxies answer HTML). */
export function parseJsonObject(raw: unknown): IDataObject | undefined {
	if (raw && typeof raw === 'object') return raw as IDataObject;
	if (typeof raw === 'string' && raw.trim()) {
		try {
			const parsed = JSON.parse(raw) as unknown;
			return parsed && typeof parsed === 'object' ? (parsed as IDataObject) : undefined;
		} catch {
			return undefined;
		}
	}
	return undefined;
}

const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

/** Keeps only the error code and a safe summary: n8n's wrapped errors carry request headers. */
function networkFailure(error: unknown, code: string | undefined): RunPodFailure {
	const text = String((error as Error | undefined)?.message ?? '');
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(text)) {
		return { kind: 'timeout', messages: [], ambiguous: true, code: code ?? 'ETIMEDOUT' };
	}
	return {
		kind: 'network',
		messages: [],
		code,
		ambiguous: !(code && NOT_SENT_CODES.has(code)),
	};
}

/** The network code (ECONNRESET…) of an error or of one of its causes. */
export function findCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	return undefined;
}
