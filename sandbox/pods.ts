/** Pods: deploy (on-demand and spot), stop, resume, terminate, spot interruption, and how a pod reads. */
import {
	CLOUDS,
	DATA_CENTERS,
	MAX_GPUS_PER_POD,
	findDataCenter,
	hostShapePerGpu,
	listPrice,
	spotPrice,
} from './catalog';
import type { Cloud } from './catalog';
import { RunPodError, money, runpodDateText } from './context';
import { changeVcpus, freeVcpus, placeCpuPod, requireCpuShape } from './cpuFlavors';
import type { SandboxContext } from './context';
import { dataCenterViewById, findGpuType, gpuTypeView } from './market';
import { RunPodMessages, SandboxMessages } from './messages';
import { logBoot, logHalt } from './podLogs';
import type { PodBootReason } from './podLogs';
import { changeStock, freeGpus } from './state';
import type { PodKind, PodRecord, SandboxState, TemplateRecord } from './state';

export interface EnvInput {
	key: string;
	value: string;
}

/** The fields PodFindAndDeployOnDemandInput and PodRentInterruptableInput share, plus the bid. */
export interface DeployPodInput {
	cloudType?: 'SECURE' | 'COMMUNITY' | 'ALL' | null;
	computeType?: 'CPU' | 'GPU' | null;
	gpuTypeId?: string | null;
	gpuCount?: number | null;
	imageName?: string | null;
	templateId?: string | null;
	name?: string | null;
	containerDiskInGb?: number | null;
	volumeInGb?: number | null;
	volumeMountPath?: string | null;
	ports?: string | null;
	env?: Array<EnvInput | null> | null;
	dockerArgs?: string | null;
	dataCenterId?: string | null;
	countryCode?: string | null;
	networkVolumeId?: string | null;
	minVcpuCount?: number | null;
	minMemoryInGb?: number | null;
	supportPublicIp?: boolean | null;
	bidPerGpu?: number | null;
	/** REST's dataCenterIds: place the pod in one of these (empty or absent: anywhere). */
	dataCenterIds?: string[] | null;
	/** A CPU pod (REST v2's body.cpu): deployCpuPod, not deployPod. */
	cpu?: { flavorId: string; vcpuCount: number };
}

const PUBLIC_IP_PREFIXES = [
	'194.68.245',
	'213.173.108',
	'69.30.85',
	'38.147.83',
	'149.36.1',
	'103.196.86',
];
const HOUR_MS = 3_600_000;

// --- money over time ----------------------------------------------------------------------

export function currentSpendPerHr(state: SandboxState): number {
	return money(
		state.pods
			.filter((pod) => pod.desiredStatus === 'RUNNING')
			.reduce((sum, pod) => sum + podCostPerHr(pod), 0),
	);
}

/** Balance now: what was settled minus what the running pods cost since. */
export function balanceAt(state: SandboxState, nowMs: number): number {
	const elapsedHours = Math.max(0, nowMs - state.account.balanceSettledAtMs) / HOUR_MS;
	return money(state.account.clientBalance - currentSpendPerHr(state) * elapsedHours);
}

/** Books the spending so far; call before the set of running pods changes. */
function settleBalance(state: SandboxState, nowMs: number): void {
	state.account.clientBalance = balanceAt(state, nowMs);
	state.account.balanceSettledAtMs = nowMs;
}

function wholePod(pricePerGpu: number | null, gpuCount: number): number | null {
	return pricePerGpu === null ? null : money(pricePerGpu * gpuCount);
}

/** What the pod costs per hour while it runs: its GPUs, or a CPU pod's vCPUs. */
export function podCostPerHr(pod: PodRecord): number {
	if (pod.cpu) return money(pod.cpu.pricePerVcpu * pod.vcpuCount);
	return money(pod.pricePerGpu * pod.gpuCount);
}

/** Takes (-1) or gives back (+1) what the pod runs on: GPUs, or a CPU pod's vCPUs. */
function changeCapacity(state: SandboxState, pod: PodRecord, gpuCount: number, sign: 1 | -1): void {
	if (pod.cpu) changeVcpus(state, pod.cpu.flavorId, pod.dataCenterId, sign * pod.vcpuCount);
	else changeStock(state, pod.dataCenterId, pod.gpuTypeId, pod.cloud, sign * gpuCount);
}

