/** The catalog: GPU types with list prices, lowestPrice with live stock, data centers, CPU types. */
import { readFileSync } from 'fs';
import { join } from 'path';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { GPU, data } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 5 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const LOWEST = `query ($id: String, $input: GpuLowestPriceInput) { gpuTypes(input: { id: $id }) {
	id lowestPrice(input: $input) { gpuName gpuTypeId uninterruptablePrice minimumBidPrice stockStatus availableGpuCounts maxUnreservedGpuCount } } }`;

async function lowest(input: Record<string, unknown>, id = GPU) {
	return (await data(sandbox, LOWEST, { id, input })).gpuTypes[0].lowestPrice;
}

test('gpuTypes lists every catalog row with its prices, "-" as null, plus RunPod\'s "unknown" entry', async () => {
	const rows = readFileSync(join(__dirname, '../../sandbox/gpu-catalog.tsv'), 'utf8')
		.split('\n')
		.filter((line) => line && !line.startsWith('#') && !line.startsWith('id\t'));
	const { gpuTypes } = await data(
		sandbox,
		'{ gpuTypes { id displayName memoryInGb manufacturer secureCloud communityCloud securePrice communityPrice secureSpotPrice communitySpotPrice maxGpuCount } }',
	);
	expect(gpuTypes).toHaveLength(rows.length + 1);
	expect(gpuTypes.find((g: { id: string }) => g.id === 'unknown')).toMatchObject({
		displayName: 'unknown',
		memoryInGb: 0,
	});
	expect(gpuTypes.find((g: { id: string }) => g.id === 'AMD Instinct MI300X OAM')).toMatchObject({
		manufacturer: 'AMD',
		memoryInGb: 192,
		secureCloud: true,
		communityCloud: false,
		securePrice: 2.49,
		communityPrice: null,
		communitySpotPrice: null,
		maxGpuCount: 8,
	});
	expect(gpuTypes.find((g: { id: string }) => g.id === GPU)).toMatchObject({
		displayName: 'RTX 4090',
		manufacturer: 'NVIDIA',
		securePrice: 0.69,
		communityPrice: 0.34,
	});
});

test('gpuTypes filters by id and by ids', async () => {
	const byIds = await data(
		sandbox,
		'{ gpuTypes(input: { ids: ["NVIDIA A40", "NVIDIA L4"] }) { id } }',
	);
	expect(byIds.gpuTypes.map((g: { id: string }) => g.id).sort()).toEqual([
		'NVIDIA A40',
		'NVIDIA L4',
	]);
	expect((await data(sandbox, '{ gpuTypes(input: { id: "nope" }) { id } }')).gpuTypes).toEqual([]);
});

describe('lowestPrice', () => {
	test('prices the whole gpuCount and grades the stock', async () => {
		sandbox.setStock(GPU, { secure: 9, community: 0 });
		expect(await lowest({ gpuCount: 2, secureCloud: true })).toEqual({
			gpuName: 'RTX 4090',
			gpuTypeId: GPU,
			uninterruptablePrice: 1.38,
			minimumBidPrice: 0.7,
			stockStatus: 'High',
			availableGpuCounts: [1, 2, 4, 8],
			maxUnreservedGpuCount: 8,
		});
		sandbox.setStock(GPU, { secure: 3 });
		expect(await lowest({ gpuCount: 1, secureCloud: true })).toMatchObject({
			stockStatus: 'Medium',
			availableGpuCounts: [1, 2],
			maxUnreservedGpuCount: 3,
		});
		sandbox.setStock(GPU, { secure: 2 });
		expect((await lowest({ gpuCount: 2, secureCloud: true })).stockStatus).toBe('Low');
		expect((await lowest({ gpuCount: 4, secureCloud: true })).stockStatus).toBeNull();
	});

	test('with secureCloud omitted, the cheapest cloud that has stock', async () => {
		sandbox.setStock(GPU, { secure: 5, community: 5 });
		expect((await lowest({ gpuCount: 1 })).uninterruptablePrice).toBe(0.34);
		sandbox.setStock(GPU, { community: 0 });
		expect(await lowest({ gpuCount: 1 })).toMatchObject({
			uninterruptablePrice: 0.69,
			stockStatus: 'Medium',
		});
	});

	test('null where the type is not offered in that cloud; a data center narrows the stock', async () => {
		expect(await lowest({ gpuCount: 1, secureCloud: false }, 'NVIDIA H200')).toBeNull();
		sandbox.setStock(GPU, { secure: 0 });
		sandbox.setStock(GPU, { secure: 4 }, 'EU-SE-1');
		expect(
			(await lowest({ gpuCount: 1, secureCloud: true, dataCenterId: 'EU-SE-1' })).stockStatus,
		).toBe('Medium');
		expect(
			(await lowest({ gpuCount: 1, secureCloud: true, dataCenterId: 'US-TX-3' })).stockStatus,
		).toBeNull();
	});

	test('follows setPrice', async () => {
		sandbox.setPrice(GPU, { securePrice: 2.5, secureSpotPrice: 1.1 });
		expect(await lowest({ gpuCount: 2, secureCloud: true })).toMatchObject({
			uninterruptablePrice: 5,
			minimumBidPrice: 2.2,
		});
		expect(
			(await data(sandbox, `{ gpuTypes(input: { id: "${GPU}" }) { securePrice } }`)).gpuTypes[0]
				.securePrice,
		).toBe(2.5);
	});
});

