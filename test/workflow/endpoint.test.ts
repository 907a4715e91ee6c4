/** The Endpoint resource through n8n's executor, on the sandbox's GraphQL face and its job face. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEMO_ENDPOINT_ID } from '../../sandbox/serverless/endpoints';
import { TEST_API, byId, json, mutationsSent, runRunPodNode } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 21, serverless: { coldStartMs: 10 } });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

// The workflow tests run once per API (jest projects): this file follows the project's API.
const api = TEST_API;

async function run(parameters: IDataObject, options: { items?: IDataObject[] } = {}) {
	return await runRunPodNode({
		parameters: { resource: 'endpoint', ...parameters },
		items: options.items,
		credentials: {
			apiKey: sandbox.apiKey,
			baseUrl: sandbox.url,
			serverlessBaseUrl: sandbox.url,
			api,
		},
	});
}

/** What changed endpoints: GraphQL mutations, or REST writes. */
function writesSent(): string[] {
	if (api === 'graphql') return mutationsSent(sandbox.requests);
	return sandbox.requests
		.filter((r) => r.api === 'rest' && r.method !== 'GET')
		.flatMap((r) => r.fields);
}

function seedServerlessTemplate(): string {
	sandbox.state.templates.push({
		id: 'tplsls0001',
		name: 'sdxl-worker',
		imageName: 'runpod/worker-sdxl:1.0',
		containerDiskInGb: 20,
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
	return 'tplsls0001';
}

describe(`on ${TEST_API}`, () => {
	test('lifecycle: create from a template, get, get many, update, delete with scale to zero', async () => {
		const templateId = seedServerlessTemplate();
		const created = await run({
			operation: 'create',
			name: 'sdxl',
			workerSource: 'template',
			templateId: byId(templateId),
			gpuPools: ['ADA_24', 'AMPERE_48'],
			additionalFields: {
				workersMax: 4,
				workersMin: 1,
				idleTimeoutSeconds: 30,
				scalerType: 'REQUEST_COUNT',
				scalerValue: 2,
				executionTimeoutSeconds: 120,
				excludedGpuTypes: ['NVIDIA RTX A6000'],
				dataCenterIds: ['EU-RO-1'],
			},
		});
		expect(created.error).toBeUndefined();
		const [endpoint] = json(created);
		// REST v2 applies a template once and does not report it, nor an idle timeout beside Request Count.
		expect(endpoint).toMatchObject({
			name: 'sdxl',
			templateId: api === 'graphql' ? templateId : null,
			gpuPools: ['ADA_24', 'AMPERE_48'],
			excludedGpuTypes: ['NVIDIA RTX A6000'],
			workersMin: 1,
			workersMax: 4,
			idleTimeoutSeconds: api === 'graphql' ? 30 : null,
			scalerType: 'REQUEST_COUNT',
			scalerValue: 2,
			executionTimeoutMs: 120000,
			flashBoot: true,
			dataCenterIds: ['EU-RO-1'],
			consoleUrl: `https://console.runpod.io/serverless/user/endpoint/${endpoint.id}`,
		});
		expect((endpoint.requestUrls as IDataObject).runsync).toBe(
			`${sandbox.url}/v2/${endpoint.id}/runsync`,
		);
		const id = endpoint.id as string;
		expect(sandbox.state.endpoints!.find((e) => e.id === id)?.gpuIds).toBe(
			'ADA_24,AMPERE_48,-NVIDIA RTX A6000',
		);

		expect(json(await run({ operation: 'get', endpointId: byId(id) }))[0]).toMatchObject({
			id,
			name: 'sdxl',
		});
		expect(json(await run({ operation: 'getAll', returnAll: true })).map((e) => e.name)).toEqual([
			'sandbox-echo',
			'sdxl',
		]);
		expect(
			json(
				await run({ operation: 'getAll', returnAll: true, filters: { nameContains: 'SDX' } }),
			).map((e) => e.id),
		).toEqual([id]);

		// An update changes what it names and keeps the rest, although RunPod's save is not a patch.
		const updated = await run({
			operation: 'update',
			endpointId: byId(id),
			updateFields: { workersMax: 6 },
		});
		expect(json(updated)[0]).toMatchObject({
			workersMax: 6,
			workersMin: 1,
			scalerType: 'REQUEST_COUNT',
			scalerValue: 2,
			gpuPools: ['ADA_24', 'AMPERE_48'],
			dataCenterIds: ['EU-RO-1'],
		});

		sandbox.requests.length = 0;
		const refused = await run({ operation: 'delete', endpointId: byId(id) });
		expect(refused.error?.message).toBe(
			'Scale to Zero First: the endpoint "sdxl" still has workers (min 1, max 6)',
		);
		expect(writesSent()).toEqual([]);

		const deleted = await run({
			operation: 'delete',
			endpointId: byId(id),
			scaleToZeroFirst: true,
		});
		expect(json(deleted)[0]).toMatchObject({ id, deleted: true, scaledToZeroFirst: true });
		expect(writesSent()).toEqual(
			api === 'graphql' ? ['saveEndpoint', 'deleteEndpoint'] : ['updateEndpoint', 'deleteEndpoint'],
		);
		expect(sandbox.state.endpoints!.map((e) => e.id)).toEqual([DEMO_ENDPOINT_ID]);
		// GraphQL deletes the template the endpoint is bound to; REST bound a copy of it.
		expect(sandbox.state.templates.some((t) => t.id === templateId)).toBe(api === 'restV2');
	});

	test('create from an image: RunPod makes a bound template with the environment', async () => {
		const created = await run({
			operation: 'create',
			name: 'whisper',
			workerSource: 'image',
			imageName: 'runpod/worker-faster_whisper:1.0',
			containerDiskInGb: 15,
			env: { variable: [{ name: 'MODEL', value: 'large-v3' }] },
			gpuPools: ['AMPERE_16'],
		});
		expect(created.error).toBeUndefined();
		const template = sandbox.state.templates.find(
			(t) => t.imageName === 'runpod/worker-faster_whisper:1.0',
		);
		expect(template).toMatchObject({
			imageName: 'runpod/worker-faster_whisper:1.0',
			isServerless: true,
			env: [{ key: 'MODEL', value: 'large-v3' }],
		});
		expect(json(created)[0].imageName).toBe('runpod/worker-faster_whisper:1.0');
	});

	test('a duplicate name and bad settings are refused before anything is created', async () => {
		const duplicate = await run({
			operation: 'create',
			name: 'sandbox-echo',
			workerSource: 'image',
			imageName: 'x/y:1',
			gpuPools: ['ADA_24'],
		});
		expect(duplicate.error?.message).toBe(
			`Name: an endpoint called "sandbox-echo" already exists (${DEMO_ENDPOINT_ID})`,
		);
		const badWorkers = await run({
			operation: 'create',
			name: 'n',
			workerSource: 'image',
			imageName: 'x/y:1',
			gpuPools: ['ADA_24'],
			additionalFields: { workersMin: 5, workersMax: 2 },
		});
		expect(badWorkers.error?.message).toBe('Min Workers (5) is above Max Workers (2)');
		const noPools = await run({
			operation: 'create',
			name: 'n',
			workerSource: 'image',
			imageName: 'x/y:1',
			gpuPools: [],
		});
		expect(noPools.error?.message).toBe('GPU Pools: choose at least one');
		expect(writesSent()).toEqual([]);
	});
});

test('Get Health shows the queue and the workers, unhealthy ones included', async () => {
	await runRunPodNode({
		parameters: {
			resource: 'job',
			operation: 'run',
			mode: 'wait',
			endpointId: byId(DEMO_ENDPOINT_ID),
			input: '{"crashWorker": true, "sleepMs": 1}',
			options: { passThroughFailed: true },
		},
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, serverlessBaseUrl: sandbox.url },
	});
	const health = await run({ operation: 'getHealth', endpointId: byId(DEMO_ENDPOINT_ID) });
	expect(json(health)[0]).toMatchObject({
		endpointId: DEMO_ENDPOINT_ID,
		jobs: { failed: 1, inQueue: 0 },
		workers: { unhealthy: 1 },
	});
});

test('an endpoint that does not exist is named', async () => {
	const result = await run({ operation: 'get', endpointId: byId('nope123') });
	expect(result.error?.message).toBe('The endpoint "nope123" was not found');
});
