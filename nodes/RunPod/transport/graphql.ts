import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { asNodeError, toNodeApiError } from './errors';
import type { RunPodFailure } from './errors';
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, retryDelayMs } from './retry';
import type { RetryPolicy } from './retry';

export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'runPodApi';
export const DEFAULT_BASE_URL = 'https://api.runpod.io';

export interface RequestOptions {
	/** Safe to send twice (reads, stop, terminate, deletes, whole-object updates). */
	idempotent?: boolean;
	/** The item the request is for, so errors show "[item N]". */
	itemIndex?: number;
	/** Overrides of the retry policy and timeout, from the node's options. */
	policy?: Partial<RetryPolicy>;
}

interface GraphqlError {
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
type Attempt<T> = { ok: true; data: T } | { ok: false; failure: RunPodFailure };

async function graphqlUrl(ctx: RequestContext): Promise<string> {
	const credentials = await ctx.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE);
	const base = (credentials.baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
	return `${base}/graphql`;
}

/**
 * Sends one GraphQL document with its variables to RunPod and returns `data`.
 * Every failure becomes a NodeApiError that says what happened and how to fix it;
 * retries follow `policy`, and only requests that are safe to repeat are repeated.
 */
export async function graphqlRequest<T>(
	ctx: RequestContext,
	query: string,
	variables: IDataObject,
	options: RequestOptions = {},
): Promise<T> {
	const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
	const url = await graphqlUrl(ctx);
	const started = Date.now();

	for (let attempt = 1; ; attempt++) {
		const outcome = await sendOnce<T>(ctx, url, query, variables, policy.timeoutMs);
		if (outcome.ok) return outcome.data;
		const failure = outcome.failure;
		const delay = retryDelayMs(attempt, policy, failure);
		const outOfTime = Date.now() - started + delay > policy.maxTotalMs;
		if (attempt >= policy.maxAttempts || outOfTime || !isRetryable(failure, !!options.idempotent)) {
			throw toNodeApiError(ctx.getNode(), failure, options.itemIndex);
		}
		await sleep(delay);
	}
}

async function sendOnce<T>(
	ctx: RequestContext,
	url: string,
	query: string,
	variables: IDataObject,
	timeoutMs: number,
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
