/** /v2/pods: list, get, create, update, delete and actions, over the shared pod rules. */
import type { SandboxContext } from '../context';
import { SandboxMessages } from '../messages';
import {
	allowedActions,
	deployCpuPod,
	deployPod,
	findPod,
	podCostPerHr,
	observedStatus,
	parsePorts,
	restartPod,
	resumePod,
	runtimeView,
	stopPod,
	terminatePod,
	updatePod,
} from '../pods';
import type { DeployPodInput, EnvInput, PodActionName, PodChanges } from '../pods';
import { MAX_POD_LOG_LINES, podLogLines } from '../podLogs';
import { findGpuType } from '../market';
import type { PodRecord } from '../state';
import { requireTemplate } from '../templates';
import { findRegistry } from './registries';
import { RestProblem, created, eventStream, noContent, ok } from './route';
import type { RestRoute } from './route';

const SSH_PROXY_HOST = 'ssh.runpod.io';
const DEFAULT_MOUNT_PATH = '/workspace';

/** "K=V" strings → {K: V} (split at the first "="). */
export function envMap(env: readonly string[]): Record<string, string> {
	const map: Record<string, string> = {};
	for (const entry of env) {
		const at = entry.indexOf('=');
		if (at < 0) map[entry] = '';
		else map[entry.slice(0, at)] = entry.slice(at + 1);
	}
	return map;
}

export function envList(env: Record<string, string>): EnvInput[] {
	return Object.entries(env).map(([key, value]) => ({ key, value }));
}

export function portList(ports: string): string[] {
	return ports
		.split(',')
		.map((p) => p.trim())
		.filter((p) => p !== '');
}

/** A pod as REST v2 shows it (docs/runpod-rest-v2-notes.md §3): observed status, actions, cost 0 when EXITED, runtime only when RUNNING. */
export function restPodView(ctx: SandboxContext, pod: PodRecord) {
	const status = observedStatus(pod, ctx.nowMs, ctx.bootDelayMs);
	const running = status === 'RUNNING';
	const runtime = running ? runtimeView(pod, ctx.nowMs) : null;
	const mountPath = pod.volumeMountPath ?? DEFAULT_MOUNT_PATH;
	const mounts: {
		persistent?: { size: number; path: string };
		network?: Array<{ volumeId: string; path: string }>;
	} = {};
	if (pod.volumeInGb > 0) mounts.persistent = { size: pod.volumeInGb, path: mountPath };
	if (pod.networkVolumeId) mounts.network = [{ volumeId: pod.networkVolumeId, path: mountPath }];
	const sshPort = parsePorts(pod.ports).find((p) => p.port === 22 && p.type === 'tcp');
	const directPort = pod.publicPorts['22'];
	return {
		id: pod.id,
		name: pod.name,
		status,
		actions: allowedActions(status, pod.locked ?? false),
		image: pod.imageName,
		args: pod.dockerArgs ?? '',
		disk: pod.containerDiskInGb,
		mounts,
		ports: portList(pod.ports),
		env: envMap(pod.env),
		registry: pod.containerRegistryAuthId ?? null,
		...(pod.cpu
			? { cpu: { id: pod.cpu.flavorId, vcpuCount: pod.vcpuCount, memory: pod.memoryInGb } }
			: { gpu: { id: pod.gpuTypeId, count: pod.gpuCount } }),
		cloud: pod.cloud,
		dataCenterId: pod.dataCenterId,
		// The sandbox's hosts report no CUDA version; null means "unknown" in the spec.
		cudaVersion: null,
		ssh: {
			proxy: running
				? {
						host: SSH_PROXY_HOST,
						port: 22,
						username: pod.podHostId,
						command: `ssh ${pod.podHostId}@${SSH_PROXY_HOST}`,
					}
				: null,
			direct:
				running && sshPort && pod.supportPublicIp && directPort
					? {
							host: pod.publicIp,
							port: directPort,
							username: 'root',
							command: `ssh root@${pod.publicIp} -p ${directPort}`,
						}
					: null,
		},
		// RunPod reports null here even for a pod created from a template (docs/runpod-rest-v2-notes.md §6).
		template: null,
		cost: status === 'EXITED' ? 0 : podCostPerHr(pod),
		locked: pod.locked ?? false,
		globalNetworking: { enabled: false },
		runtime: runtime && {
			uptime: runtime.uptimeInSeconds,
			gpus: runtime.gpus.map((gpu) => ({
				util: gpu.gpuUtilPercent,
				memoryUtil: gpu.memoryUtilPercent,
			})),
			cpu: { util: runtime.container.cpuPercent },
			memory: { util: runtime.container.memoryPercent },
			ports: runtime.ports.map((port) => ({
				private: port.privatePort,
				public: port.publicPort,
				type: port.type,
				ip: port.ip,
			})),
		},
		createdAt: pod.createdAt,
		startedAt: pod.lastStartedAt || null,
		...(pod.cluster ? { cluster: { ...pod.cluster } } : {}),
	};
}

