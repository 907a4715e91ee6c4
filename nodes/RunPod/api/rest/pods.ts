import type { IDataObject } from 'n8n-workflow';

import { asNodeError } from '../../transport/errors';
import {
	restEventStream,
	restGetOrNull,
	restRequest,
	restRequestWithRecovery,
	segment,
} from '../requests';
import type { Recovery, RequestContext, RequestOptions } from '../../transport/request';
import { CREATE_MARKER_ENV, newCreateMarker, onlyPodWithMarker } from '../createMarker';
import {
	isDomainError,
	asDomainError,
	domainError,
	NO_CAPACITY_PATTERN,
	notOffered,
	transportFailureOf,
} from '../errors';
import type { CreatePodInput, Pod, PodState, PodStatus, RuntimePort, CreatedPod } from '../types';
import type { CallOptions, CreateCallOptions, PodsApi } from '../contract';
import { isPodUp } from '../domain';
import { checkMachine, detailOf, each, GRAPHQL_UNTIL, notFound, statusOf } from './failures';
import type { PodChanges, PodLogLine, PodLogQuery } from '../pods.types';

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
	/** A cluster member's membership (pod lists include them with includeClusterPods). */
	cluster?: { id?: string; rank?: number | null; role?: string; ip?: string } | null;
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
		...(pod.cluster?.id ? { clusterId: pod.cluster.id } : {}),
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
	if (input.containerRegistryAuthId) body.registry = input.containerRegistryAuthId;
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
		// Cluster members too (RunPod leaves them out by default): they are billed like any pod.
		{ method: 'GET', path: '/v2/pods', qs: { includeClusterPods: true } },
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
	name: 'stop' | 'start' | 'restart',
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

/** REST v2's refusal of a GPU type its catalog lacks (the catalog is checked first; this is the fallback). */
const NOT_A_GPU_TYPE_PATTERN = /not a (valid |known )?GPU type|unknown GPU type/i;

