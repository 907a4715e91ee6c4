/**
 * n8n's own "Retry On Fail": when one item fails, n8n runs the whole node again for every item.
 * Whatever an earlier run of the same execution already created must be found and returned
 * (marked `recovered`), never rented or created a second time.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { graphqlOnly, json, runRunPodNode, speakTestApi } from './harness';

const GPU = 'NVIDIA GeForce RTX 4090';
const UNKNOWN_GPU = 'NVIDIA Imaginary 9000';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 23 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.setStock(GPU, { secure: 50, community: 50 });
});

async function runWithRetry(
	parameters: IDataObject,
	items: IDataObject[],
	extra: { executionId?: string; continueOnFail?: boolean } = {},
) {
	return await runRunPodNode({
		parameters,
		items,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
		retryOnFail: { maxTries: 3 },
		...extra,
	});
}

function podParameters(operation: 'create' | 'createSpot'): IDataObject {
	return {
		resource: 'pod',
		operation,
		name: '={{ $json.name }}',
		imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
		gpuTypeId: '={{ $json.gpu }}',
		gpuCount: 1,
		cloudType: 'SECURE',
		containerDiskInGb: 20,
		volumeInGb: 0,
	};
}

const okThenUnknownGpu = [
	{ name: 'ok', gpu: GPU },
	{ name: 'bad', gpu: UNKNOWN_GPU },
];

function creates(field: string): number {
	return sandbox.requests.filter((r) => r.fields.includes(field)).length;
}

describe('Pod → Create with Retry On Fail, items [ok, unknown GPU]', () => {
	test('exactly one pod is rented and billed; the failure is the unknown GPU of item 1', async () => {
		const result = await runWithRetry(podParameters('create'), okThenUnknownGpu);
		expect(result.error?.message).toMatch(/does not know the GPU type "NVIDIA Imaginary 9000"/);
		expect(sandbox.state.pods).toHaveLength(1);
		expect(sandbox.state.pods[0]).toMatchObject({ name: 'ok', desiredStatus: 'RUNNING' });
		const rentsOfKnownGpu = sandbox.requests.filter(
			(r) =>
				r.fields.includes('podFindAndDeployOnDemand') &&
				(r.variables.input as IDataObject).gpuTypeId === GPU,
		);
		expect(rentsOfKnownGpu).toHaveLength(1);
	});

	test('with an execution id (as in a saved workflow) too', async () => {
		const result = await runWithRetry(podParameters('create'), okThenUnknownGpu, {
			executionId: '4711',
		});
		expect(result.error).toBeDefined();
		expect(sandbox.state.pods).toHaveLength(1);
	});

	test('when the rerun succeeds (Continue On Fail), item 0 is the pod of the first run, marked recovered', async () => {
		// n8n also reruns a node whose first output item carries an error.
		const items = [
			{ name: 'bad', gpu: UNKNOWN_GPU },
			{ name: 'ok', gpu: GPU },
		];
		const result = await runWithRetry(podParameters('create'), items, { continueOnFail: true });
		const [bad, ok] = json(result);
		expect(bad.error).toMatch(/does not know/);
		expect(ok).toMatchObject({ name: 'ok', recovered: true, id: sandbox.state.pods[0].id });
		expect(sandbox.state.pods).toHaveLength(1);
	});

	test('separate executions of the same workflow each rent their own pod', async () => {
		await runWithRetry(podParameters('create'), [{ name: 'first', gpu: GPU }], {
			executionId: '1',
		});
		const [second] = json(
			await runWithRetry(podParameters('create'), [{ name: 'second', gpu: GPU }], {
				executionId: '2',
			}),
		);
		expect(second.recovered).toBeUndefined();
		expect(sandbox.state.pods.map((p) => p.name).sort()).toEqual(['first', 'second']);
		// Two manual runs without an execution id are separate runs as well.
		await runWithRetry(podParameters('create'), [{ name: 'third', gpu: GPU }]);
		await runWithRetry(podParameters('create'), [{ name: 'fourth', gpu: GPU }]);
		expect(sandbox.state.pods).toHaveLength(4);
	});
});

graphqlOnly('Pod → Create Spot with Retry On Fail rents one spot pod', async () => {
	const result = await runWithRetry(
		{ ...podParameters('createSpot'), bidPerGpu: 0 },
		okThenUnknownGpu,
	);
	expect(result.error?.message).toMatch(/does not know the GPU type/);
	expect(sandbox.state.pods).toHaveLength(1);
	expect(creates('podRentInterruptable')).toBe(1);
});

describe('Template → Create with Retry On Fail', () => {
	const parameters = {
		resource: 'template',
		operation: 'create',
		name: '={{ $json.name }}',
		imageName: '={{ $json.image }}',
		containerDiskInGb: 10,
		volumeInGb: 0,
	};

	test('a bad input in item 1 stops the node before item 0 creates anything', async () => {
		const result = await runWithRetry(parameters, [
			{ name: 'kept', image: 'ubuntu:22.04' },
			{ name: 'broken', image: 'not an image' },
		]);
		expect(result.error?.message).toMatch(/Image/);
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(creates('saveTemplate')).toBe(0);
	});

	test("RunPod's refusal of item 1: item 0's template is created once and named in the error", async () => {
		const first = await runWithRetry(parameters, [{ name: 'taken', image: 'ubuntu:22.04' }]);
		expect(first.error).toBeUndefined();
		sandbox.requests.length = 0;
		const result = await runWithRetry(parameters, [
			{ name: 'kept', image: 'ubuntu:22.04' },
			{ name: 'taken', image: 'ubuntu:24.04' },
		]);
		expect(result.error?.message).toMatch(/already exists/);
		const kept = sandbox.state.templates.filter((t) => t.name === 'kept');
		expect(kept).toHaveLength(1);
		expect(creates('saveTemplate')).toBe(1);
		expect(result.error?.description).toContain(`template ${kept[0].id} (item 0)`);
	});
});

describe('Network Volume → Create with Retry On Fail', () => {
	const parameters = {
		resource: 'networkVolume',
		operation: 'create',
		name: '={{ $json.name }}',
		size: '={{ $json.size }}',
		dataCenterId: '={{ $json.dc }}',
	};

	test('a bad input in item 1 stops the node before item 0 creates anything', async () => {
		const result = await runWithRetry(parameters, [
			{ name: 'models', size: 10, dc: 'EU-RO-1' },
			{ name: 'too-big', size: 999999, dc: 'EU-RO-1' },
		]);
		expect(result.error?.message).toMatch(/Size/);
		expect(creates('createNetworkVolume')).toBe(0);
		expect(sandbox.state.networkVolumes.filter((v) => v.name === 'models')).toHaveLength(0);
	});

	test("RunPod's refusal of item 1: item 0's volume is created once and named in the error", async () => {
		const result = await runWithRetry(parameters, [
			{ name: 'models', size: 10, dc: 'EU-RO-1' },
			{ name: 'nowhere', size: 10, dc: 'XX-NOPE-9' },
		]);
		expect(result.error).toBeDefined();
		const models = sandbox.state.networkVolumes.filter((v) => v.name === 'models');
		expect(models).toHaveLength(1);
		expect(creates('createNetworkVolume')).toBe(3 + 1);
		expect(result.error?.description).toContain(`network volume ${models[0].id} (item 0)`);
	});
});

describe('Endpoint → Create with Retry On Fail, items [ok, unknown template]', () => {
	function endpointParameters(): IDataObject {
		return {
			resource: 'endpoint',
			operation: 'create',
			name: '={{ $json.name }}',
			workerSource: 'template',
			templateId: { __rl: true, mode: 'id', value: '={{ $json.template }}' },
			gpuPools: ['ADA_24'],
		};
	}

	beforeEach(() => {
		sandbox.state.templates.push({
			id: 'tplrerun01',
			name: 'rerun-worker',
			imageName: 'runpod/worker:1.0',
			containerDiskInGb: 10,
			volumeInGb: 0,
			volumeMountPath: '/runpod-volume',
			dockerArgs: '',
			env: [],
			ports: '',
			isServerless: true,
			isPublic: false,
			startSsh: false,
			startJupyter: false,
			readme: '',
			containerRegistryAuthId: null,
		});
	});

	const items = [
		{ name: 'kept', template: 'tplrerun01' },
		{ name: 'broken', template: 'nosuchtpl' },
	];

	test("the endpoint is created once, and the failure is item 1's, not 'already exists'", async () => {
		const result = await runWithRetry(endpointParameters(), items);
		expect(result.error?.message).not.toMatch(/already exists/);
		expect(result.error?.message).toMatch(/not found/i);
		expect(result.error?.context?.itemIndex).toBe(1);
		expect((sandbox.state.endpoints ?? []).filter((e) => e.name === 'kept')).toHaveLength(1);
	});

	test('with Continue On Fail, the endpoint of the first run comes back marked recovered', async () => {
		// n8n also reruns a node whose first output item carries an error.
		const result = await runWithRetry(endpointParameters(), [...items].reverse(), {
			continueOnFail: true,
		});
		const [broken, kept] = json(result);
		expect(kept).toMatchObject({ name: 'kept', recovered: true });
		expect(kept.id).toBe((sandbox.state.endpoints ?? []).find((e) => e.name === 'kept')?.id);
		expect(broken.error).toBeDefined();
		expect((sandbox.state.endpoints ?? []).filter((e) => e.name === 'kept')).toHaveLength(1);
	});
});
