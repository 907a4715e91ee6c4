/**
 * The serverless job envelope: RunPod's job API at `<serverless base URL>/v2/<endpointId>/…`
 * (`https://api.runpod.ai` unless the credential says otherwise). Plain JSON with `{ error }`
 * bodies, sent through the same request core as GraphQL and REST v2 (retries, rate limits).
 */
import type { IDataObject } from 'n8n-workflow';

import { policyFromNode } from './policy';
import { checkedBaseUrl, credentialData } from './credentials';
import { parseJsonObject, send } from './request';
import type { Attempt, FullResponse, RequestContext } from './request';
import { parseRetryAfter } from './retry';

export const DEFAULT_SERVERLESS_BASE_URL = 'https://api.runpod.ai';

export interface JobRequest {
	method: 'GET' | 'POST';
	/** After `/v2/<endpointId>`, e.g. `/run` or `/status/<jobId>` (already encoded). */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Safe to send twice: everything except /run, /runsync and /retry. */
	idempotent: boolean;
	itemIndex?: number;
	/** Added to the per-attempt timeout, for /runsync which holds the answer back on purpose. */
	extraTimeoutMs?: number;
}

/** An answer RunPod gave on purpose (2xx, or a status the caller interprets). */
export interface JobAnswer<T> {
	status: number;
	body: T;
}

/** The base of one endpoint's job API, e.g. `https://api.runpod.ai/v2/abc123`. */
export async function endpointBaseUrl(ctx: RequestContext, endpointId: string): Promise<string> {
	const base = checkedBaseUrl(
		ctx.getNode(),
		'Serverless Base URL',
		(await credentialData(ctx)).serverlessBaseUrl,
		DEFAULT_SERVERLESS_BASE_URL,
	);
	return `${base}/v2/${encodeURIComponent(endpointId)}`;
}

/** RunPod's `{error}` text (or `detail`/`message`), if the body carries one. */
export function errorText(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 300) : undefined;
	const fields = parseJsonObject(body);
	const text = fields?.error ?? fields?.detail ?? fields?.message;
	return typeof text === 'string' ? text : undefined;
}

function readJobAnswer<T>(passStatuses: number[]) {
	return (response: FullResponse): Attempt<JobAnswer<T>> => {
		const status = response.statusCode;
		if ((status >= 200 && status < 300) || passStatuses.includes(status)) {
			return { ok: true, data: { status, body: (parseJsonObject(response.body) ?? {}) as T } };
		}
		const message = errorText(response.body);
		return {
			ok: false,
			failure: {
				kind: 'http',
				status,
				messages: message ? [message] : [],
				// A gateway error or a 500 may come after RunPod queued the job.
				ambiguous: status >= 500,
				retryAfterMs: parseRetryAfter(response.headers ?? {}),
			},
		};
	};
}

/**
 * Sends one job API request. 2xx answers and the statuses in `passStatuses` come back as they
 * are; anything else becomes a NodeApiError that says what happened and what to do.
 */
export async function jobRequest<T>(
	ctx: RequestContext,
	endpointId: string,
	request: JobRequest,
	passStatuses: number[] = [],
): Promise<JobAnswer<T>> {
	const policy = request.extraTimeoutMs
		? { timeoutMs: policyFromNode(ctx, request.itemIndex).timeoutMs + request.extraTimeoutMs }
		: undefined;
	const { data } = await send<JobAnswer<T>>(
		ctx,
		{
			method: request.method,
			url: `${await endpointBaseUrl(ctx, endpointId)}${request.path}`,
			qs: request.qs,
			body: request.body,
			read: readJobAnswer<T>(passStatuses),
		},
		{ idempotent: request.idempotent, itemIndex: request.itemIndex, ...(policy ? { policy } : {}) },
	);
	return data;
}
