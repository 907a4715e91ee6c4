/**
 * The API contract: one interface per RunPod resource. The GraphQL (api/graphql/) and REST v2
 * (api/rest/) adapters both satisfy it (a missing operation is a compile error), return the same
 * typed results and raise the same domain errors (api/errors.ts). What an API cannot do is a
 * NotOfferedByThisApi error from its adapter, before any request. The object is bound to one n8n
 * context; actions get it from the router and never ask which API it is.
 */
import type { RequestOptions } from '../transport/request';
import type { BillingQuery, BillingReport, BillingScope } from './billing.types';
import type { Cluster, ClusterPod, CreateClusterInput, CreatedCluster } from './clusters.types';
import type { CpuType, CpuTypeQuery } from './cpuTypes.types';
import type { CreatedEndpoint, Endpoint, EndpointInput } from './endpoints';
import type { PodChanges, PodLogLine, PodLogQuery } from './pods.types';
import type {
	ContainerRegistryAuth,
	CreateContainerRegistryAuthInput,
	CreatedContainerRegistryAuth,
	CreatedEcrDelegation,
	CreateEcrDelegationInput,
	EcrDelegation,
} from './registries.types';
import type {
	Account,
	ApiChoice,
	CreatedNetworkVolume,
	CreatedPod,
	CreatedTemplate,
	CreateNetworkVolumeInput,
	CreatePodInput,
	CreateSpotPodInput,
	DataCenter,
	DataCenterSummary,
	EndpointReleases,
	EndpointWorkers,
	GpuTypePrices,
	GpuTypeSummary,
	MachineRequirements,
	NetworkVolume,
	Pod,
	PodTemplate,
	PublicTemplateSource,
	TemplateInput,
	UpdatedTemplate,
	UpdateNetworkVolumeInput,
	WorkerLogLine,
} from './types';

/** What the api layer is called with (the node's execution or a list search), for callers above it. */
export type { RequestContext } from '../transport/request';

/** The item an operation is for, and overrides of the node's retry policy. */
export type CallOptions = Pick<RequestOptions, 'itemIndex' | 'policy' | 'window'>;

/** Work on many items at once: every request goes through the execution's window, at most `parallel` at a time. */
export type BatchCallOptions = Pick<RequestOptions, 'policy' | 'window'> & { parallel: number };

/** One item of a batch: what RunPod did for it, or why it failed (that item's error, as a single request would give it). */
export type BatchOutcome<T> = { status: 'done'; value: T } | { status: 'failed'; error: Error };

/** An ID and the item it came from (errors name the item). */
export interface BatchTarget {
	id: string;
	itemIndex: number;
}

/** A create that n8n may run again for the same item passes a marker stable across its runs (actions/createAttempt.ts). */
export interface CreateCallOptions extends CallOptions {
	marker?: string;
}

export interface PodsApi {
	/**
	 * Rents an on-demand pod; safe to run twice (create marker). NoCapacity when RunPod has no
	 * machine, UnknownGpuType when it does not know the GPU type (screen with gpuTypes.unknownAmong
	 * first: REST v2 refuses those requests).
	 */
	create(input: CreatePodInput, options?: CreateCallOptions): Promise<CreatedPod>;
	/** Fails with NotOfferedByThisApi where spot pods do not exist (REST v2), before any price is looked up. */
	requireSpot(options?: CallOptions): void;
	/** Fails with NotOfferedByThisApi where CPU pods cannot be rented (GraphQL), before any request. */
	requireCpu(options?: CallOptions): void;
	/** GraphQL only; NotOfferedByThisApi on REST v2. */
	createSpot(input: CreateSpotPodInput, options?: CreateCallOptions): Promise<CreatedPod>;
	/** The pod a create with this marker made, if any (n8n's Retry On Fail, lost answers). */
	findByCreateMarker(marker: string, options?: CallOptions): Promise<Pod | undefined>;
	/** The pod, or null when RunPod does not know it (terminated pods disappear). */
	get(podId: string, options?: CallOptions): Promise<Pod | null>;
	list(options?: CallOptions): Promise<Pod[]>;
	stop(podId: string, options?: CallOptions): Promise<Pod>;
	/** Starts a stopped on-demand pod (GraphQL needs its GPU count, hence the pod). InvalidState when its state refuses. */
	resume(pod: Pod, options?: CallOptions): Promise<Pod>;
	/** GraphQL only; NotOfferedByThisApi on REST v2. */
	resumeSpot(pod: Pod, bidPerGpu: number, options?: CallOptions): Promise<Pod>;
	/** NotFound when the pod does not exist (any more). */
	terminate(podId: string, options?: CallOptions): Promise<void>;
	/**
	 * Stops many pods; one outcome per target, in order. GraphQL: aliased mutations, up to 50 per
	 * request, and an alias RunPod refused is sent again on its own. REST v2 has no batch
	 * endpoint: one request per pod. Either way at most `parallel` requests at a time.
	 */
	stopMany(targets: BatchTarget[], options: BatchCallOptions): Promise<Array<BatchOutcome<Pod>>>;
	/** Terminates many pods, like stopMany; a pod a lost-then-resent request already terminated is done. */
	terminateMany(
		targets: BatchTarget[],
		options: BatchCallOptions,
	): Promise<Array<BatchOutcome<null>>>;
	/** REST v2 only. Changes what `changes` holds; RunPod restarts a running pod whose container changes. NotFound, InvalidState. */
	update(podId: string, changes: PodChanges, options?: CallOptions): Promise<Pod>;
	/** REST v2 only. Restarts a running pod's container; a lost answer is settled, never resent. NotFound, InvalidState. */
	restart(podId: string, options?: CallOptions): Promise<Pod>;
	/** REST v2 only. The pod's last lines, oldest first. NotFound. */
	logs(podId: string, query: PodLogQuery, options?: CallOptions): Promise<PodLogLine[]>;
}

