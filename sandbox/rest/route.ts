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
	/** Set for an answer that is not JSON (a log stream): `body` is then its text, sent as is. */
	contentType?: string;
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
/** A Server-Sent Events answer (log streams): the backfill, then the stream stays open with nothing live, as on RunPod. */
export const eventStream = (text: string): RestAnswer => ({
	status: 200,
	body: text,
	contentType: 'text/event-stream',
});
