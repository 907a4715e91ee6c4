/** What a REST route module exports: handlers keyed by OpenAPI operation id, plus answer helpers. */
import type { SandboxContext } from '../context';

export interface RestRequest {
	ctx: SandboxContext;
	/** Path and query parameters, already validated and coerced by the OpenAPI schemas. */
	params: Record<string, unknown>;
	/** The validated JSON body (undefined when the operation has none). */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

export interface RestAnswer {
	status: number;
	/** JSON body; absent for 204. */
	body?: unknown;
	/** A Server-Sent Events answer instead of JSON (pod logs). */
	events?: ServerSentEvents;
}

/** SSE events (each an `id:` and a JSON `data:` line); `keepOpen` holds the stream open after them, as a live log does. */
export interface ServerSentEvents {
	list: Array<{ id: string; data: unknown }>;
	keepOpen: boolean;
}

/** A route: the method and path come from the OpenAPI document, by operation id. */
export interface RestRoute {
	operationId: string;
	handle(request: RestRequest): RestAnswer;
}

/** A refusal decided by a route (not by the shared business rules), answered as problem+json. */
export class RestProblem extends Error {
	constructor(
		readonly status: number,
		detail: string,
		readonly errors?: string[],
	) {
		super(detail);
	}
}

export const ok = (body: unknown): RestAnswer => ({ status: 200, body });
export const created = (body: unknown): RestAnswer => ({ status: 201, body });
export const noContent = (): RestAnswer => ({ status: 204 });
export const eventStream = (list: ServerSentEvents['list'], keepOpen: boolean): RestAnswer => ({
	status: 200,
	events: { list, keepOpen },
});
