/** Static RunPod catalog data: GPU types (from gpu-catalog.tsv), data centers and CPU types. */
import { readFileSync } from 'fs';
import { join } from 'path';

export type Cloud = 'SECURE' | 'COMMUNITY';
export const CLOUDS: readonly Cloud[] = ['SECURE', 'COMMUNITY'];

export interface GpuPrices {
	securePrice: number | null;
	communityPrice: number | null;
	secureSpotPrice: number | null;
	communitySpotPrice: number | null;
}

export interface GpuCatalogEntry extends GpuPrices {
	id: string;
	displayName: string;
	memoryInGb: number;
	manufacturer: 'NVIDIA' | 'AMD';
}

/** Pods on one host never get more GPUs than this (RunPod's maxGpuCount). */
export const MAX_GPUS_PER_POD = 8;

let cachedCatalog: GpuCatalogEntry[] | undefined;

/** Every GPU type of gpu-catalog.tsv; "-" in a price column means "not offered in that cloud". */
export function gpuCatalog(): GpuCatalogEntry[] {
	if (!cachedCatalog)
		cachedCatalog = parseCatalog(readFileSync(join(__dirname, 'gpu-catalog.tsv'), 'utf8'));
	return cachedCatalog;
}

function parseCatalog(text: string): GpuCatalogEntry[] {
	const rows = text
		.split(/\r?\n/)
		.filter((line) => line.trim() !== '' && !line.startsWith('#'))
		.map((line) => line.split('\t'));
	const [header, ...body] = rows;
	const column = (name: string): number => {
		const index = header.indexOf(name);
		if (index < 0) throw new Error(`gpu-catalog.tsv has no "${name}" column`);
		return index;
	};
	const price = (row: string[], name: string): number | null => {
		const cell = row[column(name)].trim();
		return cell === '-' ? null : Number(cell);
	};
	return body.map((row) => {
		const id = row[column('id')];
		return {
			id,
			displayName: row[column('displayName')],
			memoryInGb: Number(row[column('memoryInGb')]),
			manufacturer: id.startsWith('AMD') ? 'AMD' : 'NVIDIA',
			securePrice: price(row, 'securePrice'),
			communityPrice: price(row, 'communityPrice'),
			secureSpotPrice: price(row, 'secureSpotPrice'),
			communitySpotPrice: price(row, 'communitySpotPrice'),
		};
	});
}

export function listPrice(prices: GpuPrices, cloud: Cloud): number | null {
	return cloud === 'SECURE' ? prices.securePrice : prices.communityPrice;
}

export function spotPrice(prices: GpuPrices, cloud: Cloud): number | null {
	return cloud === 'SECURE' ? prices.secureSpotPrice : prices.communitySpotPrice;
}

/** High-end GPUs are scarce in the seeded stock, like on RunPod. */
export function isHighEnd(entry: GpuCatalogEntry): boolean {
	return Math.max(entry.securePrice ?? 0, entry.communityPrice ?? 0) >= 1.5;
}

/** vCPUs and RAM a pod gets per GPU, scaled with the card's class. */
export function hostShapePerGpu(memoryInGb: number): { vcpu: number; memoryInGb: number } {
	if (memoryInGb >= 80) return { vcpu: 16, memoryInGb: 125 };
	if (memoryInGb >= 40) return { vcpu: 9, memoryInGb: 50 };
	return { vcpu: 6, memoryInGb: 31 };
}

export interface DataCenterInfo {
	id: string;
	/** Country code, shown as Pod.machine.location. */
	countryCode: string;
	/** Country name, shown as DataCenter.location. */
	location: string;
	storageSupport: boolean;
	/** Network volume tiers offered (REST's networkVolumeTypes); empty without storage support. */
	volumeTypes: ReadonlyArray<'STANDARD' | 'HIGH_PERFORMANCE'>;
	/** REST's DataCenterRegion. */
	region: 'NORTH_AMERICA' | 'EUROPE' | 'ASIA' | 'OCEANIA';
}

const STORAGE_DATA_CENTERS = new Set([
	'EU-RO-1',
	'US-TX-3',
	'CA-MTL-1',
	'EU-SE-1',
	'EU-CZ-1',
	'US-KS-2',
	'US-GA-1',
	'EUR-IS-1',
	'AP-JP-1',
]);
/** The sandbox's own pick of data centers that also offer high-performance volumes. */
const HIGH_PERFORMANCE_DATA_CENTERS = new Set(['US-TX-3', 'US-KS-2', 'EUR-IS-1']);

