/** REST v2 CPU flavors (/v2/catalog/cpus) and CPU pods over the same pod state, stock and billing. */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEPLOY, ask, podInput, sleep } from './helpers';
import { call, expectStatus, podBody } from './rest-helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 7 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads any field
const byId = (list: Array<{ id: string }>, id: string) => list.find((c) => c.id === id) as any;
const cpuPod = (cpu: Record<string, unknown>, overrides: Record<string, unknown> = {}) => {
	const { gpu, ...body } = podBody(overrides);
	expect(gpu).toBeDefined();
	return { ...body, cpu };
};
const availability = async (vcpuCount: number) =>
	(
		await expectStatus(sandbox, 200, 'listCpuTypes', {
			query: { include: 'AVAILABILITY', product: 'POD', vcpuCount },
		})
	).cpus;

describe('GET /v2/catalog/cpus', () => {
	test('without include: each flavor with its vCPU range, RAM and prices per vCPU, no stock', async () => {
		const { cpus } = await expectStatus(sandbox, 200, 'listCpuTypes');
		expect(cpus.map((c: { id: string }) => c.id)).toEqual([
			'cpu3c',
			'cpu3g',
			'cpu3m',
			'cpu5c',
			'cpu5m',
		]);
		expect(byId(cpus, 'cpu3c')).toEqual({
			id: 'cpu3c',
			name: 'Compute-Optimized',
			group: 'Gen 3',
			vcpu: { min: 2, max: 32 },
			ramGbPerVcpu: 2,
			price: { securePerVcpu: 0.03, serverlessPerVcpu: 0.025 },
		});
	});

	test('with include=AVAILABILITY&product=POD: stock per data center for the vCPU count; a sold-out flavor has none listed', async () => {
		const cpus = await availability(4);
		expect(byId(cpus, 'cpu3c')).toMatchObject({
			availability: 'HIGH',
			dataCenters: expect.arrayContaining([
				{ id: 'EU-RO-1', name: 'EU-RO-1', availability: 'HIGH' },
			]),
		});
		// 16 free vCPUs: room for 4 pods of 4 vCPUs.
		expect(byId(cpus, 'cpu3m')).toMatchObject({ availability: 'MEDIUM' });
		expect(byId(cpus, 'cpu5m').availability).toBe('NONE');
		expect(byId(cpus, 'cpu5m').dataCenters).toBeUndefined();
		// Larger than the flavor allows: not available anywhere.
		expect(byId(await availability(64), 'cpu3c').availability).toBe('NONE');
	});

	test('product without include, include without product, and a vCPU count that is not a power of two are 400', async () => {
		const queries: Array<Record<string, string | number>> = [
			{ product: 'POD' },
			{ include: 'AVAILABILITY' },
			{ include: 'AVAILABILITY', product: 'POD', vcpuCount: 6 },
		];
		for (const query of queries) {
			expect((await call(sandbox, 'listCpuTypes', { query })).status).toBe(400);
		}
	});

	test('get one flavor; an unknown one is 404', async () => {
		const cpu = await expectStatus(sandbox, 200, 'getCpuType', {
			path: { id: 'cpu5c' },
			query: { include: 'AVAILABILITY', product: 'POD', vcpuCount: 8 },
		});
		expect(cpu).toMatchObject({ id: 'cpu5c', group: 'Gen 5', availability: 'HIGH' });
		expect((await call(sandbox, 'getCpuType', { path: { id: 'cpu9z' } })).status).toBe(404);
	});
});

