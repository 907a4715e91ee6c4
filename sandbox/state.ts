/**
 * The sandbox's whole world as one plain JSON-serialisable object: account, keys, prices,
 * stock, pods, templates and volumes. Resolvers change it; tests may read and tweak it.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'fs';

import { CLOUDS, DATA_CENTERS, gpuCatalog, isHighEnd, listPrice } from './catalog';
import type { Cloud, GpuPrices } from './catalog';
import { SeededRandom, scrambleSeed } from './random';
import { demoEndpoint } from './serverless/endpoints';
import type { EndpointRecord } from './serverless/endpoints';

export const STATE_VERSION = 1;

export type StockLevel = Record<Cloud, number>;

export interface AccountRecord {
	id: string;
	email: string;
	/** Balance at balanceSettledAtMs; spending since then is subtracted on read. */
	clientBalance: number;
	balanceSettledAtMs: number;
	spendLimit: number;
	/** SSH public keys registered on the account (REST /v2/account/ssh-keys). */
	sshKeys: string[];
}

export interface ApiKeyRecord {
	key: string;
	access: 'full' | 'readOnly';
}

export type PodKind = 'RESERVED' | 'INTERRUPTABLE';

export interface PodRecord {
	id: string;
	name: string;
	imageName: string;
	podType: PodKind;
	desiredStatus: 'RUNNING' | 'EXITED';
	cloud: Cloud;
	gpuTypeId: string;
	gpuCount: number;
	dataCenterId: string;
	machineId: string;
	podHostId: string;
	/** "K=V" strings, the shape Pod.env is read in. */
	env: string[];
	ports: string;
	vcpuCount: number;
	memoryInGb: number;
	containerDiskInGb: number;
	volumeInGb: number;
	volumeMountPath: string | null;
	dockerArgs: string | null;
	templateId: string | null;
	networkVolumeId: string | null;
	/** Price per GPU the pod runs at: the list price, or the bid for a spot pod. */
	pricePerGpu: number;
	supportPublicIp: boolean;
	privateIp: string;
	publicIp: string;
	/** Public port per private port ("8888" → 60141). */
	publicPorts: Record<string, number>;
	gpuUuids: string[];
	createdAt: string;
	lastStartedAt: string;
	lastStatusChange: string;
	/** When the container is up (runtime stops being null); null while stopped. */
	readyAtMs: number | null;
	version: number;
	/** A locked pod refuses stop and restart (REST PATCH locked). */
	locked?: boolean;
	/** The boot in progress is the pod's first (PROVISIONING before STARTING on REST). */
	firstBoot?: boolean;
	/** A CPU pod (REST v2): its flavor and price per vCPU; gpuCount is 0 and vcpuCount is what is billed. */
	cpu?: { flavorId: string; pricePerVcpu: number };
	/** Membership of an instant cluster (REST /v2/clusters); absent for a standalone pod. */
	cluster?: { id: string; rank: number; ip: string; role?: string };
	/** The container registry credential the pod pulls its image with (REST `registry`). */
	containerRegistryAuthId?: string | null;
	/** Its log, oldest first (sandbox/podLogs.ts); absent in state files written before logs. */
	logs?: PodLogLine[];
}

/** One line of a pod's log, as REST v2's log stream sends it (`seq` orders lines of one moment). */
export interface PodLogLine {
	ts: string;
	seq: number;
	source: 'container' | 'system';
	line: string;
}

/** An instant multi-node cluster: its member pods are ordinary pods (billed alike) that name it. */
export interface ClusterRecord {
	id: string;
	name: string;
	type: 'APPLICATION' | 'TRAINING' | 'SLURM' | 'RAY';
	gpuTypeId: string;
	gpuCountPerPod: number;
	podCount: number;
	vxlanId: number;
	createdAt: string;
}

/** One stretch of time a pod was billed at one rate: the ledger behind balance and billing history. */
export interface UsageRecord {
	podId: string;
	costPerHr: number;
	startMs: number;
	/** null while the pod still runs. */
	endMs: number | null;
}

export interface TemplateRecord {
	id: string;
	name: string;
	imageName: string;
	containerDiskInGb: number;
	volumeInGb: number;
	volumeMountPath: string;
	dockerArgs: string;
	env: Array<{ key: string; value: string }>;
	ports: string;
	isServerless: boolean;
	isPublic: boolean;
	startSsh: boolean;
	startJupyter: boolean;
	readme: string;
	containerRegistryAuthId: string | null;
	/** REST-only fields; absent in state files written before REST v2. */
	category?: 'NVIDIA' | 'AMD' | 'CPU';
	allowedCudaVersions?: string[];
}

