/**
 * Answers lost on the way back from RunPod, for network volumes and templates: what the node
 * reports must match what happened in the account.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEFAULT_RETRY_POLICY } from '../../nodes/RunPod/transport/retry';
import { byId, json, runRunPodNode, speakTestApi } from './harness';

// Test seam: a short backoff keeps the resends fast; the schedule's shape is the users'.
DEFAULT_RETRY_POLICY.baseDelayMs = 5;
DEFAULT_RETRY_POLICY.maxDelayMs = 40;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 31 });
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
		parameters: { requestPolicy: { maxAttempts: 4, timeoutSeconds: 2 }, ...parameters },
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

const createModels = {
	resource: 'networkVolume',
	operation: 'create',
	name: 'models',
	size: 10,
	dataCenterId: 'EU-RO-1',
};
const oldTwin = { id: 'oldtwin123', name: 'models', size: 10, dataCenterId: 'EU-RO-1' };

describe('Network Volume → Create after a lost answer', () => {
	test('an old volume with the same name, size and data center is never returned as the new one', async () => {
		sandbox.state.networkVolumes.push({ ...oldTwin });
		// A 503 does not say that nothing was done: the node looks, never resends, never adopts the twin.
		sandbox.faults.next(
			{ kind: 'http5xx', status: 503, body: 'html' },
			{ field: 'createNetworkVolume' },
		);
		const result = await run(createModels);
		expect(result.error?.message).toMatch(/^The request may still be carried out/);
		expect(result.error?.description).toContain('a new network volume named "models"');
		expect(sandbox.requests.filter((r) => r.fields.includes('createNetworkVolume'))).toHaveLength(
			1,
		);
		expect(sandbox.state.networkVolumes.map((v) => v.id)).toEqual([oldTwin.id]);
	});

	test('the volume created by the lost request is found among its twins and marked recovered', async () => {
		sandbox.state.networkVolumes.push({ ...oldTwin });
		sandbox.faults.next(
			{ kind: 'dropAfterApply', mode: 'reset' },
			{ field: 'createNetworkVolume' },
		);
		const result = await run(createModels);
		expect(result.error).toBeUndefined();
		const [volume] = json(result);
		const created = sandbox.state.networkVolumes.find((v) => v.id !== oldTwin.id);
		expect(volume).toEqual({
			id: created?.id,
			name: 'models',
			size: 10,
			dataCenterId: 'EU-RO-1',
			recovered: true,
		});
		expect(sandbox.state.networkVolumes).toHaveLength(2);
	});
});

describe('Template → Create after a lost answer', () => {
	const createTemplate = (name: string) => ({
		resource: 'template',
		operation: 'create',
		name,
		imageName: 'ubuntu:22.04',
		containerDiskInGb: 5,
		volumeInGb: 0,
	});

	test('the template the lost request created is found by its name and marked recovered, like pods and volumes', async () => {
		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'saveTemplate' });
		const result = await run(createTemplate('lost-answer'));
		expect(result.error).toBeUndefined();
		const [template] = json(result);
		expect(sandbox.state.templates.filter((t) => t.name === 'lost-answer')).toHaveLength(1);
		expect(template).toMatchObject({
			id: sandbox.state.templates.find((t) => t.name === 'lost-answer')?.id,
			name: 'lost-answer',
			recovered: true,
		});
	});

	test('an answer that arrives says nothing about recovery', async () => {
		const [template] = json(await run(createTemplate('plain')));
		expect(template.name).toBe('plain');
		expect(template.recovered).toBeUndefined();
	});
});

describe('Endpoint → Create after a lost answer', () => {
	test('the endpoint the lost request created is found by its name, marked recovered, not created twice', async () => {
		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'saveEndpoint' });
		const result = await run({
			resource: 'endpoint',
			operation: 'create',
			name: 'lost-endpoint',
			workerSource: 'image',
			imageName: 'runpod/worker:1.0',
			gpuPools: ['ADA_24'],
		});
		expect(result.error).toBeUndefined();
		const created = (sandbox.state.endpoints ?? []).filter((e) => e.name === 'lost-endpoint');
		expect(created).toHaveLength(1);
		expect(json(result)[0]).toMatchObject({
			id: created[0].id,
			name: 'lost-endpoint',
			recovered: true,
		});
	});
});

describe('deletes whose answer was lost', () => {
	test('Template → Delete: the template is gone, so the item succeeds instead of "not found"', async () => {
		const [template] = json(
			await run({
				resource: 'template',
				operation: 'create',
				name: 'doomed',
				imageName: 'ubuntu:22.04',
				containerDiskInGb: 5,
				volumeInGb: 0,
			}),
		);
		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'deleteTemplate' });
		const result = await run({
			resource: 'template',
			operation: 'delete',
			templateId: byId(template.id as string),
		});
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([{ id: template.id, name: 'doomed', deleted: true }]);
		expect(sandbox.state.templates.find((t) => t.id === template.id)).toBeUndefined();
	});

	test('Network Volume → Delete: the volume is gone, so the item succeeds', async () => {
		sandbox.state.networkVolumes.push({ ...oldTwin });
		sandbox.faults.next(
			{ kind: 'dropAfterApply', mode: 'reset' },
			{ field: 'deleteNetworkVolume' },
		);
		const result = await run({
			resource: 'networkVolume',
			operation: 'delete',
			networkVolumeId: byId(oldTwin.id),
		});
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([{ id: oldTwin.id, deleted: true }]);
		expect(sandbox.state.networkVolumes).toHaveLength(0);
	});

	test('a delete RunPod refuses still fails (the volume is there)', async () => {
		sandbox.state.networkVolumes.push({ ...oldTwin });
		sandbox.faults.next(
			{ kind: 'http5xx', status: 503, body: 'html' },
			{ field: 'deleteNetworkVolume' },
		);
		sandbox.faults.next(
			{ kind: 'http5xx', status: 503, body: 'html' },
			{ field: 'deleteNetworkVolume' },
		);
		sandbox.faults.next(
			{ kind: 'http5xx', status: 503, body: 'html' },
			{ field: 'deleteNetworkVolume' },
		);
		sandbox.faults.next(
			{ kind: 'http5xx', status: 503, body: 'html' },
			{ field: 'deleteNetworkVolume' },
		);
		const result = await run({
			resource: 'networkVolume',
			operation: 'delete',
			networkVolumeId: byId(oldTwin.id),
		});
		expect(result.error?.message).toMatch(/unavailable/);
		expect(sandbox.state.networkVolumes).toHaveLength(1);
	});
});

describe('a failed read does not sound like a failed write', () => {
	test('Pod → Get after 503s: no "may have carried out", no "earlier attempt lost its answer"', async () => {
		for (let i = 0; i < 4; i++)
			sandbox.faults.next({ kind: 'http5xx', status: 503, body: 'html' }, { field: 'pod' });
		const result = await run({ resource: 'pod', operation: 'get', podId: byId('50qynxzilsxoey') });
		expect(result.error?.message).toBe('RunPod is unavailable right now (HTTP 503)');
		expect(result.error?.description).toMatch(/Try again in a few minutes/);
		expect(result.error?.description).not.toMatch(
			/carried|earlier attempt|before running it again/i,
		);
	});

	test('Template → Get Many after a dropped connection says to check the network, nothing about RunPod doing it', async () => {
		for (let i = 0; i < 4; i++)
			sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'myself' });
		const result = await run({ resource: 'template', operation: 'getAll', returnAll: true });
		expect(result.error?.message).toMatch(/Could not reach RunPod/);
		expect(result.error?.description).not.toMatch(
			/carried|earlier attempt|before running it again/i,
		);
	});

	test('a write still warns: Network Volume → Update after 503s may have been carried out', async () => {
		sandbox.state.networkVolumes.push({ ...oldTwin });
		for (let i = 0; i < 4; i++)
			sandbox.faults.next(
				{ kind: 'http5xx', status: 503, body: 'html' },
				{ field: 'updateNetworkVolume' },
			);
		const result = await run({
			resource: 'networkVolume',
			operation: 'update',
			networkVolumeId: byId(oldTwin.id),
			updateFields: { size: 20 },
		});
		expect(result.error?.message).toBe('RunPod is unavailable right now (HTTP 503)');
		expect(result.error?.description).toMatch(/may have carried out the request/);
	});
});
