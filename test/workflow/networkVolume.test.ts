/** The Network Volume resource, run through n8n's executor against the RunPod sandbox. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { NetworkVolumeRecord, Sandbox } from '../../sandbox';
import { ON_REST, byId, json, mutationsSent, runRunPodNode, speakTestApi } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 12 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function run(
	parameters: IDataObject,
	options: { items?: IDataObject[]; continueOnFail?: boolean } = {},
) {
	return await runRunPodNode({
		parameters: { resource: 'networkVolume', ...parameters },
		items: options.items,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
		continueOnFail: options.continueOnFail,
	});
}

function seedVolume(overrides: Partial<NetworkVolumeRecord> = {}): NetworkVolumeRecord {
	const volume: NetworkVolumeRecord = {
		id: `vol${sandbox.state.networkVolumes.length}abcdefg`,
		name: 'models',
		size: 100,
		dataCenterId: 'EU-RO-1',
		...overrides,
	};
	sandbox.state.networkVolumes.push(volume);
	return volume;
}

describe('Network Volume → Create', () => {
	test('creates a volume in a storage data center', async () => {
		const result = await run({
			operation: 'create',
			name: 'models',
			size: 200,
			dataCenterId: 'EU-RO-1',
		});
		expect(result.error).toBeUndefined();
		const [volume] = json(result);
		expect(volume).toEqual({
			id: expect.any(String),
			name: 'models',
			size: 200,
			dataCenterId: 'EU-RO-1',
		});
		expect(
			sandbox.requests.find((r) => r.fields.includes('createNetworkVolume'))?.variables,
		).toEqual({
			input: { name: 'models', size: 200, dataCenterId: 'EU-RO-1' },
		});
		expect(sandbox.state.networkVolumes).toEqual([
			{ id: volume.id, name: 'models', size: 200, dataCenterId: 'EU-RO-1' },
		]);
	});

	test.each([
		[{ size: 5000 }, 'Size (GB): expected a whole number from 1 to 4000, got 5000'],
		[{ size: 0 }, 'Size (GB): expected a whole number from 1 to 4000, got 0'],
		// An expression that comes out blank gets past n8n's required check and must be caught here.
		[{ name: '={{ "  " }}' }, 'Name: is empty'],
		[{ dataCenterId: '={{ "" }}' }, 'Data Center: is empty'],
	])('bad input %j is refused before any request', async (overrides, message) => {
		const result = await run({
			operation: 'create',
			name: 'models',
			size: 10,
			dataCenterId: 'EU-RO-1',
			...overrides,
		});
		expect(result.error?.message).toBe(message);
		expect((result.error?.context as IDataObject).itemIndex).toBe(0);
		expect(sandbox.requests).toEqual([]);
	});

	test('If the Name Is Taken → Return the Existing Volume: running again never buys a second volume', async () => {
		const ensure = {
			operation: 'create',
			name: 'models',
			size: 200,
			dataCenterId: 'EU-RO-1',
			ifNameTaken: 'returnExisting',
		};
		const first = json(await run(ensure))[0];
		expect(first.existed).toBeUndefined();
		// A second execution (a schedule, a re-queued execution, an agent asking twice).
		const second = await run(ensure);
		expect(json(second)).toEqual([{ ...first, existed: true }]);
		// The same name elsewhere is another volume.
		await run({ ...ensure, dataCenterId: 'US-KS-2' });
		expect(sandbox.state.networkVolumes.map((v) => v.dataCenterId).sort()).toEqual([
			'EU-RO-1',
			'US-KS-2',
		]);
		expect(mutationsSent(sandbox.requests)).toEqual(['createNetworkVolume', 'createNetworkVolume']);
	});

	test('by default a taken name still creates another volume, as RunPod allows', async () => {
		seedVolume({ name: 'models', dataCenterId: 'EU-RO-1' });
		const result = await run({
			operation: 'create',
			name: 'models',
			size: 10,
			dataCenterId: 'EU-RO-1',
		});
		expect(json(result)[0].existed).toBeUndefined();
		expect(sandbox.state.networkVolumes).toHaveLength(2);
	});

	test('Return the Existing Volume with two volumes of that name: fails naming both, creates none', async () => {
		const a = seedVolume({ name: 'models', dataCenterId: 'EU-RO-1' });
		const b = seedVolume({ name: 'models', dataCenterId: 'EU-RO-1' });
		const result = await run({
			operation: 'create',
			name: 'models',
			size: 10,
			dataCenterId: 'EU-RO-1',
			ifNameTaken: 'returnExisting',
		});
		expect(result.error?.message).toBe(
			`2 network volumes are named "models" in EU-RO-1: ${a.id}, ${b.id}`,
		);
		expect(sandbox.state.networkVolumes).toHaveLength(2);
	});

	test("a data center without network storage: RunPod's message comes through", async () => {
		const result = await run({
			operation: 'create',
			name: 'models',
			size: 10,
			dataCenterId: 'US-TX-1',
		});
		expect(result.error?.message).toBe('Data center US-TX-1 does not support network volumes.');
		expect(sandbox.state.networkVolumes).toEqual([]);
	});
});

describe('Network Volume → Get and Get Many', () => {
	test('Get Many: one request, one item per volume, filters', async () => {
		seedVolume({ name: 'models' });
		seedVolume({ name: 'datasets', dataCenterId: 'US-TX-3' });
		const all = await run({ operation: 'getAll', returnAll: true });
		expect(json(all).map((v) => v.name)).toEqual(['models', 'datasets']);
		expect(sandbox.requests).toHaveLength(1);
		const inTexas = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { dataCenterId: 'US-TX-3' },
		});
		expect(json(inTexas)).toEqual([
			expect.objectContaining({ name: 'datasets', dataCenterId: 'US-TX-3' }),
		]);
		const byName = await run({
			operation: 'getAll',
			returnAll: false,
			limit: 5,
			filters: { nameContains: 'MOD' },
		});
		expect(json(byName).map((v) => v.name)).toEqual(['models']);
	});

	test('Get by ID, and a clear error for an unknown volume', async () => {
		const volume = seedVolume();
		expect(json(await run({ operation: 'get', networkVolumeId: byId(volume.id) }))).toEqual([
			{ ...volume },
		]);
		const missing = await run({ operation: 'get', networkVolumeId: byId('nosuchvol1') });
		expect(missing.error?.message).toBe('The network volume "nosuchvol1" was not found');
	});
});

describe('Network Volume → Update', () => {
	test('grows a volume', async () => {
		const volume = seedVolume();
		const result = await run({
			operation: 'update',
			networkVolumeId: byId(volume.id),
			updateFields: { size: 150 },
		});
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([{ ...volume, size: 150 }]);
		expect(sandbox.state.networkVolumes[0].size).toBe(150);
	});

	test('renames without sending a size', async () => {
		const volume = seedVolume();
		const result = await run({
			operation: 'update',
			networkVolumeId: byId(volume.id),
			updateFields: { name: 'weights' },
		});
		expect(result.error).toBeUndefined();
		expect(
			sandbox.requests.find((r) => r.fields.includes('updateNetworkVolume'))?.variables,
		).toEqual({
			input: { id: volume.id, name: 'weights' },
		});
		expect(sandbox.state.networkVolumes[0]).toEqual({ ...volume, name: 'weights' });
	});

	test('a shrink is refused before RunPod is asked, naming the parameter and the item', async () => {
		const volume = seedVolume();
		const result = await run({
			operation: 'update',
			networkVolumeId: byId(volume.id),
			updateFields: { size: 50 },
		});
		expect(result.error?.message).toBe(
			'Size (GB): a network volume can only grow, and "models" is 100 GB',
		);
		expect(result.error?.description).toMatch(/Set Size \(GB\) to 100 or more/);
		expect((result.error?.context as IDataObject).itemIndex).toBe(0);
		expect(mutationsSent(sandbox.requests)).toEqual([]);
		expect(sandbox.state.networkVolumes[0].size).toBe(100);
	});

	test('continueOnFail: the shrinking item fails, the growing one goes through', async () => {
		const volume = seedVolume();
		const result = await run(
			{
				operation: 'update',
				networkVolumeId: byId(volume.id),
				updateFields: { size: '={{ $json.size }}' },
			},
			{ items: [{ size: 20 }, { size: 300 }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const out = json(result);
		expect(out[0].error).toMatch(/can only grow/);
		expect(out[1]).toMatchObject({ id: volume.id, size: 300 });
		expect(mutationsSent(sandbox.requests)).toEqual(['updateNetworkVolume']);
	});

	test('no Update Fields is refused before any request', async () => {
		const volume = seedVolume();
		const result = await run({
			operation: 'update',
			networkVolumeId: byId(volume.id),
			updateFields: {},
		});
		expect(result.error?.message).toBe('Update Fields: nothing to change');
		expect(sandbox.requests).toEqual([]);
	});
});

describe('Network Volume → Delete', () => {
	test('deletes with no selection set on the Void result', async () => {
		const volume = seedVolume();
		const result = await run({ operation: 'delete', networkVolumeId: byId(volume.id) });
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([{ id: volume.id, deleted: true }]);
		const request = sandbox.requests.find((r) => r.fields.includes('deleteNetworkVolume'));
		expect(request?.variables).toEqual({ input: { id: volume.id } });
		if (!ON_REST) expect(request?.query).toMatch(/deleteNetworkVolume\(input: \$input\)\s*\}/);
		expect(sandbox.state.networkVolumes).toEqual([]);
	});

	test('a volume that is already gone fails clearly', async () => {
		const result = await run({ operation: 'delete', networkVolumeId: byId('nosuchvol1') });
		expect(result.error?.message).toBe('The network volume "nosuchvol1" was not found');
	});

	test("a volume attached to a pod: RunPod's own message comes through and the volume stays", async () => {
		const volume = seedVolume();
		const pod = await runRunPodNode({
			parameters: {
				resource: 'pod',
				operation: 'create',
				imageName: 'ubuntu:22.04',
				gpuTypeId: 'NVIDIA GeForce RTX 4090',
				gpuCount: 1,
				cloudType: 'SECURE',
				additionalFields: { networkVolumeId: volume.id },
			},
			credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
		});
		expect(pod.error).toBeUndefined();
		const result = await run({ operation: 'delete', networkVolumeId: byId(volume.id) });
		expect(result.error?.message).toBe(
			'The network volume is attached to a pod; terminate the pod first.',
		);
		expect(sandbox.state.networkVolumes).toHaveLength(1);
	});
});
