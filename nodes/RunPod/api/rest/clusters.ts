/** /v2/clusters: RunPod's instant multi-node clusters, with the money safety of pod creates. */
import type { IDataObject } from 'n8n-workflow';

import { asNodeError } from '../../transport/errors';
import { restGetOrNull, restRequest, restRequestWithRecovery, segment } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/request';
import type { Cluster, ClusterPod, CreateClusterInput } from '../clusters.types';
import type { CallOptions, ClustersApi } from '../contract';
import { CREATE_MARKER_ENV, newCreateMarker } from '../createMarker';
import {
	asDomainError,
	domainError,
	duplicated,
	isDomainError,
	NO_CAPACITY_PATTERN,
	transportFailureOf,
} from '../errors';
import { DEFAULT_MOUNT_PATH, fromRestPod } from './pods';
import type { RestPod } from './pods';

/** A cluster as REST v2 returns it (the fields the node reads). */
export interface RestCluster {
	id: string;
	name?: string;
	type?: string;
	compute?: { gpuTypeId?: string; gpuCountPerPod?: number; podCount?: number };
	template?: string;
	dataCenterId?: string;
	pods?: { total?: number; byStatus?: Record<string, number> };
	network?: { cidr?: string; vxlanId?: number; vxlanPort?: number };
	primary?: { podId?: string; status?: string; sshEndpoint?: string };
	createdAt?: string;
}

export function fromRestCluster(cluster: RestCluster): Cluster {
	return {
		id: cluster.id,
		name: cluster.name ?? null,
		type: cluster.type ?? null,
		gpuTypeId: cluster.compute?.gpuTypeId ?? null,
		gpuCountPerPod: cluster.compute?.gpuCountPerPod ?? null,
		podCount: cluster.compute?.podCount ?? null,
		dataCenterId: cluster.dataCenterId ?? null,
		podsTotal: cluster.pods?.total ?? 0,
		podsByStatus: { ...(cluster.pods?.byStatus ?? {}) },
		primaryPodId: cluster.primary?.podId ?? null,
		sshEndpoint: cluster.primary?.sshEndpoint ?? null,
		createdAt: cluster.createdAt ?? null,
		source: cluster as unknown as IDataObject,
	};
}

function fromRestClusterPod(pod: RestPod): ClusterPod {
	return {
		pod: fromRestPod(pod),
		rank: typeof pod.cluster?.rank === 'number' ? pod.cluster.rank : null,
		role: pod.cluster?.role ?? null,
		clusterIp: pod.cluster?.ip ?? null,
	};
}

/** RunPod's createCluster body: the marker goes into the env every member pod gets. */
export function createClusterBody(input: CreateClusterInput, marker: string): IDataObject {
	const env: Record<string, string> = {};
	for (const { key, value } of input.env ?? []) if (key !== CREATE_MARKER_ENV) env[key] = value;
	env[CREATE_MARKER_ENV] = marker;
	const body: IDataObject = {
		name: input.name,
		type: input.type,
		compute: {
			gpuTypeId: input.gpuTypeId,
			gpuCountPerPod: input.gpuCountPerPod,
			podCount: input.podCount,
		},
		image: input.imageName,
		env,
	};
	if (input.dockerArgs) body.args = input.dockerArgs;
	if (input.containerDiskInGb !== undefined) body.disk = input.containerDiskInGb;
	if (input.ports?.length) body.ports = input.ports.map((p) => `${p.port}/${p.protocol}`);
	if (input.dataCenterIds?.length) body.dataCenterIds = input.dataCenterIds;
	if (input.startSsh !== undefined) body.startSsh = input.startSsh;
	if (input.startJupyter !== undefined) body.startJupyter = input.startJupyter;
	const path = input.volumeMountPath || DEFAULT_MOUNT_PATH;
	if (input.networkVolumeId) {
		body.mounts = { network: [{ volumeId: input.networkVolumeId, path }] };
	} else if (input.volumeInGb !== undefined && input.volumeInGb > 0) {
		body.mounts = { persistent: { size: input.volumeInGb, path } };
	}
	return body;
}

const lookupOf = (options: RequestOptions): RequestOptions => ({
	itemIndex: options.itemIndex,
	policy: options.policy,
});

