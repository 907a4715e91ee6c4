import type { IDataObject } from 'n8n-workflow';

import { restGetOrNull, restRequest, restRequestWithRecovery, segment } from '../../transport/rest';
import type { Recovery, RequestContext, RequestOptions } from '../../transport/request';
import { CREATE_MARKER_ENV, newCreateMarker, onlyPodWithMarker } from '../createMarker';
import { isDomainError } from '../errors';
import type { CreatePodInput, Pod, PodState, PodStatus, RuntimePort } from '../types';

/** A pod as REST v2 returns it (the fields the node reads). */
export interface RestPod {
	id: string;
	name?: string;
	status?: string;
	actions?: string[];
	image?: string;
	args?: string;
	disk?: number;
	mounts?: {
		persistent?: { size?: number; path?: string };
		network?: Array<{ volumeId?: string; path?: string }>;
	};
	ports?: string[];
	env?: Record<string, string>;
	registry?: string | null;
	cloud?: string;
	dataCenterId?: string | null;
	gpu?: { id?: string; count?: number };
	cpu?: { id?: string; vcpuCount?: number; memory?: number };
	template?: string | null;
	cost?: number;
	runtime?: {
		uptime?: number;
		gpus?: Array<{ util?: number; memoryUtil?: number }>;
		cpu?: { util?: number };
		memory?: { util?: number };
		ports?: Array<{ private?: number; public?: number | null; type?: string; ip?: string | null }>;
	} | null;
	createdAt?: string;
	startedAt?: string | null;
}

/** REST's observed status in the unified vocabulary. */
export function restPodState(status: string | undefined): PodState {
	switch (status) {
		case 'RUNNING':
			return 'RUNNING';
		case 'EXITED':
			return 'EXITED';
		case 'ERROR':
			return 'ERROR';
		case 'TERMINATED':
			return 'TERMINATED';
		default:
			// PROVISIONING, STARTING.
			return 'STARTING';
	}
}

const DESIRED: Record<PodState, PodStatus> = {
	STARTING: 'RUNNING',
	RUNNING: 'RUNNING',
	EXITED: 'EXITED',
	ERROR: 'DEAD',
	TERMINATED: 'TERMINATED',
};

