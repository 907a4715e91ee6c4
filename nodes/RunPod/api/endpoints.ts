/**
 * Serverless endpoints (the control plane), in one model for both APIs. The GraphQL and REST v2
 * implementations live in graphql/endpoints.ts and rest/endpoints.ts.
 */

export type ScalerType = 'QUEUE_DELAY' | 'REQUEST_COUNT';

export interface Endpoint {
	id: string;
	name: string;
	templateId: string | null;
	/** The image of the bound template, when RunPod says. */
	imageName: string | null;
	gpuPools: string[];
	excludedGpuTypes: string[];
	gpuCount: number;
	workersMin: number;
	workersMax: number;
	/** Null where RunPod does not report it (REST v2 with Request Count scaling). */
	idleTimeoutSeconds: number | null;
	scalerType: ScalerType;
	scalerValue: number;
	flashBoot: boolean;
	executionTimeoutMs: number;
	networkVolumeId: string | null;
	dataCenterIds: string[];
}

/** A created endpoint, and whether it was found by its name after the answer was lost. */
export interface CreatedEndpoint {
	endpoint: Endpoint;
	recovered: boolean;
}

/** What a create or update sets; an inline image creates a bound template with the endpoint. */
export interface EndpointInput {
	name: string;
	templateId?: string;
	image?: {
		imageName: string;
		containerDiskInGb: number;
		dockerArgs: string;
		env: Array<{ key: string; value: string }>;
	};
	gpuPools: string[];
	excludedGpuTypes: string[];
	gpuCount: number;
	workersMin: number;
	workersMax: number;
	idleTimeoutSeconds: number;
	scalerType: ScalerType;
	scalerValue: number;
	flashBoot: boolean;
	executionTimeoutMs: number;
	networkVolumeId?: string;
	dataCenterIds: string[];
}

/** The fields of an existing endpoint as an input, to change some and resend all. */
export function toInput(endpoint: Endpoint): EndpointInput {
	return {
		name: endpoint.name,
		...(endpoint.templateId ? { templateId: endpoint.templateId } : {}),
		gpuPools: endpoint.gpuPools,
		excludedGpuTypes: endpoint.excludedGpuTypes,
		gpuCount: endpoint.gpuCount,
		workersMin: endpoint.workersMin,
		workersMax: endpoint.workersMax,
		idleTimeoutSeconds: endpoint.idleTimeoutSeconds ?? 5,
		scalerType: endpoint.scalerType,
		scalerValue: endpoint.scalerValue,
		flashBoot: endpoint.flashBoot,
		executionTimeoutMs: endpoint.executionTimeoutMs,
		...(endpoint.networkVolumeId ? { networkVolumeId: endpoint.networkVolumeId } : {}),
		dataCenterIds: endpoint.dataCenterIds,
	};
}
