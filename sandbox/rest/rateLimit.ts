/**
 * RunPod's per-key REST quota: fixed windows (minute, hour, day by default), each with its own
 * quota, reported in the IETF RateLimit / RateLimit-Policy structured-field headers (docs/runpod-rest-v2-notes.md §2).
 */

export interface RateLimitWindow {
	/** The policy name in the headers, e.g. "minute". */
	name: string;
	/** Requests allowed per window. */
	quota: number;
	windowSeconds: number;
}

/**
 * RunPod does not document its quotas; the example in its docs is 60/minute, 3000/hour and
 * 50000/day, but more than 60 a minute was observed. The sandbox defaults to roomier windows so
 * examples and workflow tests never stall; tests that need a 429 pass small ones.
 */
export const DEFAULT_RATE_LIMITS: readonly RateLimitWindow[] = [
	{ name: 'minute', quota: 600, windowSeconds: 60 },
	{ name: 'hour', quota: 20000, windowSeconds: 3600 },
	{ name: 'day', quota: 200000, windowSeconds: 86400 },
];

interface WindowCount {
	startedAtMs: number;
	used: number;
}

export interface RateLimitVerdict {
	allowed: boolean;
	headers: Record<string, string>;
	/** Seconds until the exhausted window(s) reset; set when refused. */
	retryAfterSeconds?: number;
	/** The window that refused the request. */
	exceeded?: string;
}

export class RateLimiter {
	private readonly counts = new Map<string, WindowCount[]>();

	constructor(private readonly windows: readonly RateLimitWindow[] = DEFAULT_RATE_LIMITS) {
		for (const window of windows) {
			if (
				!(window.quota >= 1) ||
				!(window.windowSeconds >= 1) ||
				!/^[a-z][a-z0-9_-]*$/i.test(window.name)
			) {
				throw new RangeError(
					`Invalid rate-limit window ${JSON.stringify(window)}: quota and windowSeconds ≥ 1, a plain name`,
				);
			}
		}
	}

	/** Counts one request for this key, unless a window is exhausted. */
	take(key: string, nowMs: number): RateLimitVerdict {
		const counts = this.current(key, nowMs);
		const exhausted = this.windows
			.map((window, i) => ({ window, count: counts[i] }))
			.filter(({ window, count }) => count.used >= window.quota);
		if (exhausted.length === 0) for (const count of counts) count.used += 1;
		const headers = this.headers(counts, nowMs);
		if (exhausted.length === 0) return { allowed: true, headers };
		const longest = exhausted.reduce((a, b) =>
			this.resetSeconds(a.window, a.count, nowMs) >= this.resetSeconds(b.window, b.count, nowMs)
				? a
				: b,
		);
		return {
			allowed: false,
			headers,
			retryAfterSeconds: this.resetSeconds(longest.window, longest.count, nowMs),
			exceeded: longest.window.name,
		};
	}

	/** Forgets every key's usage (sandbox.reset()). */
	clear(): void {
		this.counts.clear();
	}

	private current(key: string, nowMs: number): WindowCount[] {
		const counts =
			this.counts.get(key) ?? this.windows.map(() => ({ startedAtMs: nowMs, used: 0 }));
		this.windows.forEach((window, i) => {
			if (nowMs - counts[i].startedAtMs >= window.windowSeconds * 1000)
				counts[i] = { startedAtMs: nowMs, used: 0 };
		});
		this.counts.set(key, counts);
		return counts;
	}

	private resetSeconds(window: RateLimitWindow, count: WindowCount, nowMs: number): number {
		return Math.max(1, Math.ceil((count.startedAtMs + window.windowSeconds * 1000 - nowMs) / 1000));
	}

	private headers(counts: WindowCount[], nowMs: number): Record<string, string> {
		const limit = this.windows.map(
			(w, i) =>
				`"${w.name}";r=${Math.max(0, w.quota - counts[i].used)};t=${this.resetSeconds(w, counts[i], nowMs)}`,
		);
		const policy = this.windows.map((w) => `"${w.name}";q=${w.quota};w=${w.windowSeconds}`);
		return { ratelimit: limit.join(', '), 'ratelimit-policy': policy.join(', ') };
	}
}