// --- lookups and checks -------------------------------------------------------------------

export function findPod(
	state: SandboxState,
	podId: string | null | undefined,
): PodRecord | undefined {
	return state.pods.find((pod) => pod.id === podId);
}

function requirePod(state: SandboxState, podId: string): PodRecord {
	const pod = findPod(state, podId);
	if (!pod) throw new RunPodError(SandboxMessages.podNotFound, 'notFound');
	return pod;
}

function validGpuCount(count: number | null | undefined, fallback: number): number {
	const gpuCount = count ?? fallback;
	if (!Number.isInteger(gpuCount) || gpuCount < 1)
		throw new RunPodError(SandboxMessages.gpuCountInvalid);
	return gpuCount;
}

interface PortSpec {
	port: number;
	type: 'http' | 'tcp';
}

/** "8888/http, 22/tcp" → entries; malformed entries are skipped, as they never get mapped. */
export function parsePorts(ports: string): PortSpec[] {
	return ports
		.split(',')
		.map((entry) => entry.trim().match(/^(\d{1,5})\/(http|tcp)$/i))
		.filter((match): match is RegExpMatchArray => match !== null)
		.map((match) => ({ port: Number(match[1]), type: match[2].toLowerCase() as 'http' | 'tcp' }));
}

// --- deploy -------------------------------------------------------------------------------

interface Placement {
	cloud: Cloud;
	dataCenterId: string;
	pricePerGpu: number;
}

/** Finds a cloud and data center with room for the pod, cheapest cloud first. */
function place(
	ctx: SandboxContext,
	kind: PodKind,
	input: DeployPodInput,
	gpuTypeId: string,
	gpuCount: number,
	clouds: readonly Cloud[],
	dataCenterIds: string[] | null,
): Placement {
	const prices = ctx.state.prices[gpuTypeId];
	const candidates = DATA_CENTERS.filter(
		(dc) =>
			(dataCenterIds === null || dataCenterIds.includes(dc.id)) &&
			(!input.countryCode || dc.countryCode === input.countryCode),
	);
	const offered = clouds
		.map((cloud) => ({ cloud, price: listPrice(prices, cloud), spot: spotPrice(prices, cloud) }))
		.filter((offer) => offer.price !== null)
		.sort((a, b) =>
			kind === 'INTERRUPTABLE'
				? (a.spot ?? Infinity) - (b.spot ?? Infinity)
				: (a.price as number) - (b.price as number),
		);

	let bidRefusal: string | undefined;
	for (const offer of offered) {
		const roomy = candidates
			.map((dc) => ({ id: dc.id, free: freeGpus(ctx.state, dc.id, gpuTypeId, offer.cloud) }))
			.filter((dc) => dc.free >= gpuCount)
			.sort((a, b) => b.free - a.free);
		if (roomy.length === 0) continue;
		let pricePerGpu = offer.price as number;
		if (kind === 'INTERRUPTABLE') {
			const bid = input.bidPerGpu as number;
			if (offer.spot === null) continue;
			if (bid < offer.spot) {
				bidRefusal ??= SandboxMessages.bidTooLow(bid, offer.spot, gpuTypeId);
				continue;
			}
			pricePerGpu = bid;
		}
		return { cloud: offer.cloud, dataCenterId: roomy[0].id, pricePerGpu };
	}
	if (bidRefusal) throw new RunPodError(bidRefusal);
	throw new RunPodError(RunPodMessages.noInstances, 'capacity');
}

/** The sandbox's rule (RunPod's is not documented): nothing starts on a balance that has run out. */
function requireBalance(ctx: SandboxContext): void {
	const balance = balanceAt(ctx.state, ctx.nowMs);
	if (balance <= 0) throw new RunPodError(SandboxMessages.insufficientBalance(balance), 'balance');
}

function envStrings(env: Array<EnvInput | null> | null | undefined): string[] | undefined {
	if (!env) return undefined;
	return env
		.filter((entry): entry is EnvInput => entry !== null)
		.map((entry) => `${entry.key}=${entry.value}`);
}

