import type { IDataObject } from 'n8n-workflow';

/** The size a CPU type is priced and stocked for. */
export interface CpuTypeQuery {
	/** vCPUs per pod (a power of two); absent: each CPU type's smallest size. */
	vcpuCount?: number;
}

/** A CPU flavor for CPU pods (REST v2's /v2/catalog/cpus), priced and stocked for one size. */
export interface CpuType {
	id: string;
	/** The object the API returned, unchanged (shown with Simplify off). */
	source?: IDataObject;
	name: string | null;
	group: string | null;
	minVcpuCount: number | null;
	maxVcpuCount: number | null;
	ramGbPerVcpu: number | null;
	/** USD per vCPU per hour for a pod (Secure Cloud: CPU pods run there only). */
	pricePerVcpu: number | null;
	/** USD per vCPU per hour for serverless workers. */
	serverlessPricePerVcpu: number | null;
	/** The size below is for: the asked vCPU count, or the smallest. */
	vcpuCount: number | null;
	/** Memory a pod of that size gets; null when the size is outside the CPU type's range. */
	memoryInGb: number | null;
	/** What a pod of that size costs per hour; null when the size is outside the range. */
	pricePerHour: number | null;
	/** Pod stock for that size: "High", "Medium", "Low", or null when nothing can be rented. */
	stockStatus: string | null;
	/** Where it is in stock for that size. */
	dataCenters: Array<{ id: string; stockStatus: string | null }>;
}
