import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { KEY_LACKS_SCOPE, KEY_MAY_NOT_DO_THIS } from '../../../credentials/messages';

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

/** RunPod's capacity message; it is also what RunPod answers for an unknown GPU type. */
export const NO_CAPACITY_PATTERN = /no longer any instances available/i;

const HINTS: Array<[RegExp, string]> = [
	[
		NO_CAPACITY_PATTERN,
		'RunPod has no free machine matching this request right now. Try another GPU type, set Cloud Type to Any, pick another data center, or lower the GPU count. RunPod gives the same answer for a GPU type it does not know, so check the GPU type against the GPU Type → Get Many operation.',
	],
	[/^unauthorized$/i, KEY_MAY_NOT_DO_THIS],
	[
		/not enough free GPUs on the host machine/i,
		'The machine this pod lives on has no free GPUs at the moment. Try again later, or create a new pod elsewhere (data on the pod volume stays on the old machine; network volumes move with you).',
	],
	[
		/cannot resume a spot pod as an on demand pod/i,
		'This is a spot pod: resume it with a bid. The Resume operation does that automatically for spot pods; set "Bid Per GPU" if the last bid is too low.',
	],
	[
		/something went wrong/i,
		'RunPod reported an internal failure. Try again in a few minutes; if it keeps happening, check status.runpod.io or contact RunPod support.',
	],
	[
		/is not defined by type|Cannot query field|Unknown argument|Expected type|Variable "\$/i,
		'RunPod refused the request format. RunPod may have changed its API; update the n8n-nodes-runpod-cloud package, and report it if the problem stays.',
	],
];

function hintFor(message: string): string | undefined {
	return HINTS.find(([pattern]) => pattern.test(message))?.[1];
}

