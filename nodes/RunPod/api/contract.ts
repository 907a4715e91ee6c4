/**
 * The API contract: one interface per RunPod resource. The GraphQL (api/graphql/) and REST v2
 * (api/rest/) adapters both satisfy it (a missing operation is a compile error), return the same
 * typed results and raise the same domain errors (api/errors.ts). What an API cannot do is a
 * NotOfferedByThisApi error from its adapter, before any request. The object is bound to one n8n
 * context; actions get it from the router and never ask which API it is.
 */
import type { RequestOptions } from '../transport/request';
import type { CpuType, CpuTypeQuery } from './cpuTypes.types';
import type { CreatedEndpoint, Endpoint, EndpointInput } from './endpoints';
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
	GpuTypePrices,
	GpuTypeSummary,
	MachineRequirements,
	NetworkVolume,
	Pod,
	PodTemplate,
	TemplateInput,
	UpdateNetworkVolumeInput,
} from './types';

/** What the api layer is called with (the node's execution or a list search), for callers above it. */
export type { RequestContext } from '../transport/request';

/** The item an operation is for, and overrides of the node's retry policy. */
export type CallOptions = Pick<RequestOptions, 'itemIndex' | 'policy' | 'window'>;

/** Work on many items at once: every request goes through the execution's window, at most `parallel` at a time. */
export type BatchCallOptions = Pick<RequestOptions, 'policy' | 'window'> & { parallel: number };

/** One item of a batch: what RunPod did for it, refused for it alone (GraphQL alias), or the request that carried it failed. */
export type BatchOutcome<T> =
	/** RunPod did it. */
	| { status: 'done'; value: T }
	/** RunPod refused this item alone; `resent` when the request that carried it was sent more than once. */
	| { status: 'refused'; messages: string[]; resent: boolean }
	/** The request failed (after the transport's retries). */
	| { status: 'failed'; error: Error };

/** An ID and the item it came from (errors name the item). */
export interface BatchTarget {
	id: string;
	itemIndex: number;
}

/** A create that n8n may run again for the same item passes a marker stable across its runs (actions/rerun.ts). */
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
	 * request (a refused alias is `refused`). REST v2 has no batch endpoint: one request per pod.
	 */
	stopMany(targets: BatchTarget[], options: BatchCallOptions): Promise<Array<BatchOutcome<Pod>>>;
	/** Terminates many pods, like stopMany. */
	terminateMany(
		targets: BatchTarget[],
		options: BatchCallOptions,
	): Promise<Array<BatchOutcome<null>>>;
}

export interface TemplatesApi {
	list(options?: CallOptions): Promise<PodTemplate[]>;
	get(templateId: string, options?: CallOptions): Promise<PodTemplate | null>;
	/** NameTaken when the account already has a template with this name. */
	create(input: TemplateInput, options?: CallOptions): Promise<CreatedTemplate>;
	/** Changes only what `changes` holds. NotFound, NameTaken. */
	update(
		templateId: string,
		changes: Partial<TemplateInput>,
		options?: CallOptions,
	): Promise<PodTemplate>;
	/** Deletes the template and returns what it was. NotFound. */
	remove(templateId: string, options?: CallOptions): Promise<PodTemplate>;
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
}

export interface AccountApi {
	/** What the API can honestly tell; see Account.unavailable. */
	get(options?: CallOptions): Promise<Account>;
}

/** Serverless endpoints (the job API itself is api/jobs.ts, the same on both APIs). */
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
	cpuTypes: CpuTypesApi;
}
