import { sleep } from 'n8n-workflow';

/**
 * How many requests one node execution has in flight at once. It starts at the user's limit,
 * halves on every rate limit (HTTP 429) and holds all new requests for RunPod's Retry-After,
 * then widens again by one after a full window of successes. One window per execution: nothing
 * is kept between executions.
 */
export class RequestWindow {
	private inFlight = 0;
	private width: number;
	private successes = 0;
	private pausedUntil = 0;
	private waiting: Array<() => void> = [];

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
			if (this.inFlight < this.width) {
				this.inFlight++;
				return;
			}
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
	}

	/** Ends a request; `rateLimited` narrows the window, and `waitMs` holds every new start that long. */
	release(outcome: { rateLimited?: boolean; waitMs?: number } = {}): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
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
