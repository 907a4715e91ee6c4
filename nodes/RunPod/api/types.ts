/**
 * RunPod's shapes as the node reads them, and the inputs the node builds. Both APIs return these:
 * the field names follow RunPod's original (GraphQL) words, the REST v2 implementation maps its
 * answers onto them, and `source` keeps each API's own object for Simplify off.
 */
import type { IDataObject } from 'n8n-workflow';

/** Which RunPod API a credential talks to. */
export type ApiChoice = 'graphql' | 'restV2';

/**
 * A pod's state in one vocabulary on both APIs: GraphQL reports what RunPod wants (desiredStatus),
 * REST v2 what it observes. STARTING covers GraphQL's RUNNING-without-runtime, CREATED and
 * RESTARTING and REST's PROVISIONING and STARTING; ERROR is GraphQL's DEAD.
 */
export type PodState = 'STARTING' | 'RUNNING' | 'EXITED' | 'ERROR' | 'TERMINATED';

export type CloudType = 'SECURE' | 'COMMUNITY' | 'ALL';

export type PodStatus =
	'CREATED' | 'RUNNING' | 'RESTARTING' | 'EXITED' | 'PAUSED' | 'DEAD' | 'TERMINATED';

export interface PortSpec {
	port: number;
	protocol: 'http' | 'tcp';
}

export interface EnvVar {
	key: string;
	value: string;
}

export interface RuntimePort {
	ip: string | null;
	isIpPublic: boolean | null;
	privatePort: number | null;
	publicPort: number | null;
	type: string | null;
}

export interface PodRuntime {
	uptimeInSeconds: number | null;
	ports: RuntimePort[] | null;
	gpus: Array<{
		id: string | null;
		gpuUtilPercent: number | null;
		memoryUtilPercent: number | null;
	}> | null;
	container: { cpuPercent: number | null; memoryPercent: number | null } | null;
}

export interface Pod {
	id: string;
	/** The unified state; see PodState. */
	status: PodState;
	/** The object the API returned, unchanged (shown with Simplify off). */
	source: IDataObject;
	name: string | null;
	imageName: string | null;
	desiredStatus: PodStatus | null;
	/** A CPU pod's CPU type (REST v2); absent for GPU pods. */
	cpuTypeId?: string;
	/** The cluster a member pod belongs to (REST v2); absent for a standalone pod. */
	clusterId?: string;
	podType: string | null;
	lastStatusChange: string | null;
	createdAt: string | null;
	lastStartedAt: string | null;
	costPerHr: number | null;
	adjustedCostPerHr: number | null;
	lowestBidPriceToResume: number | null;
	gpuCount: number | null;
	vcpuCount: number | null;
	memoryInGb: number | null;
	containerDiskInGb: number | null;
	volumeInGb: number | null;
	volumeMountPath: string | null;
	networkVolumeId: string | null;
	env: string[] | null;
	ports: string | null;
	dockerArgs: string | null;
	templateId: string | null;
	machineId: string | null;
	machine: {
		podHostId: string | null;
		gpuDisplayName: string | null;
		gpuTypeId: string | null;
		dataCenterId: string | null;
		location: string | null;
		secureCloud: boolean | null;
	} | null;
	runtime: PodRuntime | null;
}

/** Everything a pod is created with. `ports` and `env` are structured; the api layer encodes them. */
export interface CreatePodInput {
	name?: string;
	imageName?: string;
	templateId?: string;
	gpuTypeId: string;
	gpuCount: number;
	cloudType: CloudType;
	containerDiskInGb?: number;
	volumeInGb?: number;
	volumeMountPath?: string;
	ports?: PortSpec[];
	env?: EnvVar[];
	dataCenterId?: string;
	networkVolumeId?: string;
	minVcpuCount?: number;
	minMemoryInGb?: number;
	allowedCudaVersions?: string[];
	dockerArgs?: string;
	startSsh?: boolean;
	supportPublicIp?: boolean;
	/** Stored registry credentials to pull a private image with (Container Registry Auth). */
	containerRegistryAuthId?: string;
	/** A CPU pod (REST v2 only): this CPU type and size instead of GPUs (gpuTypeId and gpuCount are ignored). */
	cpu?: { cpuTypeId: string; vcpuCount: number };
}