/** Pods on REST v2, with RunPod's answers as domain errors. */
export function restPodsApi(ctx: RequestContext): PodsApi {
	const node = ctx.getNode();

	function createError(error: unknown, input: CreatePodInput, options: CallOptions): unknown {
		const status = statusOf(error);
		if (status === 400 && NOT_A_GPU_TYPE_PATTERN.test(detailOf(error))) {
			return asDomainError(
				node,
				error,
				{ kind: 'UnknownGpuType', id: input.gpuTypeId },
				options.itemIndex,
			);
		}
		if (status === 400 && NO_CAPACITY_PATTERN.test(detailOf(error))) {
			return asDomainError(
				node,
				error,
				{ kind: 'NoCapacity', id: input.gpuTypeId },
				options.itemIndex,
			);
		}
		if (status === 402)
			return asDomainError(node, error, { kind: 'InsufficientBalance' }, options.itemIndex);
		return error;
	}

	async function createPod(input: CreatePodInput, options: CreateCallOptions): Promise<CreatedPod> {
		checkMachine(node, input, options);
		// REST v2 has no "Any" cloud: try Secure, then Community, and say so.
		const clouds: Array<'SECURE' | 'COMMUNITY'> = input.cpu
			? ['SECURE']
			: input.cloudType === 'ALL'
				? ['SECURE', 'COMMUNITY']
				: [input.cloudType];
		const notes: string[] = [];
		let lastError: unknown;
		for (const cloud of clouds) {
			try {
				const { pod, recovered } = await create(ctx, input, cloud, options);
				if (clouds.length > 1) {
					notes.push(
						`Cloud Type Any does not exist on REST v2: the node tried ${notes.length ? 'Secure Cloud (no capacity), then ' : ''}${cloud === 'SECURE' ? 'Secure' : 'Community'} Cloud`,
					);
				}
				return {
					pod: fromRestPod(pod),
					recovered,
					...(notes.length ? { notes: notes.slice(-1) } : {}),
				};
			} catch (error) {
				lastError = createError(error, input, options);
				if (clouds.length === 1 || transportFailureOf(lastError) === undefined) throw lastError;
				const kind = (lastError as { context?: Record<string, { kind?: string }> }).context
					?.runpodDomainError?.kind;
				if (kind !== 'NoCapacity') throw lastError;
				notes.push('secure');
			}
		}
		throw lastError;
	}

	async function startPod(pod: Pod, options: CallOptions): Promise<Pod> {
		const isUp = (p: Pod) => isPodUp(p.status);
		try {
			const answer = await action(ctx, pod.id, 'start', options, {
				find: async () => {
					const current = await findOne(ctx, pod.id, options);
					return current && isUp(fromRestPod(current)) ? current : undefined;
				},
				lookingFor: `the pod "${pod.id}" and whether it is running`,
				resendWhenNotFound: true,
			});
			return fromRestPod(answer ?? (await get(ctx, pod.id, options)));
		} catch (error) {
			if (statusOf(error) === 409) {
				const current = await findOne(ctx, pod.id, options);
				if (current && isUp(fromRestPod(current))) return fromRestPod(current);
				throw await podRefused(ctx, pod.id, 'a start', error, options);
			}
			if (statusOf(error) === 404) throw notFound(node, 'pod', pod.id, options, 'Pod → Get Many');
			if (statusOf(error) === 402)
				throw asDomainError(node, error, { kind: 'InsufficientBalance' }, options.itemIndex);
			throw asNodeError(node, error, options.itemIndex);
		}
	}

	const api: PodsApi = {
		create: async (input, options = {}) => await createPod(input, options),
		requireCpu: () => undefined,
		requireSpot: (options = {}) => {
			throw notOffered(
				node,
				'Spot (interruptible) pods',
				`Use Pod → Create for an on-demand pod, ${GRAPHQL_UNTIL}.`,
				options.itemIndex,
			);
		},
		createSpot: async (_input, options = {}) => {
			throw notOffered(
				node,
				'Spot (interruptible) pods',
				`Use Pod → Create for an on-demand pod, ${GRAPHQL_UNTIL}.`,
				options.itemIndex,
			);
		},
		findByCreateMarker: async (marker, options = {}) => {
			const pod = await findByCreateMarker(ctx, marker, options);
			return pod ? fromRestPod(pod) : undefined;
		},
		get: async (podId, options = {}) => {
			const pod = await findOne(ctx, podId, options);
			return pod ? fromRestPod(pod) : null;
		},
		list: async (options = {}) => (await list(ctx, options)).map(fromRestPod),
		stop: async (podId, options = {}) => {
			try {
				const answer = await action(ctx, podId, 'stop', options);
				return fromRestPod(answer ?? (await get(ctx, podId, options)));
			} catch (error) {
				if (statusOf(error) === 404) throw notFound(node, 'pod', podId, options, 'Pod → Get Many');
				if (statusOf(error) !== 409) throw asNodeError(node, error, options.itemIndex);
				// Already stopped (for example by an earlier attempt whose answer was lost) is what was asked.
				const current = await findOne(ctx, podId, options);
				if (current && fromRestPod(current).status === 'EXITED') return fromRestPod(current);
				throw await podRefused(ctx, podId, 'a stop', error, options);
			}
		},
		resume: async (pod, options = {}) => await startPod(pod, options),
		update: async (podId, changes, options = {}) => await update(ctx, podId, changes, options),
		restart: async (podId, options = {}) => await restart(ctx, podId, options),
		logs: async (podId, query, options = {}) => await logs(ctx, podId, query, options),
		resumeSpot: async (_pod, _bid, options = {}) => {
			throw notOffered(
				node,
				'Resuming a spot pod with a bid',
				`Resume it without a bid as an on-demand pod (set Bid Per GPU to 0), ${GRAPHQL_UNTIL}.`,
				options.itemIndex,
			);
		},
		stopMany: async (targets, options) =>
			await each(
				targets,
				options,
				async (podId, callOptions) => await api.stop(podId, callOptions),
			),
		terminateMany: async (targets, options) =>
			await each(targets, options, async (podId, callOptions) => {
				await api.terminate(podId, callOptions);
				return null;
			}),
		terminate: async (podId, options = {}) => {
			try {
				await remove(ctx, podId, options);
			} catch (error) {
				if (statusOf(error) === 409)
					throw await podRefused(ctx, podId, 'a termination', error, options);
				if (statusOf(error) !== 404) throw asNodeError(node, error, options.itemIndex);
				throw domainError(
					node,
					{ kind: 'NotFound', resource: 'pod', id: podId },
					`The pod "${podId}" does not exist: it may already be terminated`,
					'Nothing was deleted and nothing is billed for this pod.',
					options.itemIndex,
				);
			}
		},
	};
	return api;
}

