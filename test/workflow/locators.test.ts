/**
 * GPU type, network volume and template are resource locators everywhere: the value a workflow
 * stores is `{ __rl, mode, value }`, also inside Additional Fields, the fallback list and filters.
 * Plain strings saved by earlier versions (drop-downs) still run.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { json, runRunPodNode } from './harness';

const GPU = 'NVIDIA GeForce RTX 4090';
const VOLUME = { id: 'vol7654321', name: 'models', size: 50, dataCenterId: 'EU-RO-1' };

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 29 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.setStock(GPU, { secure: 8 }, VOLUME.dataCenterId);
	sandbox.state.networkVolumes.push({ ...VOLUME });
});

const fromList = (value: string) => ({ __rl: true, mode: 'list', value, cachedResultName: value });

async function run(parameters: IDataObject) {
	return await runRunPodNode({
		parameters: {
			resource: 'pod',
			operation: 'create',
			name: 'located',
			imageName: 'ubuntu:22.04',
			gpuCount: 1,
			cloudType: 'SECURE',
			containerDiskInGb: 10,
			volumeInGb: 0,
			...parameters,
		},
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

test('Pod → Create with a GPU type and a network volume chosen from their lists', async () => {
	const result = await run({
		gpuTypeId: fromList(GPU),
		additionalFields: { networkVolumeId: fromList(VOLUME.id) },
	});
	expect(result.error).toBeUndefined();
	expect(json(result)[0]).toMatchObject({ gpuType: GPU, dataCenterId: VOLUME.dataCenterId });
	expect(sandbox.state.pods[0].networkVolumeId).toBe(VOLUME.id);
});

test('the fallback list takes locator values too', async () => {
	const result = await run({
		gpuSelection: 'fallback',
		fallbackGpuTypes: {
			gpu: [
				{ gpuTypeId: fromList('NVIDIA Imaginary 9000') },
				{ gpuTypeId: { __rl: true, mode: 'id', value: GPU } },
			],
		},
	});
	expect(result.error).toBeUndefined();
	expect(json(result)[0]).toMatchObject({ gpuType: GPU });
});

test('plain strings saved by earlier versions still run', async () => {
	const result = await run({
		gpuSelection: 'fallback',
		fallbackGpuTypes: { gpu: [{ gpuTypeId: GPU }] },
		additionalFields: { networkVolumeId: VOLUME.id },
	});
	expect(result.error).toBeUndefined();
	expect(sandbox.state.pods[0]).toMatchObject({ gpuTypeId: GPU, networkVolumeId: VOLUME.id });
});

test('Pod → Get Many and Data Center → Get Many filter by a GPU type locator', async () => {
	await run({ gpuTypeId: GPU });
	const pods = await runRunPodNode({
		parameters: {
			resource: 'pod',
			operation: 'getAll',
			returnAll: true,
			filters: { gpuTypeId: fromList(GPU) },
		},
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
	expect(json(pods).map((p) => p.name)).toEqual(['located']);
	const dataCenters = await runRunPodNode({
		parameters: {
			resource: 'dataCenter',
			operation: 'getAll',
			returnAll: true,
			filters: { gpuTypeId: fromList(GPU) },
		},
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
	expect(json(dataCenters).map((dc) => dc.id)).toContain(VOLUME.dataCenterId);
});
