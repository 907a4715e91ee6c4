/** The CPU Type resource (REST v2's CPU flavors), run through n8n's executor against the RunPod sandbox. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { ON_REST, byId, graphqlOnly, json, restOnly, runRunPodNode, speakTestApi } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 17 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function run(parameters: IDataObject) {
	return await runRunPodNode({
		parameters: { resource: 'cpuType', ...parameters },
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

describe('CPU Type → Get Many', () => {
	restOnly(
		'one item per CPU type with the price, memory and stock of the vCPU count asked',
		async () => {
			const result = await run({ operation: 'getAll', returnAll: true, vcpuCount: 4 });
			expect(result.error).toBeUndefined();
			const cpus = json(result);
			expect(cpus.map((c) => c.id)).toEqual(['cpu3c', 'cpu3g', 'cpu3m', 'cpu5c', 'cpu5m']);
			expect(cpus[0]).toEqual({
				id: 'cpu3c',
				name: 'Compute-Optimized',
				group: 'Gen 3',
				vcpuCount: 4,
				memoryInGb: 8,
				pricePerHour: 0.12,
				stockStatus: 'High',
				inStock: true,
				dataCenters: ['EU-RO-1', 'US-TX-3', 'CA-MTL-1'],
				minVcpuCount: 2,
				maxVcpuCount: 32,
				ramGbPerVcpu: 2,
				pricePerVcpu: 0.03,
				serverlessPricePerVcpu: 0.025,
			});
			// One request, asking for pod stock at that size.
			expect(sandbox.requests.map((r) => r.path)).toEqual([
				'/v2/catalog/cpus?include=AVAILABILITY&product=POD&vcpuCount=4',
			]);
		},
	);

	restOnly('filters: in stock only, max cost per hour, and a limit', async () => {
		const inStock = json(
			await run({
				operation: 'getAll',
				returnAll: true,
				vcpuCount: 8,
				filters: { inStockOnly: true, maxCostPerHour: 0.35 },
			}),
		);
		// cpu5m is sold out; cpu3m (0.40/hour at 8 vCPUs) is over the limit.
		expect(inStock.map((c) => [c.id, c.pricePerHour])).toEqual([
			['cpu3c', 0.24],
			['cpu3g', 0.32],
			['cpu5c', 0.28],
		]);
		const limited = json(await run({ operation: 'getAll', returnAll: false, limit: 2 }));
		// Without a vCPU count: each CPU type at its smallest size.
		expect(limited.map((c) => [c.id, c.vcpuCount])).toEqual([
			['cpu3c', 2],
			['cpu3g', 2],
		]);
	});

	test('a vCPU count that is not a power of two is refused before any request', async () => {
		const result = await run({ operation: 'getAll', returnAll: true, vcpuCount: 6 });
		expect(result.error?.message).toMatch(/vCPU Count/);
		expect(result.error?.description).toMatch(/2, 4, 8, 16, 32 or 64/);
		expect(sandbox.requests).toHaveLength(0);
	});

	graphqlOnly('on GraphQL: needs REST v2, and nothing is sent', async () => {
		const result = await run({ operation: 'getAll', returnAll: true });
		expect(result.error?.message).toBe("CPU Type needs RunPod's REST API v2");
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('CPU Type → Get', () => {
	restOnly(
		'one CPU type, priced for the vCPU count; Simplify off gives RunPod’s object',
		async () => {
			const [cpu] = json(await run({ operation: 'get', cpuTypeId: byId('cpu3m'), vcpuCount: 16 }));
			expect(cpu).toMatchObject({
				id: 'cpu3m',
				vcpuCount: 16,
				memoryInGb: 128,
				pricePerHour: 0.8,
				// 16 vCPUs free: exactly one such pod.
				stockStatus: 'Low',
				dataCenters: ['US-TX-3'],
			});
			const [raw] = json(
				await run({ operation: 'get', cpuTypeId: byId('cpu3m'), vcpuCount: 16, simplify: false }),
			);
			expect(raw).toMatchObject({
				id: 'cpu3m',
				vcpu: { min: 2, max: 16 },
				price: { securePerVcpu: 0.05 },
				availability: 'LOW',
			});
		},
	);

	restOnly('a size beyond the CPU type’s range has no price and no stock', async () => {
		const [cpu] = json(await run({ operation: 'get', cpuTypeId: byId('cpu3m'), vcpuCount: 64 }));
		expect(cpu).toMatchObject({ pricePerHour: null, memoryInGb: null, inStock: false });
	});

	restOnly('an unknown CPU type is named', async () => {
		const result = await run({ operation: 'get', cpuTypeId: byId('cpu9z') });
		expect(result.error?.message).toBe('CPU Type: RunPod has no CPU type "cpu9z"');
		expect(result.error?.description).toMatch(/CPU Type → Get Many/);
	});

	test('on GraphQL Get needs REST v2 before any request; on REST it answers', async () => {
		const result = await run({ operation: 'get', cpuTypeId: byId('cpu3c') });
		if (ON_REST) expect(json(result)[0]).toMatchObject({ id: 'cpu3c' });
		else {
			expect(result.error?.message).toBe("CPU Type needs RunPod's REST API v2");
			expect(result.error?.description).toMatch(/Nothing was sent to RunPod/);
			expect(sandbox.requests).toHaveLength(0);
		}
	});
});