export function deployPod(
	ctx: SandboxContext,
	kind: PodKind,
	input: DeployPodInput | null | undefined,
): PodRecord {
	const mutation = kind === 'RESERVED' ? 'podFindAndDeployOnDemand' : 'podRentInterruptable';
	if (!input) throw new RunPodError(SandboxMessages.inputRequired(mutation));
	if (input.computeType === 'CPU') throw new RunPodError(SandboxMessages.cpuPodsNotModelled);
	const { state, random } = ctx;

	let template: TemplateRecord | undefined;
	if (input.templateId) {
		template = state.templates.find((t) => t.id === input.templateId);
		if (!template) throw new RunPodError(SandboxMessages.templateNotFound, 'notFound');
	}
	const imageName = input.imageName || template?.imageName;
	if (!imageName) throw new RunPodError(SandboxMessages.imageOrTemplateRequired);
	if (kind === 'INTERRUPTABLE' && (input.bidPerGpu === null || input.bidPerGpu === undefined)) {
		throw new RunPodError(SandboxMessages.bidRequired);
	}

	const gpuCount = validGpuCount(input.gpuCount, 1);
	const gpu = findGpuType(input.gpuTypeId);
	// RunPod answers an unknown GPU type with the same text as a shortage.
	if (!gpu || gpuCount > MAX_GPUS_PER_POD)
		throw new RunPodError(RunPodMessages.noInstances, 'capacity');

	let clouds: readonly Cloud[] =
		input.cloudType === 'SECURE'
			? ['SECURE']
			: input.cloudType === 'COMMUNITY'
				? ['COMMUNITY']
				: CLOUDS;
	let dataCenterIds: string[] | null = input.dataCenterId
		? [input.dataCenterId]
		: input.dataCenterIds?.length
			? [...input.dataCenterIds]
			: null;
	if (dataCenterIds !== null && !dataCenterIds.some((id) => findDataCenter(id)))
		throw new RunPodError(RunPodMessages.noInstances, 'capacity');
	if (input.networkVolumeId) {
		const volume = state.networkVolumes.find((v) => v.id === input.networkVolumeId);
		if (!volume) throw new RunPodError(SandboxMessages.volumeNotFound, 'notFound');
		if (input.cloudType === 'COMMUNITY')
			throw new RunPodError(SandboxMessages.volumeNeedsSecureCloud);
		if (dataCenterIds !== null && !dataCenterIds.includes(volume.dataCenterId)) {
			throw new RunPodError(
				SandboxMessages.volumeDataCenterConflict(volume.dataCenterId, dataCenterIds.join(', ')),
			);
		}
		clouds = ['SECURE'];
		dataCenterIds = [volume.dataCenterId];
	}

	const placement = place(ctx, kind, input, gpu.id, gpuCount, clouds, dataCenterIds);
	requireBalance(ctx);
	const shape = hostShapePerGpu(gpu.memoryInGb);
	const ports = (input.ports ?? template?.ports ?? '').replace(/\s+/g, '');
	const id = random.id(14);
	const pod: PodRecord = {
		id,
		name: input.name ?? '',
		imageName,
		podType: kind,
		desiredStatus: 'EXITED',
		cloud: placement.cloud,
		gpuTypeId: gpu.id,
		gpuCount,
		dataCenterId: placement.dataCenterId,
		machineId: random.id(12),
		podHostId: `${id}-${random.hex(8)}`,
		env: envStrings(input.env) ?? template?.env.map((e) => `${e.key}=${e.value}`) ?? [],
		ports,
		vcpuCount: Math.max(input.minVcpuCount ?? 0, shape.vcpu * gpuCount),
		memoryInGb: Math.max(input.minMemoryInGb ?? 0, shape.memoryInGb * gpuCount),
		containerDiskInGb: input.containerDiskInGb ?? template?.containerDiskInGb ?? 20,
		volumeInGb: input.volumeInGb ?? template?.volumeInGb ?? 0,
		volumeMountPath: input.volumeMountPath ?? template?.volumeMountPath ?? '/workspace',
		dockerArgs: input.dockerArgs ?? template?.dockerArgs ?? '',
		templateId: template?.id ?? null,
		networkVolumeId: input.networkVolumeId ?? null,
		pricePerGpu: placement.pricePerGpu,
		supportPublicIp: input.supportPublicIp !== false,
		privateIp: `100.65.${random.int(0, 255)}.${random.int(2, 254)}`,
		publicIp: `${random.pick(PUBLIC_IP_PREFIXES)}.${random.int(2, 254)}`,
		publicPorts: {},
		gpuUuids: [],
		createdAt: new Date(ctx.nowMs).toISOString(),
		lastStartedAt: '',
		lastStatusChange: '',
		readyAtMs: null,
		version: 0,
	};
	for (const spec of parsePorts(ports))
		pod.publicPorts[String(spec.port)] = random.int(10000, 65000);
	state.pods.push(pod);
	start(ctx, pod, gpuCount, placement.pricePerGpu, 'create');
	pod.firstBoot = true;
	return pod;
}

