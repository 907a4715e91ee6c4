import type { IDataObject } from 'n8n-workflow';

import { graphqlRequest, graphqlRequestWithRecovery } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/graphql';
import { CREATE_MARKER_ENV, newCreateMarker, onlyPodWithMarker } from '../createMarker';
import {
	isDomainError,
	asDomainError,
	domainError,
	needsRestV2,
	NO_CAPACITY_PATTERN,
	retiredOr,
} from '../errors';
import { requireAccount } from './account.guard';
import { mapWithConcurrency } from '../../helpers/concurrency';
import { aliasedDocument, mutateMany } from './batch';
import type { AliasedMutation, AliasOutcome } from './batch';
import type {
	CreatePodInput,
	CreateSpotPodInput,
	Pod,
	PortSpec,
	CreatedPod,
	PodState,
} from '../types';
import { asNodeError } from '../../transport/errors';
import type {
	BatchCallOptions,
	BatchOutcome,
	BatchTarget,
	CallOptions,
	PodsApi,
} from '../contract';
import { gpuCatalogCheck, unknownGpuType } from '../gpuTypeCheck';
import { isGraphqlError, retirementGuard } from './failures';
import { listGpuTypeSummaries } from './gpuTypes';
import { restV2OnlyOperation } from './restV2Only';

/** A pod as GraphQL returns it; the adapter (index.ts) adds the unified status and the source. */
export type GraphqlPod = Omit<Pod, 'status' | 'source'>;

export interface CreatedGraphqlPod {
	pod: GraphqlPod;
	recovered: boolean;
}

export const POD_FIELDS = `fragment PodFields on Pod {
	id name imageName desiredStatus podType lastStatusChange createdAt lastStartedAt
	costPerHr adjustedCostPerHr lowestBidPriceToResume
	gpuCount vcpuCount memoryInGb containerDiskInGb volumeInGb volumeMountPath networkVolumeId
	env ports dockerArgs templateId machineId
	machine { podHostId gpuDisplayName gpuTypeId dataCenterId location secureCloud }
	runtime {
		uptimeInSeconds
		ports { ip isIpPublic privatePort publicPort type }
		gpus { id gpuUtilPercent memoryUtilPercent }
		container { cpuPercent memoryPercent }
	}
}`;

export const CREATE_ON_DEMAND = `mutation CreateOnDemandPod($input: PodFindAndDeployOnDemandInput) {
	podFindAndDeployOnDemand(input: $input) { ...PodFields }
}
${POD_FIELDS}`;

export const CREATE_SPOT = `mutation CreateSpotPod($input: PodRentInterruptableInput) {
	podRentInterruptable(input: $input) { ...PodFields }
}
${POD_FIELDS}`;

export const GET = `query GetPod($input: PodFilter) {
	pod(input: $input) { ...PodFields }
}
${POD_FIELDS}`;

export const LIST = `query ListPods {
	myself { id pods { ...PodFields } }
}
${POD_FIELDS}`;

export const STOP = `mutation StopPod($input: PodStopInput) {
	podStop(input: $input) { ...PodFields }
}
${POD_FIELDS}`;

export const RESUME = `mutation ResumePod($input: PodResumeInput) {
	podResume(input: $input) { ...PodFields }
}
${POD_FIELDS}`;

export const BID_RESUME = `mutation ResumeSpotPod($input: PodBidResumeInput) {
	podBidResume(input: $input) { ...PodFields }
}
${POD_FIELDS}`;

// podTerminate returns the scalar Void: selecting fields on it is a validation error.
export const TERMINATE = `mutation TerminatePod($input: PodTerminateInput!) {
	podTerminate(input: $input)
}`;

const STOP_EACH: AliasedMutation = {
	operationName: 'StopPods',
	field: 'podStop',
	inputType: 'PodStopInput',
	selection: '{ ...PodFields }',
	fragments: POD_FIELDS,
};

