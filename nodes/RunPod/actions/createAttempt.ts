import { NodeOperationError, randomString } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { duplicated } from '../api/errors';

/**
 * n8n's "Retry On Fail" runs the whole node again, for every item, within the same execution.
 * A create that an earlier run already sent must then be found again, not sent a second time.
 *
 * Each create gets a key that is the same in every rerun of this node for this item in this
 * execution, and different everywhere else: another execution, another node, another item, or
 * another run of the node in a loop (n8n gives each loop pass its own run index). The node's
 * execution context (kept by n8n for the whole execution, across reruns) remembers which keys
 * were sent and what came of them. Pods are also looked up by marker before the first create: a
 * queue-mode execution re-queued after a worker crash starts with a fresh context.
 */
export interface CreateAttempt {
	/** Stable across reruns of this item; safe to put into RunPod data (letters and digits only). */
	marker: string;
	/** What an earlier run recorded when it sent this create; undefined on the first run. */
	sentBefore: IDataObject | undefined;
	/** Records that the create is about to be sent, with what a rerun needs to find its result. */
	markSent(details?: IDataObject): void;
	/** Forgets the record: RunPod proved it did not carry the create out, so a rerun may send it. */
	forget(): void;
	/** What this run recorded so far (markSent), if anything. */
	recorded(): IDataObject | undefined;
}

/**
 * Records that this item's create failed without RunPod saying whether it carried it out, and
 * the node's search did not find the result (the error says what to look for).
 */
export function markUnsettled(attempt: CreateAttempt, error: unknown): void {
	const { message, description } = error as { message?: string; description?: string };
	attempt.markSent({
		...(attempt.recorded() ?? {}),
		unsettled: { message: message ?? '', description: description ?? '' },
	});
}

/**
 * On a rerun (Retry On Fail) after an unsettled create: what the earlier run reported, as the
 * reason the node does not send the create again. RunPod may still carry the first one out;
 * a new execution (a new marker) is the user's choice to make, not the node's.
 */
export function unsettledBefore(
	this: IExecuteFunctions,
	attempt: CreateAttempt,
	itemIndex: number,
): NodeOperationError | undefined {
	const unsettled = attempt.sentBefore?.unsettled as
		{ message: string; description: string } | undefined;
	if (!unsettled) return undefined;
	const message = `Not sent again: an earlier run of this item sent this create, and its outcome is still unknown`;
	const error = new NodeOperationError(this.getNode(), message, {
		itemIndex,
		description: `The earlier run reported: ${unsettled.message}. ${unsettled.description} The node still does not find the result and does not send the create a second time in this execution. Once you know what RunPod did, run the workflow again: a new execution creates anew.`,
	});
	error.message = message;
	return error;
}

/**
 * A rerun's look for what the earlier run of this create made, for resources with no field for a
 * marker: only one that was absent before the first run's create and matches it now is this
 * item's (one made elsewhere with the same name is never adopted). Several are an error naming
 * them all, since each is billed; none, after an unsettled create, is the earlier run's report.
 * Undefined on a first run, or when the earlier create made nothing and may be sent.
 */
export function earlierCreateAmong<T extends { id: string }>(
	ctx: IExecuteFunctions,
	attempt: CreateAttempt,
	itemIndex: number,
	now: T[],
	matches: (resource: T) => boolean,
	what: { resource: string; described: string },
): T | undefined {
	if (!attempt.sentBefore) return undefined;
	const known = (attempt.sentBefore.existingIds ?? []) as string[];
	const earlier = now.filter((resource) => !known.includes(resource.id) && matches(resource));
	if (earlier.length > 1) {
		throw duplicated(
			ctx.getNode(),
			what.resource,
			earlier.map((resource) => resource.id),
			`${what.described}, none there before the first run`,
			itemIndex,
		);
	}
	if (earlier.length === 1) return earlier[0];
	const unsettled = unsettledBefore.call(ctx, attempt, itemIndex);
	if (unsettled) throw unsettled;
	return undefined;
}

const CONTEXT_KEY = 'runpodCreates';
const RUN_TOKEN_KEY = 'runpodRunToken';

/** 53-bit string hash (cyrb53): short, stable markers without importing a crypto module. */
function hash53(text: string, seed: number): number {
	let h1 = 0xdeadbeef ^ seed;
	let h2 = 0x41c6ce57 ^ seed;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function safely<T>(read: () => T, fallback: T): T {
	try {
		return read() ?? fallback;
	} catch {
		return fallback;
	}
}

export function createAttempt(
	this: IExecuteFunctions,
	itemIndex: number,
	kind:
		| 'pod'
		| 'template'
		| 'volume'
		| 'job'
		| 'endpoint'
		| 'registryAuth'
		| 'ecrDelegation'
		| 'cluster',
): CreateAttempt {
	// Contexts without n8n's execution state (some unit tests) get a fresh marker: no rerun protection there.
	if (typeof this.getContext !== 'function') {
		return {
			marker: randomString(24),
			sentBefore: undefined,
			markSent: () => {},
			forget: () => {},
			recorded: () => undefined,
		};
	}
	const context = this.getContext('node');
	const executionId = safely(() => this.getExecutionId(), '');
	// A manual run without an execution id still needs one value for all its reruns.
	const run =
		executionId ||
		((context[RUN_TOKEN_KEY] as string | undefined) ?? (context[RUN_TOKEN_KEY] = randomString(24)));
	const runIndex = safely(() => Number(this.getWorkflowDataProxy(itemIndex).$runIndex), 0);
	const node = this.getNode();
	const identity = [
		safely(() => this.getInstanceId(), ''),
		safely(() => this.getWorkflow().id, ''),
		run,
		node.id || node.name,
		runIndex,
		itemIndex,
		kind,
	].join('|');
	const marker = `${hash53(identity, 1).toString(36)}${hash53(identity, 2).toString(36)}`;
	const sent = (context[CONTEXT_KEY] ??= {}) as Record<string, IDataObject>;
	return {
		marker,
		sentBefore: sent[marker],
		markSent: (details = {}) => {
			sent[marker] = details;
		},
		forget: () => {
			delete sent[marker];
		},
		recorded: () => sent[marker],
	};
}