/**
 * A CPU pod (REST v2 only): a flavor and a vCPU count on Secure Cloud; memory follows from the
 * flavor, billing is per vCPU. Container disk and a network volume only (no pod volume).
 */
export function deployCpuPod(
	ctx: SandboxContext,
	input: DeployPodInput & { cpu: { flavorId: string; vcpuCount: number } },
): PodRecord {
	const { state, random } = ctx;
	const template = input.templateId
		? state.templates.find((t) => t.id === input.templateId)
		: undefined;
	if (input.templateId && !template)
		throw new RunPodError(SandboxMessages.templateNotFound, 'notFound');
	const imageName = input.imageName || template?.imageName;
	if (!imageName) throw new RunPodError(SandboxMessages.imageOrTemplateRequired);
	if (input.cloudType === 'COMMUNITY') throw new RunPodError(SandboxMessages.cpuPodsSecureOnly);
	const { flavor, memoryInGb } = requireCpuShape(input.cpu.flavorId, input.cpu.vcpuCount);
	let dataCenterIds: string[] | null = input.dataCenterIds?.length
		? [...input.dataCenterIds]
		: null;
	if (input.networkVolumeId) {
		const volume = state.networkVolumes.find((v) => v.id === input.networkVolumeId);
		if (!volume) throw new RunPodError(SandboxMessages.volumeNotFound, 'notFound');
		if (dataCenterIds !== null && !dataCenterIds.includes(volume.dataCenterId)) {
			throw new RunPodError(
				SandboxMessages.volumeDataCenterConflict(volume.dataCenterId, dataCenterIds.join(', ')),
			);
		}
		dataCenterIds = [volume.dataCenterId];
	}
	const dataCenterId = placeCpuPod(state, flavor, input.cpu.vcpuCount, dataCenterIds);
	requireBalance(ctx);
	const ports = (input.ports ?? template?.ports ?? '').replace(/\s+/g, '');
	const id = random.id(14);
	const pod: PodRecord = {
		id,
		name: input.name ?? '',
		imageName,
		podType: 'RESERVED',
		desiredStatus: 'EXITED',
		cloud: 'SECURE',
		gpuTypeId: '',
		gpuCount: 0,
		dataCenterId,
		machineId: random.id(12),
		podHostId: `${id}-${random.hex(8)}`,
		env: envStrings(input.env) ?? template?.env.map((e) => `${e.key}=${e.value}`) ?? [],
		ports,
		vcpuCount: input.cpu.vcpuCount,
		memoryInGb,
		containerDiskInGb: input.containerDiskInGb ?? template?.containerDiskInGb ?? 20,
		// CPU pods do not inherit a template's persistent mount (openapi.json, templateId).
		volumeInGb: 0,
		volumeMountPath: input.volumeMountPath ?? '/workspace',
		dockerArgs: input.dockerArgs ?? template?.dockerArgs ?? '',
		templateId: template?.id ?? null,
		networkVolumeId: input.networkVolumeId ?? null,
		pricePerGpu: 0,
		cpu: { flavorId: flavor.id, pricePerVcpu: flavor.securePerVcpu },
		supportPublicIp: true,
		privateIp: `100.65.${random.int(0, 255)}.${random.int(2, 254)}`,
		publicIp: `${random.pick(PUBLIC_IP_PREFIXES)}.${random.int(2, 254)}`,
		publicPorts: {},
		gpuUuids: [],
		createdAt: new Date(ctx.nowMs).toISOString(),
		lastStartedAt: '',
		lastStatusChange: '',
		readyAtMs: null,
		version: 0,
	};
	for (const spec of parsePorts(ports))
		pod.publicPorts[String(spec.port)] = random.int(10000, 65000);
	state.pods.push(pod);
	start(ctx, pod, 0, 0);
	pod.firstBoot = true;
	return pod;
}

