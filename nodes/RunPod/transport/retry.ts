import type { RunPodFailure } from './errors';

export interface RetryPolicy {
	/** Attempts in all, the first included. 1 turns retries off. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Give up once this much time has been spent on one request, waits included. */
	maxTotalMs: number;
	/** Per-attempt timeout. */
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 4,
	baseDelayMs: 500,
	maxDelayMs: 15_000,
	maxTotalMs: 90_000,
	timeoutMs: 30_000,
};

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/**
 * Whether sending the same request again is safe and useful.
 * A 429 was refused before RunPod did anything, so even a create may be resent;
 * anything else that may have been applied is resent only for idempotent requests.
 */
export function isRetryable(failure: RunPodFailure, idempotent: boolean): boolean {
	if (failure.kind === 'http' && failure.status === 429) return true;
	if (failure.kind === 'network' && !failure.ambiguous) return true;
	if (!idempotent) return false;
	if (failure.kind === 'network' || failure.kind === 'timeout') return true;
	return failure.kind === 'http' && RETRYABLE_STATUSES.has(failure.status ?? 0);
}

/** Exponential backoff with full jitter, never below what RunPod asked for. */
export function retryDelayMs(
	attempt: number,
	policy: RetryPolicy,
	failure: RunPodFailure,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
	return Math.max(jittered, failure.retryAfterMs ?? 0);
}

export type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Reads `Retry-After` (seconds or an HTTP date), else the `RateLimit` header, returning the wait
 * in milliseconds.
 */
export function parseRetryAfter(headers: HeaderBag, now: number = Date.now()): number | undefined {
	const retryAfter = header(headers, 'retry-after');
	if (retryAfter !== undefined) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
		const date = Date.parse(retryAfter);
		if (!Number.isNaN(date)) return Math.max(0, date - now);
	}
	return quotaWaitMs(headers);
}

/**
 * How long until RunPod's quota allows another request, from the `RateLimit` header: RunPod's
 * structured form (`"minute";r=0;t=12, "hour";r=2800;t=1812`: r remaining, t seconds to reset)
 * or the older `limit=100, remaining=0, reset=12`. Undefined while every window has requests left.
 */
export function quotaWaitMs(headers: HeaderBag): number | undefined {
	const rateLimit = header(headers, 'ratelimit');
	if (!rateLimit) return undefined;
	const legacyRemaining = /(?:^|[\s,;])remaining=(\d+)/i.exec(rateLimit);
	if (legacyRemaining) {
		const reset = /(?:^|[\s,;])reset=(\d+)/i.exec(rateLimit);
		return Number(legacyRemaining[1]) === 0 && reset ? Number(reset[1]) * 1000 : undefined;
	}
	let wait: number | undefined;
	for (const window of rateLimit.split(',')) {
		const remaining = /;\s*r=(\d+)/.exec(window);
		const reset = /;\s*t=(\d+)/.exec(window);
		if (remaining && reset && Number(remaining[1]) === 0)
			wait = Math.max(wait ?? 0, Number(reset[1]) * 1000);
	}
	return wait;
}

/**
 * How many more requests RunPod's quota allows right now: the smallest `r` of the `RateLimit`
 * header's windows (or the older `remaining=`). Undefined when the answer carries no quota.
 */
export function quotaRemaining(headers: HeaderBag): number | undefined {
	const rateLimit = header(headers, 'ratelimit');
	if (!rateLimit) return undefined;
	const legacyRemaining = /(?:^|[\s,;])remaining=(\d+)/i.exec(rateLimit);
	if (legacyRemaining) return Number(legacyRemaining[1]);
	let least: number | undefined;
	for (const window of rateLimit.split(',')) {
		const remaining = /;\s*r=(\d+)/.exec(window);
		if (remaining) least = Math.min(least ?? Infinity, Number(remaining[1]));
	}
	return least;
}
