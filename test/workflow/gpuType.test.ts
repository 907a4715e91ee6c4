/** The GPU Type resource (the price list), run through n8n's executor against the RunPod sandbox. */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { ON_REST, json, runRunPodNode, speakTestApi } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 13 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

const CATALOG_SIZE = readFileSync(join(__dirname, '../../sandbox/gpu-catalog.tsv'), 'utf8')
	.split('\n')
	.filter((line) => line.trim() && !line.startsWith('#') && !line.startsWith('id\t')).length;

async function run(
	parameters: IDataObject,
	options: { items?: IDataObject[]; continueOnFail?: boolean } = {},
) {
	return await runRunPodNode({
		parameters: { resource: 'gpuType', ...parameters },
		items: options.items,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
		continueOnFail: options.continueOnFail,
	});
}

const RTX_4090 = 'NVIDIA GeForce RTX 4090';

describe('GPU Type → Get Many', () => {
	test('one request prices every real GPU type in both clouds, cheapest in stock first', async () => {
		const result = await run({ operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		const gpus = json(result);

		if (ON_REST) {
			// REST reports stock per cloud only when asked per cloud: two catalog reads, sent together.
			expect(sandbox.requests.map((r) => r.path).sort()).toEqual([
				'/v2/catalog/gpus?include=AVAILABILITY&product=POD&count=1&cloud=COMMUNITY',
				'/v2/catalog/gpus?include=AVAILABILITY&product=POD&count=1&cloud=SECURE',
			]);
		} else {
			expect(sandbox.requests).toHaveLength(1);
			expect(sandbox.requests[0].query).toMatch(/secure: lowestPrice\(input: \$secure\)/);
			expect(sandbox.requests[0].query).toMatch(/community: lowestPrice\(input: \$community\)/);
			expect(sandbox.requests[0].variables).toEqual({
				secure: { gpuCount: 1, secureCloud: true },
				community: { gpuCount: 1, secureCloud: false },
			});
		}

		expect(gpus).toHaveLength(CATALOG_SIZE);
		expect(gpus.map((g) => g.id)).not.toContain('unknown');
		expect(gpus.find((g) => g.id === RTX_4090)).toEqual({
			id: RTX_4090,
			displayName: 'RTX 4090',
			memoryInGb: 24,
			gpuCount: 1,
			cheapestOnDemandPrice: 0.34,
			cheapestCloud: 'COMMUNITY',
			secureOnDemandPrice: 0.69,
			secureStockStatus: expect.stringMatching(/High|Medium|Low/),
			communityOnDemandPrice: 0.34,
			communityStockStatus: expect.stringMatching(/High|Medium|Low/),
		});

		const prices = gpus.map((g) => g.cheapestOnDemandPrice);
		const inStock = prices.filter((p): p is number => typeof p === 'number');
		expect(inStock).toEqual([...inStock].sort((a, b) => a - b));
		// GPU types with nothing to rent come last.
		expect(prices.slice(inStock.length).every((p) => p === null)).toBe(true);
	});

	test('filters: minimum VRAM, Secure Cloud, in stock, maximum price', async () => {
		sandbox.setStock('NVIDIA H100 PCIe', { secure: 4 });
		sandbox.setStock('NVIDIA A100 80GB PCIe', { secure: 0 });
		sandbox.setStock('NVIDIA H100 80GB HBM3', { secure: 4 });
		const result = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { minMemoryInGb: 80, cloudType: 'SECURE', inStockOnly: true, maxPricePerHour: 2.5 },
		});
		expect(result.error).toBeUndefined();
		const gpus = json(result);
		const ids = gpus.map((g) => g.id);
		expect(ids).toContain('NVIDIA H100 PCIe');
		expect(ids).not.toContain('NVIDIA A100 80GB PCIe'); // out of stock in Secure Cloud
		expect(ids).not.toContain('NVIDIA H100 80GB HBM3'); // $2.69 > $2.50
		for (const gpu of gpus) {
			expect(gpu.memoryInGb).toBeGreaterThanOrEqual(80);
			expect(gpu.cheapestCloud).toBe('SECURE');
			expect(gpu.cheapestOnDemandPrice).toBeLessThanOrEqual(2.5);
		}
	});

	test('In Stock Only decides whether a GPU type with no stock is listed', async () => {
		sandbox.setStock(RTX_4090, { secure: 0, community: 0 });
		const everything = json(
			await run({ operation: 'getAll', returnAll: true, filters: { inStockOnly: false } }),
		);
		expect(everything.find((g) => g.id === RTX_4090)).toMatchObject({
			cheapestOnDemandPrice: null,
			cheapestCloud: null,
			secureOnDemandPrice: 0.69,
			secureStockStatus: null,
		});
		const inStock = json(
			await run({ operation: 'getAll', returnAll: true, filters: { inStockOnly: true } }),
		);
		expect(inStock.map((g) => g.id)).not.toContain(RTX_4090);
	});

	test('prices for a GPU count: live quotes cover all the GPUs, list prices stay per GPU', async () => {
		const result = await run({
			operation: 'getAll',
			returnAll: true,
			gpuCount: 2,
			simplify: false,
		});
		if (ON_REST) expect(sandbox.requests.every((r) => r.path?.includes('count=2'))).toBe(true);
		else
			expect(sandbox.requests[0].variables).toMatchObject({
				secure: { gpuCount: 2 },
				community: { gpuCount: 2 },
			});
		expect(json(result).find((g) => g.id === RTX_4090)).toEqual({
			id: RTX_4090,
			displayName: 'RTX 4090',
			memoryInGb: 24,
			secureCloud: true,
			communityCloud: true,
			securePrice: 0.69,
			communityPrice: 0.34,
			// Spot prices and bids exist only on GraphQL; REST v2 answers stock for the count asked, not every count.
			secureSpotPrice: ON_REST ? null : 0.35,
			communitySpotPrice: ON_REST ? null : 0.2,
			gpuCount: 2,
			secure: {
				onDemandPrice: 1.38,
				minimumBid: ON_REST ? null : 0.7,
				stockStatus: expect.any(String),
				availableGpuCounts: ON_REST ? [2] : expect.arrayContaining([1, 2]),
				inStock: true,
			},
			community: {
				onDemandPrice: 0.68,
				minimumBid: ON_REST ? null : 0.4,
				stockStatus: expect.any(String),
				availableGpuCounts: ON_REST ? [2] : expect.arrayContaining([1, 2]),
				inStock: true,
			},
			inStock: true,
			cheapestOnDemandPrice: 0.68,
			cheapestCloud: 'COMMUNITY',
		});
	});

	test('sort by VRAM, largest first, and Limit', async () => {
		const result = await run({
			operation: 'getAll',
			returnAll: false,
			limit: 5,
			sortBy: 'vramDesc',
		});
		const memory = json(result).map((g) => g.memoryInGb as number);
		expect(memory).toHaveLength(5);
		expect(memory).toEqual([...memory].sort((a, b) => b - a));
		expect(memory[0]).toBe(192);
	});

	test('a GPU count out of range is refused before any request', async () => {
		const result = await run({ operation: 'getAll', returnAll: true, gpuCount: 9 });
		expect(result.error?.message).toBe('GPU Count: expected a whole number from 1 to 8, got 9');
		expect(sandbox.requests).toEqual([]);
	});
});

