/** Serverless endpoints on REST v2 (`/v2/serverless`): a real PATCH, and `requestUrls` in every answer. */
import type { IDataObject } from 'n8n-workflow';

import { asNodeError } from '../../transport/errors';
import type { RequestContext, RequestOptions } from '../../transport/request';
import {
	restEventStream,
	restGetOrNull,
	restRequest,
	restRequestWithRecovery,
	segment,
} from '../requests';
import { domainError, duplicated, isDomainError, transportFailureOf } from '../errors';
import type { CreatedEndpoint, Endpoint, EndpointInput } from '../endpoints';
import type { EndpointsApi } from '../contract';
import { LOG_STREAM } from './pods';
import type { EndpointReleases, EndpointWorker, EndpointWorkers, WorkerLogLine } from '../types';

/** An endpoint as REST v2 returns it. */
export interface RestEndpoint {
	id: string;
	name?: string;
	type?: 'QUEUE' | 'LOAD_BALANCER';
	image?: string;
	templateId?: string | null;
	gpu?: { pools?: string[]; excludedTypes?: string[]; count?: number } | null;
	workers?: { min?: number; max?: number; idleTimeout?: number };
	scaling?: { type?: 'QUEUE_DELAY' | 'REQUEST_COUNT'; queueDelay?: number; requestCount?: number };
	dataCenterIds?: string[];
	networkVolumes?: string[];
	timeout?: number;
	flashboot?: 'OFF' | 'FLASHBOOT' | 'PRIORITY_FLASHBOOT';
	requestUrls?: Record<string, string>;
}

export function fromRestEndpoint(endpoint: RestEndpoint): Endpoint {
	const scaling = endpoint.scaling ?? {};
	return {
		id: endpoint.id,
		name: endpoint.name ?? '',
		templateId: endpoint.templateId ?? null,
		imageName: endpoint.image ?? null,
		gpuPools: endpoint.gpu?.pools ?? [],
		excludedGpuTypes: endpoint.gpu?.excludedTypes ?? [],
		gpuCount: endpoint.gpu?.count ?? 1,
		workersMin: endpoint.workers?.min ?? 0,
		workersMax: endpoint.workers?.max ?? 0,
		idleTimeoutSeconds: endpoint.workers?.idleTimeout ?? null,
		scalerType: scaling.type === 'REQUEST_COUNT' ? 'REQUEST_COUNT' : 'QUEUE_DELAY',
		scalerValue:
			(scaling.type === 'REQUEST_COUNT' ? scaling.requestCount : scaling.queueDelay) ?? 4,
		flashBoot: endpoint.flashboot === 'FLASHBOOT' || endpoint.flashboot === 'PRIORITY_FLASHBOOT',
		executionTimeoutMs: endpoint.timeout ?? 0,
		networkVolumeId: endpoint.networkVolumes?.[0] ?? null,
		dataCenterIds: endpoint.dataCenterIds ?? [],
	};
}

/** The settings both create and update send. */
function settingsBody(input: EndpointInput): IDataObject {
	const requestCount = input.scalerType === 'REQUEST_COUNT';
	return {
		name: input.name,
		gpu: {
			pools: input.gpuPools,
			...(input.excludedGpuTypes.length ? { excludedTypes: input.excludedGpuTypes } : {}),
			count: input.gpuCount,
		},
		// RunPod rejects an idle timeout beside request-count scaling on a queue endpoint.
		workers: {
			min: input.workersMin,
			max: input.workersMax,
			...(requestCount ? {} : { idleTimeout: input.idleTimeoutSeconds }),
		},
		scaling: requestCount
			? { type: 'REQUEST_COUNT', requestCount: input.scalerValue }
			: { type: 'QUEUE_DELAY', queueDelay: input.scalerValue },
		flashboot: input.flashBoot ? 'FLASHBOOT' : 'OFF',
		// Sent explicitly: 0 was observed as REST's default (docs/runpod-rest-v2-notes.md §3).
		timeout: input.executionTimeoutMs,
		dataCenterIds: input.dataCenterIds,
		networkVolumes: input.networkVolumeId ? [input.networkVolumeId] : [],
	};
}

export function createBody(input: EndpointInput): IDataObject {
	const env: Record<string, string> = {};
	for (const { key, value } of input.image?.env ?? []) env[key] = value;
	return {
		...settingsBody(input),
		type: 'QUEUE',
		...(input.templateId ? { templateId: input.templateId } : {}),
		...(input.image
			? {
					image: input.image.imageName,
					disk: input.image.containerDiskInGb,
					...(input.image.dockerArgs ? { args: input.image.dockerArgs } : {}),
					...(input.image.env.length ? { env } : {}),
				}
			: {}),
	};
}

export async function list(ctx: RequestContext, options: RequestOptions = {}): Promise<Endpoint[]> {
	const answer = await restRequest<{ endpoints?: RestEndpoint[] }>(
		ctx,
		{ method: 'GET', path: '/v2/serverless' },
		{ ...options, idempotent: true },
	);
	return (answer?.endpoints ?? []).filter(Boolean).map(fromRestEndpoint);
}

