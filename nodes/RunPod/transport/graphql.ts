import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import type { RequestWindow } from '../helpers/requestWindow';
import { asNodeError, describeFailure, failureOf, toNodeApiError } from './errors';
import type { RunPodFailure } from './errors';
import { policyFromNode } from './policy';
import { isRetryable, parseRetryAfter, retryDelayMs } from './retry';
import type { RetryPolicy } from './retry';

export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'runPodApi';
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
	 * Aliased documents: errors that name an alias (`errors[].path`) come back with the data
	 * instead of failing the request, so one alias fails only its own item.
	 */
	partialErrors?: boolean;
}

export interface GraphqlError {
	message?: string;
	path?: Array<string | number>;
	extensions?: IDataObject;
}

interface GraphqlBody<T> {
	data?: T | null;
	errors?: GraphqlError[];
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** The outcome of one attempt; a failure carries only what is safe to show. */
type Attempt<T> = { ok: true; data: T; errors?: GraphqlError[] } | { ok: false; failure: RunPodFailure };

async function graphqlUrl(ctx: RequestContext): Promise<string> {
	const credentials = await ctx.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE);
	const base = (credentials.baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
	return `${base}/graphql`;
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
}

export interface Recovered<T> {
	data: T;
	/** True when the answer was lost and `find` found the result instead. */
	recovered: boolean;
	/** With `partialErrors`: the errors of single aliases, beside the data of the others. */
	errors?: GraphqlError[];
	/** True when an earlier attempt's answer was lost (RunPod may have applied it already). */
	resent?: boolean;
}

/**
 * Sends one GraphQL document with its variables to RunPod and returns `data`.
 * Every failure becomes a NodeApiError that says what happened and how to fix it;
 * retries follow the node's Retry and Timeout options, and only requests that are
 * safe to repeat are repeated.
 */
export async function graphqlRequest<T>(
	ctx: RequestContext,
	query: string,
	variables: IDataObject,
	options: RequestOptions = {},
): Promise<T> {
	return (await graphqlRequestWithRecovery<T>(ctx, query, variables, options)).data;
}

/**
 * Like graphqlRequest, for a request that must not be sent twice (a create, a resume).
 * After an answer is lost, `recovery.find` checks whether RunPod carried it out: if so, that
 * result is returned with `recovered: true`; if not, the request is sent again within the policy.
 */
export async function graphqlRequestWithRecovery<T>(
	ctx: RequestContext,
	query: string,
	variables: IDataObject,
	options: RequestOptions = {},
	recovery?: Recovery<T>,
): Promise<Recovered<T>> {
	// Read (and validate) the options before anything is sent.
	const policy = { ...policyFromNode(ctx, options.itemIndex), ...options.policy };
	const url = await graphqlUrl(ctx);
	const started = Date.now();
	let earlierAnswerLost = false;

	for (let attempt = 1; ; attempt++) {
		const outcome = await sendInWindow<T>(ctx, url, query, variables, policy.timeoutMs, options);
		if (outcome.ok) {
			return { data: outcome.data, recovered: false, ...(outcome.errors ? { errors: outcome.errors } : {}), resent: earlierAnswerLost };
		}
		let failure: RunPodFailure = {
			...outcome.failure,
			attempts: attempt,
			...(earlierAnswerLost ? { earlierAnswerLost } : {}),
		};
		earlierAnswerLost ||= !recovery && mayHaveBeenApplied(failure);

		let retryable = isRetryable(failure, !!options.idempotent);
		// A timed-out request may still be running at RunPod: a first look proves nothing yet.
		let stillInFlight = false;
		if (recovery && mayHaveBeenApplied(failure)) {
			const found = await findOrExplain(ctx, recovery, failure, options.itemIndex);
			if (found !== undefined) return { data: found, recovered: true };
			stillInFlight = failure.kind === 'timeout';
			if (!stillInFlight) failure = { ...failure, checkedNotApplied: true };
			// RunPod's own error stands; a lost answer for a request that was not applied may be resent.
			retryable = failure.kind !== 'graphql';
		}

		// Before resending a timed-out request, give it as long again to land as the node waited for it.
		const delay = Math.max(retryDelayMs(attempt, policy, failure), stillInFlight ? policy.timeoutMs : 0);
		const outOfTime = Date.now() - started + delay > policy.maxTotalMs;
		if (attempt >= policy.maxAttempts || outOfTime || !retryable) {
			throw toNodeApiError(ctx.getNode(), failure, options.itemIndex);
		}
		await sleep(delay);
		if (recovery && stillInFlight) {
			const found = await findOrExplain(ctx, recovery, failure, options.itemIndex);
			if (found !== undefined) return { data: found, recovered: true };
		}
	}
}

/** Whether RunPod may have carried the request out although the node saw a failure. */
function mayHaveBeenApplied(failure: RunPodFailure): boolean {
	if (failure.ambiguous) return true;
	// RunPod's "Something went wrong" has come with pods that started anyway (runpodctl #45).
	return failure.kind === 'graphql' && /something went wrong/i.test(failure.messages[0] ?? '');
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
		const { message } = describeFailure(failure);
		const lookup = failureOf(lookupError);
		const why = lookup ? describeFailure(lookup).message : (lookupError as Error | undefined)?.message || 'the lookup failed';
		const text = `${message}, and the node could not check whether RunPod carried the request out`;
		const error = new NodeOperationError(ctx.getNode(), text, {
			itemIndex,
			description: `RunPod may have done it (and may be billing for it). Before running again, look for ${recovery.lookingFor}, for example with Get Many. The check failed because: ${why}.`,
		});
		// n8n swaps in generic text for messages that mention codes such as ECONNRESET; keep ours.
		error.message = text;
		throw error;
	}
}