export interface TemplatesApi {
	list(options?: CallOptions): Promise<PodTemplate[]>;
	get(templateId: string, options?: CallOptions): Promise<PodTemplate | null>;
	/** NameTaken when the account already has a template with this name. */
	create(input: TemplateInput, options?: CallOptions): Promise<CreatedTemplate>;
	/** Changes only what `changes` holds (`notes` say what the API left out). NotFound, NameTaken. */
	update(
		templateId: string,
		changes: Partial<TemplateInput>,
		options?: CallOptions,
	): Promise<UpdatedTemplate>;
	/** Deletes the template and returns what it was. NotFound. */
	remove(templateId: string, options?: CallOptions): Promise<PodTemplate>;
	/** RunPod's public template catalog (REST v2 only; at most 100 per source). */
	listPublic(source: PublicTemplateSource, options?: CallOptions): Promise<PodTemplate[]>;
}

export interface NetworkVolumesApi {
	list(options?: CallOptions): Promise<NetworkVolume[]>;
	get(volumeId: string, options?: CallOptions): Promise<NetworkVolume | null>;
	/**
	 * After a lost answer, adopts only a matching volume that was not there before: `existingIds`
	 * (read just before by the caller) or a list read here.
	 */
	create(
		input: CreateNetworkVolumeInput,
		options?: CallOptions & { existingIds?: string[] },
	): Promise<CreatedNetworkVolume>;
	update(input: UpdateNetworkVolumeInput, options?: CallOptions): Promise<NetworkVolume>;
	/** NotFound when the volume does not exist. */
	remove(volumeId: string, options?: CallOptions): Promise<void>;
}

export interface GpuTypesApi {
	/** The catalog with list prices per GPU (cheap; for drop-downs). */
	listSummaries(options?: CallOptions): Promise<GpuTypeSummary[]>;
	/**
	 * The GPU types among these that RunPod would refuse to rent because it does not know them,
	 * found before any create: REST v2 refuses them (400), so its adapter reads the catalog once.
	 * GraphQL answers [] without a request: its create reports them as UnknownGpuType.
	 */
	unknownAmong(gpuTypeIds: string[], options?: CallOptions): Promise<string[]>;
	/** Every GPU type with live prices and stock for `gpuCount` GPUs in each cloud, for a machine that meets `machine`. */
	listPrices(
		gpuCount: number,
		options?: CallOptions,
		machine?: MachineRequirements,
	): Promise<GpuTypePrices[]>;
	/** One GPU type's live prices, or null when RunPod does not know it. */
	getPrices(
		gpuTypeId: string,
		gpuCount: number,
		options?: CallOptions,
		machine?: MachineRequirements,
	): Promise<GpuTypePrices | null>;
}

export interface DataCentersApi {
	list(options?: CallOptions): Promise<DataCenterSummary[]>;
	/** With the stock of each GPU type there. */
	listWithAvailability(options?: CallOptions): Promise<DataCenter[]>;
	/** One data center with the stock of each GPU type there, or null when RunPod does not know it (REST v2 only). */
	get(dataCenterId: string, options?: CallOptions): Promise<DataCenter | null>;
}

/** What the account spends now, for a poll: the cheapest read each API offers. */
export interface Spend {
	spendPerHr: number;
	runningPodCount: number;
}

export interface AccountApi {
	/** What the API can honestly tell; see Account.unavailable. */
	get(options?: CallOptions): Promise<Account>;
	/** GraphQL: the account's own figure; REST v2 (no account object): the running pods' cost, from one pod list. */
	getSpend(options?: CallOptions): Promise<Spend>;
	/** The balance with the spend. NotOfferedByThisApi where the API has no balance (REST v2), before any request. */
	getBalance(options?: CallOptions): Promise<Spend & { balance: number }>;
	/** The account's SSH public keys, one authorized_keys line each. */
	getSshKeys(options?: CallOptions): Promise<string[]>;
	/** Adds a key and keeps the others (RunPod replaces the whole list); `added` is false when it was there already. */
	addSshKey(key: string, options?: CallOptions): Promise<{ keys: string[]; added: boolean }>;
}

