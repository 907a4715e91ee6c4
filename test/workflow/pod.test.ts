/** The Pod resource, run through n8n's executor against the RunPod sandbox. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import {
	ON_REST,
	byId,
	graphqlOnly,
	json,
	mutationsSent,
	restOnly,
	runRunPodNode,
	speakTestApi,
} from './harness';
import type { RunResult } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 7, bootDelayMs: 150 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

const GPU = 'NVIDIA GeForce RTX 4090';

function credentials(apiKey = sandbox.apiKey) {
	return { apiKey, baseUrl: sandbox.url };
}

function createParameters(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'pod',
		operation: 'create',
		name: 'n8n-test',
		imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
		gpuTypeId: GPU,
		gpuCount: 1,
		cloudType: 'SECURE',
		containerDiskInGb: 20,
		volumeInGb: 20,
		volumeMountPath: '/workspace',
		additionalFields: {
			ports: {
				port: [
					{ number: 8888, protocol: 'http' },
					{ number: 22, protocol: 'tcp' },
				],
			},
			env: { variable: [{ name: 'JUPYTER_PASSWORD', value: 'secret' }] },
		},
		...overrides,
	};
}

async function run(
	parameters: IDataObject,
	options: {
		items?: IDataObject[];
		apiKey?: string;
		continueOnFail?: boolean;
		errorOutput?: boolean;
	} = {},
) {
	return await runRunPodNode({
		parameters,
		items: options.items,
		credentials: credentials(options.apiKey),
		continueOnFail: options.continueOnFail,
		errorOutput: options.errorOutput,
	});
}

/** Asks the sandbox directly, as RunPod's console would show it. */
async function podsInAccount(): Promise<IDataObject[]> {
	const response = await fetch(`${sandbox.url}/graphql`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
		body: JSON.stringify({
			query: '{ myself { pods { id name desiredStatus gpuCount podType env } } }',
		}),
	});
	const body = (await response.json()) as { data: { myself: { pods: IDataObject[] } } };
	return body.data.myself.pods;
}

async function createPod(overrides: IDataObject = {}): Promise<IDataObject> {
	const result = await run(createParameters(overrides));
	expect(result.error).toBeUndefined();
	return json(result)[0];
}

async function waitUntilBooted(): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, 250));
}