function requirePod(ctx: SandboxContext, id: unknown): PodRecord {
	const pod = findPod(ctx.state, String(id));
	if (!pod) throw new RestProblem(404, SandboxMessages.podNotFound);
	return pod;
}

/** A pod that is not a cluster member: RunPod updates and terminates members only through their cluster. */
function requireStandalonePod(
	ctx: SandboxContext,
	id: unknown,
	refusal: (clusterId: string) => string,
): PodRecord {
	const pod = requirePod(ctx, id);
	if (pod.cluster) throw new RestProblem(409, refusal(pod.cluster.id));
	return pod;
}

interface CreatePodBody {
	name: string;
	image?: string;
	args?: string;
	disk?: number;
	env?: Record<string, string>;
	ports?: string[];
	registry?: string | null;
	cloud?: 'SECURE' | 'COMMUNITY';
	cpu?: { id: string; vcpuCount: number };
	dataCenterIds?: string[];
	globalNetworking?: boolean;
	gpu?: { id: string; count?: number };
	mounts?: {
		persistent?: { size: number; path: string };
		network?: Array<{ volumeId: string; path: string }>;
	};
	startJupyter?: boolean;
	startSsh?: boolean;
	templateId?: string;
}

/** REST's create body → the shared deploy input; cross-field rules RunPod answers with 400. */
function deployInput(ctx: SandboxContext, body: CreatePodBody): DeployPodInput {
	if (!body.gpu === !body.cpu) throw new RestProblem(400, 'Supply exactly one of gpu or cpu.');
	if (body.cpu && body.mounts?.persistent)
		throw new RestProblem(400, SandboxMessages.cpuPodPersistentMount);
	if (body.gpu && !findGpuType(body.gpu.id))
		throw new RestProblem(400, SandboxMessages.notAGpuType(body.gpu.id));
	if (body.mounts?.persistent && body.mounts.network?.length)
		throw new RestProblem(400, 'mounts.persistent and mounts.network cannot be combined.');
	if (body.globalNetworking)
		throw new RestProblem(400, 'Global networking is not available in the requested data centers.');
	if (body.registry && !findRegistry(ctx, body.registry))
		throw new RestProblem(400, `registry: no container registry credential "${body.registry}".`);
	const template = body.templateId ? requireTemplate(ctx.state, body.templateId) : undefined;

	// Body fields override the template's; env is replaced as a whole.
	const env: Record<string, string> =
		body.env ?? Object.fromEntries((template?.env ?? []).map((e) => [e.key, e.value]));
	if ((body.startJupyter ?? template?.startJupyter ?? false) && env.JUPYTER_PASSWORD === undefined)
		env.JUPYTER_PASSWORD = ctx.random.id(16);
	const sshKeys = ctx.state.account.sshKeys;
	if (
		(body.startSsh ?? template?.startSsh ?? false) &&
		sshKeys.length > 0 &&
		env.PUBLIC_KEY === undefined
	)
		env.PUBLIC_KEY = sshKeys.join('\n');

	const input: DeployPodInput = {
		name: body.name,
		imageName: body.image,
		templateId: body.templateId,
		cloudType: body.cloud ?? 'SECURE',
		computeType: body.cpu ? 'CPU' : 'GPU',
		gpuTypeId: body.gpu?.id,
		gpuCount: body.gpu?.count ?? 1,
		cpu: body.cpu && { flavorId: body.cpu.id, vcpuCount: body.cpu.vcpuCount },
		containerDiskInGb: body.disk,
		dockerArgs: body.args,
		ports: body.ports ? body.ports.join(',') : undefined,
		env: envList(env),
		dataCenterIds: body.dataCenterIds,
	};
	if (body.mounts?.persistent) {
		input.volumeInGb = body.mounts.persistent.size;
		input.volumeMountPath = body.mounts.persistent.path;
	} else if (body.mounts?.network?.length) {
		input.volumeInGb = 0;
		input.networkVolumeId = body.mounts.network[0].volumeId;
		input.volumeMountPath = body.mounts.network[0].path;
	} else if (!template) {
		// No mounts means no persistent storage (docs/runpod-rest-v2-notes.md §3); a template's own mount still applies.
		input.volumeInGb = 0;
	}
	return input;
}