test('the seeded stock has some types out of stock in a cloud, and high-end GPUs scarce', async () => {
	const { gpuTypes } = await data(
		sandbox,
		`{ gpuTypes { id securePrice communityPrice s: lowestPrice(input: { gpuCount: 1, secureCloud: true }) { stockStatus }
			c: lowestPrice(input: { gpuCount: 1, secureCloud: false }) { stockStatus } } }`,
	);
	type Row = {
		id: string;
		securePrice: number | null;
		communityPrice: number | null;
		s: { stockStatus: string | null } | null;
		c: { stockStatus: string | null } | null;
	};
	const offeredButEmpty = (gpuTypes as Row[]).filter(
		(g) =>
			(g.securePrice !== null && g.s?.stockStatus === null) ||
			(g.communityPrice !== null && g.c?.stockStatus === null),
	);
	expect(offeredButEmpty.length).toBeGreaterThan(0);
	const highEnd = (gpuTypes as Row[]).filter(
		(g) => Math.max(g.securePrice ?? 0, g.communityPrice ?? 0) >= 1.5,
	);
	expect(highEnd.map((g) => g.id)).toContain('NVIDIA H100 80GB HBM3');
	for (const gpu of highEnd) {
		expect([gpu.id, gpu.s?.stockStatus, gpu.c?.stockStatus]).not.toContain('High');
	}
	const plentiful = (gpuTypes as Row[]).filter(
		(g) => g.s?.stockStatus === 'High' || g.c?.stockStatus === 'High',
	);
	expect(plentiful.length).toBeGreaterThan(0);
});

test("data centers: RunPod's ids, storage support, and GPU availability that matches the stock", async () => {
	sandbox.setStock(GPU, { secure: 0, community: 0 });
	sandbox.setStock(GPU, { secure: 2 }, 'EU-RO-1');
	const { dataCenters } = await data(
		sandbox,
		'{ dataCenters { id name location storageSupport gpuAvailability { id gpuTypeId displayName gpuTypeDisplayName stockStatus available } } }',
	);
	expect(dataCenters).toHaveLength(27);
	for (const id of ['EU-RO-1', 'US-TX-3', 'CA-MTL-1', 'EU-SE-1']) {
		expect(dataCenters.find((dc: { id: string }) => dc.id === id).storageSupport).toBe(true);
	}
	const ro = dataCenters.find((dc: { id: string }) => dc.id === 'EU-RO-1');
	expect(ro).toMatchObject({ name: 'EU-RO-1', location: 'Romania' });
	expect(ro.gpuAvailability.find((g: { gpuTypeId: string }) => g.gpuTypeId === GPU)).toEqual({
		id: GPU,
		gpuTypeId: GPU,
		displayName: 'RTX 4090',
		gpuTypeDisplayName: 'RTX 4090',
		stockStatus: 'Low',
		available: true,
	});
	const elsewhere = dataCenters.filter(
		(dc: { id: string; gpuAvailability: Array<{ gpuTypeId: string }> }) =>
			dc.gpuAvailability.some((g) => g.gpuTypeId === GPU),
	);
	expect(elsewhere.map((dc: { id: string }) => dc.id)).toEqual(['EU-RO-1']);
});

test('cpuTypes answers a few entries', async () => {
	const { cpuTypes } = await data(
		sandbox,
		'{ cpuTypes { id displayName manufacturer cores threadsPerCore groupId } }',
	);
	expect(cpuTypes.length).toBeGreaterThanOrEqual(3);
	expect(cpuTypes[0]).toMatchObject({ manufacturer: 'Intel', cores: 6, threadsPerCore: 2 });
});
