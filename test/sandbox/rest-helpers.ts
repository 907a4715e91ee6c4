/**
 * REST v2 client for the sandbox tests: real HTTP through Node's fetch, and every answer checked
 * against the response schema that openapi.json gives for its operation and status.
 */
import type { ValidateFunction } from 'ajv/dist/2020';

import type { Sandbox } from '../../sandbox';
import {
	createAjv,
	describeErrors,
	loadOpenApi,
	operations,
	pointer,
	resolveRef,
} from '../../sandbox/rest/openapi';

export interface RestAnswer {
	status: number;
	headers: Headers;
	/** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
	body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface CallOptions {
	/** Path parameters, e.g. { id: 'abc' }. */
	path?: Record<string, string>;
	/** Query string parameters, sent as given. */
	query?: Record<string, string | number | boolean>;
	body?: unknown;
	/** null sends no Authorization header; default is the full-access key. */
	key?: string | null;
}

const ajv = createAjv();
const compiled = new Map<string, ValidateFunction>();

/** The response schema the document gives this operation for this status (or its default). */
function responseSchema(
	operationId: string,
	status: number,
): { pointer: string; contentType: string } | undefined {
	const info = operations().get(operationId);
	if (!info) throw new Error(`openapi.json has no operation ${operationId}`);
	const responses = info.operation.responses as Record<
		string,
		{ $ref?: string; content?: Record<string, unknown> }
	>;
	const key = responses[String(status)] ? String(status) : 'default';
	let response = responses[key];
	let base = ['paths', info.path, info.method.toLowerCase(), 'responses', key];
	if (response?.$ref) {
		const name = response.$ref.split('/').pop() as string;
		base = ['components', 'responses', name];
		response = resolveRef(loadOpenApi(), response);
	}
	if (!response) throw new Error(`${operationId} documents no ${status} answer and no default`);
	if (!response.content) return undefined;
	const contentType = Object.keys(response.content)[0];
	return { pointer: pointer(...base, 'content', contentType, 'schema'), contentType };
}

/** Fails (throws) unless the answer matches the document's schema for its operation and status. */
export function expectMatchesSpec(operationId: string, answer: RestAnswer): void {
	const info = operations().get(operationId);
	const documented =
		info && (info.operation.responses[String(answer.status)] ?? info.operation.responses.default);
	if (!documented) throw new Error(`${operationId} does not document status ${answer.status}`);
	const expected = responseSchema(operationId, answer.status);
	if (!expected) {
		if (answer.body !== undefined)
			throw new Error(
				`${operationId} ${answer.status} must have no body, got ${JSON.stringify(answer.body)}`,
			);
		return;
	}
	const contentType = answer.headers.get('content-type') ?? '';
	if (!contentType.startsWith(expected.contentType))
		throw new Error(
			`${operationId} ${answer.status}: content-type ${contentType}, want ${expected.contentType}`,
		);
	const key = `${expected.pointer}`;
	let validate = compiled.get(key);
	if (!validate) {
		validate = ajv.compile({ $ref: expected.pointer });
		compiled.set(key, validate);
	}
	if (!validate(answer.body)) {
		throw new Error(
			`${operationId} ${answer.status} answer does not match openapi.json: ${describeErrors(validate.errors).join('; ')}\n${JSON.stringify(answer.body).slice(0, 2000)}`,
		);
	}
}

/** Raw request: no spec check (for paths and methods the document does not have). */
export async function send(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: unknown,
	key: string | null = sandbox.apiKey,
	rawBody?: string,
): Promise<RestAnswer> {
	const headers: Record<string, string> = {};
	if (key !== null) headers.authorization = `Bearer ${key}`;
	if (body !== undefined || rawBody !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers,
		body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
	});
	const text = await response.text();
	let parsed: unknown = text === '' ? undefined : text;
	try {
		if (text !== '') parsed = JSON.parse(text);
	} catch {
		// Not JSON (an HTML error page): keep the text.
	}
	return { status: response.status, headers: response.headers, body: parsed };
}

/** Calls an operation by its id and checks the answer against the document. */
export async function call(
	sandbox: Sandbox,
	operationId: string,
	options: CallOptions = {},
): Promise<RestAnswer> {
	const info = operations().get(operationId);
	if (!info) throw new Error(`openapi.json has no operation ${operationId}`);
	const path = info.path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
		const value = options.path?.[name];
		if (value === undefined) throw new Error(`${operationId} needs path parameter ${name}`);
		return encodeURIComponent(value);
	});
	const query = options.query
		? `?${new URLSearchParams(Object.entries(options.query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`
		: '';
	const answer = await send(
		sandbox,
		info.method,
		path + query,
		options.body,
		options.key === undefined ? sandbox.apiKey : options.key,
	);
	expectMatchesSpec(operationId, answer);
	return answer;
}

/** Calls and returns the body, failing the test unless the status is the expected one. */
export async function expectStatus(
	sandbox: Sandbox,
	status: number,
	operationId: string,
	options: CallOptions = {},
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads any field
): Promise<any> {
	const answer = await call(sandbox, operationId, options);
	if (answer.status !== status)
		throw new Error(
			`${operationId}: want ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`,
		);
	return answer.body;
}

export const GPU = 'NVIDIA GeForce RTX 4090';

export function podBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		name: 'rest-pod',
		image: 'runpod/pytorch:2.4.0',
		gpu: { id: GPU, count: 1 },
		cloud: 'SECURE',
		disk: 20,
		ports: ['8888/http', '22/tcp'],
		env: { JUPYTER_PASSWORD: 'secret' },
		...overrides,
	};
}
