/** Serverless endpoints on GraphQL: saveEndpoint is an upsert and not a patch, so an update resends every field. */
import type { IDataObject } from 'n8n-workflow';

import { graphqlRequest, graphqlRequestWithRecovery } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/graphql';
import type { CreatedEndpoint, Endpoint, EndpointInput } from '../endpoints';
import { duplicated, isDomainError } from '../errors';
import { requireAccount } from './account.guard';
import type { EndpointsApi } from '../contract';
import { retirementGuard } from './failures';
import { restV2OnlyOperation } from './restV2Only';

const ENDPOINT_FIELDS = `fragment EndpointFields on Endpoint {
	id name templateId template { id imageName } gpuIds gpuCount workersMin workersMax idleTimeout
	scalerType scalerValue executionTimeoutMs flashBootType locations networkVolumeId
}`;

export const LIST = `query ListEndpoints {
	myself { id endpoints { ...EndpointFields } }
}
${ENDPOINT_FIELDS}`;

export const SAVE = `mutation SaveEndpoint($input: EndpointInput) {
	saveEndpoint(input: $input) { ...EndpointFields }
}
${ENDPOINT_FIELDS}`;

// deleteEndpoint returns the scalar Void: no selection set.
export const DELETE = `mutation DeleteEndpoint($id: String) {
	deleteEndpoint(id: $id)
}`;

export const documents = { LIST, SAVE, DELETE };

interface GraphqlEndpoint {
	id: string;
	name?: string | null;
	templateId?: string | null;
	template?: { id?: string | null; imageName?: string | null } | null;
	gpuIds?: string | null;
	gpuCount?: number | null;
	workersMin?: number | null;
	workersMax?: number | null;
	idleTimeout?: number | null;
	scalerType?: string | null;
	scalerValue?: number | null;
	executionTimeoutMs?: number | null;
	flashBootType?: string | null;
	locations?: string | null;
	networkVolumeId?: string | null;
}