function resumeCpuPod(ctx: SandboxContext, pod: PodRecord): PodRecord {
	if (freeVcpus(ctx.state, pod.cpu?.flavorId ?? '', pod.dataCenterId) < pod.vcpuCount)
		throw new RunPodError(RunPodMessages.noInstances, 'capacity');
	requireBalance(ctx);
	start(ctx, pod, 0, 0);
	return pod;
}

/** Takes the GPUs, bills from now, and boots: runtime appears after the boot delay. */
function start(
	ctx: SandboxContext,
	pod: PodRecord,
	gpuCount: number,
	pricePerGpu: number,
	reason: PodBootReason = 'start',
): void {
	settleBalance(ctx.state, ctx.nowMs);
	changeCapacity(ctx.state, pod, gpuCount, -1);
	if (gpuCount !== pod.gpuUuids.length)
		pod.gpuUuids = Array.from({ length: gpuCount }, () => ctx.random.uuid());
	if (gpuCount !== pod.gpuCount) {
		// Resuming with another GPU count reshapes the pod.
		const shape = hostShapePerGpu(findGpuType(pod.gpuTypeId)?.memoryInGb ?? 0);
		pod.vcpuCount = shape.vcpu * gpuCount;
		pod.memoryInGb = shape.memoryInGb * gpuCount;
		pod.gpuCount = gpuCount;
	}
	pod.pricePerGpu = pricePerGpu;
	pod.desiredStatus = 'RUNNING';
	pod.lastStartedAt = new Date(ctx.nowMs).toISOString();
	pod.lastStatusChange = `Rented by User: ${runpodDateText(ctx.nowMs)}`;
	pod.readyAtMs = ctx.nowMs + ctx.bootDelayMs;
	pod.firstBoot = false;
	logBoot(pod, ctx.nowMs, reason);
	ctx.state.usage.push({
		podId: pod.id,
		costPerHr: podCostPerHr(pod),
		startMs: ctx.nowMs,
		endMs: null,
	});
}

/** Gives the GPUs back and stops billing. */
function halt(state: SandboxState, pod: PodRecord, nowMs: number, by: 'User' | 'Runpod'): void {
	if (pod.desiredStatus !== 'RUNNING') return;
	settleBalance(state, nowMs);
	changeCapacity(state, pod, pod.gpuCount, 1);
	logHalt(pod, nowMs, by);
	pod.desiredStatus = 'EXITED';
	pod.readyAtMs = null;
	pod.lastStatusChange = `Exited by ${by}: ${runpodDateText(nowMs)}`;
	for (const usage of state.usage)
		if (usage.podId === pod.id && usage.endMs === null) usage.endMs = nowMs;
}

// --- lifecycle ----------------------------------------------------------------------------

export function stopPod(ctx: SandboxContext, podId: string): PodRecord {
	const pod = requirePod(ctx.state, podId);
	if (pod.locked && pod.desiredStatus === 'RUNNING')
		throw new RunPodError(SandboxMessages.podLocked, 'conflict');
	halt(ctx.state, pod, ctx.nowMs, 'User');
	return pod;
}

/** Restarts a running pod's container in place: it boots again, billing goes on. */
export function restartPod(ctx: SandboxContext, podId: string): PodRecord {
	const pod = requirePod(ctx.state, podId);
	if (pod.desiredStatus !== 'RUNNING')
		throw new RunPodError(SandboxMessages.podNotRunning, 'conflict');
	if (pod.locked) throw new RunPodError(SandboxMessages.podLocked, 'conflict');
	pod.readyAtMs = ctx.nowMs + ctx.bootDelayMs;
	pod.firstBoot = false;
	logBoot(pod, ctx.nowMs, 'restart');
	return pod;
}