describe('CPU pods', () => {
	test('a CPU pod answers 201 with its flavor, vCPUs and memory (no gpu), costs per vCPU, and takes vCPUs from stock', async () => {
		const pod = await expectStatus(sandbox, 201, 'createPod', {
			body: cpuPod({ id: 'cpu3m', vcpuCount: 8 }),
		});
		expect(pod).toMatchObject({
			cpu: { id: 'cpu3m', vcpuCount: 8, memory: 64 },
			cloud: 'SECURE',
			dataCenterId: 'US-TX-3',
			cost: 0.4,
		});
		expect(pod.gpu).toBeUndefined();
		// 8 of 16 vCPUs left: room for two more of this size.
		expect(byId(await availability(4), 'cpu3m').availability).toBe('LOW');
		const list = await expectStatus(sandbox, 200, 'listPods');
		expect(list.pods.map((p: { id: string }) => p.id)).toEqual([pod.id]);
		// The same pod on the GraphQL face: no GPUs, its vCPUs and memory.
		const graphql = await ask(
			sandbox,
			'query Pod($input: PodFilter) { pod(input: $input) { id gpuCount vcpuCount memoryInGb } }',
			{ input: { podId: pod.id } },
		);
		expect(graphql.body.data.pod).toMatchObject({ gpuCount: 0, vcpuCount: 8, memoryInGb: 64 });

		await expectStatus(sandbox, 200, 'podAction', {
			path: { id: pod.id },
			body: { action: 'stop' },
		});
		expect(byId(await availability(4), 'cpu3m').availability).toBe('MEDIUM');
		const started = await expectStatus(sandbox, 200, 'podAction', {
			path: { id: pod.id },
			body: { action: 'start' },
		});
		expect(started.cost).toBe(0.4);
	});

	test('a running CPU pod runs the balance down and shows in pod billing', async () => {
		const pod = await expectStatus(sandbox, 201, 'createPod', {
			body: cpuPod({ id: 'cpu3c', vcpuCount: 2 }),
		});
		await expectStatus(sandbox, 200, 'podAction', {
			path: { id: pod.id },
			body: { action: 'stop' },
		});
		// Dearer, so that 100 ms of it shows in the ledger.
		sandbox.state.pods[0].cpu!.pricePerVcpu = 18000;
		await expectStatus(sandbox, 200, 'podAction', {
			path: { id: pod.id },
			body: { action: 'start' },
		});
		await sleep(100);
		await expectStatus(sandbox, 200, 'podAction', {
			path: { id: pod.id },
			body: { action: 'stop' },
		});
		const billed = await expectStatus(sandbox, 200, 'listPodBilling', {
			query: { lastN: 1, podId: pod.id },
		});
		expect(billed.records).toEqual([
			expect.objectContaining({ podId: pod.id, totalAmount: expect.any(Number) }),
		]);
		expect(billed.records[0].totalAmount).toBeGreaterThan(0.5);
	});

	test('what RunPod refuses for a CPU pod is a 400, and nothing is rented', async () => {
		const refusals = [
			cpuPod({ id: 'cpu9z', vcpuCount: 2 }),
			cpuPod({ id: 'cpu3c', vcpuCount: 6 }),
			cpuPod({ id: 'cpu3m', vcpuCount: 32 }),
			cpuPod({ id: 'cpu3c', vcpuCount: 2 }, { cloud: 'COMMUNITY' }),
			cpuPod({ id: 'cpu3c', vcpuCount: 2 }, { mounts: { persistent: { size: 10, path: '/a' } } }),
			{ ...podBody(), cpu: { id: 'cpu3c', vcpuCount: 2 } },
		];
		for (const body of refusals)
			expect((await call(sandbox, 'createPod', { body })).status).toBe(400);
		// Sold out: RunPod's capacity answer.
		const soldOut = await call(sandbox, 'createPod', {
			body: cpuPod({ id: 'cpu5m', vcpuCount: 2 }),
		});
		expect(soldOut.status).toBe(400);
		expect(soldOut.body.detail).toMatch(/no longer any instances/);
		expect(sandbox.state.pods).toHaveLength(0);
	});

	test('the GraphQL face still does not rent CPU pods', async () => {
		const answer = await ask(sandbox, DEPLOY, { input: podInput({ computeType: 'CPU' }) });
		expect(answer.body.errors[0].message).toMatch(/does not model CPU pods/);
	});
});
