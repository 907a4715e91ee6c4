/**
 * The HTTP side: POST /graphql the way RunPod answers it (status codes, error bodies, auth),
 * with faults applied and every request logged with its key redacted.
 */
import type { IncomingMessage, ServerResponse } from 'http';

import {
	GraphQLError,
	Kind,
	NoSchemaIntrospectionCustomRule,
	execute,
	getOperationAST,
	parse,
	specifiedRules,
	validate,
} from 'graphql';
import type {
	DocumentNode,
	ExecutionResult,
	FragmentDefinitionNode,
	GraphQLSchema,
	SelectionSetNode,
} from 'graphql';

import type { Access, SandboxContext } from './context';
import type { FaultController, FaultKind } from './faults';
import { SeededRandom } from './random';
import type { SandboxState } from './state';

export interface RequestLogEntry {
	/** Which face answered: POST /graphql or REST v2 under /v2 (other faces may leave it out). */
	api?: 'graphql' | 'rest';
	/** ISO time the request arrived. */
	time: string;
	/** GraphQL: the operation name sent. REST: the OpenAPI operation id, e.g. "createPod". */
	operationName?: string;
	/** GraphQL: top-level field names of the operation, e.g. ["podFindAndDeployOnDemand"]. REST: [operation id]. */
	fields: string[];
	/** GraphQL document ('' on REST). */
	query: string;
	/** GraphQL variables ({} on REST). */
	variables: Record<string, unknown>;
	/** REST: the HTTP method, e.g. "POST". */
	method?: string;
	/** REST: path and query string as sent, e.g. "/v2/pods?includeClusterPods=true". */
	path?: string;
	/** REST: the parsed JSON body (or its raw text when it is not JSON). */
	body?: unknown;
	/** Request headers, with Authorization and other credentials redacted. */
	headers: Record<string, string>;
	/** HTTP status sent; 0 when a dropAfterApply fault kept the answer from the client. */
	status: number;
	/** The injected fault's kind, if any. */
	fault?: FaultKind['kind'];
	/** lateApply: ISO time the request was carried out, after the client got its failure. */
	appliedAt?: string;
}

export interface GraphqlHandlerOptions {
	schema: GraphQLSchema;
	state: SandboxState;
	bootDelayMs: number;
	faults: FaultController;
	requests: RequestLogEntry[];
	/** Called after every executed mutation, to persist the state. */
	onMutation: () => void;
	/** Hanging sockets are handed over so close() can end them. */
	onHang: (response: ServerResponse, hangMs: number) => void;
}

const MAX_BODY_BYTES = 1_000_000;
export const DEFAULT_HANG_MS = 60_000;
const VALIDATION_RULES = [...specifiedRules, NoSchemaIntrospectionCustomRule];
const REDACTED_HEADERS = new Set(['authorization', 'api_key', 'x-api-key', 'cookie']);

// --- small helpers ------------------------------------------------------------------------

export function sendJson(
	response: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	response.end(text);
}

