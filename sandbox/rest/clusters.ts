/**
 * /v2/clusters: instant multi-node clusters. A cluster's members are ordinary pods in the shared
 * state (placed, billed and terminated like any pod) that carry their membership; a create
 * places every member in one data center on Secure Cloud, or none at all.
 */
import { DATA_CENTERS, MAX_GPUS_PER_POD } from '../catalog';
import { RunPodError } from '../context';
import type { SandboxContext } from '../context';
import { findGpuType } from '../market';
import { RunPodMessages } from '../messages';
import { deployPod, observedStatus, parsePorts, terminatePod } from '../pods';
import type { DeployPodInput } from '../pods';
import { freeGpus } from '../state';
import type { ClusterRecord, PodRecord, SandboxState } from '../state';
import { envList, restPodView } from './pods';
import { RestProblem, created, noContent, ok } from './route';
import type { RestRoute } from './route';

const OVERLAY_CIDR = '10.65.0.0/16';
const VXLAN_PORT = 4789;

interface CreateClusterBody {
	name: string;
	type: ClusterRecord['type'];
	compute: { gpuTypeId: string; gpuCountPerPod: number; podCount: number };
	image?: string;
	args?: string;
	disk?: number;
	env?: Record<string, string>;
	ports?: string[];
	dataCenterIds?: string[];
	mounts?: {
		persistent?: { size: number; path: string };
		network?: Array<{ volumeId: string; path: string }>;
	};
	startJupyter?: boolean;
	startSsh?: boolean;
}

const clustersOf = (state: SandboxState): ClusterRecord[] => (state.clusters ??= []);

/** The cluster's member pods, primary first. */
export function memberPods(state: SandboxState, clusterId: string): PodRecord[] {
	return state.pods
		.filter((pod) => pod.cluster?.id === clusterId)
		.sort((a, b) => (a.cluster?.rank ?? 0) - (b.cluster?.rank ?? 0));
}

function requireCluster(ctx: SandboxContext, id: unknown): ClusterRecord {
	const cluster = clustersOf(ctx.state).find((c) => c.id === String(id));
	if (!cluster) throw new RestProblem(404, 'Cluster not found.');
	return cluster;
}

function roleOf(type: ClusterRecord['type'], rank: number): string | undefined {
	if (type === 'SLURM') return rank === 0 ? 'SLURM_CONTROLLER' : 'SLURM_COMPUTE';
	if (type === 'RAY') return rank === 0 ? 'RAY_HEAD' : 'RAY_WORKER';
	return undefined;
}

export function restClusterView(ctx: SandboxContext, cluster: ClusterRecord) {
	const members = memberPods(ctx.state, cluster.id);
	const byStatus: Record<string, number> = {};
	for (const pod of members) {
		const status = observedStatus(pod, ctx.nowMs, ctx.bootDelayMs);
		byStatus[status] = (byStatus[status] ?? 0) + 1;
	}
	const primary = members.find((pod) => pod.cluster?.rank === 0);
	const primaryStatus = primary && observedStatus(primary, ctx.nowMs, ctx.bootDelayMs);
	const sshPort = primary?.publicPorts['22'];
	const exposesSsh =
		primary && parsePorts(primary.ports).some((p) => p.port === 22 && p.type === 'tcp');
	return {
		id: cluster.id,
		name: cluster.name,
		type: cluster.type,
		compute: {
			gpuTypeId: cluster.gpuTypeId,
			gpuCountPerPod: cluster.gpuCountPerPod,
			podCount: cluster.podCount,
		},
		...(members[0] ? { dataCenterId: members[0].dataCenterId } : {}),
		pods: { total: members.length, byStatus },
		network: { cidr: OVERLAY_CIDR, vxlanId: cluster.vxlanId, vxlanPort: VXLAN_PORT },
		...(primary && primaryStatus
			? {
					primary: {
						podId: primary.id,
						status: primaryStatus,
						...(primaryStatus === 'RUNNING' && exposesSsh && sshPort
							? { sshEndpoint: `${primary.publicIp}:${sshPort}` }
							: {}),
					},
				}
			: {}),
		createdAt: cluster.createdAt,
	};
}

/** The data center with room for every member on Secure Cloud (most room first), or a refusal. */
function placeCluster(
	ctx: SandboxContext,
	body: CreateClusterBody,
	gpuTypeId: string,
	volumeDataCenter: string | undefined,
): string {
	const wanted = body.dataCenterIds?.length ? body.dataCenterIds : DATA_CENTERS.map((dc) => dc.id);
	const need = body.compute.gpuCountPerPod * body.compute.podCount;
	const roomy = wanted
		.filter((id) => !volumeDataCenter || id === volumeDataCenter)
		.map((id) => ({ id, free: freeGpus(ctx.state, id, gpuTypeId, 'SECURE') }))
		.filter((dc) => dc.free >= need)
		.sort((a, b) => b.free - a.free);
	if (!roomy.length) throw new RunPodError(RunPodMessages.noInstances, 'capacity');
	return roomy[0].id;
}