describe('Pod → Create', () => {
	test('rents an on-demand pod with the Bearer key and returns what downstream nodes chain on', async () => {
		const result = await run(createParameters());
		expect(result.error).toBeUndefined();
		const [pod] = json(result);
		expect(pod).toMatchObject({
			name: 'n8n-test',
			status: 'STARTING',
			podType: 'on-demand',
			gpuType: GPU,
			gpuCount: 1,
			proxyUrls: { '8888': `https://${pod.id as string}-8888.proxy.runpod.net` },
		});
		expect(pod.costPerHr).toBeGreaterThan(0);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });

		const request = sandbox.requests.find((r) => r.fields.includes('podFindAndDeployOnDemand'));
		expect(request?.headers.authorization).toMatch(/^Bearer /);
		expect(request?.variables).toEqual({
			input: expect.objectContaining({
				gpuTypeId: GPU,
				gpuCount: 1,
				cloudType: 'SECURE',
				ports: '8888/http,22/tcp',
				env: expect.arrayContaining([{ key: 'JUPYTER_PASSWORD', value: 'secret' }]),
			}),
		});
		expect(JSON.stringify(request?.variables)).not.toMatch(/stopAfter|terminateAfter/);
		expect(await podsInAccount()).toEqual([
			expect.objectContaining({ id: pod.id, desiredStatus: 'RUNNING' }),
		]);
	});

	test('Cloud Type Any with no Secure capacity rents in Community Cloud (on REST v2 by trying both, and saying so)', async () => {
		sandbox.setStock(GPU, { secure: 0, community: 3 });
		const result = await run(createParameters({ cloudType: 'ALL' }));
		expect(result.error).toBeUndefined();
		const [pod] = json(result);
		expect(pod).toMatchObject({ gpuType: GPU, status: 'STARTING' });
		expect(sandbox.state.pods).toEqual([
			expect.objectContaining({ id: pod.id, cloud: 'COMMUNITY' }),
		]);
		if (ON_REST) {
			expect(pod.notes).toEqual([
				'Cloud Type Any does not exist on REST v2: the node tried Secure Cloud (no capacity), then Community Cloud',
			]);
			expect(mutationsSent(sandbox.requests)).toEqual([
				'podFindAndDeployOnDemand',
				'podFindAndDeployOnDemand',
			]);
		} else {
			expect(pod.notes).toBeUndefined();
			expect(mutationsSent(sandbox.requests)).toEqual(['podFindAndDeployOnDemand']);
		}
	});

	test('each item is created with its own parameters, one request per item', async () => {
		const result = await run(
			createParameters({ name: '={{ $json.podName }}', gpuCount: '={{ $json.gpus }}' }),
			{
				items: [
					{ podName: 'a', gpus: 1 },
					{ podName: 'b', gpus: 2 },
					{ podName: 'c', gpus: 1 },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(json(result).map((p) => [p.name, p.gpuCount])).toEqual([
			['a', 1],
			['b', 2],
			['c', 1],
		]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(mutationsSent(sandbox.requests)).toEqual([
			'podFindAndDeployOnDemand',
			'podFindAndDeployOnDemand',
			'podFindAndDeployOnDemand',
		]);
		expect((await podsInAccount()).map((p) => p.name).sort()).toEqual(['a', 'b', 'c']);
	});

	test.each([
		[{ gpuCount: 0 }, 'GPU Count: expected a whole number from 1 to 8, got 0'],
		[{ imageName: '   ' }, 'Image: is empty'],
		// An expression that hands over the whole item, not one of its fields.
		[{ imageName: '={{ $json }}' }, 'Image: expected text, got an object'],
		// Placement given an object must not be dropped: the pod would be rented anywhere, or without its volume.
		[
			{ additionalFields: { dataCenterId: '={{ $json }}' } },
			'Data Center Name or ID: expected text, got an object',
		],
		[
			{ additionalFields: { networkVolumeId: '={{ [$json] }}' } },
			'Network Volume: expected text, got a list',
		],
		[
			{ additionalFields: { dockerArgs: '={{ $json }}' } },
			'Docker Arguments: expected text, got an object',
		],
		[
			{ additionalFields: { ports: { port: [{ number: '88x8', protocol: 'http' }] } } },
			'Ports (entry 1): "88x8" is not a port',
		],
		[
			{ additionalFields: { env: { variable: [{ name: 'BAD-NAME', value: '1' }] } } },
			'Environment Variables (entry 1): "BAD-NAME" is not a valid variable name',
		],
		[
			{ additionalFields: { env: { variable: [{ name: 'N8N_RUNPOD_CREATE_ID', value: 'x' }] } } },
			'Environment Variables (entry 1): "N8N_RUNPOD_CREATE_ID" is reserved by this node',
		],
		[
			{ additionalFields: { allowedCudaVersions: '12.4, 11.0' } },
			'Allowed CUDA Versions: unknown version "11.0"',
		],
		[{ additionalFields: { startSsh: 'yes' } }, 'Start SSH: expected true or false, got "yes"'],
		// A network volume needs a lookup, but only after every parameter has been checked.
		[
			{ maxCostPerHour: -1, additionalFields: { networkVolumeId: 'vol0000001' } },
			'Max Cost Per Hour (USD): expected a number of at least 0, got -1',
		],
		[
			{
				waitUntilReady: true,
				waitOptions: { timeoutMinutes: 0 },
				additionalFields: { networkVolumeId: 'vol0000001' },
			},
			'Timeout (Minutes): expected a number from 0.001 to 60, got 0',
		],
	])(
		'bad input %j is refused before any request, naming the parameter and the item',
		async (overrides, message) => {
			const result = await run(createParameters(overrides), { items: [{}, {}] });
			expect(result.error?.message).toBe(message);
			expect(result.error?.description).toBeTruthy();
			expect((result.error?.context as IDataObject | undefined)?.itemIndex).toBe(0);
			expect(sandbox.requests).toHaveLength(0);
		},
	);

	test("no capacity: RunPod's own message, and a description that says what to try", async () => {
		sandbox.setStock(GPU, { secure: 0, community: 0 });
		const result = await run(createParameters());
		expect(result.error?.message).toBe(
			'There are no longer any instances available with the requested specifications. Please refresh and try again.',
		);
		expect(result.error?.description).toMatch(/another GPU type.*Cloud Type to Any/s);
		expect(await podsInAccount()).toEqual([]);
	});

	test('continueOnFail: a failing item carries its error and the others go on', async () => {
		const result = await run(createParameters({ gpuTypeId: '={{ $json.gpu }}' }), {
			items: [{ gpu: GPU }, { gpu: 'NVIDIA Imaginary 9000' }, { gpu: GPU }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		const out = json(result);
		expect(out).toHaveLength(3);
		// Just rented: RunPod is still starting it.
		expect(out[0].status).toBe('STARTING');
		// RunPod answers "no capacity" for an unknown GPU type; the node checks the catalog and says what it is.
		expect(out[1].error).toBe('RunPod does not know the GPU type "NVIDIA Imaginary 9000"');
		expect(out[1].description).toMatch(/GPU Type → Get Many/);
		expect(out[2].status).toBe('STARTING');
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('On Error → error output: a failed item leaves on the error output with its reason, the others on the success output', async () => {
		const result = await run(createParameters({ gpuTypeId: '={{ $json.gpu }}' }), {
			items: [{ gpu: GPU }, { gpu: 'NVIDIA Imaginary 9000' }, { gpu: GPU }],
			errorOutput: true,
		});
		expect(result.error).toBeUndefined();
		expect(json(result).map((pod) => pod.status)).toEqual(['STARTING', 'STARTING']);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(result.errorItems).toHaveLength(1);
		expect(result.errorItems[0].json.error).toBe(
			'RunPod does not know the GPU type "NVIDIA Imaginary 9000"',
		);
		expect(result.errorItems[0].json.details).toMatch(/GPU Type → Get Many/);
		expect(result.errorItems[0].pairedItem).toEqual({ item: 1 });
	});

	test('text full of GraphQL syntax travels as variables and comes back unchanged', async () => {
		const hostile = 'x"}) { id } mutation { podTerminate(input:{podId:"y"}) } # ✨\n{';
		const pod = await createPod({
			name: hostile,
			additionalFields: {
				env: { variable: [{ name: 'NOTE', value: hostile }] },
				dockerArgs: hostile,
			},
		});
		expect(pod.name).toBe(hostile);
		const [stored] = await podsInAccount();
		expect(stored.env).toContain(`NOTE=${hostile}`);
	});

	test('once booted, Get shows the public IP, port mappings and an SSH command', async () => {
		const created = await createPod();
		expect(created.sshCommand).toBeNull();
		await waitUntilBooted();
		const [pod] = json(
			await run({ resource: 'pod', operation: 'get', podId: byId(created.id as string) }),
		);
		expect(pod.publicIp).toEqual(expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/));
		expect(pod.sshCommand).toMatch(
			new RegExp(`^ssh root@${String(pod.publicIp).replace(/\./g, '\\.')} -p \\d+`),
		);
		expect(pod.portMappings).toEqual(
			expect.arrayContaining([expect.objectContaining({ privatePort: 22, isIpPublic: true })]),
		);
		expect(pod.uptimeSeconds).toEqual(expect.any(Number));
	});
});

describe('Pod → Get / Get Many', () => {
	test("Get with Simplify off returns RunPod's full object plus connection details", async () => {
		const created = await createPod();
		const [pod] = json(
			await run({
				resource: 'pod',
				operation: 'get',
				podId: byId(created.id as string),
				simplify: false,
			}),
		);
		// Each API's own object, unchanged.
		if (ON_REST)
			expect(pod).toMatchObject({
				id: created.id,
				status: expect.any(String),
				gpu: { id: GPU, count: 1 },
				actions: expect.any(Array),
			});
		else
			expect(pod).toMatchObject({
				id: created.id,
				desiredStatus: 'RUNNING',
				machine: expect.any(Object),
			});
		expect(pod.connection).toMatchObject({ proxyUrls: { '8888': expect.any(String) } });
	});

	test('Get accepts a pasted proxy URL', async () => {
		const created = await createPod();
		const result = await run({
			resource: 'pod',
			operation: 'get',
			podId: {
				__rl: true,
				mode: 'url',
				value: `https://${created.id as string}-8888.proxy.runpod.net/lab`,
			},
		});
		expect(json(result)[0].id).toBe(created.id);
	});

	test('Get of an unknown pod says so clearly', async () => {
		const result = await run({ resource: 'pod', operation: 'get', podId: byId('doesnotexist00') });
		expect(result.error?.message).toBe('The pod "doesnotexist00" was not found');
		expect(result.error?.description).toMatch(/Get Many/);
	});

	// Issue 18, item 9: a booting pod reads STARTING, and one that never gets up (image pull loop,
	// crash loop) bills by the hour with an uptime of 0. A cost guard must see it, and its age.
	test('Get Many "Billed (Starting or Running)" finds a pod stuck starting for hours, with its time since the last start', async () => {
		const HOUR_MS = 3600 * 1000;
		const up = await createPod({ name: 'up-for-2-hours' });
		const stuck = await createPod({ name: 'stuck-pulling-image' });
		const stopped = await createPod({ name: 'idle' });
		await run({ resource: 'pod', operation: 'stop', podId: byId(stopped.id as string) });
		const record = (id: unknown) => sandbox.state.pods.find((pod) => pod.id === id)!;
		const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR_MS).toISOString();
		// Created a day ago; one restarted 2 hours ago and is up, one restarted 13 hours ago.
		record(up.id).createdAt = hoursAgo(24);
		record(up.id).lastStartedAt = hoursAgo(2);
		record(up.id).readyAtMs = Date.now() - 2 * HOUR_MS + 60_000;
		// Started 13 hours ago and never up: no runtime, so no uptime.
		record(stuck.id).createdAt = hoursAgo(24);
		record(stuck.id).lastStartedAt = hoursAgo(13);
		record(stuck.id).readyAtMs = Date.now() + 1000 * HOUR_MS;

		const billed = json(
			await run({
				resource: 'pod',
				operation: 'getAll',
				returnAll: true,
				filters: { status: ['BILLED'] },
			}),
		);
		expect(billed.map((p) => p.name).sort()).toEqual(['stuck-pulling-image', 'up-for-2-hours']);
		const byName = Object.fromEntries(billed.map((p) => [p.name as string, p]));
		expect(byName['stuck-pulling-image']).toMatchObject({ status: 'STARTING', uptimeSeconds: 0 });
		const hours = (p: IDataObject) => (p.secondsSinceStart as number) / 3600;
		expect(hours(byName['stuck-pulling-image'])).toBeGreaterThanOrEqual(13);
		expect(hours(byName['stuck-pulling-image'])).toBeLessThan(14);
		expect(hours(byName['up-for-2-hours'])).toBeGreaterThanOrEqual(2);
		expect(hours(byName['up-for-2-hours'])).toBeLessThan(3);

		// A stopped pod bills no GPU time: it has no time since start.
		const [idle] = json(
			await run({ resource: 'pod', operation: 'get', podId: byId(stopped.id as string) }),
		);
		expect(idle).toMatchObject({ status: 'EXITED', secondsSinceStart: null });
	});

	test('Get Many: one item per pod, filters and limit, in one request', async () => {
		await createPod({ name: 'worker-1' });
		await createPod({ name: 'worker-2' });
		const stopped = await createPod({ name: 'idle' });
		await run({ resource: 'pod', operation: 'stop', podId: byId(stopped.id as string) });
		sandbox.requests.length = 0;

		const all = json(await run({ resource: 'pod', operation: 'getAll', returnAll: true }));
		expect(all.map((p) => p.name).sort()).toEqual(['idle', 'worker-1', 'worker-2']);
		expect(sandbox.requests).toHaveLength(1);

		const running = json(
			await run({
				resource: 'pod',
				operation: 'getAll',
				returnAll: true,
				filters: { status: ['STARTING', 'RUNNING'], nameContains: 'WORKER' },
			}),
		);
		expect(running.map((p) => p.name).sort()).toEqual(['worker-1', 'worker-2']);
		// A filter given an object is refused, not dropped: an empty filter would match every pod,
		// and a Get Many feeding Stop or Terminate would then reach pods it was meant to spare.
		sandbox.requests.length = 0;
		const objectFilter = await run({
			resource: 'pod',
			operation: 'getAll',
			returnAll: true,
			filters: { nameContains: '={{ $json }}' },
		});
		expect(objectFilter.error?.message).toBe('Name Contains: expected text, got an object');
		expect(sandbox.requests).toHaveLength(0);
		const exited = json(
			await run({
				resource: 'pod',
				operation: 'getAll',
				returnAll: true,
				filters: { status: ['EXITED'] },
			}),
		);
		expect(exited.map((p) => p.name)).toEqual(['idle']);

		const limited = json(
			await run({ resource: 'pod', operation: 'getAll', returnAll: false, limit: 2 }),
		);
		expect(limited).toHaveLength(2);

		const byGpu = json(
			await run({
				resource: 'pod',
				operation: 'getAll',
				returnAll: true,
				filters: { gpuTypeId: 'RTX 4090' },
			}),
		);
		expect(byGpu).toHaveLength(3);
	});
});

describe('Pod → Stop / Resume / Terminate', () => {
	test('the full lifecycle, as RunPod reports it', async () => {
		const created = await createPod({ gpuCount: 2 });
		const id = created.id as string;

		const [stopped] = json(await run({ resource: 'pod', operation: 'stop', podId: byId(id) }));
		expect(stopped).toMatchObject({ id, status: 'EXITED' });

		sandbox.requests.length = 0;
		const [resumed] = json(await run({ resource: 'pod', operation: 'resume', podId: byId(id) }));
		expect(resumed).toMatchObject({ id, status: 'STARTING' });
		const resume = sandbox.requests.find((r) => r.fields.includes('podResume'));
		// GraphQL needs the GPU count to resume; REST's start action takes none.
		if (ON_REST) expect(resume?.body).toEqual({ action: 'start' });
		else expect(resume?.variables).toEqual({ input: { podId: id, gpuCount: 2 } });

		const terminated = await run({ resource: 'pod', operation: 'terminate', podId: byId(id) });
		expect(json(terminated)).toEqual([{ id, terminated: true }]);
		expect(await podsInAccount()).toEqual([]);
	});

	test('terminating a pod that is already gone is reported clearly', async () => {
		const created = await createPod();
		await run({ resource: 'pod', operation: 'terminate', podId: byId(created.id as string) });
		const again = await run({
			resource: 'pod',
			operation: 'terminate',
			podId: byId(created.id as string),
		});
		expect(again.error?.message).toBe(
			`The pod "${created.id as string}" does not exist: it may already be terminated`,
		);
		expect(again.error?.description).toMatch(/Nothing was deleted/);
	});

	test("resume on a full host passes RunPod's message with advice", async () => {
		const created = await createPod();
		await run({ resource: 'pod', operation: 'stop', podId: byId(created.id as string) });
		sandbox.setStock(GPU, { secure: 0, community: 0 });
		const result = await run({
			resource: 'pod',
			operation: 'resume',
			podId: byId(created.id as string),
		});
		expect(result.error?.message).toBe(
			'There are not enough free GPUs on the host machine to start this pod.',
		);
		expect(result.error?.description).toMatch(/no free GPUs/);
	});
});

/** RunPod's current spot floor for one RTX 4090 in Secure Cloud, as the sandbox quotes it. */
async function secureSpotFloor(): Promise<number> {
	const response = await fetch(`${sandbox.url}/graphql`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
		body: JSON.stringify({
			query:
				'query ($id: String) { gpuTypes(input: { id: $id }) { lowestPrice(input: { gpuCount: 1, secureCloud: true }) { minimumBidPrice } } }',
			variables: { id: GPU },
		}),
	});
	const body = (await response.json()) as {
		data: { gpuTypes: Array<{ lowestPrice: { minimumBidPrice: number } }> };
	};
	return body.data.gpuTypes[0].lowestPrice.minimumBidPrice;
}

describe('Pod → Create Spot', () => {
	restOnly(
		'REST v2 has no spot pods: Create Spot fails before anything is sent, naming the alternatives',
		async () => {
			const result = await run({ ...createParameters(), operation: 'createSpot', bidPerGpu: 0 });
			expect(result.error?.message).toBe(
				"Spot (interruptible) pods is not offered by RunPod's REST API v2",
			);
			expect(result.error?.description).toMatch(
				/Pod → Create for an on-demand pod, or switch the RunPod API credential to GraphQL/,
			);
			expect(sandbox.requests).toEqual([]);
		},
	);

	graphqlOnly(
		'a bid of 0 bids the current minimum plus a margin; resume goes through podBidResume',
		async () => {
			const result = await run({ ...createParameters(), operation: 'createSpot', bidPerGpu: 0 });
			expect(result.error).toBeUndefined();
			const [pod] = json(result);
			expect(pod.podType).toBe('spot');
			const create = sandbox.requests.find((r) => r.fields.includes('podRentInterruptable'));
			const floor = await secureSpotFloor();
			expect((create?.variables.input as IDataObject).bidPerGpu).toBe(
				Math.ceil(floor * 1.1 * 1000) / 1000,
			);

			sandbox.interruptSpotPod(pod.id as string);
			sandbox.requests.length = 0;
			const resumed = await run({
				resource: 'pod',
				operation: 'resume',
				podId: byId(pod.id as string),
				bidPerGpu: 5,
			});
			expect(resumed.error).toBeUndefined();
			expect(json(resumed)[0].status).toBe('STARTING');
			const bidResume = sandbox.requests.find((r) => r.fields.includes('podBidResume'));
			expect(bidResume?.variables).toEqual({ input: { podId: pod.id, gpuCount: 1, bidPerGpu: 5 } });
		},
	);

	graphqlOnly(
		"a bid below RunPod's minimum is refused by RunPod and nothing is rented",
		async () => {
			const result = await run({
				...createParameters(),
				operation: 'createSpot',
				bidPerGpu: 0.001,
			});
			expect(result.error?.message).toMatch(
				/bid of \$0\.001\/hr per GPU is below the current minimum bid/,
			);
			expect(await podsInAccount()).toEqual([]);
		},
	);
});

describe('keys and permissions', () => {
	test('a read-only key: RunPod refuses, the node says the key needs write access', async () => {
		const result = await run(createParameters(), { apiKey: sandbox.readOnlyApiKey });
		// GraphQL answers "Unauthorized" with HTTP 200; REST v2 answers 403 (the key lacks the scope).
		expect(result.error?.message).toBe(
			ON_REST ? 'The API key may not do this (HTTP 403)' : 'Unauthorized',
		);
		expect(result.error?.description).toMatch(/Read\/Write (permission|access)/);
	});

	test('an unknown key: HTTP 401 becomes a clear credential error', async () => {
		const result = await run(
			{ resource: 'pod', operation: 'getAll', returnAll: true },
			{ apiKey: 'rpa_not_a_real_key' },
		);
		expect(result.error?.message).toBe('RunPod rejected the API key (HTTP 401)');
	});

	test('the API key never appears in outputs, errors or the stored run', async () => {
		const secretKey = 'rpa_SECRET_KEY_4f7b2c9e';
		const failures: RunResult[] = [
			await run(createParameters(), { apiKey: secretKey }),
			await run(
				{ resource: 'pod', operation: 'get', podId: byId('nope') },
				{ apiKey: secretKey, continueOnFail: true },
			),
		];
		for (const result of failures) {
			const stored = JSON.stringify({
				run: result.run,
				error: result.error,
				description: result.error?.description,
			});
			expect(stored).not.toContain(secretKey);
		}
		expect(JSON.stringify(sandbox.requests)).not.toContain(secretKey);
	});
});
