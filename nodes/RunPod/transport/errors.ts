import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

/** What went wrong talking to RunPod, free of anything secret (never headers, never the key). */
export interface RunPodFailure {
	kind: 'graphql' | 'http' | 'network' | 'timeout';
	/** Which of RunPod's APIs answered: its statuses mean different things (a 403 is a firewall on GraphQL, a missing scope on REST). */
	api?: 'graphql' | 'rest';
	/** RunPod's GraphQL API answered as retired (404/410 on /graphql, or a message saying so). */
	retired?: boolean;
	/** The node did not send the request at all (RunPod's rate limit said to wait longer than the policy allows). */
	notSent?: boolean;
	/** HTTP status, when RunPod (or a proxy in front of it) answered. */
	status?: number;
	/** RunPod's own messages, in order. */
	messages: string[];
	/** GraphQL `path` of the first error, e.g. ["podTerminate"]. */
	path?: string[];
	/** The request may have reached RunPod and been applied although no answer came back. */
	ambiguous: boolean;
	/** How long RunPod asked us to wait before trying again. */
	retryAfterMs?: number;
	/** Low-level network code such as ECONNRESET. */
	code?: string;
	/** How many times the request was sent before the node gave up. */
	attempts?: number;
	/**
	 * A request that must not be sent twice failed ambiguously, and its result did not appear
	 * while the node looked for it: RunPod may still carry it out. The node did not resend it.
	 */
	unsettled?: { lookingFor: string; lookedSeconds: number };
	/**
	 * An earlier attempt of this (idempotent) request lost its answer and may have been carried out,
	 * so a "not found" now may mean that attempt succeeded.
	 */
	earlierAnswerLost?: boolean;
}

/**
 * Which failure it was, in a form both layers switch on: the transport words the message (what
 * happened), the api layer the advice (what to do, in the node's words). A new case is a compile
 * error in both tables.
 */
export type FailureCase =
	| 'unsettled'
	| 'retired'
	| 'network'
	| 'timeout'
	| 'keyRejected'
	| 'scopeMissing'
	| 'firewall'
	| 'quotaNotSent'
	| 'balanceTooLow'
	| 'stateConflict'
	| 'formatRefused'
	| 'notFound'
	| 'rateLimited'
	| 'invalidRequest'
	| 'unavailable'
	| 'otherHttp'
	| 'refused';

export function failureCase(failure: RunPodFailure): FailureCase {
	if (failure.unsettled) return 'unsettled';
	if (failure.retired) return 'retired';
	if (failure.kind === 'network' || failure.kind === 'timeout') return failure.kind;
	if (failure.kind === 'graphql') return 'refused';
	const status = failure.status ?? 0;
	if (status === 401) return 'keyRejected';
	// A 403 means a missing scope on REST, RunPod's firewall on GraphQL.
	if (status === 403) return failure.api === 'rest' ? 'scopeMissing' : 'firewall';
	if (status === 429) return failure.notSent ? 'quotaNotSent' : 'rateLimited';
	if (status === 402) return 'balanceTooLow';
	if (status === 409) return 'stateConflict';
	if (status === 422) return 'formatRefused';
	if (status === 404 && failure.api === 'rest') return 'notFound';
	if (status === 400) return 'invalidRequest';
	if (status >= 500) return 'unavailable';
	return 'otherHttp';
}

/** What a failure was, in a few words: "HTTP 504", "the connection broke (ECONNRESET)", "no answer in time". */
function whatFailed(failure: RunPodFailure): string {
	if (failure.kind === 'timeout') return 'RunPod did not answer in time';
	if (failure.kind === 'network')
		return `the connection broke before RunPod answered${failure.code ? ` (${failure.code})` : ''}`;
	if (failure.kind === 'graphql') return `RunPod answered "${failure.messages[0] ?? 'an error'}"`;
	const status = failure.status ?? 0;
	return status >= 502 && status <= 504
		? `RunPod's gateway answered HTTP ${status}`
		: `RunPod answered HTTP ${status || 'with an error'}`;
}