export interface CreateSpotPodInput extends CreatePodInput {
	/** USD per GPU per hour. */
	bidPerGpu: number;
}

export interface PodTemplate {
	id: string;
	/** The object the API returned, unchanged (shown with Simplify off). */
	source?: IDataObject;
	name: string | null;
	imageName: string | null;
	containerDiskInGb: number | null;
	volumeInGb: number | null;
	volumeMountPath: string | null;
	dockerArgs: string | null;
	env: EnvVar[] | null;
	ports: string | null;
	isServerless: boolean | null;
	isPublic: boolean | null;
	startSsh: boolean | null;
	startJupyter: boolean | null;
	readme: string | null;
	containerRegistryAuthId: string | null;
}

export interface NetworkVolume {
	id: string;
	name: string | null;
	size: number | null;
	dataCenterId: string | null;
}

export interface DataCenterSummary {
	id: string;
	name: string | null;
	location: string | null;
	storageSupport: boolean | null;
}

/** What a create returns: the pod, and whether it was found again after an answer was lost. */
export interface CreatedPod {
	pod: Pod;
	/** True when the request's answer was lost and the pod was found by its create marker instead. */
	recovered: boolean;
	/** What the API did differently from what was asked, in words (e.g. REST v2 trying Secure, then Community for "Any"). */
	notes?: string[];
}

/** Everything a template is saved with. `ports` and `env` are structured; the api layer encodes them. */
export interface TemplateInput {
	name: string;
	imageName: string;
	containerDiskInGb: number;
	/** 0 for serverless templates. */
	volumeInGb: number;
	volumeMountPath?: string;
	ports: PortSpec[];
	env: EnvVar[];
	/** Start command; RunPod fails without it, so the api layer always sends a string. */
	dockerArgs: string;
	isServerless: boolean;
	isPublic: boolean;
	startSsh: boolean;
	startJupyter: boolean;
	readme: string;
	containerRegistryAuthId?: string;
}

/** A created template, and whether it was found by its name after the answer was lost. */
export interface CreatedTemplate {
	template: PodTemplate;
	recovered: boolean;
	/** What the API did differently from what was asked, in words (e.g. REST v2 leaving the readme out). */
	notes?: string[];
}

export interface CreateNetworkVolumeInput {
	name: string;
	/** GB; 1 to 4000. */
	size: number;
	dataCenterId: string;
}

/** A created volume, and whether it was found again after the answer was lost. */
export interface CreatedNetworkVolume {
	volume: NetworkVolume;
	recovered: boolean;
}

export interface UpdateNetworkVolumeInput {
	id: string;
	name?: string;
	/** GB; may only grow. */
	size?: number;
}

export interface GpuAvailability {
	gpuTypeId: string | null;
	displayName: string | null;
	stockStatus: string | null;
	available: boolean | null;
}

export interface DataCenter extends DataCenterSummary {
	gpuAvailability: GpuAvailability[] | null;
}

/** Live price and stock of a GPU type in one cloud, for the requested GPU count. */
export interface CloudQuote {
	/** On-demand USD/hour for all the requested GPUs; null when RunPod quotes none. */
	onDemandPrice: number | null;
	/**
	 * The most `onDemandPrice` can mean for all the requested GPUs, for cost guards: where the API
	 * leaves its unit open (GraphQL: per GPU or per pod), the larger reading. docs/cost-guard.md.
	 */
	onDemandPriceAtMost: number | null;
	/** Spot floor, USD/hour for all the requested GPUs. */
	minimumBid: number | null;
	/** "High", "Medium", "Low"; null (or "None"/"Out") when there is nothing to rent. */
	stockStatus: string | null;
	availableGpuCounts: number[];
}