function splitList(text: string | null | undefined): string[] {
	return (text ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
}

/** GraphQL's gpuIds holds pools and "-<GPU type>" exclusions in one comma-separated string. */
export function encodeGpuIds(pools: string[], excluded: string[]): string {
	return [...pools, ...excluded.map((type) => `-${type}`)].join(',');
}

function fromGraphql(endpoint: GraphqlEndpoint): Endpoint {
	const gpuIds = splitList(endpoint.gpuIds);
	return {
		id: endpoint.id,
		name: endpoint.name ?? '',
		templateId: endpoint.templateId ?? endpoint.template?.id ?? null,
		imageName: endpoint.template?.imageName ?? null,
		gpuPools: gpuIds.filter((id) => !id.startsWith('-')),
		excludedGpuTypes: gpuIds.filter((id) => id.startsWith('-')).map((id) => id.slice(1)),
		gpuCount: endpoint.gpuCount ?? 1,
		workersMin: endpoint.workersMin ?? 0,
		workersMax: endpoint.workersMax ?? 0,
		idleTimeoutSeconds: endpoint.idleTimeout ?? 5,
		scalerType: endpoint.scalerType === 'REQUEST_COUNT' ? 'REQUEST_COUNT' : 'QUEUE_DELAY',
		scalerValue: endpoint.scalerValue ?? 4,
		flashBoot:
			endpoint.flashBootType === 'FLASHBOOT' || endpoint.flashBootType === 'PRIORITY_FLASHBOOT',
		executionTimeoutMs: endpoint.executionTimeoutMs ?? 0,
		networkVolumeId: endpoint.networkVolumeId ?? null,
		dataCenterIds: splitList(endpoint.locations),
	};
}

/** saveEndpoint's input: every field, because an update is not a patch. */
export function saveVariables(input: EndpointInput, id?: string): IDataObject {
	return {
		...(id ? { id } : {}),
		name: input.name,
		...(input.templateId ? { templateId: input.templateId } : {}),
		...(input.image && !id
			? {
					template: {
						name: `${input.name}__template`,
						imageName: input.image.imageName,
						containerDiskInGb: input.image.containerDiskInGb,
						dockerArgs: input.image.dockerArgs,
						env: input.image.env,
					},
				}
			: {}),
		gpuIds: encodeGpuIds(input.gpuPools, input.excludedGpuTypes),
		gpuCount: input.gpuCount,
		workersMin: input.workersMin,
		workersMax: input.workersMax,
		idleTimeout: input.idleTimeoutSeconds,
		scalerType: input.scalerType,
		scalerValue: input.scalerValue,
		executionTimeoutMs: input.executionTimeoutMs,
		flashBootType: input.flashBoot ? 'FLASHBOOT' : 'OFF',
		locations: input.dataCenterIds.join(','),
		...(input.networkVolumeId ? { networkVolumeId: input.networkVolumeId } : {}),
	};
}

export async function list(ctx: RequestContext, options: RequestOptions = {}): Promise<Endpoint[]> {
	return (await listAsSent(ctx, options)).map(fromGraphql);
}

async function listAsSent(
	ctx: RequestContext,
	options: RequestOptions,
): Promise<GraphqlEndpoint[]> {
	const data = await graphqlRequest<{ myself: { endpoints: GraphqlEndpoint[] | null } | null }>(
		ctx,
		LIST,
		{},
		{ ...options, idempotent: true },
	);
	return (requireAccount(ctx, data.myself, options.itemIndex).endpoints ?? []).filter(Boolean);
}

/** One of the account's endpoints, or null. GraphQL has no single-endpoint query, so this reads the list. */
export async function get(
	ctx: RequestContext,
	endpointId: string,
	options: RequestOptions = {},
): Promise<Endpoint | null> {
	return (await list(ctx, options)).find((endpoint) => endpoint.id === endpointId) ?? null;
}

/** Creates an endpoint. Free in itself: workers are billed only while they run (or are kept by workersMin). */
export async function create(
	ctx: RequestContext,
	input: EndpointInput,
	options: RequestOptions = {},
): Promise<CreatedEndpoint> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	const { data, recovered } = await graphqlRequestWithRecovery<{ saveEndpoint: GraphqlEndpoint }>(
		ctx,
		SAVE,
		{ input: saveVariables(input) },
		{ ...options, idempotent: false },
		{
			// The caller checked that no endpoint had this name before sending: absent before, exactly one after.
			find: async () => {
				const found = (await listAsSent(ctx, lookupOptions)).filter((e) => e.name === input.name);
				if (found.length > 1) {
					throw duplicated(
						ctx.getNode(),
						'endpoint',
						found.map((e) => e.id),
						`named "${input.name}", none there before the request`,
						options.itemIndex,
					);
				}
				return found.length ? { saveEndpoint: found[0] } : undefined;
			},
			lookingFor: `an endpoint named "${input.name}" (Endpoint → Get Many)`,
			final: (error) => isDomainError(error, 'Duplicated'),
		},
	);
	return { endpoint: fromGraphql(data.saveEndpoint), recovered };
}

/** Replaces an endpoint's settings with `input` (a whole-object save, so safe to resend). */
export async function update(
	ctx: RequestContext,
	endpointId: string,
	input: EndpointInput,
	options: RequestOptions = {},
): Promise<Endpoint> {
	const data = await graphqlRequest<{ saveEndpoint: GraphqlEndpoint }>(
		ctx,
		SAVE,
		{ input: saveVariables(input, endpointId) },
		{ ...options, idempotent: true },
	);
	return fromGraphql(data.saveEndpoint);
}

export async function remove(
	ctx: RequestContext,
	endpointId: string,
	options: RequestOptions = {},
): Promise<void> {
	await graphqlRequest(ctx, DELETE, { id: endpointId }, { ...options, idempotent: true });
}

/** Serverless endpoints on GraphQL. */
export function graphqlEndpointsApi(ctx: RequestContext): EndpointsApi {
	const guard = retirementGuard(ctx.getNode());
	return {
		listWorkers: restV2OnlyOperation(ctx.getNode(), 'Endpoint → Get Workers'),
		getWorkerLogs: restV2OnlyOperation(ctx.getNode(), 'Endpoint → Get Worker Logs'),
		listReleases: restV2OnlyOperation(ctx.getNode(), 'Endpoint → Get Releases'),
		list: async (options = {}) => await guard(options, async () => await list(ctx, options)),
		get: async (endpointId, options = {}) =>
			await guard(options, async () => await get(ctx, endpointId, options)),
		create: async (input, options = {}) =>
			await guard(options, async () => await create(ctx, input, options)),
		update: async (endpointId, input, options = {}) =>
			await guard(options, async () => await update(ctx, endpointId, input, options)),
		remove: async (endpointId, options = {}) =>
			await guard(options, async () => await remove(ctx, endpointId, options)),
	};
}