export interface PodChanges {
	name?: string;
	imageName?: string;
	dockerArgs?: string;
	containerDiskInGb?: number;
	/** "8888/http,22/tcp" */
	ports?: string;
	/** "K=V" strings */
	env?: string[];
	locked?: boolean;
	/** The pod volume's new size (GB); the pod must have one. */
	volumeInGb?: number;
}

/** Edits a pod; a running pod whose container changed restarts to pick it up. */
export function updatePod(ctx: SandboxContext, podId: string, changes: PodChanges): PodRecord {
	const pod = requirePod(ctx.state, podId);
	const containerChanged =
		(changes.imageName !== undefined && changes.imageName !== pod.imageName) ||
		(changes.dockerArgs !== undefined && changes.dockerArgs !== pod.dockerArgs) ||
		(changes.containerDiskInGb !== undefined &&
			changes.containerDiskInGb !== pod.containerDiskInGb) ||
		(changes.ports !== undefined && changes.ports !== pod.ports) ||
		(changes.env !== undefined && changes.env.join('\n') !== pod.env.join('\n')) ||
		(changes.volumeInGb !== undefined && changes.volumeInGb !== pod.volumeInGb);
	if (changes.name !== undefined) pod.name = changes.name;
	if (changes.imageName !== undefined) pod.imageName = changes.imageName;
	if (changes.dockerArgs !== undefined) pod.dockerArgs = changes.dockerArgs;
	if (changes.containerDiskInGb !== undefined) pod.containerDiskInGb = changes.containerDiskInGb;
	if (changes.env !== undefined) pod.env = [...changes.env];
	if (changes.volumeInGb !== undefined) pod.volumeInGb = changes.volumeInGb;
	if (changes.ports !== undefined) {
		pod.ports = changes.ports.replace(/\s+/g, '');
		for (const spec of parsePorts(pod.ports))
			pod.publicPorts[String(spec.port)] ??= ctx.random.int(10000, 65000);
	}
	if (changes.locked !== undefined) pod.locked = changes.locked;
	if (containerChanged) {
		pod.version += 1;
		if (pod.desiredStatus === 'RUNNING') {
			pod.readyAtMs = ctx.nowMs + ctx.bootDelayMs;
			pod.firstBoot = false;
			logBoot(pod, ctx.nowMs, 'update');
		}
	}
	return pod;
}

export function resumePod(
	ctx: SandboxContext,
	input: { podId: string; gpuCount?: number | null },
): PodRecord {
	const pod = requirePod(ctx.state, input.podId);
	if (pod.podType === 'INTERRUPTABLE') throw new RunPodError(RunPodMessages.spotResumedAsOnDemand);
	if (pod.desiredStatus === 'RUNNING') return pod;
	if (pod.cpu) return resumeCpuPod(ctx, pod);
	const gpuCount = validGpuCount(input.gpuCount, pod.gpuCount);
	const price = listPrice(ctx.state.prices[pod.gpuTypeId], pod.cloud);
	if (
		price === null ||
		freeGpus(ctx.state, pod.dataCenterId, pod.gpuTypeId, pod.cloud) < gpuCount
	) {
		throw new RunPodError(RunPodMessages.notEnoughFreeGpus, 'capacity');
	}
	requireBalance(ctx);
	start(ctx, pod, gpuCount, price);
	return pod;
}

