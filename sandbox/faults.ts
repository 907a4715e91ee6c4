/**
 * Fault injection: what the network and RunPod's edge do to a request on a bad day.
 * One-shot faults are queued with next(); a seeded rate of random faults comes from set().
 */
import { SeededRandom } from './random';

export type FaultKind =
	/** The answer comes this much later (the request still succeeds). */
	| { kind: 'latency'; ms: number }
	/** Rate limited at the edge; the request is not executed. Body defaults to a small HTML page. */
	| { kind: 'http429'; retryAfterSeconds?: number; body?: 'html' | 'json' }
	/** A gateway or server failure; the request is not executed. */
	| { kind: 'http5xx'; status: 500 | 502 | 503 | 504; body: 'html' | 'json' }
	/**
	 * The request IS executed (a create really rents a pod) but the answer never arrives:
	 * 'reset' destroys the socket, 'hang' holds it open for hangMs (default 60 s) and then destroys it.
	 */
	| { kind: 'dropAfterApply'; mode: 'reset' | 'hang'; hangMs?: number }
	/**
	 * RunPod's ambiguous failure as a busy gateway gives it: the client gets a 502 or 504 (or a
	 * reset, or a socket held open for hangMs) NOW, and the request is carried out LATER, after
	 * applyAfterMs, as if it had been queued behind the gateway. A lookup right after the failure
	 * finds nothing; one after applyAfterMs finds what the request made.
	 */
	| {
			kind: 'lateApply';
			answer: 502 | 504 | 'reset' | 'hang';
			applyAfterMs: number;
			hangMs?: number;
	  };

export interface FaultConfig {
	/** Added to every request (GraphQL and REST). */
	latencyMs?: number;
	/** Each request fails with probability `rate`, with a kind drawn from `kinds`; same seed, same sequence. */
	random?: { rate: number; seed?: number; kinds: FaultKind[] };
}

export interface FaultFilter {
	/**
	 * Only a request whose GraphQL document has this top-level field (e.g. 'podFindAndDeployOnDemand'),
	 * or a REST request for this OpenAPI operation id (e.g. 'createPod', 'podAction').
	 */
	field?: string;
}

interface QueuedFault {
	fault: FaultKind;
	filter?: FaultFilter;
}

export class FaultController {
	private config: FaultConfig = {};
	private queue: QueuedFault[] = [];
	private random: SeededRandom | undefined;
	/** Late applies waiting for their time: each resolves true when due, false when cancelled. */
	private readonly waiting = new Map<NodeJS.Timeout, (apply: boolean) => void>();
	private readonly applying = new Set<Promise<unknown>>();

	constructor(
		private readonly defaultSeed: number,
		initial?: FaultConfig,
	) {
		if (initial) this.set(initial);
	}

	/** Replaces the standing configuration and restarts the random sequence. Queued one-shots stay. */
	set(config: FaultConfig): void {
		if (config.random && (config.random.rate < 0 || config.random.rate > 1)) {
			throw new RangeError('faults.random.rate must be between 0 and 1');
		}
		this.config = { ...config };
		this.random = config.random
			? SeededRandom.fromSeed(config.random.seed ?? this.defaultSeed)
			: undefined;
	}

	/** No faults at all: configuration and queue cleared, late applies not yet due cancelled. */
	clear(): void {
		this.config = {};
		this.queue = [];
		this.random = undefined;
		this.cancelLate();
	}

	/** Cancels the late applies that are not due yet (reset, close): they never happen. */
	cancelLate(): void {
		for (const [timer, resolve] of this.waiting) {
			clearTimeout(timer);
			resolve(false);
		}
		this.waiting.clear();
	}

	/**
	 * Waits until a late apply is due: true then, false when it was cancelled meanwhile. The
	 * handler carries the request out after a true, and `settled()` waits for that work too.
	 */
	later(ms: number, work: () => Promise<void>): void {
		const due = new Promise<boolean>((resolve) => {
			const timer = setTimeout(() => {
				this.waiting.delete(timer);
				resolve(true);
			}, ms);
			this.waiting.set(timer, resolve);
		});
		const done: Promise<void> = due
			.then(async (apply) => (apply ? await work() : undefined))
			.catch(() => undefined)
			.finally(() => this.applying.delete(done));
		this.applying.add(done);
	}

	/** How many late applies have not finished yet. */
	get lateApplies(): number {
		return this.applying.size;
	}

	/** Resolves once every late apply queued so far has been carried out (or cancelled). */
	async settled(): Promise<void> {
		while (this.applying.size > 0) await Promise.all([...this.applying]);
	}

	/** Queues a fault for the next request (that matches the filter). */
	next(fault: FaultKind, filter?: FaultFilter): void {
		this.queue.push({ fault, filter });
	}

	get pending(): number {
		return this.queue.length;
	}

	get latencyMs(): number {
		return this.config.latencyMs ?? 0;
	}

	/** The fault for a request with these top-level fields: a matching queued one first, else a random draw. */
	take(fields: readonly string[]): FaultKind | undefined {
		const index = this.queue.findIndex(
			(queued) => !queued.filter?.field || fields.includes(queued.filter.field),
		);
		// Draw even when a queued fault wins, so the random sequence depends only on the request count.
		const drawn = this.draw();
		if (index >= 0) return this.queue.splice(index, 1)[0].fault;
		return drawn;
	}

	private draw(): FaultKind | undefined {
		const random = this.config.random;
		if (!random || !this.random || random.kinds.length === 0) return undefined;
		const hit = this.random.next() < random.rate;
		const kind = this.random.pick(random.kinds);
		return hit ? kind : undefined;
	}
}