// --- Pod → Update, Restart, Get Logs (REST v2 only) -----------------------------------------

function podNotFound(ctx: RequestContext, podId: string, itemIndex: number | undefined): Error {
	return domainError(
		ctx.getNode(),
		{ kind: 'NotFound', resource: 'pod', id: podId },
		`The pod "${podId}" was not found`,
		'Your RunPod account has no pod with this ID (terminated pods disappear). Check the ID, or list them with Pod → Get Many.',
		itemIndex,
	);
}

/** A 409: the pod's state, or its cluster, refuses; names what it allows now. */
async function podRefused(
	ctx: RequestContext,
	podId: string,
	what: string,
	error: unknown,
	options: RequestOptions,
): Promise<Error> {
	const pod = await findOne(ctx, podId, { itemIndex: options.itemIndex, policy: options.policy });
	if (!pod) return podNotFound(ctx, podId, options.itemIndex);
	const state = restPodState(pod.status);
	const detail = transportFailureOf(error)?.messages[0];
	const says = detail ? `RunPod says: ${detail}. ` : '';
	if (pod.cluster?.id) {
		return domainError(
			ctx.getNode(),
			{ kind: 'InvalidState', resource: 'pod', id: podId, state },
			`The pod "${podId}" belongs to the cluster ${pod.cluster.id}: RunPod does not allow ${what} of a cluster's pod`,
			`${says}Nothing was changed. A cluster's pods are managed through the cluster: Cluster → Delete removes it with all its pods. Pod → Get Many shows a cluster's pods with their Cluster ID, so a workflow can leave them out.`,
			options.itemIndex,
		);
	}
	return domainError(
		ctx.getNode(),
		{ kind: 'InvalidState', resource: 'pod', id: podId, state },
		`The pod "${podId}" is ${state}: RunPod does not allow ${what} now`,
		`${says}Allowed now: ${(pod.actions ?? []).join(', ') || 'nothing'}. Read the pod with Pod → Get and choose an operation its state allows.`,
		options.itemIndex,
	);
}

/** The env a PATCH sends: the pod's own (template variables, the create marker) with the changes, or only the changes. */
function envAfter(changes: PodChanges, current: RestPod): Record<string, string> {
	const env: Record<string, string> = changes.replaceEnvAndPorts ? {} : { ...(current.env ?? {}) };
	const marker = current.env?.[CREATE_MARKER_ENV];
	if (marker !== undefined) env[CREATE_MARKER_ENV] = marker;
	for (const { key, value } of changes.env ?? []) env[key] = value;
	return env;
}

/** The ports a PATCH sends: the pod's own with the changes (a port keeps its place), or only the changes. */
function portsAfter(changes: PodChanges, current: RestPod): string[] {
	const wanted = (changes.ports ?? []).map((p) => `${p.port}/${p.protocol}`);
	if (changes.replaceEnvAndPorts) return wanted;
	const numberOf = (port: string) => port.split('/')[0].trim();
	const result = (current.ports ?? []).map(
		(port) => wanted.find((w) => numberOf(w) === numberOf(port)) ?? port,
	);
	for (const port of wanted) if (!result.includes(port)) result.push(port);
	return result;
}