export interface NetworkVolumeRecord {
	id: string;
	name: string;
	size: number;
	dataCenterId: string;
	/** Storage tier (REST); absent means STANDARD. */
	type?: 'STANDARD' | 'HIGH_PERFORMANCE';
}

export interface SandboxState {
	version: typeof STATE_VERSION;
	seed: number;
	/** PRNG position, so ids continue the same sequence after a save and load. */
	rngState: number;
	account: AccountRecord;
	apiKeys: ApiKeyRecord[];
	/** Live per-GPU list prices by GPU type id (setPrice changes them). */
	prices: Record<string, GpuPrices>;
	/** Data centers that host each GPU type, in preference order. */
	gpuHosts: Record<string, string[]>;
	/** Free GPUs: data center → GPU type → cloud. */
	stock: Record<string, Record<string, StockLevel>>;
	/** Every billed stretch, terminated pods included. */
	usage: UsageRecord[];
	pods: PodRecord[];
	templates: TemplateRecord[];
	networkVolumes: NetworkVolumeRecord[];
	/** Serverless endpoints (sandbox/serverless); absent in state files from before they were modelled. */
	endpoints?: EndpointRecord[];
	/** Free vCPUs for CPU pods: flavor → data center (sandbox/cpuFlavors.ts makes it on first use). */
	cpuStock?: Record<string, Record<string, number>>;
	/** Instant clusters (REST /v2/clusters); absent in state files from before they were modelled. */
	clusters?: ClusterRecord[];
	/** Container registry credentials (REST /v2/registries); the password is kept, never answered. */
	registries?: RegistryRecord[];
	/** ECR delegations (REST /v2/registries/delegations). */
	ecrDelegations?: EcrDelegationRecord[];
	/** Every job a serverless worker ran, for billing (its cost is also taken off the balance). */
	serverlessUsage?: ServerlessUsageRecord[];
}

export interface RegistryRecord {
	id: string;
	name: string;
	username: string;
	password: string;
}

export interface EcrDelegationRecord {
	id: string;
	name: string | null;
	delegatorUserId: string;
	awsUser: string;
	repository: string;
	tag: string;
	awsRegion: string;
	dockerRegistryUri: string;
	createdAt: string;
}

/** One job's run on a serverless worker: billed per GPU-second at its endpoint's pool price. */
export interface ServerlessUsageRecord {
	endpointId: string;
	/** The endpoint's GPU pools when the job ran, e.g. "ADA_24". */
	gpuIds: string;
	gpuCount: number;
	startMs: number;
	endMs: number;
}

/** GPU types every seed keeps in stock in both clouds, in the storage data centers too, so examples just work. */
const ALWAYS_STOCKED = new Set([
	'NVIDIA GeForce RTX 4090',
	'NVIDIA GeForce RTX 3090',
	'NVIDIA RTX A4000',
	'NVIDIA RTX A5000',
	'NVIDIA RTX A6000',
	'NVIDIA A40',
	'NVIDIA L40S',
]);
const PREFERRED_HOSTS = ['EU-RO-1', 'US-TX-3', 'CA-MTL-1', 'EU-SE-1'];
const OUT_OF_STOCK_CHANCE = 0.2;

