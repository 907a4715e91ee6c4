/** The Data Center resource, run through n8n's executor against the RunPod sandbox. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { ON_REST, byId, graphqlOnly, json, restOnly, runRunPodNode, speakTestApi } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 14 });
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
		parameters: { resource: 'dataCenter', operation: 'getAll', ...parameters },
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

const RTX_4090 = 'NVIDIA GeForce RTX 4090';

describe('Data Center → Get Many', () => {
	test('one request; each data center with storage support and the GPU types in stock there', async () => {
		sandbox.setStock(RTX_4090, { secure: 5, community: 0 }, 'EU-RO-1');
		const result = await run({ returnAll: true });
		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(1);
		const dcs = json(result);
		expect(dcs.length).toBeGreaterThan(20);
		expect(dcs.map((dc) => dc.id)).toEqual([...dcs.map((dc) => dc.id as string)].sort());

		const romania = dcs.find((dc) => dc.id === 'EU-RO-1') as IDataObject;
		// GraphQL names the country; REST v2 only the continent (its region EUROPE), in words.
		expect(romania).toMatchObject({
			id: 'EU-RO-1',
			location: ON_REST ? 'Europe' : 'Romania',
			storageSupport: true,
		});
		expect(romania.gpuAvailability).toContainEqual({
			gpuTypeId: RTX_4090,
			displayName: 'RTX 4090',
			stockStatus: 'Medium',
			available: true,
		});
		expect(romania.availableGpuTypes).toContain(RTX_4090);
		expect(dcs.find((dc) => dc.id === 'US-TX-1')).toMatchObject({ storageSupport: false });
	});

	test('filters: network volume support only, and a GPU type that is available', async () => {
		sandbox.setStock(RTX_4090, { secure: 0, community: 0 });
		sandbox.setStock(RTX_4090, { secure: 3 }, 'EU-SE-1');
		const storage = json(await run({ returnAll: true, filters: { storageSupportOnly: true } }));
		expect(storage.length).toBeGreaterThan(0);
		expect(storage.every((dc) => dc.storageSupport === true)).toBe(true);

		const with4090 = json(await run({ returnAll: true, filters: { gpuTypeId: RTX_4090 } }));
		expect(with4090.map((dc) => dc.id)).toEqual(['EU-SE-1']);
	});

	test('Limit', async () => {
		expect(json(await run({ returnAll: false, limit: 3 }))).toHaveLength(3);
	});
});

describe('Data Center → Get', () => {
	const get = async (id: string) => await run({ operation: 'get', dataCenterId: byId(id) });

	restOnly(
		'one request; the data center with its continent and the GPU types in stock there',
		async () => {
			sandbox.setStock(RTX_4090, { secure: 5, community: 0 }, 'EU-RO-1');
			const result = await get('EU-RO-1');
			expect(result.error).toBeUndefined();
			const [romania] = json(result);
			expect(romania).toMatchObject({ id: 'EU-RO-1', location: 'Europe', storageSupport: true });
			expect(romania.gpuAvailability).toContainEqual({
				gpuTypeId: RTX_4090,
				displayName: 'RTX 4090',
				stockStatus: 'Medium',
				available: true,
			});
			expect(romania.availableGpuTypes).toContain(RTX_4090);
			expect(sandbox.requests.map((r) => r.path)).toEqual([
				'/v2/catalog/datacenters/EU-RO-1?include=GPU_AVAILABILITY',
			]);
		},
	);

	restOnly('an unknown data center is a clear error', async () => {
		const result = await get('XX-XX-9');
		expect(result.error?.message).toBe('The data center "XX-XX-9" was not found');
		expect(result.error?.description).toMatch(/Data Center → Get Many/);
	});

	graphqlOnly('on GraphQL it needs REST v2 and sends nothing', async () => {
		const result = await get('EU-RO-1');
		expect(result.error?.message).toBe("Data Center → Get needs RunPod's REST API v2");
		expect(sandbox.requests).toEqual([]);
	});
});