export function bidResumePod(
	ctx: SandboxContext,
	input: { podId: string; bidPerGpu: number; gpuCount: number },
): PodRecord {
	const pod = requirePod(ctx.state, input.podId);
	if (pod.podType !== 'INTERRUPTABLE') throw new RunPodError(SandboxMessages.onDemandResumedAsSpot);
	if (pod.desiredStatus === 'RUNNING') return pod;
	const gpuCount = validGpuCount(input.gpuCount, pod.gpuCount);
	const minimum = spotPrice(ctx.state.prices[pod.gpuTypeId], pod.cloud);
	if (minimum !== null && input.bidPerGpu < minimum) {
		throw new RunPodError(SandboxMessages.bidTooLow(input.bidPerGpu, minimum, pod.gpuTypeId));
	}
	if (
		minimum === null ||
		freeGpus(ctx.state, pod.dataCenterId, pod.gpuTypeId, pod.cloud) < gpuCount
	) {
		throw new RunPodError(RunPodMessages.notEnoughFreeGpus, 'capacity');
	}
	requireBalance(ctx);
	start(ctx, pod, gpuCount, input.bidPerGpu);
	return pod;
}

export function terminatePod(ctx: SandboxContext, podId: string): null {
	const pod = requirePod(ctx.state, podId);
	halt(ctx.state, pod, ctx.nowMs, 'User');
	ctx.state.pods = ctx.state.pods.filter((p) => p !== pod);
	return null;
}

/** RunPod reclaiming a spot pod: it exits, the GPUs go back to the market. */
export function interruptSpot(state: SandboxState, podId: string, nowMs: number): void {
	const pod = findPod(state, podId);
	if (!pod) throw new Error(`The sandbox has no pod "${podId}"`);
	if (pod.podType !== 'INTERRUPTABLE')
		throw new Error(`Pod "${podId}" is an on-demand pod; only spot pods are interrupted`);
	halt(state, pod, nowMs, 'Runpod');
}

// --- how a pod reads ----------------------------------------------------------------------

/** RunPod's observed pod status (REST), derived from the desired status and the boot clock. */
export type ObservedStatus =
	'PROVISIONING' | 'STARTING' | 'RUNNING' | 'EXITED' | 'ERROR' | 'TERMINATED';
export type PodActionName = 'start' | 'stop' | 'restart' | 'terminate';

/**
 * A created pod is PROVISIONING for the first half of the boot delay and STARTING for the
 * second; a resumed or restarted one is STARTING until it is up. The sandbox never fails a boot,
 * so ERROR does not occur, and a terminated pod is gone (404), never TERMINATED.
 */
export function observedStatus(pod: PodRecord, nowMs: number, bootDelayMs: number): ObservedStatus {
	if (pod.desiredStatus !== 'RUNNING') return 'EXITED';
	if (pod.readyAtMs === null || nowMs >= pod.readyAtMs) return 'RUNNING';
	return pod.firstBoot && nowMs < pod.readyAtMs - bootDelayMs / 2 ? 'PROVISIONING' : 'STARTING';
}

/** What the pod allows now, as RunPod lists it (a locked pod cannot be stopped or restarted). */
export function allowedActions(status: ObservedStatus, locked: boolean): PodActionName[] {
	switch (status) {
		case 'RUNNING':
			return locked ? ['terminate'] : ['stop', 'restart', 'terminate'];
		case 'PROVISIONING':
		case 'STARTING':
			return locked ? ['terminate'] : ['stop', 'terminate'];
		case 'EXITED':
		case 'ERROR':
			return ['start', 'terminate'];
		default:
			return [];
	}
}

/** Spend so far: the ledger's stretches clipped to [fromMs, toMs), per pod. */
export function podSpendBetween(
	state: SandboxState,
	fromMs: number,
	toMs: number,
	nowMs: number,
): Map<string, number> {
	const spend = new Map<string, number>();
	for (const usage of state.usage) {
		const start = Math.max(usage.startMs, fromMs);
		const end = Math.min(usage.endMs ?? nowMs, toMs);
		if (end <= start) continue;
		spend.set(
			usage.podId,
			(spend.get(usage.podId) ?? 0) + (usage.costPerHr * (end - start)) / HOUR_MS,
		);
	}
	return spend;
}