const TERMINATE_EACH: AliasedMutation = {
	operationName: 'TerminatePods',
	field: 'podTerminate',
	inputType: 'PodTerminateInput!',
	selection: '',
};

/** Every document this module can send, for the contract tests (aliased ones with two aliases). */
export const documents = {
	CREATE_ON_DEMAND,
	CREATE_SPOT,
	GET,
	LIST,
	STOP,
	RESUME,
	BID_RESUME,
	TERMINATE,
	STOP_MANY: aliasedDocument(STOP_EACH, 2),
	TERMINATE_MANY: aliasedDocument(TERMINATE_EACH, 2),
};

/** RunPod takes ports as one string: "8888/http,22/tcp". */
export function encodePorts(ports: PortSpec[]): string {
	return ports.map((p) => `${p.port}/${p.protocol}`).join(',');
}

/** Builds RunPod's create input; fields the user left empty are omitted, never sent as null. */
export function createVariables(input: CreatePodInput | CreateSpotPodInput): IDataObject {
	const variables: IDataObject = {
		gpuTypeId: input.gpuTypeId,
		gpuCount: input.gpuCount,
		cloudType: input.cloudType,
		name: input.name,
		imageName: input.imageName,
		templateId: input.templateId,
		containerDiskInGb: input.containerDiskInGb,
		volumeInGb: input.volumeInGb,
		volumeMountPath: input.volumeMountPath,
		ports: input.ports?.length ? encodePorts(input.ports) : undefined,
		env: input.env?.length ? input.env.map(({ key, value }) => ({ key, value })) : undefined,
		dataCenterId: input.dataCenterId,
		networkVolumeId: input.networkVolumeId,
		minVcpuCount: input.minVcpuCount,
		minMemoryInGb: input.minMemoryInGb,
		allowedCudaVersions: input.allowedCudaVersions?.length ? input.allowedCudaVersions : undefined,
		dockerArgs: input.dockerArgs,
		startSsh: input.startSsh,
		supportPublicIp: input.supportPublicIp,
	};
	if ('bidPerGpu' in input) variables.bidPerGpu = input.bidPerGpu;
	// Spot pods' input has no registry credentials (the adapter refuses them before this).
	else if (input.containerRegistryAuthId)
		variables.containerRegistryAuthId = input.containerRegistryAuthId;
	for (const key of Object.keys(variables)) {
		if (variables[key] === undefined || variables[key] === '') delete variables[key];
	}
	return variables;
}

/** The create input with this create's marker in its environment (a user-set marker is replaced). */
function withMarker<T extends CreatePodInput>(input: T, marker: string): T {
	const env = (input.env ?? []).filter((e) => e.key !== CREATE_MARKER_ENV);
	return { ...input, env: [...env, { key: CREATE_MARKER_ENV, value: marker }] };
}

/** Every pod in the account whose environment carries `marker` (one list request). */
export async function withCreateMarker(
	ctx: RequestContext,
	marker: string,
	options: RequestOptions = {},
): Promise<GraphqlPod[]> {
	const tag = `${CREATE_MARKER_ENV}=${marker}`;
	return (await list(ctx, options)).filter((pod) => (pod.env ?? []).includes(tag));
}

/** The pod a create with this marker made, if any; Duplicated when there are several. */
export async function findByCreateMarker(
	ctx: RequestContext,
	marker: string,
	options: RequestOptions = {},
): Promise<GraphqlPod | undefined> {
	const found = await withCreateMarker(ctx, marker, options);
	return onlyPodWithMarker(ctx.getNode(), found, marker, options.itemIndex);
}

/**
 * Sends a create once; after a failure that does not say whether RunPod carried it out, looks
 * for the pod by its marker (the transport's settle schedule) and never sends it again.
 */
