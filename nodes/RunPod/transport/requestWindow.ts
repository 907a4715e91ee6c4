import { sleep } from 'n8n-workflow';

/**
 * How many requests one node execution has in flight at once. It starts at the user's limit,
 * halves on every rate limit (HTTP 429) and holds all new requests for RunPod's Retry-After,
 * then widens again by one after a full window of successes. When RunPod's answers say how many
 * requests its quota still allows, no more than that are sent: requests still in flight count
 * as used, since RunPod may not have counted them yet. One window per execution: nothing is
 * kept between executions.
 */
export class RequestWindow {
	private inFlight = 0;
	private width: number;
	private successes = 0;
	private pausedUntil = 0;
	private waiting: Array<() => void> = [];
	/** Starts RunPod's quota allows until the next answer says otherwise; undefined: not known. */
	private quotaLeft: number | undefined;

	constructor(readonly maxWidth: number) {
		this.width = Math.max(1, Math.floor(maxWidth));
	}

	/** Requests allowed in flight right now. */
	get currentWidth(): number {
		return this.width;
	}

	/** Resolves when a request may start; pair every call with `release`. */
	async acquire(): Promise<void> {
		for (;;) {
			const pause = this.pausedUntil - Date.now();
			if (pause > 0) {
				await sleep(pause);
				continue;
			}
			// With the quota used up and nothing in flight, one request goes: the caller waits out
			// RunPod's reset first (request core), and its answer tells the window the new quota.
			const quotaAllows = this.quotaLeft === undefined || this.quotaLeft > 0 || this.inFlight === 0;
			if (this.inFlight < this.width && quotaAllows) {
				this.inFlight++;
				if (this.quotaLeft !== undefined) this.quotaLeft = Math.max(0, this.quotaLeft - 1);
				return;
			}
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
	}

	/**
	 * Ends a request; `rateLimited` narrows the window, `waitMs` holds every new start that long,
	 * and `quotaRemaining` is what RunPod's RateLimit header said is left.
	 */
	release(outcome: { rateLimited?: boolean; waitMs?: number; quotaRemaining?: number } = {}): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (outcome.quotaRemaining !== undefined)
			this.quotaLeft = Math.max(0, outcome.quotaRemaining - this.inFlight);
		if (outcome.rateLimited) {
			this.width = Math.max(1, Math.floor(this.width / 2));
			this.successes = 0;
		} else if (++this.successes >= this.width && this.width < this.maxWidth) {
			this.width++;
			this.successes = 0;
		}
		if (outcome.waitMs && outcome.waitMs > 0)
			this.pausedUntil = Math.max(this.pausedUntil, Date.now() + outcome.waitMs);
		// Everyone waiting checks again; those that do not fit go back in line.
		const woken = this.waiting;
		this.waiting = [];
		for (const wake of woken) wake();
	}
}
