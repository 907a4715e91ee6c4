/**
 * CPU flavors (REST v2's /v2/catalog/cpus): vCPU range, RAM per vCPU, price per vCPU, and the
 * free vCPUs each data center has for CPU pods. CPU pods run on Secure Cloud only (the catalog
 * quotes no community price). Free vCPUs live in the state and are taken and given back as CPU
 * pods start and stop, like GPUs.
 */
import { RunPodError } from './context';
import { RunPodMessages, SandboxMessages } from './messages';
import type { SandboxState } from './state';

export interface CpuFlavor {
	id: string;
	name: string;
	group: string;
	vcpu: { min: number; max: number };
	ramGbPerVcpu: number;
	securePerVcpu: number;
	serverlessPerVcpu: number;
	/** Data centers that host the flavor, each with this many vCPUs free after a reset. */
	dataCenters: readonly string[];
	initialFreeVcpus: number;
}

export const CPU_FLAVORS: readonly CpuFlavor[] = [
	{
		id: 'cpu3c',
		name: 'Compute-Optimized',
		group: 'Gen 3',
		vcpu: { min: 2, max: 32 },
		ramGbPerVcpu: 2,
		securePerVcpu: 0.03,
		serverlessPerVcpu: 0.025,
		dataCenters: ['EU-RO-1', 'US-TX-3', 'CA-MTL-1'],
		initialFreeVcpus: 128,
	},
	{
		id: 'cpu3g',
		name: 'General Purpose',
		group: 'Gen 3',
		vcpu: { min: 2, max: 32 },
		ramGbPerVcpu: 4,
		securePerVcpu: 0.04,
		serverlessPerVcpu: 0.03,
		dataCenters: ['EU-RO-1', 'US-TX-3'],
		initialFreeVcpus: 64,
	},
	{
		id: 'cpu3m',
		name: 'Memory-Optimized',
		group: 'Gen 3',
		vcpu: { min: 2, max: 16 },
		ramGbPerVcpu: 8,
		securePerVcpu: 0.05,
		serverlessPerVcpu: 0.04,
		dataCenters: ['US-TX-3'],
		initialFreeVcpus: 16,
	},
	{
		id: 'cpu5c',
		name: 'Compute-Optimized',
		group: 'Gen 5',
		vcpu: { min: 2, max: 64 },
		ramGbPerVcpu: 2,
		securePerVcpu: 0.035,
		serverlessPerVcpu: 0.03,
		dataCenters: ['EU-SE-1', 'US-TX-3'],
		initialFreeVcpus: 256,
	},
	{
		// Listed but sold out everywhere: what a Get Many "in stock only" filter leaves out.
		id: 'cpu5m',
		name: 'Memory-Optimized',
		group: 'Gen 5',
		vcpu: { min: 2, max: 32 },
		ramGbPerVcpu: 8,
		securePerVcpu: 0.06,
		serverlessPerVcpu: 0.05,
		dataCenters: ['EU-SE-1'],
		initialFreeVcpus: 0,
	},
];

export function findCpuFlavor(id: string | null | undefined): CpuFlavor | undefined {
	return CPU_FLAVORS.find((flavor) => flavor.id === id);
}

/** Free vCPUs: flavor → data center. Made on first use (state files from before CPU pods lack it). */
export function cpuStock(state: SandboxState): Record<string, Record<string, number>> {
	state.cpuStock ??= Object.fromEntries(
		CPU_FLAVORS.map((flavor) => [
			flavor.id,
			Object.fromEntries(flavor.dataCenters.map((dc) => [dc, flavor.initialFreeVcpus])),
		]),
	);
	return state.cpuStock;
}

export function freeVcpus(state: SandboxState, flavorId: string, dataCenterId: string): number {
	return cpuStock(state)[flavorId]?.[dataCenterId] ?? 0;
}

export function changeVcpus(
	state: SandboxState,
	flavorId: string,
	dataCenterId: string,
	delta: number,
): void {
	const perDc = (cpuStock(state)[flavorId] ??= {});
	perDc[dataCenterId] = Math.max(0, (perDc[dataCenterId] ?? 0) + delta);
}

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;

/** A CPU pod's flavor and size, checked as RunPod does (400s). */
export function requireCpuShape(
	flavorId: string,
	vcpuCount: number,
): { flavor: CpuFlavor; memoryInGb: number } {
	const flavor = findCpuFlavor(flavorId);
	if (!flavor) throw new RunPodError(SandboxMessages.notACpuFlavor(flavorId));
	if (!isPowerOfTwo(vcpuCount) || vcpuCount < flavor.vcpu.min || vcpuCount > flavor.vcpu.max)
		throw new RunPodError(
			SandboxMessages.vcpuCountInvalid(flavor.id, flavor.vcpu.min, flavor.vcpu.max),
		);
	return { flavor, memoryInGb: Math.round(flavor.ramGbPerVcpu * vcpuCount) };
}

/** The data center with the most free vCPUs of the flavor among those allowed, or a capacity error. */
export function placeCpuPod(
	state: SandboxState,
	flavor: CpuFlavor,
	vcpuCount: number,
	dataCenterIds: string[] | null,
): string {
	const roomy = flavor.dataCenters
		.filter((dc) => dataCenterIds === null || dataCenterIds.includes(dc))
		.map((dc) => ({ dc, free: freeVcpus(state, flavor.id, dc) }))
		.filter(({ free }) => free >= vcpuCount)
		.sort((a, b) => b.free - a.free);
	if (roomy.length === 0) throw new RunPodError(RunPodMessages.noInstances, 'capacity');
	return roomy[0].dc;
}

export type CpuAvailability = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';

/** Stock for `vcpuCount` vCPUs, in REST's words: HIGH with room for 16 such pods, MEDIUM for 4. */
export function cpuLevel(free: number, vcpuCount: number): CpuAvailability {
	if (free < vcpuCount) return 'NONE';
	if (free >= 16 * vcpuCount) return 'HIGH';
	if (free >= 4 * vcpuCount) return 'MEDIUM';
	return 'LOW';
}