function createCluster(ctx: SandboxContext, body: CreateClusterBody): ClusterRecord {
	const { compute } = body;
	if (body.mounts?.persistent && body.mounts.network?.length)
		throw new RestProblem(400, 'mounts.persistent and mounts.network cannot be combined.');
	if (!body.image) throw new RestProblem(400, 'image is required to create a cluster.');
	const gpu = findGpuType(compute.gpuTypeId);
	// As for pods, RunPod answers an unknown GPU type with the text of a shortage.
	if (!gpu || compute.gpuCountPerPod > MAX_GPUS_PER_POD)
		throw new RunPodError(RunPodMessages.noInstances, 'capacity');
	const networkMount = body.mounts?.network?.[0];
	let volumeDataCenter: string | undefined;
	if (networkMount) {
		const volume = ctx.state.networkVolumes.find((v) => v.id === networkMount.volumeId);
		if (!volume) throw new RestProblem(404, 'Network volume not found.');
		volumeDataCenter = volume.dataCenterId;
	}
	const dataCenterId = placeCluster(ctx, body, gpu.id, volumeDataCenter);

	const cluster: ClusterRecord = {
		id: `cluster_${ctx.random.id(12).toLowerCase()}`,
		name: body.name,
		type: body.type,
		gpuTypeId: gpu.id,
		gpuCountPerPod: compute.gpuCountPerPod,
		podCount: compute.podCount,
		vxlanId: ctx.random.int(1, 4000),
		createdAt: new Date(ctx.nowMs).toISOString(),
	};
	const sshKeys = ctx.state.account.sshKeys;
	const members: PodRecord[] = [];
	try {
		for (let rank = 0; rank < compute.podCount; rank++) {
			const ip = `10.65.0.${rank + 2}`;
			const env: Record<string, string> = {
				...(body.env ?? {}),
				NODE_RANK: String(rank),
				NUM_NODES: String(compute.podCount),
				NODE_ADDR: ip,
				PRIMARY_ADDR: '10.65.0.2',
			};
			if (body.startJupyter && env.JUPYTER_PASSWORD === undefined)
				env.JUPYTER_PASSWORD = ctx.random.id(16);
			if (body.startSsh && sshKeys.length > 0 && env.PUBLIC_KEY === undefined)
				env.PUBLIC_KEY = sshKeys.join('\n');
			const input: DeployPodInput = {
				name: `${body.name}-node-${rank}`,
				imageName: body.image,
				cloudType: 'SECURE',
				computeType: 'GPU',
				gpuTypeId: gpu.id,
				gpuCount: compute.gpuCountPerPod,
				containerDiskInGb: body.disk,
				dockerArgs: body.args,
				ports: body.ports?.join(','),
				env: envList(env),
				dataCenterIds: [dataCenterId],
				volumeInGb: body.mounts?.persistent?.size ?? 0,
				volumeMountPath: body.mounts?.persistent?.path ?? networkMount?.path,
				networkVolumeId: networkMount?.volumeId,
			};
			const pod = deployPod(ctx, 'RESERVED', input);
			const role = roleOf(body.type, rank);
			pod.cluster = { id: cluster.id, rank, ip, ...(role ? { role } : {}) };
			members.push(pod);
		}
	} catch (error) {
		// All or nothing: a cluster that cannot place every member rents none.
		for (const pod of members) terminatePod(ctx, pod.id);
		throw error;
	}
	clustersOf(ctx.state).push(cluster);
	return cluster;
}

export const clusterRoutes: RestRoute[] = [
	{
		operationId: 'listClusters',
		handle: ({ ctx }) =>
			ok({ clusters: clustersOf(ctx.state).map((cluster) => restClusterView(ctx, cluster)) }),
	},
	{
		operationId: 'getCluster',
		handle: ({ ctx, params }) => ok(restClusterView(ctx, requireCluster(ctx, params.id))),
	},
	{
		operationId: 'createCluster',
		handle: ({ ctx, body }) =>
			created(restClusterView(ctx, createCluster(ctx, body as CreateClusterBody))),
	},
	{
		operationId: 'updateCluster',
		handle: ({ ctx, params, body }) => {
			const cluster = requireCluster(ctx, params.id);
			const { name } = body as { name?: string };
			if (name !== undefined) cluster.name = name;
			return ok(restClusterView(ctx, cluster));
		},
	},
	{
		operationId: 'deleteCluster',
		handle: ({ ctx, params }) => {
			const cluster = requireCluster(ctx, params.id);
			for (const pod of memberPods(ctx.state, cluster.id)) terminatePod(ctx, pod.id);
			ctx.state.clusters = clustersOf(ctx.state).filter((c) => c !== cluster);
			return noContent();
		},
	},
	{
		operationId: 'listClusterPods',
		handle: ({ ctx, params }) => {
			const cluster = requireCluster(ctx, params.id);
			return ok({ pods: memberPods(ctx.state, cluster.id).map((pod) => restPodView(ctx, pod)) });
		},
	},
];