interface UpdatePodBody {
	name?: string;
	image?: string;
	args?: string;
	disk?: number;
	env?: Record<string, string>;
	ports?: string[];
	registry?: string | null;
	mounts?: {
		persistent?: { size: number; path: string };
		network?: Array<{ volumeId: string; path: string }>;
	};
	locked?: boolean;
	globalNetworking?: boolean;
	templateId?: string;
}

/**
 * PATCH mounts: the kind is fixed at create, a network volume's id cannot change, and (the
 * sandbox's choice) only a pod volume's size changes, never down. Returns the new size, if any.
 */
function mountChange(pod: PodRecord, mounts: UpdatePodBody['mounts']): number | undefined {
	if (!mounts) return undefined;
	const path = pod.volumeMountPath ?? DEFAULT_MOUNT_PATH;
	if (mounts.network !== undefined) {
		if (mounts.network.length === 0)
			throw new RestProblem(400, 'Clearing mounts is not supported.');
		if (!pod.networkVolumeId)
			throw new RestProblem(400, 'The mount kind of a pod is fixed when it is created.');
		if (mounts.network[0].volumeId !== pod.networkVolumeId)
			throw new RestProblem(400, "The volumeId of a pod's network mount cannot change.");
		if (mounts.network[0].path !== path)
			throw new RestProblem(400, 'The RunPod sandbox does not model moving a mount.');
	}
	if (!mounts.persistent) return undefined;
	if (pod.volumeInGb <= 0 || pod.networkVolumeId)
		throw new RestProblem(400, 'The mount kind of a pod is fixed when it is created.');
	if (mounts.persistent.path !== path)
		throw new RestProblem(400, 'The RunPod sandbox does not model moving a mount.');
	if (mounts.persistent.size < pod.volumeInGb)
		throw new RestProblem(400, 'The RunPod sandbox does not model shrinking a pod volume.');
	return mounts.persistent.size;
}

function podChanges(pod: PodRecord, body: UpdatePodBody): PodChanges {
	const unsupported: string[] = [];
	if (body.templateId !== undefined) unsupported.push('templateId');
	if (body.registry) unsupported.push('registry');
	if (body.globalNetworking) unsupported.push('globalNetworking');
	if (unsupported.length > 0)
		throw new RestProblem(
			400,
			`The RunPod sandbox does not model changing ${unsupported.join(', ')} on a pod.`,
		);
	return {
		name: body.name,
		imageName: body.image,
		dockerArgs: body.args,
		containerDiskInGb: body.disk,
		ports: body.ports?.join(','),
		env: body.env ? envList(body.env).map((e) => `${e.key}=${e.value}`) : undefined,
		locked: body.locked,
		volumeInGb: mountChange(pod, body.mounts),
	};
}