async function createWithMarker(
	ctx: RequestContext,
	document: string,
	field: string,
	input: CreatePodInput | CreateSpotPodInput,
	{ marker = newCreateMarker(), ...options }: CreateOptions,
): Promise<CreatedGraphqlPod> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	const { data, recovered } = await graphqlRequestWithRecovery<Record<string, GraphqlPod>>(
		ctx,
		document,
		{ input: createVariables(withMarker(input, marker)) },
		{ ...options, idempotent: false },
		{
			find: async () => {
				const pod = await findByCreateMarker(ctx, marker, lookupOptions);
				return pod ? { [field]: pod } : undefined;
			},
			lookingFor: `a pod whose environment has ${CREATE_MARKER_ENV}=${marker} (Pod → Get Many, Simplify off, shows each pod's env)`,
			final: (error) => isDomainError(error, 'Duplicated'),
		},
	);
	return { pod: data[field], recovered };
}

/** A caller that may run again for the same item (n8n's Retry On Fail) passes a marker stable across its runs. */
export interface CreateOptions extends RequestOptions {
	marker?: string;
}

export async function createOnDemand(
	ctx: RequestContext,
	input: CreatePodInput,
	options: CreateOptions = {},
): Promise<CreatedGraphqlPod> {
	return await createWithMarker(ctx, CREATE_ON_DEMAND, 'podFindAndDeployOnDemand', input, options);
}

export async function createSpot(
	ctx: RequestContext,
	input: CreateSpotPodInput,
	options: CreateOptions = {},
): Promise<CreatedGraphqlPod> {
	return await createWithMarker(ctx, CREATE_SPOT, 'podRentInterruptable', input, options);
}

/** The pod, or null when RunPod does not know it (terminated pods disappear). */
export async function get(
	ctx: RequestContext,
	podId: string,
	options: RequestOptions = {},
): Promise<GraphqlPod | null> {
	const data = await graphqlRequest<{ pod: GraphqlPod | null }>(
		ctx,
		GET,
		{ input: { podId } },
		{ ...options, idempotent: true },
	);
	return data.pod ?? null;
}

export async function list(
	ctx: RequestContext,
	options: RequestOptions = {},
): Promise<GraphqlPod[]> {
	const data = await graphqlRequest<{ myself: { pods: GraphqlPod[] | null } | null }>(
		ctx,
		LIST,
		{},
		{ ...options, idempotent: true },
	);
	return (requireAccount(ctx, data.myself, options.itemIndex).pods ?? []).filter(Boolean);
}

export async function stop(
	ctx: RequestContext,
	podId: string,
	options: RequestOptions = {},
): Promise<GraphqlPod> {
	const data = await graphqlRequest<{ podStop: GraphqlPod }>(
		ctx,
		STOP,
		{ input: { podId } },
		{ ...options, idempotent: true },
	);
	return data.podStop;
}

/** Stops many pods with aliased mutations, up to 50 per request; outcomes in `podIds` order. */
export async function stopMany(
	ctx: RequestContext,
	podIds: string[],
	options: RequestOptions & { parallel: number; itemIndexes?: number[] },
): Promise<Array<AliasOutcome<GraphqlPod>>> {
	return await mutateMany<GraphqlPod>(
		ctx,
		STOP_EACH,
		podIds.map((podId) => ({ podId })),
		options,
	);
}

/** Terminates many pods with aliased mutations, up to 50 per request; outcomes in `podIds` order. */
export async function terminateMany(
	ctx: RequestContext,
	podIds: string[],
	options: RequestOptions & { parallel: number; itemIndexes?: number[] },
): Promise<Array<AliasOutcome<null>>> {
	return await mutateMany<null>(
		ctx,
		TERMINATE_EACH,
		podIds.map((podId) => ({ podId })),
		options,
	);
}

/**
 * Resume is not sent twice blindly (a second start may fail with "not enough free GPUs"), so after
 * a lost answer the pod is read first: running means the resume worked; stopped means it did not
 * (yet) and may be sent again: starting the same pod twice rents nothing more.
 */