export function describeFailure(failure: RunPodFailure): { message: string; description: string } {
	if (failure.unsettled) return describeUnsettled(failure, failure.unsettled);
	const { message, description } = describeOne(failure);
	const notes: string[] = [];
	if (failure.earlierAnswerLost) {
		notes.push(
			'An earlier attempt lost its answer and RunPod may have carried that one out: check the current state.',
		);
	}
	if ((failure.attempts ?? 1) > 1) notes.push(`The request was sent ${failure.attempts} times.`);
	return { message, description: [description, ...notes].join(' ') };
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

function describeUnsettled(
	failure: RunPodFailure,
	unsettled: NonNullable<RunPodFailure['unsettled']>,
): { message: string; description: string } {
	return {
		message: `The request may still be carried out: ${whatFailed(failure)}, and the result did not appear within ${unsettled.lookedSeconds} s`,
		description: `Such a failure does not mean that nothing was done: RunPod may still create it, and bill for it. The node did not send the request again. Before running again, look for ${unsettled.lookingFor}. A rerun of this item in the same execution (Retry On Fail) looks for it first and returns it when it is there.`,
	};
}

/** What every operation says once GraphQL is gone. */
export const GRAPHQL_RETIRED_MESSAGE = "RunPod's GraphQL API answered as retired";
export const GRAPHQL_RETIRED_DESCRIPTION =
	'RunPod retires its GraphQL API in early 2027. Open the RunPod API credential and set API to REST v2: the same workflows work there (spot pods and the account balance do not exist on REST v2). If you use a proxy or the sandbox, also check the Base URL.';

function describeOne(failure: RunPodFailure): { message: string; description: string } {
	const first = failure.messages[0] ?? '';
	if (failure.retired) {
		return {
			message: `${GRAPHQL_RETIRED_MESSAGE}${failure.status ? ` (HTTP ${failure.status})` : ''}`,
			description: GRAPHQL_RETIRED_DESCRIPTION,
		};
	}
	switch (failure.kind) {
		case 'network':
			return {
				message: `Could not reach RunPod${failure.code ? ` (${failure.code})` : ''}`,
				description: failure.ambiguous
					? 'The connection broke after the request was sent, so RunPod may have carried it out. Check the result (for example with Get Many) before running it again. Also check the Base URL in the RunPod API credential.'
					: 'Check the network and the Base URL in the RunPod API credential.',
			};
		case 'timeout':
			return {
				message: 'RunPod did not answer in time',
				description: failure.ambiguous
					? "The request may still have been carried out by RunPod. Check the result before running it again, or raise Timeout (Seconds) in the node's Retry and Timeout options."
					: "Try again later, or raise Timeout (Seconds) in the node's Retry and Timeout options.",
			};
		case 'http':
			return describeHttpFailure(failure, first);
		case 'graphql':
		default:
			return {
				message: first || 'RunPod returned an error without a message',
				description:
					hintFor(first) ??
					"RunPod refused the request. The message above is RunPod's own; check the values you passed.",
			};
	}
}

function describeHttpFailure(
	failure: RunPodFailure,
	first: string,
): { message: string; description: string } {
	const status = failure.status ?? 0;
	if (status === 401) {
		return {
			message: 'RunPod rejected the API key (HTTP 401)',
			description:
				'Check the API key in the RunPod API credential, or create a new key in the RunPod console → Settings → API Keys.',
		};
	}
	if (status === 403 && failure.api === 'rest') {
		return {
			message: 'The API key may not do this (HTTP 403)',
			description: KEY_LACKS_SCOPE,
		};
	}
	if (status === 403) {
		return {
			message: 'RunPod refused the request (HTTP 403)',
			description:
				"RunPod's firewall blocked the request. This is usually not about the API key: wait a moment and try again.",
		};
	}
	if (status === 429 && failure.notSent) {
		return {
			message: "RunPod's rate limit is used up: the request was not sent",
			description: `RunPod said no more requests are allowed for ${Math.ceil((failure.retryAfterMs ?? 0) / 1000)} s, longer than Max Total Wait allows. Nothing was sent. Reduce the number of items per run, or raise Max Total Wait in the node's Retry and Timeout options.`,
		};
	}
	if (status === 402) {
		return {
			message: 'RunPod refused: the account balance is too low (HTTP 402)',
			description:
				'Nothing was created. Add funds in the RunPod console → Billing, then run the node again.',
		};
	}
	if (status === 409) {
		return {
			message:
				first || "RunPod refused: the resource's current state does not allow this (HTTP 409)",
			description:
				'Read the resource with Get to see its state, and choose an operation that state allows (for example Resume a stopped pod, Stop a running one).',
		};
	}
	if (status === 422) {
		return {
			message: `RunPod refused the request format (HTTP 422)${first ? `: ${first}` : ''}`,
			description: `${failure.messages.slice(1).join('; ') || 'RunPod named no field.'} RunPod may have changed its API; update the n8n-nodes-runpod-cloud package, and report it if the problem stays.`,
		};
	}
	if (status === 404 && failure.api === 'rest') {
		return {
			message: first || 'RunPod does not know this resource (HTTP 404)',
			description:
				'Check the ID (list them with Get Many), and the Base URL in the RunPod API credential.',
		};
	}
	if (status === 429) {
		return {
			message: 'RunPod is limiting the request rate (HTTP 429)',
			description: `Too many requests in a short time${failure.retryAfterMs ? ` (RunPod asked to wait ${Math.ceil(failure.retryAfterMs / 1000)} s)` : ''}. Reduce the number of items per run, or raise Max Attempts and Max Total Wait in the node's Retry and Timeout options.`,
		};
	}
	if (status === 400) {
		return {
			message: first || 'RunPod refused the request as invalid (HTTP 400)',
			description:
				hintFor(first) ?? 'RunPod refused the request format. Check the values you passed.',
		};
	}
	if (status >= 500) {
		return {
			message: `RunPod is unavailable right now (HTTP ${status})`,
			description: failure.ambiguous
				? 'RunPod may have carried out the request before failing. Check the result (for example with Get Many) before running it again.'
				: 'Try again in a few minutes; check status.runpod.io if it persists.',
		};
	}
	return {
		message: first || `RunPod answered with HTTP ${status}`,
		description: hintFor(first) ?? 'Check the Base URL in the RunPod API credential.',
	};
}

const FAILURE_KEY = 'runpodFailure';

export function toNodeApiError(
	node: INode,
	failure: RunPodFailure,
	itemIndex?: number,
): NodeApiError {
	const { message, description } = describeFailure(failure);
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
