/** REST v2 catalog: GPU types with list prices and pod stock, data centers with GPU availability. */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { GPU, call, expectStatus } from './rest-helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 5 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const gpus = (query: Record<string, string | number> = {}) =>
	expectStatus(sandbox, 200, 'listGpuTypes', { query });
const byId = (list: Array<{ id: string }>, id: string) => list.find((g) => g.id === id) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('GET /v2/catalog/gpus', () => {
	test('without include: per-GPU list prices per cloud and per-cloud ceilings, no availability, no GraphQL placeholder', async () => {
		const { gpus: list } = await gpus();
		expect(byId(list, GPU)).toEqual({
			id: GPU,
			name: 'RTX 4090',
			pool: null,
			manufacturer: 'NVIDIA',
			memory: 24,
			secure: true,
			community: true,
			price: { secure: 0.69, community: 0.34 },
			maxCount: { secure: 8, community: 8 },
		});
		// Not offered on Community: the required price is there but 0, and community is false.
		expect(byId(list, 'NVIDIA H200')).toMatchObject({
			community: false,
			price: { secure: 3.59, community: 0 },
			maxCount: { community: 0 },
		});
		expect(byId(list, 'unknown')).toBeUndefined();
	});

	test('setPrice shows up in the REST price', async () => {
		sandbox.setPrice(GPU, { securePrice: 2.5 });
		expect(byId((await gpus()).gpus, GPU).price.secure).toBe(2.5);
	});

	test('include=AVAILABILITY&product=POD: upper-case levels from the stock, per data center too', async () => {
		sandbox.setStock(GPU, { secure: 9 }, 'EU-RO-1');
		sandbox.setStock(GPU, { secure: 0 }, 'US-TX-3');
		sandbox.setStock(GPU, { secure: 3 }, 'CA-MTL-1');
		sandbox.setStock(GPU, { secure: 1 }, 'EU-SE-1');
		const gpu = byId((await gpus({ include: 'AVAILABILITY', product: 'POD' })).gpus, GPU);
		expect(gpu.availability).toBe('HIGH');
		const levels = Object.fromEntries(
			gpu.dataCenters.map((dc: { id: string; availability: string }) => [dc.id, dc.availability]),
		);
		expect(levels).toMatchObject({ 'EU-RO-1': 'HIGH', 'CA-MTL-1': 'MEDIUM', 'EU-SE-1': 'LOW' });
		expect(levels['US-TX-3']).toBeUndefined();
	});

	test('count and cloud scope the availability; sold out is NONE with no dataCenters', async () => {
		sandbox.setStock(GPU, { secure: 2, community: 0 });
		const two = byId((await gpus({ include: 'AVAILABILITY', product: 'POD', count: 2 })).gpus, GPU);
		expect(two).toMatchObject({
			availability: 'LOW',
			dataCenters: [expect.objectContaining({ availability: 'LOW' })],
		});
		const four = byId(
			(await gpus({ include: 'AVAILABILITY', product: 'POD', count: 4 })).gpus,
			GPU,
		);
		expect(four.availability).toBe('NONE');
		expect(four.dataCenters).toBeUndefined();
		const community = byId(
			(await gpus({ include: 'AVAILABILITY', product: 'POD', cloud: 'COMMUNITY' })).gpus,
			GPU,
		);
		expect(community.availability).toBe('NONE');
	});

	test('renting GPUs lowers the availability the catalog reports', async () => {
		sandbox.setStock(GPU, { secure: 8 }, 'EU-RO-1');
		for (const dc of ['US-TX-3', 'CA-MTL-1', 'EU-SE-1']) sandbox.setStock(GPU, { secure: 0 }, dc);
		for (const other of sandbox.state.gpuHosts[GPU].slice(4))
			sandbox.setStock(GPU, { secure: 0 }, other);
		expect(
			byId((await gpus({ include: 'AVAILABILITY', product: 'POD' })).gpus, GPU).availability,
		).toBe('HIGH');
		await expectStatus(sandbox, 201, 'createPod', {
			body: { name: 'p', image: 'i', gpu: { id: GPU, count: 6 } },
		});
		expect(
			byId((await gpus({ include: 'AVAILABILITY', product: 'POD' })).gpus, GPU).availability,
		).toBe('LOW');
	});

	test('product without include, or include without product, is 400; a bad enum is 422', async () => {
		expect((await call(sandbox, 'listGpuTypes', { query: { product: 'POD' } })).status).toBe(400);
		const missing = await call(sandbox, 'listGpuTypes', { query: { include: 'AVAILABILITY' } });
		expect(missing.status).toBe(400);
		expect(missing.body.detail).toMatch(/product is required/);
		expect(
			(await call(sandbox, 'listGpuTypes', { query: { include: 'AVAILABILITY', product: 'PODS' } }))
				.status,
		).toBe(422);
	});

	test('countryCodes narrow the list to GPU types deployable there', async () => {
		const { gpus: list } = await gpus({
			include: 'AVAILABILITY',
			product: 'POD',
			countryCodes: 'RO',
		});
		expect(
			byId(list, GPU).dataCenters.every((dc: { id: string }) => dc.id.startsWith('EU-RO')),
		).toBe(true);
		expect(list.length).toBeLessThan((await gpus()).gpus.length);
	});

	test('GET /v2/catalog/gpus/{id}: one type, 404 for an unknown one', async () => {
		expect(await expectStatus(sandbox, 200, 'getGpuType', { path: { id: GPU } })).toMatchObject({
			id: GPU,
			price: { secure: 0.69 },
		});
		expect(
			(await call(sandbox, 'getGpuType', { path: { id: 'NVIDIA GeForce GTX 480' } })).status,
		).toBe(404);
	});
});