async function resumeWithCheck(
	ctx: RequestContext,
	podId: string,
	document: string,
	field: string,
	input: IDataObject,
	options: RequestOptions,
): Promise<GraphqlPod> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	const { data } = await graphqlRequestWithRecovery<Record<string, GraphqlPod>>(
		ctx,
		document,
		{ input },
		{ ...options, idempotent: false },
		{
			find: async () => {
				const pod = await get(ctx, podId, lookupOptions);
				return pod && pod.desiredStatus === 'RUNNING' ? { [field]: pod } : undefined;
			},
			lookingFor: `the pod "${podId}" and whether it is running`,
			resendWhenNotFound: true,
		},
	);
	return data[field];
}

/** Resumes an on-demand pod. RunPod wants the GPU count every time (docs/runpod-graphql-notes.md §5). */
export async function resume(
	ctx: RequestContext,
	podId: string,
	gpuCount: number,
	options: RequestOptions = {},
): Promise<GraphqlPod> {
	return await resumeWithCheck(ctx, podId, RESUME, 'podResume', { podId, gpuCount }, options);
}

/** Resumes a spot pod with a new bid per GPU. */
export async function resumeSpot(
	ctx: RequestContext,
	podId: string,
	gpuCount: number,
	bidPerGpu: number,
	options: RequestOptions = {},
): Promise<GraphqlPod> {
	return await resumeWithCheck(
		ctx,
		podId,
		BID_RESUME,
		'podBidResume',
		{ podId, gpuCount, bidPerGpu },
		options,
	);
}

/**
 * Terminating twice is harmless but RunPod answers the second one with an error, so after a lost
 * answer the node checks whether the pod is gone instead of resending and reporting a false failure.
 */
export async function terminate(
	ctx: RequestContext,
	podId: string,
	options: RequestOptions = {},
): Promise<void> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	await graphqlRequestWithRecovery<{ podTerminate: null }>(
		ctx,
		TERMINATE,
		{ input: { podId } },
		{ ...options, idempotent: true },
		{
			find: async () =>
				(await get(ctx, podId, lookupOptions)) === null ? { podTerminate: null } : undefined,
			lookingFor: `the pod "${podId}" in Get Many`,
		},
	);
}

/** GraphQL's desiredStatus (what RunPod wants) in the unified vocabulary, with the runtime telling starting from running. */
export function graphqlPodState(pod: Pick<GraphqlPod, 'desiredStatus' | 'runtime'>): PodState {
	switch (pod.desiredStatus) {
		case 'RUNNING':
			return pod.runtime ? 'RUNNING' : 'STARTING';
		case 'EXITED':
		case 'PAUSED':
			return 'EXITED';
		case 'DEAD':
			return 'ERROR';
		case 'TERMINATED':
			return 'TERMINATED';
		default:
			// CREATED, RESTARTING, or not reported yet.
			return 'STARTING';
	}
}

export function fromGraphqlPod(pod: GraphqlPod): Pod {
	return { ...pod, status: graphqlPodState(pod), source: pod as unknown as IDataObject };
}