/** The endpoint, or null on 404. */
export async function get(
	ctx: RequestContext,
	endpointId: string,
	options: RequestOptions = {},
): Promise<Endpoint | null> {
	const endpoint = await restGetOrNull<RestEndpoint>(
		ctx,
		`/v2/serverless/${segment(endpointId)}`,
		options,
	);
	return endpoint ? fromRestEndpoint(endpoint) : null;
}

/** After a lost answer the node looks for a new endpoint with the name instead of creating a second one. */
export async function create(
	ctx: RequestContext,
	input: EndpointInput,
	options: RequestOptions = {},
): Promise<CreatedEndpoint> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	const { data, recovered } = await restRequestWithRecovery<RestEndpoint>(
		ctx,
		{ method: 'POST', path: '/v2/serverless', body: createBody(input) },
		{ ...options, idempotent: false },
		{
			// The caller checked that no endpoint had this name before sending: absent before, exactly one after.
			find: async () => {
				const found = (await list(ctx, lookupOptions)).filter(
					(endpoint) => endpoint.name === input.name,
				);
				if (found.length > 1) {
					throw duplicated(
						ctx.getNode(),
						'endpoint',
						found.map((e) => e.id),
						`named "${input.name}", none there before the request`,
						options.itemIndex,
					);
				}
				return found.length
					? ({ id: found[0].id, name: found[0].name } as RestEndpoint)
					: undefined;
			},
			lookingFor: `an endpoint named "${input.name}" (Endpoint → Get Many)`,
			final: (error) => isDomainError(error, 'Duplicated'),
		},
	);
	// A recovered answer carries only the id: read the endpoint whole.
	const endpoint =
		data.gpu === undefined
			? ((await get(ctx, data.id, lookupOptions)) ?? fromRestEndpoint(data))
			: fromRestEndpoint(data);
	return { endpoint, recovered };
}

/** A PATCH with every setting: the same twice gives the same endpoint. */
export async function update(
	ctx: RequestContext,
	endpointId: string,
	input: EndpointInput,
	options: RequestOptions = {},
): Promise<Endpoint> {
	return fromRestEndpoint(
		await restRequest<RestEndpoint>(
			ctx,
			{ method: 'PATCH', path: `/v2/serverless/${segment(endpointId)}`, body: settingsBody(input) },
			{ ...options, idempotent: true },
		),
	);
}

export async function remove(
	ctx: RequestContext,
	endpointId: string,
	options: RequestOptions = {},
): Promise<void> {
	await restRequest<unknown>(
		ctx,
		{ method: 'DELETE', path: `/v2/serverless/${segment(endpointId)}` },
		{ ...options, idempotent: true },
	);
}

/** 404 on an endpoint's sub-resource: the endpoint (or the worker) is not there. */
function endpointNotFound(
	ctx: RequestContext,
	error: unknown,
	endpointId: string,
	options: RequestOptions,
	workerId?: string,
): unknown {
	if (transportFailureOf(error)?.status !== 404)
		return asNodeError(ctx.getNode(), error, options.itemIndex);
	return workerId
		? domainError(
				ctx.getNode(),
				{ kind: 'NotFound', resource: 'worker', id: workerId },
				`The worker "${workerId}" is not an active worker of the endpoint "${endpointId}"`,
				'RunPod keeps logs only for active workers: a worker that scaled down is gone. List the active ones with Endpoint → Get Workers.',
				options.itemIndex,
			)
		: domainError(
				ctx.getNode(),
				{ kind: 'NotFound', resource: 'endpoint', id: endpointId },
				`The endpoint "${endpointId}" was not found`,
				'Your RunPod account has no serverless endpoint with this ID. Check the ID, or list them with Endpoint → Get Many.',
				options.itemIndex,
			);
}

const numberOr = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const textOr = (value: unknown): string | null => (typeof value === 'string' ? value : null);

interface RestWorkers {
	endpointVersion?: number | null;
	summary?: Partial<EndpointWorkers['summary']>;
	workers?: Array<Record<string, unknown>>;
}

