/**
 * The REST v2 face: /v2/* on the GraphQL face's port and state. Every request is validated
 * against the OpenAPI document (Ajv); answers use RunPod's status codes, problem+json errors,
 * RateLimit headers and x-request-id. Faults and the request log work as on GraphQL.
 */
import { randomUUID } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';

import { RunPodError } from '../context';
import type { Access, SandboxContext } from '../context';
import type { FaultController } from '../faults';
import { SeededRandom } from '../random';
import {
	DEFAULT_HANG_MS,
	answerLateApply,
	delay,
	detachedResponse,
	readBody,
	redactedHeaders,
	sendHtml,
} from '../server';
import type { RequestLogEntry } from '../server';
import type { SandboxState } from '../state';
import { billingRoutes } from './billing';
import { catalogRoutes } from './catalog';
import { clusterRoutes } from './clusters';
import { endpointWorkerRoutes } from './endpointWorkers';
import { cpuRoutes } from './cpus';
import { networkVolumeRoutes } from './networkVolumes';
import { describeErrors, operations, requestValidators } from './openapi';
import type { OperationInfo } from './openapi';
import { podRoutes } from './pods';
import { publicTemplateRoutes } from './publicTemplates';
import type { RateLimiter } from './rateLimit';
import { RestProblem } from './route';
import type { RestAnswer, RestRoute, ServerSentEvents } from './route';
import { registryRoutes } from './registries';
import { serverlessRoutes } from './serverless';
import { accountRoutes } from './sshKeys';
import { templateRoutes } from './templates';

/** Every implemented REST route. A new resource module is one more entry here. */
const ROUTES: readonly RestRoute[] = [
	...podRoutes,
	...catalogRoutes,
	...templateRoutes,
	...networkVolumeRoutes,
	...billingRoutes,
	...accountRoutes,
	...serverlessRoutes,
	...registryRoutes,
	...clusterRoutes,
	...publicTemplateRoutes,
	...endpointWorkerRoutes,
	...cpuRoutes,
];

export interface RestHandlerOptions {
	state: SandboxState;
	bootDelayMs: number;
	faults: FaultController;
	requests: RequestLogEntry[];
	rateLimiter: RateLimiter;
	onMutation: () => void;
	onHang: (response: ServerResponse, hangMs: number) => void;
}

const TITLES: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	402: 'Payment Required',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	409: 'Conflict',
	422: 'Unprocessable Entity',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	501: 'Not Implemented',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

const STATUS_OF_REFUSAL: Record<RunPodError['kind'], number> = {
	invalid: 400,
	capacity: 400,
	balance: 402,
	notFound: 404,
	conflict: 409,
};

interface CompiledRoute {
	info: OperationInfo;
	pattern: RegExp;
	route?: RestRoute;
}

let compiledRoutes: CompiledRoute[] | undefined;

/** The document's operations the sandbox does not model (they answer 501): none, once every route exists. */
export function unmodelledOperations(): string[] {
	return routeTable()
		.filter((compiled) => !compiled.route)
		.map((compiled) => compiled.info.operationId)
		.sort();
}