/**
 * RunPod's PATCH body: only what changes. Env and ports replace the pod's whole map and list at
 * RunPod, so they are sent merged with what the pod has (`current`, read first). A pod volume is
 * sent whole (size and its current path), as the spec asks.
 */
export function updatePodBody(changes: PodChanges, current: RestPod | null): IDataObject {
	const body: IDataObject = {};
	if (changes.name !== undefined) body.name = changes.name;
	if (changes.imageName !== undefined) body.image = changes.imageName;
	if (changes.dockerArgs !== undefined) body.args = changes.dockerArgs;
	if (changes.containerDiskInGb !== undefined) body.disk = changes.containerDiskInGb;
	if (current && changes.env !== undefined) body.env = envAfter(changes, current);
	if (current && changes.ports !== undefined) body.ports = portsAfter(changes, current);
	const persistent = current?.mounts?.persistent;
	if (changes.volumeInGb !== undefined && persistent)
		body.mounts = {
			persistent: { size: changes.volumeInGb, path: persistent.path ?? DEFAULT_MOUNT_PATH },
		};
	return body;
}

/** Whether the pod already shows what a PATCH asked (its answer was lost, RunPod applied it). */
function showsUpdate(pod: RestPod, body: IDataObject): boolean {
	const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
	const sortedEnv = (env: unknown) =>
		Object.entries((env ?? {}) as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
	const persistent = (body.mounts as { persistent?: { size: number } } | undefined)?.persistent;
	return (
		(body.name === undefined || pod.name === body.name) &&
		(body.image === undefined || pod.image === body.image) &&
		(body.args === undefined || pod.args === body.args) &&
		(body.disk === undefined || pod.disk === body.disk) &&
		(body.env === undefined || same(sortedEnv(pod.env), sortedEnv(body.env))) &&
		(body.ports === undefined ||
			same([...(pod.ports ?? [])].sort(), [...(body.ports as string[])].sort())) &&
		(persistent === undefined || pod.mounts?.persistent?.size === persistent.size)
	);
}

/** PATCH /v2/pods/{id}. After a lost answer the pod is read: sent again only when it does not show the change. */
export async function update(
	ctx: RequestContext,
	podId: string,
	changes: PodChanges,
	options: RequestOptions,
): Promise<Pod> {
	const node = ctx.getNode();
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	let current: RestPod | null = null;
	if (
		changes.env !== undefined ||
		changes.ports !== undefined ||
		changes.volumeInGb !== undefined
	) {
		current = await findOne(ctx, podId, lookupOptions);
		if (!current) throw podNotFound(ctx, podId, options.itemIndex);
	}
	if (changes.volumeInGb !== undefined && !current?.mounts?.persistent) {
		const network = !!current?.mounts?.network?.length;
		throw domainError(
			node,
			{
				kind: 'InvalidState',
				resource: 'pod',
				id: podId,
				state: network ? 'network volume' : 'no pod volume',
			},
			network
				? `Pod Volume (GB): the pod "${podId}" stores its data on a network volume`
				: `Pod Volume (GB): the pod "${podId}" has no pod volume`,
			network
				? 'A network volume is resized with Network Volume → Update. Remove Pod Volume (GB) from Update Fields. Nothing was sent to RunPod.'
				: 'RunPod cannot add a pod volume to a pod created without one. Remove Pod Volume (GB) from Update Fields, or create a new pod with a pod volume. Nothing was sent to RunPod.',
			options.itemIndex,
		);
	}
	const body = updatePodBody(changes, current);
	try {
		const { data } = await restRequestWithRecovery<RestPod>(
			ctx,
			{ method: 'PATCH', path: `/v2/pods/${segment(podId)}`, body },
			{ ...options, idempotent: false },
			{
				find: async () => {
					const pod = await findOne(ctx, podId, lookupOptions);
					return pod && showsUpdate(pod, body) ? pod : undefined;
				},
				lookingFor: `the pod "${podId}" with the new settings (Pod → Get)`,
				resendWhenNotFound: true,
			},
		);
		return fromRestPod(data);
	} catch (error) {
		if (statusOf(error) === 404) throw podNotFound(ctx, podId, options.itemIndex);
		if (statusOf(error) === 409) throw await podRefused(ctx, podId, 'an update', error, options);
		throw asNodeError(node, error, options.itemIndex);
	}
}

/** Whether the pod restarted at or after `sentAtMs`: it is booting, or has been up for less time than has passed since. */
function restartedSince(pod: RestPod, sentAtMs: number): boolean {
	const status = restPodState(pod.status);
	if (status === 'STARTING') return true;
	const uptime = pod.runtime?.uptime;
	return (
		status === 'RUNNING' &&
		typeof uptime === 'number' &&
		uptime * 1000 <= Date.now() - sentAtMs + 1000
	);
}

/**
 * Restarts a running pod's container. A restart costs nothing more but interrupts the pod's work,
 * so one whose answer was lost is never sent again: the node looks for the restart (the pod
 * booting, or up for less time than since the request) and otherwise says it may still happen.
 */
export async function restart(
	ctx: RequestContext,
	podId: string,
	options: RequestOptions,
): Promise<Pod> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	const sentAtMs = Date.now();
	try {
		const answer = await action(ctx, podId, 'restart', options, {
			find: async () => {
				const pod = await findOne(ctx, podId, lookupOptions);
				return pod && restartedSince(pod, sentAtMs) ? pod : undefined;
			},
			lookingFor: `the pod "${podId}" restarting (Pod → Get: status Starting, or an uptime shorter than the time since this run)`,
		});
		return fromRestPod(answer ?? (await get(ctx, podId, lookupOptions)));
	} catch (error) {
		if (statusOf(error) === 404) throw podNotFound(ctx, podId, options.itemIndex);
		if (statusOf(error) === 409) throw await podRefused(ctx, podId, 'a restart', error, options);
		throw asNodeError(ctx.getNode(), error, options.itemIndex);
	}
}

