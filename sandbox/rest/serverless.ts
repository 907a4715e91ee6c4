/** /v2/serverless: endpoints over the same records and rules as GraphQL's saveEndpoint/deleteEndpoint. */
import type { SandboxContext } from '../context';
import { engineOf } from '../serverless/graphql';
import { deleteEndpoint, endpointsOf, findEndpoint, saveEndpoint } from '../serverless/endpoints';
import type { EndpointRecord, SaveEndpointInput } from '../serverless/endpoints';
import { RestProblem, created, noContent, ok } from './route';
import type { RestRoute } from './route';

const JOB_API = 'https://api.runpod.ai/v2';

interface EndpointBody {
	name?: string;
	type?: 'QUEUE' | 'LOAD_BALANCER';
	templateId?: string;
	image?: string;
	args?: string;
	disk?: number;
	env?: Record<string, string>;
	gpu?: { pools?: string[]; excludedTypes?: string[]; count?: number };
	workers?: { min?: number; max?: number; idleTimeout?: number };
	scaling?: { type: 'QUEUE_DELAY' | 'REQUEST_COUNT'; queueDelay?: number; requestCount?: number };
	dataCenterIds?: string[];
	networkVolumes?: string[];
	timeout?: number;
	flashboot?: 'OFF' | 'FLASHBOOT' | 'PRIORITY_FLASHBOOT';
}

function splitGpuIds(gpuIds: string): { pools: string[]; excludedTypes: string[] } {
	const parts = gpuIds
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean);
	return {
		pools: parts.filter((p) => !p.startsWith('-')),
		excludedTypes: parts.filter((p) => p.startsWith('-')).map((p) => p.slice(1)),
	};
}

export function restEndpointView(ctx: SandboxContext, endpoint: EndpointRecord) {
	const template = endpoint.templateId
		? ctx.state.templates.find((t) => t.id === endpoint.templateId)
		: undefined;
	const { pools, excludedTypes } = splitGpuIds(endpoint.gpuIds);
	const base = `${JOB_API}/${endpoint.id}`;
	const requestCount = endpoint.scalerType === 'REQUEST_COUNT';
	return {
		id: endpoint.id,
		name: endpoint.name,
		type: endpoint.type === 'LB' ? 'LOAD_BALANCER' : 'QUEUE',
		image: template?.imageName ?? '',
		args: template?.dockerArgs ?? '',
		disk: template?.containerDiskInGb ?? 10,
		env: Object.fromEntries((template?.env ?? []).map((e) => [e.key, e.value])),
		ports: [],
		registry: null,
		requestUrls: {
			run: `${base}/run`,
			runSync: `${base}/runsync`,
			status: `${base}/status/%7Bjob_id%7D`,
			stream: `${base}/stream/%7Bjob_id%7D`,
			cancel: `${base}/cancel/%7Bjob_id%7D`,
			retry: `${base}/retry/%7Bjob_id%7D`,
			purgeQueue: `${base}/purge-queue`,
			health: `${base}/health`,
		},
		gpu: {
			pools,
			...(excludedTypes.length ? { excludedTypes } : {}),
			count: endpoint.gpuCount,
			allowedCudaVersions: [],
			minCudaVersion: null,
		},
		workers: {
			min: endpoint.workersMin,
			max: endpoint.workersMax,
			...(requestCount ? {} : { idleTimeout: endpoint.idleTimeout }),
		},
		scaling: requestCount
			? { type: 'REQUEST_COUNT', requestCount: endpoint.scalerValue }
			: { type: 'QUEUE_DELAY', queueDelay: endpoint.scalerValue },
		dataCenterIds: endpoint.locations ? endpoint.locations.split(',').filter(Boolean) : [],
		networkVolumes: endpoint.networkVolumeId ? [endpoint.networkVolumeId] : [],
		timeout: endpoint.executionTimeoutMs,
		flashboot: endpoint.flashBootType,
		createdAt: endpoint.createdAt,
	};
}