export function sendHtml(
	response: ServerResponse,
	status: number,
	title: string,
	headers: Record<string, string> = {},
): void {
	const text = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`;
	response.writeHead(status, {
		'content-type': 'text/html; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	response.end(text);
}

export function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) reject(new Error('body too large'));
			else chunks.push(chunk);
		});
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

export function redactedHeaders(request: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers)) {
		if (value === undefined) continue;
		const text = Array.isArray(value) ? value.join(', ') : value;
		if (!REDACTED_HEADERS.has(name)) headers[name] = text;
		else if (name === 'authorization')
			headers[name] = text.includes(' ') ? `${text.split(' ')[0]} ***` : '***';
		else headers[name] = '***';
	}
	return headers;
}

function apiKeyOf(request: IncomingMessage, url: URL): string | undefined {
	const header = request.headers.authorization;
	if (header) return header.replace(/^Bearer\s+/i, '').trim();
	return url.searchParams.get('api_key') ?? undefined;
}

function topLevelFields(document: DocumentNode, operationName: string | undefined): string[] {
	const operation = getOperationAST(document, operationName);
	if (!operation) return [];
	const fragments = new Map<string, FragmentDefinitionNode>();
	for (const definition of document.definitions) {
		if (definition.kind === Kind.FRAGMENT_DEFINITION)
			fragments.set(definition.name.value, definition);
	}
	const names: string[] = [];
	const collect = (selectionSet: SelectionSetNode, seen: Set<string>): void => {
		for (const selection of selectionSet.selections) {
			if (selection.kind === Kind.FIELD) names.push(selection.name.value);
			else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet, seen);
			else if (!seen.has(selection.name.value)) {
				const fragment = fragments.get(selection.name.value);
				if (fragment) collect(fragment.selectionSet, new Set([...seen, selection.name.value]));
			}
		}
	};
	collect(operation.selectionSet, new Set());
	return [...new Set(names)];
}

function requestError(message: string, code: string, error?: GraphQLError) {
	return {
		message,
		...(error?.locations ? { locations: error.locations } : {}),
		extensions: { code },
	};
}

function resolverError(error: GraphQLError) {
	return {
		message: error.message,
		...(error.locations ? { locations: error.locations } : {}),
		...(error.path ? { path: error.path } : {}),
		extensions: { code: 'INTERNAL_SERVER_ERROR' },
	};
}

/**
 * A lateApply fault's immediate failure: a gateway's HTML 502/504, a reset, or a socket held
 * open. Returns the status to log (0 when no answer went out).
 */
export function answerLateApply(
	response: ServerResponse,
	fault: Extract<FaultKind, { kind: 'lateApply' }>,
	onHang: (response: ServerResponse, hangMs: number) => void,
): number {
	if (fault.answer === 'reset') {
		response.socket?.destroy();
		return 0;
	}
	if (fault.answer === 'hang') {
		onHang(response, fault.hangMs ?? DEFAULT_HANG_MS);
		return 0;
	}
	sendHtml(
		response,
		fault.answer,
		fault.answer === 502 ? '502 Bad Gateway' : '504 Gateway Timeout',
	);
	return fault.answer;
}

/** Where a late apply's answer goes: nowhere (the client already got its failure). */
export function detachedResponse(): ServerResponse {
	const sink = {
		headersSent: false,
		socket: null,
		writeHead: () => {
			sink.headersSent = true;
			return sink;
		},
		setHeader: () => sink,
		write: () => true,
		end: () => sink,
	};
	return sink as unknown as ServerResponse;
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

// --- the handler --------------------------------------------------------------------------

interface GraphqlBody {
	query: string;
	variables: Record<string, unknown>;
	operationName?: string;
}

function parseBody(text: string): GraphqlBody | undefined {
	try {
		const body = JSON.parse(text) as Partial<Record<keyof GraphqlBody, unknown>>;
		if (typeof body !== 'object' || body === null || typeof body.query !== 'string')
			return undefined;
		const variables =
			typeof body.variables === 'object' && body.variables !== null
				? (body.variables as Record<string, unknown>)
				: {};
		const operationName =
			typeof body.operationName === 'string' && body.operationName !== ''
				? body.operationName
				: undefined;
		return { query: body.query, variables, operationName };
	} catch {
		return undefined;
	}
}

export async function handleGraphql(
	options: GraphqlHandlerOptions,
	request: IncomingMessage,
	response: ServerResponse,
	url: URL,
): Promise<void> {
	const { schema, state, faults, requests } = options;
	const bodyText = await readBody(request);
	const body = parseBody(bodyText);

	let document: DocumentNode | undefined;
	let syntaxError: GraphQLError | undefined;
	if (body) {
		try {
			document = parse(body.query);
		} catch (error) {
			syntaxError = error as GraphQLError;
		}
	}
	const entry: RequestLogEntry = {
		api: 'graphql',
		time: new Date().toISOString(),
		...(body?.operationName ? { operationName: body.operationName } : {}),
		fields: document && body ? topLevelFields(document, body.operationName) : [],
		query: body?.query ?? bodyText,
		variables: body?.variables ?? {},
		headers: redactedHeaders(request),
		status: 0,
	};
	requests.push(entry);
	const answer = (status: number) => {
		entry.status = status;
	};

	const fault = faults.take(entry.fields);
	if (fault) entry.fault = fault.kind;
	const latency = faults.latencyMs + (fault?.kind === 'latency' ? fault.ms : 0);
	if (latency > 0) await delay(latency);

	if (fault?.kind === 'http429') {
		const headers = { 'retry-after': String(fault.retryAfterSeconds ?? 1) };
		answer(429);
		if (fault.body === 'json')
			sendJson(response, 429, { errors: [{ message: 'Too Many Requests' }] }, headers);
		else sendHtml(response, 429, '429 Too Many Requests', headers);
		return;
	}
	if (fault?.kind === 'http5xx') {
		const titles = {
			500: 'Internal Server Error',
			502: 'Bad Gateway',
			503: 'Service Unavailable',
			504: 'Gateway Timeout',
		};
		answer(fault.status);
		if (fault.body === 'json')
			sendJson(response, fault.status, { errors: [{ message: titles[fault.status] }] });
		else sendHtml(response, fault.status, `${fault.status} ${titles[fault.status]}`);
		return;
	}

	if (fault?.kind === 'lateApply') {
		entry.status = answerLateApply(response, fault, options.onHang);
		faults.later(fault.applyAfterMs, async () => {
			entry.appliedAt = new Date().toISOString();
			await carryOut(detachedResponse(), () => undefined);
		});
		return;
	}
	await carryOut(response, answer);

	/** RunPod's own work on the request, once it passed the edge (now, or late). */
	async function carryOut(
		response: ServerResponse,
		answer: (status: number) => void,
	): Promise<void> {
		const key = apiKeyOf(request, url);
		let access: Access = 'anonymous';
		if (key) {
			const known = state.apiKeys.find((k) => k.key === key);
			if (!known) {
				answer(401);
				sendJson(response, 401, { error: 'Unauthorized' });
				return;
			}
			access = known.access;
		}

		if (!body || !document) {
			answer(400);
			if (syntaxError)
				sendJson(response, 400, {
					errors: [requestError(syntaxError.message, 'GRAPHQL_PARSE_FAILED', syntaxError)],
				});
			else
				sendJson(response, 400, {
					errors: [requestError('POST body must be JSON with a "query" string.', 'BAD_REQUEST')],
				});
			return;
		}
		const validationErrors = validate(schema, document, VALIDATION_RULES);
		if (validationErrors.length > 0) {
			answer(400);
			sendJson(response, 400, {
				errors: validationErrors.map((e) =>
					requestError(e.message, 'GRAPHQL_VALIDATION_FAILED', e),
				),
			});
			return;
		}

		const context: SandboxContext = {
			state,
			random: new SeededRandom(state),
			nowMs: Date.now(),
			bootDelayMs: options.bootDelayMs,
			access,
		};
		const result = (await execute({
			schema,
			document,
			variableValues: body.variables,
			operationName: body.operationName,
			contextValue: context,
		})) as ExecutionResult;
		// No data at all means the request itself was refused (variable coercion, ambiguous operation).
		if (result.data === undefined) {
			answer(400);
			sendJson(response, 400, {
				errors: (result.errors ?? []).map((e) =>
					requestError(e.message, 'GRAPHQL_VALIDATION_FAILED', e),
				),
			});
			return;
		}
		if (getOperationAST(document, body.operationName)?.operation === 'mutation')
			options.onMutation();

		if (fault?.kind === 'dropAfterApply') {
			if (fault.mode === 'reset') response.socket?.destroy();
			else options.onHang(response, fault.hangMs ?? DEFAULT_HANG_MS);
			return;
		}
		answer(200);
		sendJson(
			response,
			200,
			result.errors
				? { errors: result.errors.map(resolverError), data: result.data }
				: { data: result.data },
		);
	}
}