export function createInitialState(seed: number, nowMs: number = Date.now()): SandboxState {
	const holder = { rngState: scrambleSeed(seed) };
	const random = new SeededRandom(holder);
	const keys = SeededRandom.fromSeed(seed + 0x5eed);
	const keyChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

	const prices: Record<string, GpuPrices> = {};
	const gpuHosts: Record<string, string[]> = {};
	const stock: Record<string, Record<string, StockLevel>> = {};
	for (const dc of DATA_CENTERS) stock[dc.id] = {};

	for (const gpu of gpuCatalog()) {
		prices[gpu.id] = {
			securePrice: gpu.securePrice,
			communityPrice: gpu.communityPrice,
			secureSpotPrice: gpu.secureSpotPrice,
			communitySpotPrice: gpu.communitySpotPrice,
		};
		const alwaysStocked = ALWAYS_STOCKED.has(gpu.id);
		const others = random.shuffle(
			DATA_CENTERS.map((dc) => dc.id).filter(
				(id) => !alwaysStocked || !PREFERRED_HOSTS.includes(id),
			),
		);
		// High-end types sit in two data centers with at most two free each: never "High" stock.
		const hostCount = isHighEnd(gpu) ? 2 : random.int(2, 4);
		const hosts = alwaysStocked
			? [...PREFERRED_HOSTS, ...others.slice(0, 2)]
			: others.slice(0, hostCount);
		gpuHosts[gpu.id] = hosts;

		for (const dcId of hosts) stock[dcId][gpu.id] = { SECURE: 0, COMMUNITY: 0 };
		for (const cloud of CLOUDS) {
			if (listPrice(gpu, cloud) === null) continue;
			const outOfStock = !alwaysStocked && random.next() < OUT_OF_STOCK_CHANCE;
			for (const dcId of hosts) {
				let free = 0;
				if (alwaysStocked) free = random.int(3, 12);
				else if (!outOfStock) free = isHighEnd(gpu) ? random.int(0, 2) : random.int(1, 10);
				stock[dcId][gpu.id][cloud] = free;
			}
		}
	}

	return {
		version: STATE_VERSION,
		seed,
		rngState: holder.rngState,
		account: {
			id: `user_${keys.id(24)}`,
			email: 'sandbox@example.com',
			clientBalance: 100,
			balanceSettledAtMs: nowMs,
			spendLimit: 80,
			sshKeys: [],
		},
		apiKeys: [
			{ key: `rpa_sandbox_${keys.chars(keyChars, 32)}`, access: 'full' },
			{ key: `rpa_sandbox_readonly_${keys.chars(keyChars, 24)}`, access: 'readOnly' },
		],
		prices,
		gpuHosts,
		stock,
		usage: [],
		pods: [],
		templates: [],
		networkVolumes: [],
		endpoints: [demoEndpoint(nowMs)],
		clusters: [],
	};
}

// --- stock --------------------------------------------------------------------------------

export function freeGpus(
	state: SandboxState,
	dataCenterId: string,
	gpuTypeId: string,
	cloud: Cloud,
): number {
	return state.stock[dataCenterId]?.[gpuTypeId]?.[cloud] ?? 0;
}

export function changeStock(
	state: SandboxState,
	dataCenterId: string,
	gpuTypeId: string,
	cloud: Cloud,
	delta: number,
): void {
	const perDc = (state.stock[dataCenterId] ??= {});
	const level = (perDc[gpuTypeId] ??= { SECURE: 0, COMMUNITY: 0 });
	level[cloud] = Math.max(0, level[cloud] + delta);
}

/**
 * Sets how many GPUs of a type are free in a cloud. Without a data center, the whole amount
 * goes to the type's first host data center and the others are emptied, so "N free" means a
 * pod of N GPUs fits.
 */
export function setStockLevel(
	state: SandboxState,
	gpuTypeId: string,
	cloud: Cloud,
	free: number,
	dataCenterId?: string,
): void {
	if (dataCenterId !== undefined) {
		changeStock(state, dataCenterId, gpuTypeId, cloud, 0);
		state.stock[dataCenterId][gpuTypeId][cloud] = Math.max(0, free);
		return;
	}
	const hosts = (state.gpuHosts[gpuTypeId] ??= [PREFERRED_HOSTS[0]]);
	for (const dcId of Object.keys(state.stock)) {
		if (state.stock[dcId][gpuTypeId]) state.stock[dcId][gpuTypeId][cloud] = 0;
	}
	changeStock(state, hosts[0], gpuTypeId, cloud, 0);
	state.stock[hosts[0]][gpuTypeId][cloud] = Math.max(0, free);
}

// --- persistence --------------------------------------------------------------------------

export function loadStateFile(file: string): SandboxState | undefined {
	if (!existsSync(file)) return undefined;
	const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SandboxState>;
	if (parsed.version !== STATE_VERSION) {
		throw new Error(`${file} is not a RunPod sandbox state file of version ${STATE_VERSION}`);
	}
	// Fields added with the REST face; older files simply have no history yet.
	parsed.usage ??= [];
	if (parsed.account) parsed.account.sshKeys ??= [];
	return parsed as SandboxState;
}

/** Writes through a temporary file so a crash never leaves half a state file behind. */
export function saveStateFile(file: string, state: SandboxState): void {
	const temporary = `${file}.${process.pid}.tmp`;
	writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
	renameSync(temporary, file);
}

/** Replaces the contents of `target` with `source`, keeping the object identity others hold. */
export function replaceState(target: SandboxState, source: SandboxState): void {
	for (const key of Object.keys(target)) delete (target as unknown as Record<string, unknown>)[key];
	Object.assign(target, source);
}