/** Pods on GraphQL, with RunPod's answers as domain errors. */
export function graphqlPodsApi(ctx: RequestContext): PodsApi {
	const node = ctx.getNode();
	const guard = retirementGuard(node);

	/** A batch's outcomes with the adapter's view of each pod and of a retired API. */
	async function many<G, T>(
		targets: BatchTarget[],
		options: BatchCallOptions,
		send: (
			podIds: string[],
			requestOptions: BatchCallOptions & CallOptions & { itemIndexes: number[] },
		) => Promise<Array<AliasOutcome<G>>>,
		convert: (value: G) => T,
	): Promise<Array<AliasOutcome<T>>> {
		if (targets.length === 0) return [];
		const itemIndex = targets[0].itemIndex;
		const itemIndexes = targets.map((target) => target.itemIndex);
		const outcomes = await send(
			targets.map((target) => target.id),
			{ ...options, itemIndex, itemIndexes },
		);
		return outcomes.map((outcome, position): AliasOutcome<T> => {
			if (outcome.status === 'done') return { status: 'done', value: convert(outcome.value) };
			if (outcome.status === 'failed')
				return {
					status: 'failed',
					error: retiredOr(node, outcome.error, itemIndexes[position]) as Error,
				};
			return outcome;
		});
	}

	/**
	 * An alias RunPod refused is sent once more on its own, within `parallel`: that gives its item
	 * the same answer and error as a single request (stop and terminate are safe to repeat).
	 */
	async function resendRefused<T>(
		targets: BatchTarget[],
		options: BatchCallOptions,
		outcomes: Array<AliasOutcome<T>>,
		one: (podId: string, callOptions: CallOptions) => Promise<T>,
	): Promise<Array<BatchOutcome<T>>> {
		const refused = outcomes.flatMap((outcome, position) =>
			outcome.status === 'refused' ? [position] : [],
		);
		const again = await mapWithConcurrency(
			refused,
			options.parallel,
			async (position) =>
				await one(targets[position].id, {
					itemIndex: targets[position].itemIndex,
					policy: options.policy,
					window: options.window,
				}),
		);
		const settled = outcomes as Array<BatchOutcome<T> | AliasOutcome<T>>;
		refused.forEach((position, k) => {
			const outcome = again[k];
			settled[position] = outcome.ok
				? { status: 'done', value: outcome.value }
				: { status: 'failed', error: outcome.error };
		});
		return settled as Array<BatchOutcome<T>>;
	}

	/**
	 * A terminate document whose answer was lost was sent again: a refusal may then only mean the
	 * first send worked. One list of the account's pods tells which are gone (if it fails, the
	 * refused ones are simply sent again on their own).
	 */
	async function goneAfterResend(
		targets: BatchTarget[],
		options: BatchCallOptions,
		outcomes: Array<AliasOutcome<null>>,
	): Promise<void> {
		const refused = outcomes.flatMap((outcome, position) =>
			outcome.status === 'refused' && outcome.resent ? [position] : [],
		);
		if (refused.length === 0) return;
		let listed: Set<string>;
		try {
			const itemIndex = targets[refused[0]].itemIndex;
			listed = new Set(
				(await list(ctx, { itemIndex, window: options.window })).map((pod) => pod.id),
			);
		} catch {
			return;
		}
		for (const position of refused) {
			if (!listed.has(targets[position].id)) outcomes[position] = { status: 'done', value: null };
		}
	}

	/** Runs one create (on-demand or spot): RunPod's "no capacity" becomes the NoCapacity domain error. */
	const isKnownGpuType = gpuCatalogCheck(
		async (options) => await listGpuTypeSummaries(ctx, options),
	);

	async function rent(
		gpuTypeId: string,
		options: CallOptions,
		create: () => Promise<{ pod: GraphqlPod; recovered: boolean }>,
	): Promise<CreatedPod> {
		return await guard(options, async () => {
			try {
				const created = await create();
				return { pod: fromGraphqlPod(created.pod), recovered: created.recovered };
			} catch (error) {
				if (isGraphqlError(error, NO_CAPACITY_PATTERN)) {
					// GraphQL answers an unknown GPU type like a shortage: the catalog tells them apart.
					if (!(await isKnownGpuType(gpuTypeId, options)))
						throw unknownGpuType(node, gpuTypeId, options.itemIndex);
					throw asDomainError(
						node,
						error,
						{ kind: 'NoCapacity', id: gpuTypeId },
						options.itemIndex,
					);
				}
				throw asNodeError(node, error, options.itemIndex);
			}
		});
	}

	const api: PodsApi = {
		create: async (input, options = {}) => {
			if (input.cpu) throw needsRestV2(node, 'A CPU pod (Compute Type CPU)', options.itemIndex);
			return await rent(
				input.gpuTypeId,
				options,
				async () => await createOnDemand(ctx, input, options),
			);
		},
		requireSpot: () => undefined,
		requireCpu: (options = {}) => {
			throw needsRestV2(node, 'A CPU pod (Compute Type CPU)', options.itemIndex);
		},
		update: restV2OnlyOperation(node, 'Pod → Update'),
		restart: restV2OnlyOperation(node, 'Pod → Restart'),
		logs: restV2OnlyOperation(node, 'Pod → Get Logs'),
		createSpot: async (input, options = {}) => {
			if (input.containerRegistryAuthId)
				throw domainError(
					node,
					{ kind: 'NotOfferedByThisApi', alternative: 'Deploy from a template that names it.' },
					'Container Registry Auth is not offered for spot pods',
					"RunPod's spot create takes no registry credentials: remove Container Registry Auth and deploy from a template that names them (Template → Create or Update). No pod was created.",
					options.itemIndex,
				);
			return await rent(
				input.gpuTypeId,
				options,
				async () => await createSpot(ctx, input, options),
			);
		},
		findByCreateMarker: async (marker, options = {}) =>
			await guard(options, async () => {
				const pod = await findByCreateMarker(ctx, marker, options);
				return pod ? fromGraphqlPod(pod) : undefined;
			}),
		get: async (podId, options = {}) =>
			await guard(options, async () => {
				const pod = await get(ctx, podId, options);
				return pod ? fromGraphqlPod(pod) : null;
			}),
		list: async (options = {}) =>
			await guard(options, async () => (await list(ctx, options)).map(fromGraphqlPod)),
		stop: async (podId, options = {}) =>
			await guard(options, async () => fromGraphqlPod(await stop(ctx, podId, options))),
		resume: async (pod, options = {}) =>
			await guard(options, async () => {
				const gpuCount = pod.gpuCount && pod.gpuCount > 0 ? pod.gpuCount : 1;
				return fromGraphqlPod(await resume(ctx, pod.id, gpuCount, options));
			}),
		resumeSpot: async (pod, bidPerGpu, options = {}) =>
			await guard(options, async () => {
				const gpuCount = pod.gpuCount && pod.gpuCount > 0 ? pod.gpuCount : 1;
				return fromGraphqlPod(await resumeSpot(ctx, pod.id, gpuCount, bidPerGpu, options));
			}),
		stopMany: async (targets, options) =>
			await resendRefused(
				targets,
				options,
				await many(
					targets,
					options,
					async (podIds, requestOptions) => await stopMany(ctx, podIds, requestOptions),
					fromGraphqlPod,
				),
				async (podId, callOptions) => await api.stop(podId, callOptions),
			),
		terminateMany: async (targets, options) => {
			const outcomes = await many(
				targets,
				options,
				async (podIds, requestOptions) => await terminateMany(ctx, podIds, requestOptions),
				() => null,
			);
			await goneAfterResend(targets, options, outcomes);
			return await resendRefused(targets, options, outcomes, async (podId, callOptions) => {
				await api.terminate(podId, callOptions);
				return null;
			});
		},
		terminate: async (podId, options = {}) =>
			await guard(options, async () => {
				try {
					await terminate(ctx, podId, options);
				} catch (error) {
					// RunPod answers an error for a pod that is already gone; tell that apart from a real failure.
					if (isGraphqlError(error) && (await get(ctx, podId, options)) === null) {
						throw domainError(
							node,
							{ kind: 'NotFound', resource: 'pod', id: podId },
							`The pod "${podId}" does not exist: it may already be terminated`,
							'Nothing was deleted and nothing is billed for this pod.',
							options.itemIndex,
						);
					}
					throw asNodeError(node, error, options.itemIndex);
				}
			}),
	};
	return api;
}