/** A GPU type with its list prices (per GPU) and live quotes for a GPU count in both clouds. */
export interface GpuTypePrices {
	id: string;
	displayName: string | null;
	memoryInGb: number | null;
	secureCloud: boolean | null;
	communityCloud: boolean | null;
	securePrice: number | null;
	communityPrice: number | null;
	secureSpotPrice: number | null;
	communitySpotPrice: number | null;
	gpuCount: number;
	secure: CloudQuote;
	community: CloudQuote;
}

export interface Account {
	/** Null on REST v2, which has no account object. */
	id: string | null;
	email: string | null;
	clientBalance: number | null;
	currentSpendPerHr: number | null;
	spendLimit: number | null;
	pods: Array<{ id: string; status: PodState }>;
	/** Fields this API cannot know, with the reason; they are null above, never made up. */
	unavailable?: Record<string, string>;
	/** Spend per day over the last days, newest last (REST v2's /v2/billing). */
	spendHistory?: Array<{ startTime: string; endTime: string; amount: number }>;
}

/** A GPU type as RunPod's catalog lists it, with its list prices per GPU. */
export interface GpuTypeSummary {
	id: string;
	displayName: string | null;
	memoryInGb: number | null;
	secureCloud: boolean | null;
	communityCloud: boolean | null;
	securePrice: number | null;
	communityPrice: number | null;
	secureSpotPrice: number | null;
	communitySpotPrice: number | null;
}

/** What the pod asks of a machine besides the GPU, so a quote's price and stock are for that request. */
export interface MachineRequirements {
	dataCenterId?: string;
	minVcpuCount?: number;
	minMemoryInGb?: number;
	allowedCudaVersions?: string[];
	supportPublicIp?: boolean;
}

/** An updated template, with what the API did differently from what was asked (REST v2 leaving the readme out). */
export interface UpdatedTemplate extends PodTemplate {
	notes?: string[];
}

/** Which slice of RunPod's public template catalog: curated by RunPod, verified by it, or shared by anyone. */
export type PublicTemplateSource = 'official' | 'verified' | 'community';

/** A worker's state: RUNNING (a job), IDLE (ready, waiting for one), INITIALIZING, THROTTLED (waiting for GPUs), UNHEALTHY. */
export type WorkerState = 'RUNNING' | 'IDLE' | 'INITIALIZING' | 'THROTTLED' | 'UNHEALTHY';

/** One active worker of a serverless endpoint. */
export interface EndpointWorker {
	id: string;
	status: WorkerState | string;
	/** Runs an older release than the endpoint's current one. */
	isStale: boolean | null;
	version: number | null;
	gpuCount: number | null;
	image: string | null;
	uptimeSeconds: number | null;
	gpuTypeId: string | null;
	dataCenterId: string | null;
	startedAt: string | null;
}

export interface EndpointWorkers {
	endpointVersion: number | null;
	/** Workers per state, and all of them. */
	summary: Record<
		'running' | 'idle' | 'initializing' | 'throttled' | 'unhealthy' | 'total',
		number
	>;
	workers: EndpointWorker[];
}

/** One line of a worker's log. */
export interface WorkerLogLine {
	ts: string | null;
	/** `container` (the handler's output) or `system` (the host). */
	source: string | null;
	line: string;
}

/** One release of an endpoint: a version of its configuration and what changed. */
export interface EndpointRelease {
	id: string;
	version: number | null;
	source: string | null;
	buildId: string | null;
	createdByUserId: string | null;
	workerCount: number | null;
	createdAt: string | null;
	diff: Array<{ field: string; old: unknown; new: unknown }>;
}

export interface EndpointReleases {
	endpointVersion: number | null;
	rollout: {
		inProgress: boolean | null;
		workersOnLatest: number | null;
		workersTotal: number | null;
		percentOnLatest: number | null;
	};
	/** Newest first. */
	releases: EndpointRelease[];
}