const PRIVATE_IP =
	/^(10\.|127\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/;

function runtimePort(
	port: NonNullable<NonNullable<RestPod['runtime']>['ports']>[number],
): RuntimePort {
	const ip = port.ip ?? null;
	return {
		ip,
		// REST has no flag: a TCP port mapped on an address outside the private ranges is public.
		isIpPublic:
			(port.type ?? 'tcp').toLowerCase() === 'tcp' &&
			!!ip &&
			port.public != null &&
			!PRIVATE_IP.test(ip),
		privatePort: port.private ?? null,
		publicPort: port.public ?? null,
		type: port.type ?? null,
	};
}

/** A REST v2 pod in the node's typed shape; `source` keeps RunPod's object unchanged. */
export function fromRestPod(pod: RestPod): Pod {
	const status = restPodState(pod.status);
	const persistent = pod.mounts?.persistent;
	const network = pod.mounts?.network?.[0];
	const runtime = pod.runtime ?? null;
	return {
		id: pod.id,
		status,
		source: pod as unknown as IDataObject,
		name: pod.name ?? null,
		imageName: pod.image ?? null,
		...(pod.cpu?.id ? { cpuTypeId: pod.cpu.id } : {}),
		desiredStatus: DESIRED[status],
		podType: null,
		lastStatusChange: null,
		createdAt: pod.createdAt ?? null,
		lastStartedAt: pod.startedAt ?? null,
		costPerHr: typeof pod.cost === 'number' ? pod.cost : null,
		adjustedCostPerHr: typeof pod.cost === 'number' ? pod.cost : null,
		lowestBidPriceToResume: null,
		gpuCount: pod.gpu?.count ?? 0,
		vcpuCount: pod.cpu?.vcpuCount ?? null,
		memoryInGb: pod.cpu?.memory ?? null,
		containerDiskInGb: pod.disk ?? null,
		volumeInGb: persistent?.size ?? 0,
		volumeMountPath: persistent?.path ?? network?.path ?? null,
		networkVolumeId: network?.volumeId ?? null,
		env: Object.entries(pod.env ?? {}).map(([key, value]) => `${key}=${value}`),
		ports: (pod.ports ?? []).join(','),
		dockerArgs: pod.args ?? null,
		templateId: pod.template ?? null,
		machineId: null,
		machine: {
			podHostId: null,
			gpuDisplayName: null,
			gpuTypeId: pod.gpu?.id ?? null,
			dataCenterId: pod.dataCenterId ?? null,
			location: null,
			secureCloud: pod.cloud ? pod.cloud === 'SECURE' : null,
		},
		runtime: runtime
			? {
					uptimeInSeconds: runtime.uptime ?? null,
					ports: (runtime.ports ?? []).map(runtimePort),
					gpus: (runtime.gpus ?? []).map((gpu, index) => ({
						id: String(index),
						gpuUtilPercent: gpu.util ?? null,
						memoryUtilPercent: gpu.memoryUtil ?? null,
					})),
					container: {
						cpuPercent: runtime.cpu?.util ?? null,
						memoryPercent: runtime.memory?.util ?? null,
					},
				}
			: null,
	};
}

/** Where a network volume is mounted when the user names no path (GraphQL's default). */
export const DEFAULT_MOUNT_PATH = '/workspace';

/**
 * RunPod's createPod body for one cloud (REST has no "Any"). Fields the user left empty are
 * omitted: from a template, RunPod fills them from the template. `gpu.count` is always sent
 * (older REST versions failed every create without it).
 */
export function createPodBody(
	input: CreatePodInput,
	cloud: 'SECURE' | 'COMMUNITY',
	marker: string,
): IDataObject {
	const env: Record<string, string> = {};
	for (const { key, value } of input.env ?? []) if (key !== CREATE_MARKER_ENV) env[key] = value;
	env[CREATE_MARKER_ENV] = marker;
	const gpu: IDataObject = { id: input.gpuTypeId, count: input.gpuCount };
	if (input.allowedCudaVersions?.length) gpu.allowedCudaVersions = input.allowedCudaVersions;
	const body: IDataObject = {
		name: input.name || 'n8n pod',
		// A CPU pod names a CPU type and its vCPUs instead (RunPod derives the memory).
		...(input.cpu ? { cpu: { id: input.cpu.cpuTypeId, vcpuCount: input.cpu.vcpuCount } } : { gpu }),
		cloud,
		env,
	};
	if (input.imageName) body.image = input.imageName;
	if (input.templateId) body.templateId = input.templateId;
	if (input.containerDiskInGb !== undefined) body.disk = input.containerDiskInGb;
	if (input.ports?.length) body.ports = input.ports.map((p) => `${p.port}/${p.protocol}`);
	if (input.dockerArgs) body.args = input.dockerArgs;
	if (input.startSsh !== undefined) body.startSsh = input.startSsh;
	if (input.dataCenterId) body.dataCenterIds = [input.dataCenterId];
	if (input.networkVolumeId) {
		body.mounts = {
			network: [
				{ volumeId: input.networkVolumeId, path: input.volumeMountPath || DEFAULT_MOUNT_PATH },
			],
		};
	} else if (input.volumeInGb !== undefined && input.volumeInGb > 0) {
		body.mounts = {
			persistent: { size: input.volumeInGb, path: input.volumeMountPath || DEFAULT_MOUNT_PATH },
		};
	}
	return body;
}

export async function get(
	ctx: RequestContext,
	podId: string,
	options: RequestOptions,
): Promise<RestPod> {
	return await restRequest<RestPod>(
		ctx,
		{ method: 'GET', path: `/v2/pods/${segment(podId)}` },
		{ ...options, idempotent: true },
	);
}

export async function list(ctx: RequestContext, options: RequestOptions): Promise<RestPod[]> {
	const answer = await restRequest<{ pods?: RestPod[] }>(
		ctx,
		{ method: 'GET', path: '/v2/pods' },
		{ ...options, idempotent: true },
	);
	return (answer?.pods ?? []).filter(Boolean);
}

/** Sends one create; after an ambiguous failure, looks for the pod by its marker and never rents again. */
export async function create(
	ctx: RequestContext,
	input: CreatePodInput,
	cloud: 'SECURE' | 'COMMUNITY',
	{ marker = newCreateMarker(), ...options }: RequestOptions & { marker?: string },
): Promise<{ pod: RestPod; recovered: boolean }> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	const { data, recovered } = await restRequestWithRecovery<RestPod>(
		ctx,
		{ method: 'POST', path: '/v2/pods', body: createPodBody(input, cloud, marker) },
		{ ...options, idempotent: false },
		{
			find: async () => await findByCreateMarker(ctx, marker, lookupOptions),
			lookingFor: `a pod whose environment has ${CREATE_MARKER_ENV}=${marker} (Pod → Get Many, Simplify off, shows each pod's env)`,
			final: (error) => isDomainError(error, 'Duplicated'),
		},
	);
	return { pod: data, recovered };
}

/** The pod whose environment carries this create marker (env is a map on REST); Duplicated when there are several. */
export async function findByCreateMarker(
	ctx: RequestContext,
	marker: string,
	options: RequestOptions,
): Promise<RestPod | undefined> {
	const found = (await list(ctx, options)).filter((pod) => pod.env?.[CREATE_MARKER_ENV] === marker);
	return onlyPodWithMarker(ctx.getNode(), found, marker, options.itemIndex);
}

/** One of stop, start, restart, terminate. RunPod answers the pod (200) or nothing (204). */
export async function action(
	ctx: RequestContext,
	podId: string,
	name: 'stop' | 'start',
	options: RequestOptions,
	recovery?: Recovery<RestPod | undefined>,
): Promise<RestPod | undefined> {
	const { data } = await restRequestWithRecovery<RestPod | undefined>(
		ctx,
		{ method: 'POST', path: `/v2/pods/${segment(podId)}/action`, body: { action: name } },
		{ ...options, idempotent: name === 'stop' },
		recovery,
	);
	return data && typeof data === 'object' && data.id ? data : undefined;
}

/** Deleting is safe to repeat; after a lost answer the node checks whether the pod is gone. */
export async function remove(
	ctx: RequestContext,
	podId: string,
	options: RequestOptions,
): Promise<void> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	await restRequestWithRecovery<unknown>(
		ctx,
		{ method: 'DELETE', path: `/v2/pods/${segment(podId)}` },
		{ ...options, idempotent: true },
		{
			find: async () =>
				(await findOne(ctx, podId, lookupOptions)) === null ? { gone: true } : undefined,
			lookingFor: `the pod "${podId}" in Get Many`,
		},
	);
}

/** The pod, or null on 404. */
export async function findOne(
	ctx: RequestContext,
	podId: string,
	options: RequestOptions,
): Promise<RestPod | null> {
	return await restGetOrNull<RestPod>(ctx, `/v2/pods/${segment(podId)}`, options);
}
