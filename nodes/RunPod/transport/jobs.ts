/**
 * The serverless job envelope: RunPod's job API at `<serverless base URL>/v2/<endpointId>/…`
 * (`https://api.runpod.ai` unless the credential says otherwise). Plain JSON with
 * `{ error }` bodies; same retry policy and error wording as the GraphQL envelope.
 */
import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { asNodeError, toNodeApiError } from './errors';
import type { RunPodFailure } from './errors';
import { CREDENTIAL_TYPE } from './graphql';
import type { RequestContext } from './graphql';
import { policyFromNode } from './policy';
import { isRetryable, parseRetryAfter, retryDelayMs } from './retry';

export const DEFAULT_SERVERLESS_BASE_URL = 'https://api.runpod.ai';

export interface JobRequest {
	method: 'GET' | 'POST';
	/** After `/v2/<endpointId>`, e.g. `/run` or `/status/<jobId>` (already encoded). */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Safe to send twice: everything except /run and /runsync. */
	idempotent: boolean;
	itemIndex?: number;
	/** Added to the per-attempt timeout, for /runsync which holds the answer back on purpose. */
	extraTimeoutMs?: number;
}

/** An answer RunPod gave on purpose (2xx, or a 4xx the caller wants to interpret). */
export interface JobAnswer<T> {
	status: number;
	body: T;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** The base of one endpoint's job API, e.g. `https://api.runpod.ai/v2/abc123`. */
export async function endpointBaseUrl(ctx: RequestContext, endpointId: string): Promise<string> {
	const credentials = await ctx.getCredentials<{ serverlessBaseUrl?: string }>(CREDENTIAL_TYPE);
	const base = (credentials.serverlessBaseUrl || DEFAULT_SERVERLESS_BASE_URL).trim().replace(/\/+$/, '');
	return `${base}/v2/${encodeURIComponent(endpointId)}`;
}

/** RunPod's `{error}` text (or `detail`/`message`), if the body carries one. */
export function errorText(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 300) : undefined;
	if (!body || typeof body !== 'object') return undefined;
	const fields = body as IDataObject;
	const text = fields.error ?? fields.detail ?? fields.message;
	return typeof text === 'string' ? text : undefined;
}

/**
 * Sends one job API request. 2xx answers and the statuses listed in `passStatuses` come back as
 * they are; anything else becomes a NodeApiError that says what happened and what to do.
 */
export async function jobRequest<T>(
	ctx: RequestContext,
	endpointId: string,
	request: JobRequest,
	passStatuses: number[] = [],
): Promise<JobAnswer<T>> {
	const policy = policyFromNode(ctx, request.itemIndex);
	const url = `${await endpointBaseUrl(ctx, endpointId)}${request.path}`;
	const started = Date.now();
	for (let attempt = 1; ; attempt++) {
		let failure: RunPodFailure;
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
				method: request.method,
				url,
				...(request.body ? { body: request.body } : {}),
				...(request.qs ? { qs: request.qs } : {}),
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: policy.timeoutMs + (request.extraTimeoutMs ?? 0),
			})) as FullResponse;
			const status = response.statusCode;
			if ((status >= 200 && status < 300) || passStatuses.includes(status)) return { status, body: response.body as T };
			const message = errorText(response.body);
			failure = {
				kind: 'http',
				status,
				messages: message ? [message] : [],
				ambiguous: status >= 500,
				retryAfterMs: parseRetryAfter(response.headers ?? {}),
			};
		} catch (error) {
			if ((error as Error | undefined)?.name === 'NodeOperationError') throw asNodeError(ctx.getNode(), error);
			failure = networkFailure(error);
			if (failure.code === 'ERR_CANCELED') {
				throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled while waiting for RunPod');
			}
		}
		failure = { ...failure, attempts: attempt };
		const delay = retryDelayMs(attempt, policy, failure);
		const outOfTime = Date.now() - started + delay > policy.maxTotalMs;
		if (attempt >= policy.maxAttempts || outOfTime || !isRetryable(failure, request.idempotent)) {
			throw toNodeApiError(ctx.getNode(), failure, request.itemIndex);
		}
		await sleep(delay);
	}
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function networkFailure(error: unknown): RunPodFailure {
	let code: string | undefined;
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5 && !code; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) code = current.code;
		current = current.cause as typeof current;
	}
	const text = String((error as Error | undefined)?.message ?? '');
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(text)) {
		return { kind: 'timeout', messages: [], ambiguous: true, code: code ?? 'ETIMEDOUT' };
	}
	return { kind: 'network', messages: [], code, ambiguous: !(code && NOT_SENT_CODES.has(code)) };
}