export async function listWorkers(
	ctx: RequestContext,
	endpointId: string,
	options: RequestOptions = {},
): Promise<EndpointWorkers> {
	let answer: RestWorkers;
	try {
		answer = await restRequest<RestWorkers>(
			ctx,
			{ method: 'GET', path: `/v2/serverless/${segment(endpointId)}/workers` },
			{ ...options, idempotent: true },
		);
	} catch (error) {
		throw endpointNotFound(ctx, error, endpointId, options);
	}
	const workers = (Array.isArray(answer?.workers) ? answer.workers : [])
		.filter((w) => w && typeof w.id === 'string')
		.map((w): EndpointWorker => ({
			id: w.id as string,
			status: textOr(w.status) ?? 'UNKNOWN',
			isStale: typeof w.isStale === 'boolean' ? w.isStale : null,
			version: numberOr(w.version),
			gpuCount: numberOr(w.gpuCount),
			image: textOr(w.image),
			uptimeSeconds: numberOr(w.uptimeSeconds),
			gpuTypeId: textOr(w.gpuTypeId),
			dataCenterId: textOr(w.dataCenterId),
			startedAt: textOr(w.startedAt),
		}));
	// The counts are a roll-up of the workers (openapi.json): counted here when RunPod leaves one out.
	const count = (status: string) => workers.filter((w) => w.status === status).length;
	const summary = answer?.summary ?? {};
	return {
		endpointVersion: numberOr(answer?.endpointVersion),
		summary: {
			running: summary.running ?? count('RUNNING'),
			idle: summary.idle ?? count('IDLE'),
			initializing: summary.initializing ?? count('INITIALIZING'),
			throttled: summary.throttled ?? count('THROTTLED'),
			unhealthy: summary.unhealthy ?? count('UNHEALTHY'),
			total: summary.total ?? workers.length,
		},
		workers,
	};
}

/** The last `limit` lines (RunPod's `tail`, at most 5000), oldest first. */
export async function getWorkerLogs(
	ctx: RequestContext,
	endpointId: string,
	workerId: string,
	limit: number,
	options: RequestOptions = {},
): Promise<WorkerLogLine[]> {
	let events: string[];
	try {
		events = (
			await restEventStream(
				ctx,
				{
					path: `/v2/serverless/${segment(endpointId)}/workers/${segment(workerId)}/logs`,
					qs: { tail: limit },
				},
				{ maxEvents: limit, ...LOG_STREAM },
				options,
			)
		).map((event) => event.data);
	} catch (error) {
		throw endpointNotFound(ctx, error, endpointId, options, workerId);
	}
	return events
		.map((data): WorkerLogLine => {
			try {
				const event = JSON.parse(data) as Record<string, unknown>;
				return {
					ts: textOr(event.ts),
					source: textOr(event.source),
					line: textOr(event.line) ?? '',
				};
			} catch {
				// Not RunPod's JSON payload: the text is the line.
				return { ts: null, source: null, line: data };
			}
		})
		.slice(-limit);
}

interface RestReleases {
	endpointVersion?: number | null;
	rollout?: Partial<EndpointReleases['rollout']>;
	releases?: Array<Record<string, unknown>>;
}

export async function listReleases(
	ctx: RequestContext,
	endpointId: string,
	options: RequestOptions = {},
): Promise<EndpointReleases> {
	let answer: RestReleases;
	try {
		answer = await restRequest<RestReleases>(
			ctx,
			{ method: 'GET', path: `/v2/serverless/${segment(endpointId)}/releases` },
			{ ...options, idempotent: true },
		);
	} catch (error) {
		throw endpointNotFound(ctx, error, endpointId, options);
	}
	const rollout = answer?.rollout ?? {};
	return {
		endpointVersion: numberOr(answer?.endpointVersion),
		rollout: {
			inProgress: typeof rollout.inProgress === 'boolean' ? rollout.inProgress : null,
			workersOnLatest: numberOr(rollout.workersOnLatest),
			workersTotal: numberOr(rollout.workersTotal),
			percentOnLatest: numberOr(rollout.percentOnLatest),
		},
		releases: (Array.isArray(answer?.releases) ? answer.releases : [])
			.filter((r) => r && typeof r.id === 'string')
			.map((r) => ({
				id: r.id as string,
				version: numberOr(r.version),
				source: textOr(r.source),
				buildId: textOr(r.buildId),
				createdByUserId: textOr(r.createdByUserId),
				workerCount: numberOr(r.workerCount),
				createdAt: textOr(r.createdAt),
				diff: Array.isArray(r.diff)
					? (r.diff as Array<Record<string, unknown>>)
							.filter((d) => d && typeof d.field === 'string')
							.map((d) => ({ field: d.field as string, old: d.old ?? null, new: d.new ?? null }))
					: [],
			})),
	};
}

/** Serverless endpoints on REST v2. */
export function restEndpointsApi(ctx: RequestContext): EndpointsApi {
	return {
		list: async (options = {}) => await list(ctx, options),
		get: async (endpointId, options = {}) => await get(ctx, endpointId, options),
		create: async (input, options = {}) => await create(ctx, input, options),
		update: async (endpointId, input, options = {}) =>
			await update(ctx, endpointId, input, options),
		remove: async (endpointId, options = {}) => await remove(ctx, endpointId, options),
		listWorkers: async (endpointId, options = {}) => await listWorkers(ctx, endpointId, options),
		getWorkerLogs: async (endpointId, workerId, limit, options = {}) =>
			await getWorkerLogs(ctx, endpointId, workerId, limit, options),
		listReleases: async (endpointId, options = {}) => await listReleases(ctx, endpointId, options),
	};
}