/** The REST body in saveEndpoint's words, on top of `current` for a PATCH. */
function saveInput(body: EndpointBody, current?: EndpointRecord): SaveEndpointInput {
	if (body.type === 'LOAD_BALANCER')
		throw new RestProblem(400, 'The RunPod sandbox models queue-based endpoints only.');
	if (body.networkVolumes && body.networkVolumes.length > 1)
		throw new RestProblem(400, 'An endpoint takes at most one network volume in the sandbox.');
	const split = current ? splitGpuIds(current.gpuIds) : { pools: [], excludedTypes: [] };
	const pools = body.gpu?.pools ?? split.pools;
	// A PATCH sending pools without excludedTypes clears the exclusions (the document says so).
	const excluded = body.gpu?.pools ? (body.gpu.excludedTypes ?? []) : split.excludedTypes;
	const scaling = body.scaling;
	return {
		...(current ? { id: current.id } : {}),
		name: body.name ?? current?.name,
		...(body.templateId ? { templateId: body.templateId } : {}),
		...(!current && body.image
			? {
					template: {
						imageName: body.image,
						containerDiskInGb: body.disk,
						dockerArgs: body.args,
						env: Object.entries(body.env ?? {}).map(([key, value]) => ({ key, value })),
					},
				}
			: {}),
		gpuIds: [...pools, ...excluded.map((t) => `-${t}`)].join(',') || undefined,
		gpuCount: body.gpu?.count ?? current?.gpuCount,
		workersMin: body.workers?.min ?? current?.workersMin,
		workersMax: body.workers?.max ?? current?.workersMax,
		idleTimeout: body.workers?.idleTimeout ?? current?.idleTimeout,
		scalerType: scaling?.type ?? current?.scalerType,
		scalerValue: scaling
			? Math.round(
					(scaling.type === 'REQUEST_COUNT' ? scaling.requestCount : scaling.queueDelay) ?? 4,
				)
			: current?.scalerValue,
		// REST's default is 0 (docs/runpod-rest-v2-notes.md §3): no execution timeout.
		executionTimeoutMs: body.timeout ?? current?.executionTimeoutMs ?? 0,
		flashBootType: body.flashboot ?? current?.flashBootType ?? 'OFF',
		locations: body.dataCenterIds ? body.dataCenterIds.join(',') : current?.locations,
		networkVolumeId: body.networkVolumes
			? (body.networkVolumes[0] ?? null)
			: current?.networkVolumeId,
	};
}

function requireEndpoint(ctx: SandboxContext, id: unknown): EndpointRecord {
	const endpoint = findEndpoint(ctx.state, String(id));
	if (!endpoint) throw new RestProblem(404, `Endpoint ${String(id)} not found.`);
	return endpoint;
}

export const serverlessRoutes: RestRoute[] = [
	{
		operationId: 'listEndpoints',
		handle: ({ ctx }) =>
			ok({ endpoints: endpointsOf(ctx.state).map((e) => restEndpointView(ctx, e)) }),
	},
	{
		operationId: 'getEndpoint',
		handle: ({ ctx, params }) => ok(restEndpointView(ctx, requireEndpoint(ctx, params.id))),
	},
	{
		operationId: 'createEndpoint',
		handle: ({ ctx, body }) => {
			if (!body.templateId && !body.image)
				throw new RestProblem(422, 'Request validation failed.', ["$: missing property 'image'"]);
			if (!body.gpu?.pools?.length) throw new RestProblem(400, 'A GPU endpoint needs gpu.pools.');
			if (body.templateId) {
				// REST applies a template once, into the endpoint's own container settings (a bound copy here).
				const template = ctx.state.templates.find((t) => t.id === body.templateId);
				if (!template) throw new RestProblem(404, `Template ${body.templateId} not found.`);
				if (!template.isServerless)
					throw new RestProblem(422, 'The template is not a serverless template.');
				const env = Object.fromEntries(template.env.map((e) => [e.key, e.value]));
				const { templateId: _used, ...rest } = body as EndpointBody;
				void _used;
				return created(
					restEndpointView(
						ctx,
						saveEndpoint(
							ctx,
							saveInput({
								image: template.imageName,
								disk: template.containerDiskInGb,
								args: template.dockerArgs,
								...rest,
								env: { ...env, ...(rest.env ?? {}) },
							}),
						),
					),
				);
			}
			return created(restEndpointView(ctx, saveEndpoint(ctx, saveInput(body as EndpointBody))));
		},
	},
	{
		operationId: 'updateEndpoint',
		handle: ({ ctx, params, body }) => {
			const current = requireEndpoint(ctx, params.id);
			return ok(restEndpointView(ctx, saveEndpoint(ctx, saveInput(body as EndpointBody, current))));
		},
	},
	{
		operationId: 'deleteEndpoint',
		handle: ({ ctx, params }) => {
			const endpoint = requireEndpoint(ctx, params.id);
			deleteEndpoint(ctx, endpoint.id, true);
			engineOf(ctx.state)?.dropEndpoint(endpoint.id);
			return noContent();
		},
	},
];