/** The Clusters interface on REST v2: the requests and their error mapping. */
export function restClustersApi(ctx: RequestContext): ClustersApi {
	const node = ctx.getNode();
	const statusOf = (error: unknown) => transportFailureOf(error)?.status;

	const notFound = (clusterId: string, options: CallOptions) =>
		domainError(
			node,
			{ kind: 'NotFound', resource: 'cluster', id: clusterId },
			`The cluster "${clusterId}" was not found`,
			'Your RunPod account has no cluster with this ID (a deleted cluster disappears, and nothing is billed for it). Check the ID, or list your clusters with Cluster → Get Many.',
			options.itemIndex,
		);

	/** A 404 is NotFound; anything else keeps RunPod's own words. */
	const orNotFound = (error: unknown, clusterId: string, options: CallOptions) =>
		statusOf(error) === 404
			? notFound(clusterId, options)
			: asNodeError(node, error, options.itemIndex);

	async function get(clusterId: string, options: RequestOptions): Promise<RestCluster | null> {
		return await restGetOrNull<RestCluster>(ctx, `/v2/clusters/${segment(clusterId)}`, options);
	}

	/**
	 * The cluster whose member pods carry this marker in their env. Member pods are left out of
	 * GET /v2/pods unless asked for; one list finds them all, whichever cluster they are in.
	 */
	async function findByCreateMarker(
		marker: string,
		options: RequestOptions,
	): Promise<RestCluster | undefined> {
		const answer = await restRequest<{ pods?: RestPod[] }>(
			ctx,
			{ method: 'GET', path: '/v2/pods', qs: { includeClusterPods: true } },
			{ ...lookupOf(options), idempotent: true },
		);
		const ids = [
			...new Set(
				(answer?.pods ?? [])
					.filter((pod) => pod?.env?.[CREATE_MARKER_ENV] === marker && pod.cluster?.id)
					.map((pod) => pod.cluster?.id as string),
			),
		];
		if (ids.length > 1)
			throw duplicated(node, 'cluster', ids, `${CREATE_MARKER_ENV}=${marker}`, options.itemIndex);
		if (ids.length === 0) return undefined;
		return (await get(ids[0], lookupOf(options))) ?? undefined;
	}

	return {
		create: async (input, { marker = newCreateMarker(), ...options } = {}) => {
			try {
				const { data, recovered } = await restRequestWithRecovery<RestCluster>(
					ctx,
					{ method: 'POST', path: '/v2/clusters', body: createClusterBody(input, marker) },
					{ ...options, idempotent: false },
					{
						find: async () => await findByCreateMarker(marker, lookupOf(options)),
						lookingFor: `a cluster whose pods' environment has ${CREATE_MARKER_ENV}=${marker} (Cluster → Get Pods with Simplify off shows each pod's env; Cluster → Get Many lists the clusters)`,
						final: (error) => isDomainError(error, 'Duplicated'),
					},
				);
				return { cluster: fromRestCluster(data), recovered };
			} catch (error) {
				const detail = transportFailureOf(error)?.messages[0] ?? '';
				if (statusOf(error) === 400 && NO_CAPACITY_PATTERN.test(detail))
					throw asDomainError(
						node,
						error,
						{ kind: 'NoCapacity', resource: 'cluster' },
						options.itemIndex,
					);
				if (statusOf(error) === 402)
					throw asDomainError(node, error, { kind: 'InsufficientBalance' }, options.itemIndex);
				throw asNodeError(node, error, options.itemIndex);
			}
		},
		findByCreateMarker: async (marker, options = {}) => {
			const cluster = await findByCreateMarker(marker, options);
			return cluster ? fromRestCluster(cluster) : undefined;
		},
		get: async (clusterId, options = {}) => {
			const cluster = await get(clusterId, options);
			return cluster ? fromRestCluster(cluster) : null;
		},
		list: async (options = {}) => {
			const answer = await restRequest<{ clusters?: RestCluster[] }>(
				ctx,
				{ method: 'GET', path: '/v2/clusters' },
				{ ...options, idempotent: true },
			);
			return (answer?.clusters ?? []).filter(Boolean).map(fromRestCluster);
		},
		rename: async (clusterId, name, options = {}) => {
			try {
				return fromRestCluster(
					await restRequest<RestCluster>(
						ctx,
						{ method: 'PATCH', path: `/v2/clusters/${segment(clusterId)}`, body: { name } },
						{ ...options, idempotent: true },
					),
				);
			} catch (error) {
				throw orNotFound(error, clusterId, options);
			}
		},
		remove: async (clusterId, options = {}) => {
			// Set when an answer was lost: RunPod may have deleted the cluster then.
			let answerLost = false;
			try {
				// Deleting twice deletes nothing more; after a lost answer the node reads whether it is gone.
				await restRequestWithRecovery<unknown>(
					ctx,
					{ method: 'DELETE', path: `/v2/clusters/${segment(clusterId)}` },
					{ ...options, idempotent: true },
					{
						find: async () => {
							answerLost = true;
							return (await get(clusterId, lookupOf(options))) === null
								? { gone: true }
								: undefined;
						},
						lookingFor: `the cluster "${clusterId}" in Cluster → Get Many`,
					},
				);
			} catch (error) {
				// A 404 to the delete sent again after a lost answer: the first one deleted it.
				if (answerLost && statusOf(error) === 404) return;
				throw orNotFound(error, clusterId, options);
			}
		},
		listPods: async (clusterId, options = {}) => {
			try {
				const answer = await restRequest<{ pods?: RestPod[] }>(
					ctx,
					{ method: 'GET', path: `/v2/clusters/${segment(clusterId)}/pods` },
					{ ...options, idempotent: true },
				);
				return (answer?.pods ?? [])
					.filter(Boolean)
					.map(fromRestClusterPod)
					.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
			} catch (error) {
				throw orNotFound(error, clusterId, options);
			}
		},
	};
}