describe('GET /v2/catalog/datacenters', () => {
	test('every data center with region and volume tiers; GPU availability only when asked', async () => {
		const plain = await expectStatus(sandbox, 200, 'listDataCenters');
		expect(plain.dataCenters).toHaveLength(27);
		expect(plain.dataCenters.find((dc: { id: string }) => dc.id === 'EU-RO-1')).toEqual({
			id: 'EU-RO-1',
			name: 'EU-RO-1',
			region: 'EUROPE',
			globalNetwork: false,
			networkVolumeTypes: ['STANDARD'],
			compliance: [],
		});
		sandbox.setStock(GPU, { secure: 2, community: 0 }, 'EU-RO-1');
		const withGpus = await expectStatus(sandbox, 200, 'listDataCenters', {
			query: { include: 'GPU_AVAILABILITY' },
		});
		const romania = withGpus.dataCenters.find((dc: { id: string }) => dc.id === 'EU-RO-1');
		expect(romania.gpuAvailability).toContainEqual({
			id: GPU,
			name: 'RTX 4090',
			availability: 'LOW',
		});
	});

	test('regions and networkVolumeTypes filter; get by id, 404 for an unknown one', async () => {
		const asia = await expectStatus(sandbox, 200, 'listDataCenters', {
			query: { regions: 'ASIA' },
		});
		expect(asia.dataCenters.map((dc: { id: string }) => dc.id)).toEqual(['AP-JP-1']);
		const fast = await expectStatus(sandbox, 200, 'listDataCenters', {
			query: { networkVolumeTypes: 'STANDARD,HIGH_PERFORMANCE' },
		});
		expect(fast.dataCenters.map((dc: { id: string }) => dc.id).sort()).toEqual([
			'EUR-IS-1',
			'US-KS-2',
			'US-TX-3',
		]);
		expect(
			await expectStatus(sandbox, 200, 'getDataCenter', { path: { id: 'AP-JP-1' } }),
		).toMatchObject({ id: 'AP-JP-1', region: 'ASIA' });
		expect((await call(sandbox, 'getDataCenter', { path: { id: 'XX-XX-1' } })).status).toBe(404);
	});
});