/** One attempt, counted in the execution's request window when there is one. */
async function sendInWindow<T>(
	ctx: RequestContext,
	url: string,
	query: string,
	variables: IDataObject,
	timeoutMs: number,
	options: RequestOptions,
): Promise<Attempt<T>> {
	const window = options.window;
	if (!window) return await sendOnce<T>(ctx, url, query, variables, timeoutMs, !!options.partialErrors);
	await window.acquire();
	let outcome: Attempt<T> | undefined;
	try {
		outcome = await sendOnce<T>(ctx, url, query, variables, timeoutMs, !!options.partialErrors);
		return outcome;
	} finally {
		const failure = outcome && !outcome.ok ? outcome.failure : undefined;
		window.release({
			rateLimited: failure?.kind === 'http' && failure.status === 429,
			waitMs: failure?.retryAfterMs,
		});
	}
}

async function sendOnce<T>(
	ctx: RequestContext,
	url: string,
	query: string,
	variables: IDataObject,
	timeoutMs: number,
	partialErrors = false,
): Promise<Attempt<T>> {
	let response: FullResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			method: 'POST',
			url,
			body: { query, variables },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
		})) as FullResponse;
	} catch (error) {
		// Our own configuration problems (e.g. no credential) are already clear n8n errors.
		if ((error as Error | undefined)?.name === 'NodeOperationError') throw asNodeError(ctx.getNode(), error);
		const code = findCode(error);
		if (code === 'ERR_CANCELED') {
			throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled while waiting for RunPod');
		}
		return { ok: false, failure: networkFailure(error, code) };
	}

	const body = parseBody(response.body);
	const status = response.statusCode;
	const messages = (body?.errors ?? []).map((e) => e.message ?? '').filter(Boolean);

	if (status !== 200) {
		return {
			ok: false,
			failure: {
				kind: 'http',
				status,
				messages,
				// A gateway error or a 500 may come after RunPod applied the request.
				ambiguous: status >= 500,
				retryAfterMs: parseRetryAfter(response.headers ?? {}),
			},
		};
	}
	if (!body) {
		return {
			ok: false,
			failure: { kind: 'http', status, messages: ['RunPod answered with something that is not JSON'], ambiguous: true },
		};
	}
	const data = body.data;
	if (body.errors?.length && partialErrors && data && typeof data === 'object' && body.errors.every((e) => e.path?.length)) {
		return { ok: true, data: data as T, errors: body.errors };
	}
	if (body.errors?.length) {
		return {
			ok: false,
			failure: { kind: 'graphql', status, messages, path: body.errors[0].path?.map(String), ambiguous: false },
		};
	}
	return { ok: true, data: (body.data ?? {}) as T };
}

function parseBody<T>(raw: unknown): GraphqlBody<T> | undefined {
	if (raw && typeof raw === 'object') return raw as GraphqlBody<T>;
	if (typeof raw === 'string') {
		try {
			const parsed = JSON.parse(raw) as unknown;
			return parsed && typeof parsed === 'object' ? (parsed as GraphqlBody<T>) : undefined;
		} catch {
			return undefined;
		}
	}
	return undefined;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

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

function findCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	return undefined;
}