describe('GPU Type → Get', () => {
	test('one GPU type with the same fields as Get Many', async () => {
		const result = await run({
			operation: 'get',
			gpuTypeId: { __rl: true, mode: 'list', value: RTX_4090 },
		});
		expect(result.error).toBeUndefined();
		const listed = json(await run({ operation: 'getAll', returnAll: true })).find(
			(g) => g.id === RTX_4090,
		);
		expect(json(result)).toEqual([listed]);
		if (ON_REST)
			expect(sandbox.requests[0].path).toMatch(
				/^\/v2\/catalog\/gpus\/NVIDIA%20GeForce%20RTX%204090\?/,
			);
		else expect(sandbox.requests[0].variables).toMatchObject({ filter: { id: RTX_4090 } });
	});

	test.each(['NVIDIA GeForce RTX 9999', 'unknown'])('"%s" is not a GPU type', async (id) => {
		const result = await run({
			operation: 'get',
			gpuTypeId: { __rl: true, mode: 'id', value: id },
		});
		expect(result.error?.message).toBe(`GPU Type: RunPod has no GPU type "${id}"`);
		expect(result.error?.description).toMatch(/GPU Type → Get Many/);
	});

	test('continueOnFail: each item gets its own GPU type or its own error', async () => {
		const result = await run(
			{ operation: 'get', gpuTypeId: { __rl: true, mode: 'id', value: '={{ $json.gpu }}' } },
			{ items: [{ gpu: 'NVIDIA RTX A4000' }, { gpu: 'nope' }], continueOnFail: true },
		);
		const out = json(result);
		expect(out[0]).toMatchObject({ id: 'NVIDIA RTX A4000', memoryInGb: 16 });
		expect(out[1].error).toBe('GPU Type: RunPod has no GPU type "nope"');
	});
});
