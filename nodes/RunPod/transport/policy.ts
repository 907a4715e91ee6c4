import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import type { RequestContext } from './context';
import { DEFAULT_RETRY_POLICY } from './retry';
import type { RetryPolicy } from './retry';

/** The bounds of the Retry and Timeout options: the field shows them, the reading enforces them. */
export const REQUEST_POLICY_LIMITS = {
	maxAttempts: { label: 'Max Attempts', min: 1, max: 10, integer: true },
	timeoutSeconds: { label: 'Timeout (Seconds)', min: 0.1, max: 600, integer: false },
	maxTotalWaitSeconds: { label: 'Max Total Wait (Seconds)', min: 0, max: 3600, integer: false },
	maxParallelRequests: { label: 'Max Parallel Requests', min: 1, max: 100, integer: true },
} as const;

/** Requests one execution keeps in flight at most when it works on many items. */
export const DEFAULT_PARALLEL_REQUESTS = 100;

function checkLimit(
	ctx: RequestContext,
	itemIndex: number,
	field: keyof typeof REQUEST_POLICY_LIMITS,
	value: unknown,
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const { label, min, max, integer } = REQUEST_POLICY_LIMITS[field];
	const number = typeof value === 'string' ? Number(value.trim()) : value;
	const expected = `${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`;
	if (
		typeof number !== 'number' ||
		!Number.isFinite(number) ||
		number < min ||
		number > max ||
		(integer && !Number.isInteger(number))
	) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Retry and Timeout → ${label}: expected ${expected}, got ${JSON.stringify(value)}`,
			{
				itemIndex,
				description: `Set ${label} in the node's Retry and Timeout options to ${expected}, or remove the option to use the default.`,
			},
		);
	}
	return number;
}

/** The node's Retry and Timeout collection for this item; empty where the context has none. */
function policyOptions(ctx: RequestContext, itemIndex: number): IDataObject {
	// Execute contexts take (name, itemIndex, fallback); load-options contexts take (name, fallback):
	// either way a missing parameter yields a non-object, which means "defaults".
	const getParameter = ctx.getNodeParameter as
		((name: string, index: number, fallback: unknown) => unknown) | undefined;
	const raw =
		typeof getParameter === 'function'
			? getParameter.call(ctx, 'requestPolicy', itemIndex, {})
			: undefined;
	return (raw && typeof raw === 'object' ? raw : {}) as IDataObject;
}

/**
 * The retry policy the user chose in the node's Retry and Timeout options.
 * In contexts without the parameter (loading a drop-down, an older workflow) the defaults apply.
 */
export function policyFromNode(ctx: RequestContext, itemIndex?: number): RetryPolicy {
	const index = itemIndex ?? 0;
	const options = policyOptions(ctx, index);

	const maxAttempts = checkLimit(ctx, index, 'maxAttempts', options.maxAttempts);
	const timeoutSeconds = checkLimit(ctx, index, 'timeoutSeconds', options.timeoutSeconds);
	const maxTotalWaitSeconds = checkLimit(
		ctx,
		index,
		'maxTotalWaitSeconds',
		options.maxTotalWaitSeconds,
	);
	const retryEnabled = options.retryEnabled;
	if (retryEnabled !== undefined && typeof retryEnabled !== 'boolean') {
		throw new NodeOperationError(
			ctx.getNode(),
			`Retry and Timeout → Retry Failed Requests: expected true or false, got ${JSON.stringify(retryEnabled)}`,
			{
				itemIndex: index,
				description:
					'Switch Retry Failed Requests on or off, or make its expression return a boolean.',
			},
		);
	}

	return {
		...DEFAULT_RETRY_POLICY,
		...(maxAttempts !== undefined ? { maxAttempts } : {}),
		...(retryEnabled === false ? { maxAttempts: 1 } : {}),
		...(timeoutSeconds !== undefined ? { timeoutMs: Math.round(timeoutSeconds * 1000) } : {}),
		...(maxTotalWaitSeconds !== undefined
			? { maxTotalMs: Math.round(maxTotalWaitSeconds * 1000) }
			: {}),
	};
}

/** The node's Max Parallel Requests option (the first item's value counts for the whole run). */
export function parallelRequestsFromNode(ctx: RequestContext, itemIndex = 0): number {
	const options = policyOptions(ctx, itemIndex);
	return (
		checkLimit(ctx, itemIndex, 'maxParallelRequests', options.maxParallelRequests) ??
		DEFAULT_PARALLEL_REQUESTS
	);
}
