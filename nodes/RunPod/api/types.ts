/** RunPod's shapes as the node reads them, and the inputs the node builds. Nothing here is GraphQL-specific. */

export type CloudType = 'SECURE' | 'COMMUNITY' | 'ALL';

export type PodStatus = 'CREATED' | 'RUNNING' | 'RESTARTING' | 'EXITED' | 'PAUSED' | 'DEAD' | 'TERMINATED';

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
	gpus: Array<{ id: string | null; gpuUtilPercent: number | null; memoryUtilPercent: number | null }> | null;
	container: { cpuPercent: number | null; memoryPercent: number | null } | null;
}

export interface Pod {
	id: string;
	name: string | null;
	imageName: string | null;
	desiredStatus: PodStatus | null;
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
}

export interface CreateSpotPodInput extends CreatePodInput {
	/** USD per GPU per hour. */
	bidPerGpu: number;
}

export interface PodTemplate {
	id: string;
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
}