const MESSAGES: Record<FailureCase, (failure: RunPodFailure, first: string) => string> = {
	unsettled: (failure) =>
		`The request may still be carried out: ${whatFailed(failure)}, and the result did not appear within ${failure.unsettled?.lookedSeconds ?? 0} s`,
	retired: (failure) =>
		`RunPod's GraphQL API answered as retired${failure.status ? ` (HTTP ${failure.status})` : ''}`,
	network: (failure) => `Could not reach RunPod${failure.code ? ` (${failure.code})` : ''}`,
	timeout: () => 'RunPod did not answer in time',
	keyRejected: () => 'RunPod rejected the API key (HTTP 401)',
	scopeMissing: () => 'The API key may not do this (HTTP 403)',
	firewall: () => 'RunPod refused the request (HTTP 403)',
	quotaNotSent: () => "RunPod's rate limit is used up: the request was not sent",
	balanceTooLow: () => 'RunPod refused: the account balance is too low (HTTP 402)',
	stateConflict: (_, first) =>
		first || "RunPod refused: the resource's current state does not allow this (HTTP 409)",
	formatRefused: (_, first) =>
		`RunPod refused the request format (HTTP 422)${first ? `: ${first}` : ''}`,
	notFound: (_, first) => first || 'RunPod does not know this resource (HTTP 404)',
	rateLimited: () => 'RunPod is limiting the request rate (HTTP 429)',
	invalidRequest: (_, first) => first || 'RunPod refused the request as invalid (HTTP 400)',
	unavailable: (failure) => `RunPod is unavailable right now (HTTP ${failure.status ?? 0})`,
	otherHttp: (failure, first) => first || `RunPod answered with HTTP ${failure.status ?? 0}`,
	refused: (_, first) => first || 'RunPod returned an error without a message',
};

/**
 * What happened, in a sentence free of the node's words. What to do about it (which option, which
 * operation) is the api layer's advice (api/failureAdvice.ts), added before an error leaves it.
 */
export function failureMessage(failure: RunPodFailure): string {
	return MESSAGES[failureCase(failure)](failure, failure.messages[0] ?? '');
}

/** The facts behind a failure, until the api layer words its advice. */
function factualDescription(failure: RunPodFailure): string {
	const answer = failure.messages.length ? `RunPod's answer: ${failure.messages.join('; ')}.` : '';
	return [answer, failure.attempts && failure.attempts > 1 ? `Sent ${failure.attempts} times.` : '']
		.filter(Boolean)
		.join(' ');
}

const FAILURE_KEY = 'runpodFailure';

export function toNodeApiError(
	node: INode,
	failure: RunPodFailure,
	itemIndex?: number,
): NodeApiError {
	const message = failureMessage(failure);
	const description = factualDescription(failure);
	const error = new NodeApiError(node, { ...failure } as unknown as JsonObject, {
		message,
		description,
		itemIndex,
		httpCode: failure.status ? String(failure.status) : undefined,
	});
	// NodeApiError swaps in its generic text when a message mentions a code such as ECONNRESET;
	// ours already says what happened and what to do, so keep it.
	error.message = message;
	error.description = description;
	error.context[FAILURE_KEY] = failure;
	return error;
}

const UNCHECKED_KEY = 'runpodUnchecked';

/** A request that may have been carried out, whose result the node could not look for. */
export interface UncheckedFailure {
	/** What to look for, e.g. `a pod with N8N_RUNPOD_CREATE_ID=…`. */
	lookingFor: string;
	/** Why the look failed. */
	why: string;
}

export function uncheckedError(
	node: INode,
	failure: RunPodFailure,
	unchecked: UncheckedFailure,
	itemIndex?: number,
): NodeOperationError {
	const message = `${failureMessage(failure)}, and the node could not check whether RunPod carried the request out`;
	const error = new NodeOperationError(node, message, {
		itemIndex,
		description: `RunPod may have done it (and may be billing for it). Look for ${unchecked.lookingFor} before running again. The check failed because: ${unchecked.why}.`,
	});
	// n8n swaps in generic text for messages that mention codes such as ECONNRESET; keep ours.
	error.message = message;
	error.context[UNCHECKED_KEY] = unchecked;
	return error;
}

export function uncheckedOf(error: unknown): UncheckedFailure | undefined {
	const context = (error as { context?: Record<string, unknown> } | undefined)?.context;
	return context?.[UNCHECKED_KEY] as UncheckedFailure | undefined;
}

/** The RunPod failure behind an error raised by the transport, if it is one. */
export function failureOf(error: unknown): RunPodFailure | undefined {
	// Duck-typed: n8n may load its own copy of n8n-workflow, so `instanceof` is not reliable.
	const context = (error as { context?: Record<string, unknown> } | undefined)?.context;
	return context?.[FAILURE_KEY] as RunPodFailure | undefined;
}

/** Keeps n8n's own node errors as they are and wraps anything else, so nothing raw reaches the user. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	const name = (error as Error | undefined)?.name;
	if (name === 'NodeApiError' || name === 'NodeOperationError') {
		const nodeError = error as NodeApiError | NodeOperationError;
		if (itemIndex !== undefined && nodeError.context && nodeError.context.itemIndex === undefined) {
			nodeError.context.itemIndex = itemIndex;
		}
		return nodeError;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}