/** Container registry credentials (write-only) and ECR delegations. */
export interface ContainerRegistryAuthsApi {
	list(options?: CallOptions): Promise<ContainerRegistryAuth[]>;
	/** The credential, or null when the account has none with this ID. */
	get(registryAuthId: string, options?: CallOptions): Promise<ContainerRegistryAuth | null>;
	/**
	 * After a lost answer, adopts only a credential with this name that was not there before:
	 * `existingIds` (read just before by the caller) or a list read here. Never resent.
	 */
	create(
		input: CreateContainerRegistryAuthInput,
		options?: CallOptions & { existingIds?: string[] },
	): Promise<CreatedContainerRegistryAuth>;
	/** NotFound; InvalidState while a pod pulls its image with it. */
	remove(registryAuthId: string, options?: CallOptions): Promise<void>;
	listEcrDelegations(options?: CallOptions): Promise<EcrDelegation[]>;
	/** Like create: after a lost answer, adopts only a matching delegation that was not there before. */
	createEcrDelegation(
		input: CreateEcrDelegationInput,
		options?: CallOptions & { existingIds?: string[] },
	): Promise<CreatedEcrDelegation>;
	/** NotFound when the delegation does not exist. */
	revokeEcrDelegation(delegationId: string, options?: CallOptions): Promise<void>;
}

/** Spend history in time buckets. */
export interface BillingApi {
	list(scope: BillingScope, query: BillingQuery, options?: CallOptions): Promise<BillingReport>;
}

/** Serverless endpoints (the job API itself is api/serverlessJobs.ts, the same on both APIs). */
export interface EndpointsApi {
	list(options?: CallOptions): Promise<Endpoint[]>;
	/** The endpoint, or null when the account has none with this ID. */
	get(endpointId: string, options?: CallOptions): Promise<Endpoint | null>;
	/** After a lost answer, finds the endpoint by its name (the caller checked it was free). */
	create(input: EndpointInput, options?: CallOptions): Promise<CreatedEndpoint>;
	/** Sets every setting in `input`: read the endpoint first and change what is asked. */
	update(endpointId: string, input: EndpointInput, options?: CallOptions): Promise<Endpoint>;
	/** Deletes the endpoint; RunPod deletes its bound template and cancels its jobs. */
	remove(endpointId: string, options?: CallOptions): Promise<void>;
	/** Its active workers and how many are in each state (REST v2 only). NotFound. */
	listWorkers(endpointId: string, options?: CallOptions): Promise<EndpointWorkers>;
	/** A worker's last `limit` log lines, oldest first (REST v2 only). NotFound (endpoint or worker). */
	getWorkerLogs(
		endpointId: string,
		workerId: string,
		limit: number,
		options?: CallOptions,
	): Promise<WorkerLogLine[]>;
	/** Its releases, newest first, and how far the latest one has rolled out (REST v2 only). NotFound. */
	listReleases(endpointId: string, options?: CallOptions): Promise<EndpointReleases>;
}

/** Instant multi-node clusters (REST v2 only; GraphQL refuses every method before any request). */
export interface ClustersApi {
	/** Rents every member pod at once; safe to run twice (create marker in each pod's env). */
	create(input: CreateClusterInput, options?: CreateCallOptions): Promise<CreatedCluster>;
	/** The cluster a create with this marker made, if any (Retry On Fail, lost answers); Duplicated when several. */
	findByCreateMarker(marker: string, options?: CallOptions): Promise<Cluster | undefined>;
	/** The cluster, or null when RunPod does not know it (deleted clusters disappear). */
	get(clusterId: string, options?: CallOptions): Promise<Cluster | null>;
	list(options?: CallOptions): Promise<Cluster[]>;
	/** Renames the cluster (the only thing RunPod lets change). NotFound. */
	rename(clusterId: string, name: string, options?: CallOptions): Promise<Cluster>;
	/** Deletes the cluster and terminates every member pod. NotFound when it does not exist. */
	remove(clusterId: string, options?: CallOptions): Promise<void>;
	/** Every member pod, rank first. NotFound when the cluster does not exist. */
	listPods(clusterId: string, options?: CallOptions): Promise<ClusterPod[]>;
}

/** CPU flavors for CPU pods, priced and stocked for a size. REST v2 only (GraphQL has no CPU catalog with prices). */
export interface CpuTypesApi {
	list(query: CpuTypeQuery, options?: CallOptions): Promise<CpuType[]>;
	/** The CPU type, or null when RunPod does not know it. */
	get(cpuTypeId: string, query: CpuTypeQuery, options?: CallOptions): Promise<CpuType | null>;
}

export interface RunPodApi {
	choice: ApiChoice;
	pods: PodsApi;
	templates: TemplatesApi;
	networkVolumes: NetworkVolumesApi;
	gpuTypes: GpuTypesApi;
	dataCenters: DataCentersApi;
	account: AccountApi;
	endpoints: EndpointsApi;
	containerRegistryAuths: ContainerRegistryAuthsApi;
	billing: BillingApi;
	clusters: ClustersApi;
	cpuTypes: CpuTypesApi;
}