export const podRoutes: RestRoute[] = [
	{
		operationId: 'listPods',
		// Cluster members only when asked for (includeClusterPods), as on RunPod.
		handle: ({ ctx, params }) =>
			ok({
				pods: ctx.state.pods
					.filter((pod) => !pod.cluster || params.includeClusterPods === true)
					.map((pod) => restPodView(ctx, pod)),
			}),
	},
	{
		operationId: 'getPod',
		handle: ({ ctx, params }) => ok(restPodView(ctx, requirePod(ctx, params.id))),
	},
	{
		operationId: 'createPod',
		handle: ({ ctx, body }) => {
			const input = deployInput(ctx, body as CreatePodBody);
			const pod = input.cpu
				? deployCpuPod(ctx, { ...input, cpu: input.cpu })
				: deployPod(ctx, 'RESERVED', input);
			pod.containerRegistryAuthId = (body as CreatePodBody).registry ?? null;
			return created(restPodView(ctx, pod));
		},
	},
	{
		operationId: 'updatePod',
		handle: ({ ctx, params, body }) => {
			const pod = requireStandalonePod(ctx, params.id, SandboxMessages.clusterPodNotUpdatable);
			return ok(restPodView(ctx, updatePod(ctx, pod.id, podChanges(pod, body as UpdatePodBody))));
		},
	},
	{
		// An SSE stream: the last `tail` lines (or those after `since`); a pod that is up keeps it open for new lines.
		operationId: 'getPodLogs',
		handle: ({ ctx, params }) => {
			const pod = requirePod(ctx, params.id);
			const source = params.source as 'container' | 'system' | undefined;
			const since = typeof params.since === 'string' ? Date.parse(params.since) : undefined;
			let lines = podLogLines(pod, ctx.nowMs).filter((line) => !source || line.source === source);
			if (since !== undefined && Number.isFinite(since))
				lines = lines.filter((line) => Date.parse(line.ts) > since);
			else {
				const tail = Math.min((params.tail as number | undefined) ?? 100, MAX_POD_LOG_LINES);
				lines = tail === 0 ? [] : lines.slice(-tail);
			}
			return eventStream(
				lines.map((line) => ({
					id: `${line.ts}/${String(line.seq).padStart(12, '0')}`,
					data: { ts: line.ts, source: line.source, line: line.line },
				})),
				pod.desiredStatus === 'RUNNING',
			);
		},
	},
	{
		operationId: 'deletePod',
		handle: ({ ctx, params }) => {
			const pod = requireStandalonePod(ctx, params.id, SandboxMessages.clusterPodNotTerminable);
			terminatePod(ctx, pod.id);
			return noContent();
		},
	},
	{
		operationId: 'podAction',
		handle: ({ ctx, params, body }) => {
			const action = (body as { action: PodActionName }).action;
			const pod =
				action === 'terminate'
					? requireStandalonePod(ctx, params.id, SandboxMessages.clusterPodNotTerminable)
					: requirePod(ctx, params.id);
			const status = observedStatus(pod, ctx.nowMs, ctx.bootDelayMs);
			const allowed = allowedActions(status, pod.locked ?? false);
			if (!allowed.includes(action)) {
				throw new RestProblem(
					409,
					`Action "${action}" is not valid for a pod in status ${status}${pod.locked ? ' (locked)' : ''}; allowed now: ${allowed.join(', ')}.`,
				);
			}
			switch (action) {
				case 'start':
					return ok(restPodView(ctx, resumePod(ctx, { podId: pod.id })));
				case 'stop':
					return ok(restPodView(ctx, stopPod(ctx, pod.id)));
				case 'restart':
					return ok(restPodView(ctx, restartPod(ctx, pod.id)));
				default:
					terminatePod(ctx, pod.id);
					return noContent();
			}
		},
	},
];
