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
	| { kind: 'dropAfterApply'; mode: 'reset' | 'hang'; hangMs?: number };

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

	/** No faults at all: configuration and queue cleared. */
	clear(): void {
		this.config = {};
		this.queue = [];
		this.random = undefined;
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