const COUNTRIES: Record<string, [string, string, DataCenterInfo['region']]> = {
	AP: ['JP', 'Japan', 'ASIA'],
	CA: ['CA', 'Canada', 'NORTH_AMERICA'],
	'EU-CZ': ['CZ', 'Czech Republic', 'EUROPE'],
	'EU-FR': ['FR', 'France', 'EUROPE'],
	'EU-NL': ['NL', 'Netherlands', 'EUROPE'],
	'EU-RO': ['RO', 'Romania', 'EUROPE'],
	'EU-SE': ['SE', 'Sweden', 'EUROPE'],
	'EUR-IS': ['IS', 'Iceland', 'EUROPE'],
	'EUR-NO': ['NO', 'Norway', 'EUROPE'],
	OC: ['AU', 'Australia', 'OCEANIA'],
	US: ['US', 'United States', 'NORTH_AMERICA'],
};

/** The 26 data centers of RunPod's OpenAPI document plus US-OR-1 (docs/runpod-graphql-notes.md §3). */
export const DATA_CENTER_IDS: readonly string[] = [
	'AP-JP-1',
	'CA-MTL-1',
	'CA-MTL-2',
	'CA-MTL-3',
	'EU-CZ-1',
	'EU-FR-1',
	'EU-NL-1',
	'EU-RO-1',
	'EU-SE-1',
	'EUR-IS-1',
	'EUR-IS-2',
	'EUR-IS-3',
	'EUR-NO-1',
	'OC-AU-1',
	'US-CA-2',
	'US-DE-1',
	'US-GA-1',
	'US-GA-2',
	'US-IL-1',
	'US-KS-2',
	'US-KS-3',
	'US-NC-1',
	'US-OR-1',
	'US-TX-1',
	'US-TX-3',
	'US-TX-4',
	'US-WA-1',
];

export const DATA_CENTERS: readonly DataCenterInfo[] = DATA_CENTER_IDS.map((id) => {
	const prefix = Object.keys(COUNTRIES).find((p) => id.startsWith(`${p}-`)) ?? 'US';
	const [countryCode, location, region] = COUNTRIES[prefix];
	const storageSupport = STORAGE_DATA_CENTERS.has(id);
	const volumeTypes = !storageSupport
		? []
		: HIGH_PERFORMANCE_DATA_CENTERS.has(id)
			? (['STANDARD', 'HIGH_PERFORMANCE'] as const)
			: (['STANDARD'] as const);
	return { id, countryCode, location, region, storageSupport, volumeTypes };
});

export function findDataCenter(id: string): DataCenterInfo | undefined {
	return DATA_CENTERS.find((dc) => dc.id === id);
}

export interface CpuTypeInfo {
	id: string;
	displayName: string;
	manufacturer: string;
	cores: number | null;
	threadsPerCore: number | null;
	groupId: string;
}

export const CPU_TYPES: readonly CpuTypeInfo[] = [
	{
		id: '11th Gen Intel(R) Core(TM) i5-11400 @ 2.60GHz',
		displayName: '11th Gen Intel(R) Core(TM) i5-11400 @ 2.60GHz',
		manufacturer: 'Intel',
		cores: 6,
		threadsPerCore: 2,
		groupId: 'intel-i5',
	},
	{
		id: 'AMD EPYC 7742 64-Core Processor',
		displayName: 'AMD EPYC 7742 64-Core Processor',
		manufacturer: 'AMD',
		cores: 64,
		threadsPerCore: 2,
		groupId: 'amd-epyc',
	},
	{
		id: 'AMD EPYC 9354 32-Core Processor',
		displayName: 'AMD EPYC 9354 32-Core Processor',
		manufacturer: 'AMD',
		cores: 32,
		threadsPerCore: 2,
		groupId: 'amd-epyc',
	},
	{
		id: 'Intel(R) Xeon(R) Gold 6342 CPU @ 2.80GHz',
		displayName: 'Intel(R) Xeon(R) Gold 6342 CPU @ 2.80GHz',
		manufacturer: 'Intel',
		cores: 24,
		threadsPerCore: 2,
		groupId: 'intel-xeon',
	},
	{
		id: 'AMD Ryzen Threadripper PRO 5975WX',
		displayName: 'AMD Ryzen Threadripper PRO 5975WX',
		manufacturer: 'AMD',
		cores: null,
		threadsPerCore: null,
		groupId: 'amd-threadripper',
	},
];