export function runtimeView(pod: PodRecord, nowMs: number) {
	if (pod.desiredStatus !== 'RUNNING' || pod.readyAtMs === null || nowMs < pod.readyAtMs)
		return null;
	return {
		uptimeInSeconds: Math.floor((nowMs - pod.readyAtMs) / 1000),
		ports: parsePorts(pod.ports).map((spec) => {
			const isIpPublic = spec.type === 'tcp' && pod.supportPublicIp;
			return {
				ip: isIpPublic ? pod.publicIp : pod.privateIp,
				isIpPublic,
				privatePort: spec.port,
				publicPort: pod.publicPorts[String(spec.port)] ?? spec.port,
				type: spec.type,
			};
		}),
		gpus: pod.gpuUuids.map((uuid) => ({
			id: `GPU-${uuid}`,
			gpuUtilPercent: 0,
			memoryUtilPercent: 0,
		})),
		container: { cpuPercent: 0, memoryPercent: 1 },
	};
}

export function networkVolumeView(state: SandboxState, volumeId: string | null) {
	const volume = state.networkVolumes.find((v) => v.id === volumeId);
	return volume ? { ...volume, dataCenter: dataCenterViewById(volume.dataCenterId) } : null;
}

/** The Pod type as RunPod answers it, computed at the request's clock. */
export function podView(state: SandboxState, pod: PodRecord, nowMs: number) {
	const gpu = findGpuType(pod.gpuTypeId);
	const prices = state.prices[pod.gpuTypeId];
	const currentPricePerGpu = !prices
		? null
		: pod.podType === 'INTERRUPTABLE'
			? spotPrice(prices, pod.cloud)
			: listPrice(prices, pod.cloud);
	const dc = findDataCenter(pod.dataCenterId);
	const costPerHr = podCostPerHr(pod);
	const running = pod.desiredStatus === 'RUNNING';
	return {
		id: pod.id,
		name: pod.name,
		imageName: pod.imageName,
		desiredStatus: pod.desiredStatus,
		podType: pod.podType,
		lastStatusChange: pod.lastStatusChange,
		createdAt: pod.createdAt,
		lastStartedAt: pod.lastStartedAt,
		costPerHr,
		adjustedCostPerHr: costPerHr,
		costMultiplier: 1,
		// For the whole pod, like every price on a pod and like lowestPrice's minimumBidPrice.
		lowestBidPriceToResume:
			pod.podType === 'INTERRUPTABLE' ? wholePod(spotPrice(prices, pod.cloud), pod.gpuCount) : null,
		gpuCount: pod.gpuCount,
		vcpuCount: pod.vcpuCount,
		memoryInGb: pod.memoryInGb,
		containerDiskInGb: pod.containerDiskInGb,
		volumeInGb: pod.volumeInGb,
		volumeMountPath: pod.volumeMountPath,
		volumeEncrypted: false,
		volumeKey: null,
		networkVolumeId: pod.networkVolumeId,
		networkVolume: networkVolumeView(state, pod.networkVolumeId),
		env: [...pod.env],
		ports: pod.ports,
		port: null,
		dockerArgs: pod.dockerArgs,
		dockerId: null,
		templateId: pod.templateId,
		containerRegistryAuthId: null,
		machineId: pod.machineId,
		machineType: null,
		machine: {
			id: pod.machineId,
			podHostId: pod.podHostId,
			gpuDisplayName: gpu?.displayName ?? pod.gpuTypeId,
			gpuTypeId: pod.gpuTypeId,
			gpuType: gpu ? gpuTypeView(gpu, prices) : null,
			gpuAvailable: freeGpus(state, pod.dataCenterId, pod.gpuTypeId, pod.cloud),
			costPerHr,
			currentPricePerGpu,
			dataCenterId: pod.dataCenterId,
			location: dc?.countryCode ?? null,
			secureCloud: pod.cloud === 'SECURE',
			supportPublicIp: pod.supportPublicIp,
			globalNetwork: false,
			listed: true,
			machineType: null,
			minPodGpuCount: 1,
		},
		runtime: runtimeView(pod, nowMs),
		// RunPod reports 0 here even for long-running pods (docs/runpod-graphql-notes.md §3).
		uptimeSeconds: 0,
		locked: pod.locked ?? false,
		version: pod.version,
		gpuPowerLimitPercent: 100,
		gpus: running ? pod.gpuUuids.map((uuid) => ({ id: `GPU-${uuid}`, podId: pod.id })) : [],
		latestTelemetry: null,
	};
}
