import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { asNodeError, failureOf } from '../transport/errors';
import type { RunPodFailure } from '../transport/errors';

/**
 * What went wrong, in RunPod's terms and free of protocol: the api layer raises these on both
 * APIs, and actions catch them by kind. Each is a normal n8n error (message, description, item),
 * so one that is not caught still tells the user what happened and what to do.
 */
export type DomainErrorKind =
	| 'NoCapacity'
	/** RunPod's catalog has no GPU type with this ID (GraphQL answers it as "no capacity", REST v2 refuses it). */
	| 'UnknownGpuType'
	| 'NotFound'
	| 'NameTaken'
	| 'InvalidState'
	| 'InsufficientBalance'
	| 'NotOfferedByThisApi'
	| 'GraphqlRetired'
	/** One create made more than one resource (ids): each is billed, none is returned as the result. */
	| 'Duplicated'
	/** A create failed ambiguously and its result did not appear: RunPod may still carry it out. */
	| 'Unsettled';

export interface DomainErrorInfo {
	kind: DomainErrorKind;
	/** e.g. "pod", "template", "network volume". */
	resource?: string;
	id?: string;
	/** InvalidState: the state that refused the request, e.g. EXITED. */
	state?: string;
	/** NotOfferedByThisApi: what to do instead. */
	alternative?: string;
	/** Duplicated: every resource the create made. */
	ids?: string[];
}

const DOMAIN_KEY = 'runpodDomainError';

type NodeError = ReturnType<typeof asNodeError>;

/** Marks an error (a transport error, or a new one) with its domain meaning. */
function tag(error: NodeError, info: DomainErrorInfo): NodeError {
	error.context[DOMAIN_KEY] = info;
	return error;
}

/** The domain meaning of an error raised by the api layer, if it has one. */
export function domainErrorOf(error: unknown): DomainErrorInfo | undefined {
	// Duck-typed: n8n may load its own copy of n8n-workflow, so `instanceof` is not reliable.
	const context = (error as { context?: Record<string, unknown> } | undefined)?.context;
	const info = context?.[DOMAIN_KEY] as DomainErrorInfo | undefined;
	if (info) return info;
	return failureOf(error)?.unsettled ? { kind: 'Unsettled' } : undefined;
}

export function isDomainError(error: unknown, kind: DomainErrorKind): boolean {
	return domainErrorOf(error)?.kind === kind;
}

/** A new domain error with its own words. */
export function domainError(
	node: INode,
	info: DomainErrorInfo,
	message: string,
	description: string,
	itemIndex?: number,
): NodeOperationError {
	const error = new NodeOperationError(node, message, { itemIndex, description });
	error.message = message;
	return tag(error, info) as NodeOperationError;
}

/** Keeps RunPod's own error (its message and hint) and adds the domain meaning. */
export function asDomainError(
	node: INode,
	error: unknown,
	info: DomainErrorInfo,
	itemIndex?: number,
): NodeError {
	return tag(asNodeError(node, error, itemIndex), info);
}

/** The transport's failure behind an error, for the api layer only (actions never look at it). */
export function transportFailureOf(error: unknown): RunPodFailure | undefined {
	return failureOf(error);
}

/** RunPod's capacity message (written once, in failureAdvice.ts, which turns it into a hint). */
export { NO_CAPACITY_PATTERN } from './failureAdvice';

/** n8n's error for an item, whatever failed (a RunPod answer, a domain error, a bug): what actions throw. */
export { asNodeError } from '../transport/errors';

/** RunPod's answer when a template name is taken. */
export const NAME_TAKEN_PATTERN =
	/must be unique|already exists|already in use|duplicate|name.*taken/i;

/** Something REST v2 (or GraphQL) does not offer, with what to do instead. */
export function notOffered(
	node: INode,
	what: string,
	alternative: string,
	itemIndex?: number,
): NodeOperationError {
	return domainError(
		node,
		{ kind: 'NotOfferedByThisApi', alternative },
		`${what} is not offered by RunPod's REST API v2`,
		`${alternative} Nothing was sent to RunPod.`,
		itemIndex,
	);
}

/** An operation that exists only on REST v2, asked of the GraphQL adapter: refused before any request. */
export function needsRestV2(node: INode, what: string, itemIndex?: number): NodeOperationError {
	return domainError(
		node,
		{
			kind: 'NotOfferedByThisApi',
			alternative: 'Switch the RunPod API credential to REST v2.',
		},
		`${what} needs RunPod's REST API v2`,
		"Open the RunPod API credential and set API to REST v2 (RunPod retires GraphQL in early 2027; the node's other operations work the same on REST v2). Nothing was sent to RunPod.",
		itemIndex,
	);
}

/** The retirement failure of GraphQL as a domain error, for every operation alike. */
export function retiredOr(node: INode, error: unknown, itemIndex?: number): unknown {
	const failure = failureOf(error);
	return failure?.retired
		? asDomainError(node, error, { kind: 'GraphqlRetired' }, itemIndex)
		: error;
}

/**
 * More than one resource carries one create's marker: RunPod carried the create out twice (an
 * earlier version of the node resent it, or a re-queued execution sent it again). Every one is
 * billed, so the error names them all instead of returning one and hiding the other.
 */
export function duplicated(
	node: INode,
	resource: string,
	ids: string[],
	marker: string,
	itemIndex?: number,
): NodeOperationError {
	return domainError(
		node,
		{ kind: 'Duplicated', resource, ids },
		`${ids.length} ${resource}s match this item's create: ${ids.join(', ')}`,
		`Each matches this item's create (${marker}) and each is billed; the node returns none of them rather than guess. Keep the one you want and delete the others (for pods: Pod → Terminate); a rerun of this item in the same execution then returns the one left, marked recovered.`,
		itemIndex,
	);
}
