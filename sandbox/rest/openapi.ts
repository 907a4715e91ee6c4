/**
 * The project's copy of RunPod's REST v2 OpenAPI 3.1 document, with the known quirks patched in
 * memory, and Ajv (JSON Schema 2020-12) validators for each operation's parameters and body.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export const OPENAPI_PATH = join(__dirname, '..', 'openapi.json');
const SPEC_ID = 'runpod-openapi.json';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is plain JSON walked by key */
type Json = any;

export interface OperationInfo {
	operationId: string;
	method: string;
	/** As in the document, e.g. "/v2/pods/{id}". */
	path: string;
	operation: Json;
	/** Path-level and operation-level parameters, $refs resolved. */
	parameters: Json[];
}

let cachedSpec: Json | undefined;

/** The document as the sandbox and its tests use it: parsed once, quirks patched (docs/runpod-rest-v2-notes.md §6). */
export function loadOpenApi(): Json {
	if (!cachedSpec) cachedSpec = patchQuirks(JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')));
	return cachedSpec;
}

function patchQuirks(spec: Json): Json {
	const schemas = spec.components.schemas;

	// Quirk 1: an `if` holding `properties` beside `unevaluatedProperties: false` makes Ajv reject
	// every field of CreateEndpointRequest. The same if/then inside its own allOf entry means the same.
	const createEndpoint = schemas.CreateEndpointRequest;
	if (createEndpoint?.if) {
		createEndpoint.allOf.push({ if: createEndpoint.if, then: createEndpoint.then });
		delete createEndpoint.if;
		delete createEndpoint.then;
	}

	// Quirk 2: the requestUrls examples hold a literal `{job_id}`, which fails their own
	// `format: uri`. Ajv never validates examples; percent-encode them so the document is self-consistent.
	const encodeJobId = (node: Json): Json => {
		if (typeof node === 'string') return node.replace(/\{job_id\}/g, '%7Bjob_id%7D');
		if (Array.isArray(node)) return node.map(encodeJobId);
		if (node && typeof node === 'object')
			for (const key of Object.keys(node)) node[key] = encodeJobId(node[key]);
		return node;
	};
	for (const property of Object.values(schemas.QueueBasedRequestUrls?.properties ?? {}) as Json[]) {
		if (property.examples) property.examples = encodeJobId(property.examples);
	}

	// Quirk 3: the createPod 201 example shows PROVISIONING with actions [start, terminate] and
	// runtime {}; the prose allows stop/terminate while provisioning and the Pod schema says runtime
	// is null unless RUNNING. Follow the prose and the schema.
	const created =
		spec.paths['/v2/pods']?.post?.responses?.['201']?.content?.['application/json']?.examples?.pod
			?.value;
	if (created?.status === 'PROVISIONING') {
		created.actions = ['stop', 'terminate'];
		created.runtime = null;
	}

	// Quirk 4: statuses described only in prose fall to `default` (402 on createPod, 400/422 on
	// catalog and billing reads). Name them, with the default's problem+json shape.
	const named: Array<[string, string, string[]]> = [
		['/v2/pods', 'post', ['402']],
		['/v2/pods/{id}/action', 'post', ['402']],
		['/v2/catalog/gpus', 'get', ['400', '422']],
		['/v2/catalog/gpus/{id}', 'get', ['400', '422']],
		['/v2/catalog/datacenters', 'get', ['400', '422']],
		['/v2/billing', 'get', ['400', '422']],
		['/v2/billing/pods', 'get', ['400', '422']],
		['/v2/billing/network-volumes', 'get', ['400', '422']],
	];
	for (const [path, method, statuses] of named) {
		const responses = spec.paths[path]?.[method]?.responses;
		if (!responses?.default) continue;
		for (const status of statuses)
			responses[status] ??= {
				...responses.default,
				description: 'Described only in prose (docs/runpod-rest-v2-notes.md §6)',
			};
	}
	// GpuType.price.secure/community are required even where the GPU is not offered in that cloud
	// (quirk 5): nothing to patch; the sandbox sends 0 there, and `secure`/`community: false` says why.
	return spec;
}

/** Every operation of the document, by operation id. */
export function operations(): Map<string, OperationInfo> {
	const spec = loadOpenApi();
	const found = new Map<string, OperationInfo>();
	for (const [path, item] of Object.entries(spec.paths as Record<string, Json>)) {
		for (const [method, operation] of Object.entries(item as Record<string, Json>)) {
			if (method === 'parameters' || typeof operation !== 'object' || !operation.operationId)
				continue;
			const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(
				(p: Json) => resolveRef(spec, p),
			);
			found.set(operation.operationId, {
				operationId: operation.operationId,
				method: method.toUpperCase(),
				path,
				operation,
				parameters,
			});
		}
	}
	return found;
}

export function resolveRef(spec: Json, node: Json): Json {
	if (!node?.$ref) return node;
	const target = (node.$ref as string)
		.replace(/^#\//, '')
		.split('/')
		.reduce((at: Json, key: string) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
	return resolveRef(spec, target);
}

/** A JSON pointer into the document, for Ajv $refs. */
export function pointer(...keys: string[]): string {
	return `${SPEC_ID}#/${keys.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** An Ajv for the document: 2020-12, formats, OpenAPI's number formats, OpenAPI keywords tolerated. */
export function createAjv(options: { coerceTypes?: boolean } = {}): Ajv2020 {
	// strict: false, because the document carries OpenAPI keywords (example, discriminator, x-*) that are not JSON Schema.
	// verbose: errors carry the offending value, for "got string, want integer".
	const ajv = new Ajv2020({
		strict: false,
		allErrors: true,
		verbose: true,
		coerceTypes: options.coerceTypes ?? false,
	});
	addFormats(ajv);
	for (const format of ['float', 'double'])
		ajv.addFormat(format, { type: 'number', validate: () => true });
	for (const format of ['int32', 'int64'])
		ajv.addFormat(format, { type: 'number', validate: (n: number) => Number.isInteger(n) });
	ajv.addSchema(loadOpenApi(), SPEC_ID);
	return ajv;
}

// --- request validation -------------------------------------------------------------------

export interface RequestValidators {
	/** Path and query parameters, coerced from strings (unknown query parameters are not passed in). */
	parameters: ValidateFunction;
	/** The JSON body, when the operation has one. */
	body?: ValidateFunction;
	/** Query parameter names with an array schema (comma-separated, style form, explode false). */
	arrayQueryParameters: Set<string>;
	queryParameters: Set<string>;
}

let requestAjv: Ajv2020 | undefined;
let paramAjv: Ajv2020 | undefined;
const validatorCache = new Map<string, RequestValidators>();

function isArraySchema(spec: Json, schema: Json): boolean {
	const resolved = resolveRef(spec, schema);
	return resolved?.type === 'array';
}

/** Validators for one operation's request, compiled on first use and kept for the process. */
export function requestValidators(info: OperationInfo): RequestValidators {
	const cached = validatorCache.get(info.operationId);
	if (cached) return cached;
	const spec = loadOpenApi();
	requestAjv ??= createAjv();
	paramAjv ??= createAjv({ coerceTypes: true });

	const properties: Record<string, Json> = {};
	const required: string[] = [];
	const arrayQueryParameters = new Set<string>();
	const queryParameters = new Set<string>();
	for (const parameter of info.parameters) {
		if (parameter.in !== 'path' && parameter.in !== 'query') continue;
		properties[parameter.name] = parameter.schema ?? {};
		if (parameter.required) required.push(parameter.name);
		if (parameter.in === 'query') {
			queryParameters.add(parameter.name);
			if (isArraySchema(spec, parameter.schema)) arrayQueryParameters.add(parameter.name);
		}
	}
	// The parameter schemas use document-relative $refs, so the object schema lives "inside" the document.
	const parameters = paramAjv.compile({
		$id: `params-${info.operationId}`,
		type: 'object',
		properties: rebase(properties),
		required,
	});

	let body: ValidateFunction | undefined;
	if (info.operation.requestBody?.content?.['application/json']) {
		body = requestAjv.compile({
			$ref: pointer(
				'paths',
				info.path,
				info.method.toLowerCase(),
				'requestBody',
				'content',
				'application/json',
				'schema',
			),
		});
	}
	const validators = { parameters, body, arrayQueryParameters, queryParameters };
	validatorCache.set(info.operationId, validators);
	return validators;
}

/** Points "#/components/..." refs at the document, for schemas compiled outside it. */
function rebase(node: Json): Json {
	if (Array.isArray(node)) return node.map(rebase);
	if (!node || typeof node !== 'object') return node;
	const copy: Json = {};
	for (const [key, value] of Object.entries(node)) {
		copy[key] =
			key === '$ref' && typeof value === 'string' && value.startsWith('#/')
				? `${SPEC_ID}${value}`
				: rebase(value);
	}
	return copy;
}

/**
 * Ajv errors in the wording RunPod's validator uses (docs/runpod-rest-v2-notes.md §2), e.g.
 * "$: missing property 'dataCenter'", "$.gpu: additional properties 'counts' not allowed".
 */
export function describeErrors(errors: ErrorObject[] | null | undefined, root = '$'): string[] {
	const messages: string[] = [];
	const unevaluated = new Map<string, string[]>();
	for (const error of errors ?? []) {
		const at =
			root +
			error.instancePath
				.split('/')
				.slice(1)
				.map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
				.join('');
		const params = error.params as Record<string, unknown>;
		switch (error.keyword) {
			case 'required':
				messages.push(`${at}: missing property '${String(params.missingProperty)}'`);
				break;
			case 'additionalProperties':
			case 'unevaluatedProperties': {
				const name = String(params.additionalProperty ?? params.unevaluatedProperty);
				const names = unevaluated.get(at) ?? [];
				if (!names.includes(name)) names.push(name);
				unevaluated.set(at, names);
				break;
			}
			case 'type':
				messages.push(
					`${at}: got ${typeof (error.data as unknown) === 'object' ? (error.data === null ? 'null' : Array.isArray(error.data) ? 'array' : 'object') : typeof error.data}, want ${String(params.type)}`,
				);
				break;
			case 'enum':
				messages.push(
					`${at}: value must be one of ${(params.allowedValues as unknown[]).map((v) => `'${String(v)}'`).join(', ')}`,
				);
				break;
			// Combinators only repeat what their branches already said.
			case 'if':
			case 'anyOf':
			case 'oneOf':
			case 'allOf':
				break;
			default:
				messages.push(`${at}: ${error.message ?? error.keyword}`);
		}
	}
	for (const [at, names] of unevaluated)
		messages.push(
			`${at}: additional properties ${names.map((n) => `'${n}'`).join(', ')} not allowed`,
		);
	return [...new Set(messages)];
}