/** Every operation of the document, matched by method and path; unimplemented ones answer 501. */
function routeTable(): CompiledRoute[] {
	if (compiledRoutes) return compiledRoutes;
	const all = operations();
	const implemented = new Map(ROUTES.map((route) => [route.operationId, route]));
	for (const id of implemented.keys())
		if (!all.has(id)) throw new Error(`openapi.json has no operation ${id}`);
	compiledRoutes = [...all.values()]
		.map((info) => ({
			info,
			pattern: new RegExp(
				`^${info.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`,
			),
			route: implemented.get(info.operationId),
		}))
		// Literal segments win over parameters (/v2/registries/delegations before /v2/registries/{id}).
		.sort(
			(a, b) => (a.info.path.match(/\{/g)?.length ?? 0) - (b.info.path.match(/\{/g)?.length ?? 0),
		);
	return compiledRoutes;
}

function match(
	method: string,
	pathname: string,
): { found?: CompiledRoute; pathParams: Record<string, string>; allowed: string[] } {
	const allowed: string[] = [];
	for (const candidate of routeTable()) {
		const hit = candidate.pattern.exec(pathname);
		if (!hit) continue;
		if (candidate.info.method === method) {
			const pathParams: Record<string, string> = {};
			for (const [name, value] of Object.entries(hit.groups ?? {}))
				pathParams[name] = decodeURIComponent(value);
			return { found: candidate, pathParams, allowed };
		}
		allowed.push(candidate.info.method);
	}
	return { pathParams: {}, allowed };
}

function send(
	response: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string>,
): void {
	if (status === 204 || body === undefined) {
		response.writeHead(status, headers);
		response.end();
		return;
	}
	const problem = status >= 400;
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': problem ? 'application/problem+json' : 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(text)),
		...headers,
	});
	response.end(text);
}

function problemBody(status: number, detail: string, errors?: string[]) {
	return { title: TITLES[status] ?? 'Error', status, detail, ...(errors ? { errors } : {}) };
}

/** Query parameters the operation declares, comma lists split; unknown ones are ignored, as on RunPod. */
function declaredQuery(url: URL, info: OperationInfo): Record<string, unknown> {
	const { queryParameters, arrayQueryParameters } = requestValidators(info);
	const query: Record<string, unknown> = {};
	for (const name of queryParameters) {
		const value = url.searchParams.get(name);
		if (value === null) continue;
		query[name] = arrayQueryParameters.has(name)
			? value
					.split(',')
					.map((part) => part.trim())
					.filter((part) => part !== '')
			: value;
	}
	return query;
}