/**
 * How long Get Logs listens: RunPod keeps a running pod's log stream open for new lines, so the
 * node hangs up once the lines it asked for came, or nothing came for `quietMs`. Not a user
 * option; tests shrink it.
 */
export const LOG_STREAM = { quietMs: 1500, maxMs: 20_000 };

/** GET /v2/pods/{id}/logs: the last `limit` lines, oldest first. */
export async function logs(
	ctx: RequestContext,
	podId: string,
	query: PodLogQuery,
	options: RequestOptions,
): Promise<PodLogLine[]> {
	try {
		const events = await restEventStream(
			ctx,
			{
				path: `/v2/pods/${segment(podId)}/logs`,
				qs: { tail: query.limit, ...(query.source ? { source: query.source } : {}) },
			},
			{ maxEvents: query.limit, ...LOG_STREAM },
			options,
		);
		return events.map((event) => logLine(event.data)).slice(-query.limit);
	} catch (error) {
		if (statusOf(error) === 404) throw podNotFound(ctx, podId, options.itemIndex);
		throw asNodeError(ctx.getNode(), error, options.itemIndex);
	}
}

/** An event's `{ts, source, line}`; a payload that is not JSON is the line itself. */
function logLine(data: string): PodLogLine {
	try {
		const parsed = JSON.parse(data) as { ts?: unknown; source?: unknown; line?: unknown };
		if (parsed && typeof parsed === 'object')
			return {
				time: typeof parsed.ts === 'string' ? parsed.ts : null,
				source: typeof parsed.source === 'string' ? parsed.source : null,
				line: typeof parsed.line === 'string' ? parsed.line : String(parsed.line ?? ''),
			};
	} catch {
		// Plain text.
	}
	return { time: null, source: null, line: data };
}
