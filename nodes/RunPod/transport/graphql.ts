import type { IDataObject } from 'n8n-workflow';

import type { RunPodFailure } from './errors';
import { baseUrl, parseJsonObject, send } from './request';
import type {
	Attempt,
	Envelope,
	FullResponse,
	Recovered,
	Recovery,
	RequestContext,
	RequestOptions,
} from './request';
import { parseRetryAfter } from './retry';

export type { Recovered, Recovery, RequestContext, RequestOptions } from './request';

interface GraphqlError {
	message?: string;
	path?: Array<string | number>;
}

/** RunPod says GraphQL is gone with a 404/410 on /graphql, or in words. */
const RETIRED_PATTERN = /\b(deprecated|retired|sunset)\b/i;

/** Reads one GraphQL answer: `data`, or RunPod's `errors[]`, or an HTTP failure. */
export function readGraphqlAnswer<T>(
	response: FullResponse,
	options: RequestOptions = {},
): Attempt<T> {
	const body = parseJsonObject(response.body) as
		{ data?: T | null; errors?: GraphqlError[] } | undefined;
	const status = response.statusCode;
	const messages = (body?.errors ?? []).map((e) => e?.message ?? '').filter(Boolean);
	const retiredInWords = messages.some((m) => RETIRED_PATTERN.test(m) && /graphql|api/i.test(m));

	if (status !== 200) {
		return {
			ok: false,
			failure: {
				kind: 'http',
				api: 'graphql',
				status,
				messages,
				// A gateway error or a 500 may come after RunPod applied the request.
				ambiguous: status >= 500,
				retryAfterMs: parseRetryAfter(response.headers ?? {}),
				...(status === 404 || status === 410 || retiredInWords ? { retired: true } : {}),
			},
		};
	}
	if (!body) {
		return {
			ok: false,
			failure: {
				kind: 'http',
				api: 'graphql',
				status,
				messages: ['RunPod answered with something that is not JSON'],
				ambiguous: true,
			},
		};
	}
	const data = body.data;
	if (
		body.errors?.length &&
		options.partialErrors &&
		data &&
		typeof data === 'object' &&
		body.errors.every((e) => e?.path?.length)
	) {
		return { ok: true, data: data as T, errors: body.errors };
	}
	if (body.errors?.length) {
		return {
			ok: false,
			failure: {
				kind: 'graphql',
				api: 'graphql',
				status,
				messages,
				path: body.errors[0]?.path?.map(String),
				ambiguous: false,
				...(retiredInWords ? { retired: true } : {}),
			},
		};
	}
	return { ok: true, data: (body.data ?? {}) as T };
}

/** RunPod's "Something went wrong" has come with pods that started anyway (runpodctl #45). */
function mayHaveBeenApplied(failure: RunPodFailure): boolean {
	return failure.kind === 'graphql' && /something went wrong/i.test(failure.messages[0] ?? '');
}

/** A GraphQL query (as opposed to a mutation): its first operation keyword, or the `{` shorthand. */
export function isQuery(document: string): boolean {
	const start = document.replace(/^(\s|#[^\n]*\n)*/, '');
	return start.startsWith('{') || /^query\b/.test(start);
}

async function envelope<T>(
	ctx: RequestContext,
	query: string,
	variables: IDataObject,
): Promise<Envelope<T>> {
	return {
		method: 'POST',
		url: `${await baseUrl(ctx)}/graphql`,
		body: { query, variables },
		readOnly: isQuery(query),
		read: readGraphqlAnswer,
		mayHaveBeenApplied,
	};
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
 * After an answer is lost, `recovery.find` checks whether RunPod carried it out.
 */
export async function graphqlRequestWithRecovery<T>(
	ctx: RequestContext,
	query: string,
	variables: IDataObject,
	options: RequestOptions = {},
	recovery?: Recovery<T>,
): Promise<Recovered<T>> {
	return await send<T>(ctx, await envelope<T>(ctx, query, variables), options, recovery);
}
