import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { asNodeError, failureOf } from './errors';
import { baseUrl, parseJsonObject, send } from './request';
import type {
	Attempt,
	FullResponse,
	Recovered,
	Recovery,
	RequestContext,
	RequestOptions,
} from './request';
import { parseRetryAfter } from './retry';
import { readServerSentEvents, readStreamText } from './sse';
import type { ServerSentEvent, StreamLimits } from './sse';

/** One REST v2 request: the path below the base URL (already encoded), its query and JSON body. */
export interface RestRequest {
	method: IHttpRequestMethods;
	/** e.g. `/v2/pods/${encodeURIComponent(id)}/action`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

/** Encodes one user-supplied path segment: an ID never becomes part of the path unencoded. */
export function segment(value: string): string {
	return encodeURIComponent(value);
}

/**
 * Reads one REST v2 answer: 2xx is data (204 has none); anything else is RunPod's problem+json
 * (`title`, `detail`, `errors[]`) kept as messages, detail first.
 */
export function readRestAnswer<T>(response: FullResponse): Attempt<T> {
	const status = response.statusCode;
	if (status >= 200 && status < 300) {
		if (status === 204 || response.body === undefined || response.body === '')
			return { ok: true, data: undefined as T };
		const body = parseJsonObject(response.body);
		if (!body) {
			return {
				ok: false,
				failure: {
					kind: 'http',
					api: 'rest',
					status,
					messages: ['RunPod answered with something that is not JSON'],
					ambiguous: true,
				},
			};
		}
		return { ok: true, data: body as T };
	}
	const problem = parseJsonObject(response.body) ?? {};
	const detail =
		typeof problem.detail === 'string'
			? problem.detail
			: typeof problem.title === 'string'
				? problem.title
				: '';
	const errors = Array.isArray(problem.errors)
		? problem.errors.filter((e): e is string => typeof e === 'string')
		: [];
	return {
		ok: false,
		failure: {
			kind: 'http',
			api: 'rest',
			status,
			messages: [detail, ...errors].filter(Boolean),
			// A gateway error or a 500 may come after RunPod applied the request.
			ambiguous: status >= 500,
			retryAfterMs: parseRetryAfter(response.headers ?? {}),
		},
	};
}

/**
 * Sends one REST v2 request (through the same core as GraphQL: retries, rate limit, recovery)
 * and returns the parsed body; undefined for 204.
 */
export async function restRequest<T>(
	ctx: RequestContext,
	request: RestRequest,
	options: RequestOptions = {},
): Promise<T> {
	return (await restRequestWithRecovery<T>(ctx, request, options)).data;
}

/** A GET of one resource (`/v2/templates/<id>`…): its body, or null when RunPod answers 404. */
export async function restGetOrNull<T>(
	ctx: RequestContext,
	path: string,
	options: RequestOptions = {},
): Promise<T | null> {
	try {
		return await restRequest<T>(ctx, { method: 'GET', path }, { ...options, idempotent: true });
	} catch (error) {
		if (failureOf(error)?.status === 404) return null;
		throw asNodeError(ctx.getNode(), error, options.itemIndex);
	}
}

export async function restRequestWithRecovery<T>(
	ctx: RequestContext,
	request: RestRequest,
	options: RequestOptions = {},
	recovery?: Recovery<T>,
): Promise<Recovered<T>> {
	return await send<T>(
		ctx,
		{
			method: request.method,
			url: `${await baseUrl(ctx)}${request.path}`,
			qs: request.qs,
			body: request.body,
			readOnly: request.method === 'GET',
			read: readRestAnswer,
		},
		options,
		recovery,
	);
}

/**
 * A GET whose answer is an SSE stream (pod logs): the events read within `limits`, then the
 * node hangs up (RunPod keeps a live stream open). Errors are RunPod's problem+json, as elsewhere.
 */
export async function restEventStream(
	ctx: RequestContext,
	request: Omit<RestRequest, 'method' | 'body'>,
	limits: StreamLimits,
	options: RequestOptions = {},
): Promise<ServerSentEvent[]> {
	const { data } = await send<ServerSentEvent[]>(
		ctx,
		{
			method: 'GET',
			url: `${await baseUrl(ctx)}${request.path}`,
			qs: request.qs,
			readOnly: true,
			stream: async (body, statusCode) =>
				statusCode >= 200 && statusCode < 300
					? { events: await readServerSentEvents(body, limits) }
					: await readStreamText(body),
			read: (response) => {
				const answer = readRestAnswer<{ events: ServerSentEvent[] }>(response);
				return answer.ok ? { ok: true, data: answer.data?.events ?? [] } : answer;
			},
		},
		{ ...options, idempotent: true },
	);
	return data;
}