export async function handleRest(
	options: RestHandlerOptions,
	request: IncomingMessage,
	response: ServerResponse,
	url: URL,
): Promise<void> {
	const { state, faults, requests } = options;
	const method = (request.method ?? 'GET').toUpperCase();
	const bodyText = await readBody(request);
	let body: unknown;
	let bodyIsJson = true;
	if (bodyText.trim() !== '') {
		try {
			body = JSON.parse(bodyText);
		} catch {
			body = bodyText;
			bodyIsJson = false;
		}
	}
	const { found, pathParams, allowed } = match(method, url.pathname);
	const operationId = found?.info.operationId;
	const entry: RequestLogEntry = {
		api: 'rest',
		time: new Date().toISOString(),
		...(operationId ? { operationName: operationId } : {}),
		fields: operationId ? [operationId] : [],
		query: '',
		variables: {},
		method,
		path: url.pathname + url.search,
		...(body !== undefined ? { body } : {}),
		headers: redactedHeaders(request),
		status: 0,
	};
	requests.push(entry);
	const headers: Record<string, string> = { 'x-request-id': randomUUID() };
	// After a late apply, the answer goes nowhere: the client already got its failure.
	let late = false;
	const answer = (status: number, answerBody?: unknown) => {
		if (late) return;
		entry.status = status;
		send(response, status, answerBody, headers);
	};
	const problem = (status: number, detail: string, errors?: string[]) =>
		answer(status, problemBody(status, detail, errors));

	// The edge: faults hit before RunPod looks at the request.
	const fault = faults.take(entry.fields);
	if (fault) entry.fault = fault.kind;
	const latency = faults.latencyMs + (fault?.kind === 'latency' ? fault.ms : 0);
	if (latency > 0) await delay(latency);
	if (fault?.kind === 'http429' || fault?.kind === 'http5xx') {
		const status = fault.kind === 'http429' ? 429 : fault.status;
		if (fault.kind === 'http429') headers['retry-after'] = String(fault.retryAfterSeconds ?? 1);
		if (fault.body === 'json')
			return problem(
				status,
				fault.kind === 'http429' ? 'rate limit exceeded' : TITLES[status].toLowerCase(),
			);
		entry.status = status;
		sendHtml(response, status, `${status} ${TITLES[status]}`, headers);
		return;
	}

	if (fault?.kind === 'lateApply') {
		entry.status = answerLateApply(response, fault, options.onHang);
		faults.later(fault.applyAfterMs, async () => {
			entry.appliedAt = new Date().toISOString();
			late = true;
			await carryOut(detachedResponse());
		});
		return;
	}
	await carryOut(response);

	/** RunPod's own work on the request, once it passed the edge (now, or late). */
	async function carryOut(response: ServerResponse): Promise<void> {
		// Auth: a Bearer key only (no ?api_key= on REST); 401 answers carry no RateLimit headers.
		const authorization = request.headers.authorization;
		const key = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
		if (!key) return problem(401, 'missing bearer token');
		const known = state.apiKeys.find((k) => k.key === key);
		if (!known) return problem(401, 'invalid bearer token');
		const access: Access = known.access;

		const nowMs = Date.now();
		const verdict = options.rateLimiter.take(key, nowMs);
		Object.assign(headers, verdict.headers);
		if (!verdict.allowed) {
			headers['retry-after'] = String(verdict.retryAfterSeconds);
			return problem(429, `rate limit exceeded for the ${verdict.exceeded} window`);
		}

		if (!found) {
			if (allowed.length > 0) {
				headers.allow = allowed.join(', ');
				return problem(405, 'The requested method is not allowed for this path.');
			}
			return problem(404, 'resource not found');
		}
		const writes = method !== 'GET';
		if (writes && access !== 'full') return problem(403, 'access denied');
		if (!found.route)
			return problem(
				501,
				`The RunPod sandbox does not model ${found.info.method} ${found.info.path} (${found.info.operationId}).`,
			);

		// Validation against the OpenAPI document: parameters, then the body.
		const validators = requestValidators(found.info);
		const params: Record<string, unknown> = { ...declaredQuery(url, found.info), ...pathParams };
		if (!validators.parameters(params))
			return problem(
				422,
				'Request validation failed.',
				describeErrors(validators.parameters.errors, '$params'),
			);
		if (!bodyIsJson) return problem(400, 'The request body is not valid JSON.');
		if (validators.body) {
			if (body === undefined && found.info.operation.requestBody?.required)
				return problem(422, 'Request validation failed.', ['$: request body is required']);
			if (body !== undefined && !validators.body(body))
				return problem(422, 'Request validation failed.', describeErrors(validators.body.errors));
		}

		const ctx: SandboxContext = {
			state,
			random: new SeededRandom(state),
			nowMs,
			bootDelayMs: options.bootDelayMs,
			access,
		};
		let result: RestAnswer;
		try {
			result = found.route.handle({ ctx, params, body });
		} catch (error) {
			if (error instanceof RestProblem) return problem(error.status, error.message, error.errors);
			if (error instanceof RunPodError)
				return problem(STATUS_OF_REFUSAL[error.kind], error.message);
			throw error;
		}
		if (writes) options.onMutation();

		if (fault?.kind === 'dropAfterApply') {
			if (fault.mode === 'reset') response.socket?.destroy();
			else options.onHang(response, fault.hangMs ?? DEFAULT_HANG_MS);
			return;
		}
		if (result.events) {
			if (late) return;
			entry.status = result.status;
			streamEvents(response, result.events, headers, options.onHang);
			return;
		}
		answer(result.status, result.body);
	}
}

/** How long the sandbox holds a live log stream open when the client does not hang up. */
const LIVE_STREAM_MS = 30_000;

function streamEvents(
	response: ServerResponse,
	events: ServerSentEvents,
	headers: Record<string, string>,
	onHang: (response: ServerResponse, hangMs: number) => void,
): void {
	response.writeHead(200, {
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
		'x-accel-buffering': 'no',
		...headers,
	});
	response.write(
		events.list.map((event) => `id: ${event.id}\ndata: ${JSON.stringify(event.data)}\n\n`).join(''),
	);
	if (events.keepOpen) onHang(response, LIVE_STREAM_MS);
	else response.end();
}
