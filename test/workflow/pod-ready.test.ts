/** Issue 7: pods that are ready when the workflow goes on — wait, GPU fallback, cost guard, volume placement. */
import type { IDataObject } from 'n8n-workflow';

import { maxPolls } from '../../nodes/RunPod/actions/pod/waitForPod';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { ON_REST, byId, json, runRunPodNode, speakTestApi, warmUpRest } from './harness';

const GPU = 'NVIDIA GeForce RTX 4090';
const FALLBACK = 'NVIDIA RTX A6000';
const BOOT_MS = 600;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 11, bootDelayMs: BOOT_MS });
	speakTestApi(sandbox);
	await warmUpRest(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function run(parameters: IDataObject, items?: IDataObject[]) {
	return await runRunPodNode({
		parameters,
		items,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

async function graphql(query: string, variables: IDataObject = {}): Promise<IDataObject> {
	const response = await fetch(`${sandbox.url}/graphql`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
		body: JSON.stringify({ query, variables }),
	});
	return ((await response.json()) as { data: IDataObject }).data;
}

async function pods(): Promise<IDataObject[]> {
	const data = (await graphql(
		'{ myself { pods { id name desiredStatus gpuCount networkVolumeId machine { gpuTypeId dataCenterId secureCloud } } } }',
	)) as {
		myself: { pods: IDataObject[] };
	};
	return data.myself.pods;
}

function create(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'pod',
		operation: 'create',
		name: 'ready-test',
		imageName: 'runpod/pytorch:2.4.0',
		gpuSelection: 'single',
		gpuTypeId: GPU,
		gpuCount: 1,
		cloudType: 'SECURE',
		containerDiskInGb: 10,
		volumeInGb: 0,
		volumeMountPath: '/workspace',
		additionalFields: {
			ports: {
				port: [
					{ number: 8888, protocol: 'http' },
					{ number: 22, protocol: 'tcp' },
				],
			},
		},
		...overrides,
	};
}

function podReads(): number {
	return sandbox.requests.filter((r) => r.fields.includes('pod')).length;
}

describe('Wait Until Ready', () => {
	test('Create waits until the pod runs with its ports mapped, then outputs the connection details', async () => {
		const waitOptions = { timeoutMinutes: 0.5, pollIntervalSeconds: 0.2 };
		const result = await run(create({ waitUntilReady: true, waitOptions }));
		expect(result.error).toBeUndefined();
		const [pod] = json(result);
		expect(pod.status).toBe('RUNNING');
		expect(pod.publicIp).toEqual(expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/));
		expect(pod.sshCommand).toMatch(/^ssh root@/);
		expect(pod.waitedSeconds).toBeGreaterThanOrEqual(BOOT_MS / 1000 - 0.1);
		// Starts fast and backs off: the number of status checks is bounded by the schedule.
		expect(podReads()).toBeGreaterThanOrEqual(1);
		expect(podReads()).toBeLessThanOrEqual(maxPolls({ timeoutMs: 30_000, initialIntervalMs: 200 }));
		expect(podReads()).toBeLessThanOrEqual(6);
	});

	test('a timeout fails the item with the pod id and says it is still billed', async () => {
		const result = await run(
			create({
				waitUntilReady: true,
				waitOptions: { timeoutMinutes: 0.005, pollIntervalSeconds: 0.1 },
			}),
		);
		const [stored] = await pods();
		expect(result.error?.message).toMatch(
			new RegExp(`^The pod "${stored.id as string}" was not ready after 0\\.[3-9] seconds$`),
		);
		expect(result.error?.description).toMatch(/still running and billed at \$[\d.]+\/hour/);
		expect(stored.desiredStatus).toBe('RUNNING');
		expect(podReads()).toBeLessThanOrEqual(maxPolls({ timeoutMs: 300, initialIntervalMs: 100 }));
	});

	test('on timeout, the pod is terminated when the user asked for it', async () => {
		const result = await run(
			create({
				waitUntilReady: true,
				waitOptions: { timeoutMinutes: 0.005, pollIntervalSeconds: 0.1, onTimeout: 'terminate' },
			}),
		);
		expect(result.error?.message).toMatch(
			/was not ready after 0\.[3-9] seconds, so it was terminated/,
		);
		expect(await pods()).toEqual([]);
	});

	test('the Wait operation waits for stopped and for terminated', async () => {
		const [created] = json(await run(create()));
		const ref = byId(created.id as string);
		await run({ resource: 'pod', operation: 'stop', podId: ref });
		const stopped = await run({
			resource: 'pod',
			operation: 'wait',
			podId: ref,
			waitFor: 'stopped',
			waitOptions: { pollIntervalSeconds: 0.1 },
		});
		expect(json(stopped)[0]).toMatchObject({ id: created.id, status: 'EXITED' });

		await run({ resource: 'pod', operation: 'terminate', podId: ref });
		const gone = await run({
			resource: 'pod',
			operation: 'wait',
			podId: ref,
			waitFor: 'terminated',
			waitOptions: { pollIntervalSeconds: 0.1 },
		});
		expect(json(gone)[0]).toMatchObject({ id: created.id, terminated: true });
	});

	test('Resume can wait until ready too', async () => {
		const [created] = json(await run(create()));
		const ref = byId(created.id as string);
		await run({ resource: 'pod', operation: 'stop', podId: ref });
		const resumed = await run({
			resource: 'pod',
			operation: 'resume',
			podId: ref,
			waitUntilReady: true,
			waitOptions: { timeoutMinutes: 0.5, pollIntervalSeconds: 0.2 },
		});
		expect(resumed.error).toBeUndefined();
		expect(json(resumed)[0]).toMatchObject({ status: 'RUNNING', publicIp: expect.any(String) });
	});
});

describe('GPU fallback', () => {
	test("on RunPod's capacity error the next GPU type is tried, and the output lists every attempt", async () => {
		sandbox.setStock(GPU, { secure: 0, community: 0 });
		const result = await run(
			create({
				gpuSelection: 'fallback',
				fallbackGpuTypes: {
					gpu: [{ gpuTypeId: 'NVIDIA Made Up 1000' }, { gpuTypeId: GPU }, { gpuTypeId: FALLBACK }],
				},
			}),
		);
		expect(result.error).toBeUndefined();
		const [pod] = json(result);
		expect(pod.gpuType).toBe(FALLBACK);
		expect(pod.gpuAttempts).toEqual([
			{ gpuTypeId: 'NVIDIA Made Up 1000', cloudType: 'SECURE', outcome: 'unknown GPU type' },
			{ gpuTypeId: GPU, cloudType: 'SECURE', outcome: 'no capacity' },
			{ gpuTypeId: FALLBACK, cloudType: 'SECURE', outcome: 'created' },
		]);
		expect(await pods()).toHaveLength(1);
		// The catalog is read once to tell an unknown GPU type from a shortage.
		expect(sandbox.requests.filter((r) => r.fields.includes('gpuTypes'))).toHaveLength(1);
	});

	test('an unknown GPU type in the list is skipped on both APIs, and REST v2 is never asked to rent it', async () => {
		const result = await run(
			create({
				gpuSelection: 'fallback',
				fallbackGpuTypes: { gpu: [{ gpuTypeId: 'NVIDIA Made Up 1000' }, { gpuTypeId: GPU }] },
			}),
		);
		expect(result.error).toBeUndefined();
		const [pod] = json(result);
		expect(pod.gpuType).toBe(GPU);
		expect(pod.gpuAttempts).toEqual([
			{ gpuTypeId: 'NVIDIA Made Up 1000', cloudType: 'SECURE', outcome: 'unknown GPU type' },
			{ gpuTypeId: GPU, cloudType: 'SECURE', outcome: 'created' },
		]);
		expect(await pods()).toHaveLength(1);
		// REST v2 refuses an unknown GPU type (400): the node knows the catalog and does not send it.
		const rest = sandbox.requests.filter((r) => r.api === 'rest');
		expect(rest.filter((r) => r.status >= 400)).toEqual([]);
		expect(
			rest
				.filter((r) => r.operationName === 'createPod')
				.map((r) => (r.body as { gpu: { id: string } }).gpu.id),
		).toEqual(ON_REST ? [GPU] : []);
	});

	test('Widen to Any Cloud tries the other cloud before the next GPU type', async () => {
		sandbox.setStock(GPU, { secure: 0, community: 5 });
		const result = await run(
			create({
				gpuSelection: 'fallback',
				widenCloudType: true,
				fallbackGpuTypes: { gpu: [{ gpuTypeId: GPU }, { gpuTypeId: FALLBACK }] },
			}),
		);
		const [pod] = json(result);
		expect(pod.gpuType).toBe(GPU);
		expect((pod.gpuAttempts as IDataObject[]).map((a) => [a.cloudType, a.outcome])).toEqual([
			['SECURE', 'no capacity'],
			['ALL', 'created'],
		]);
	});

	test('when nothing has capacity, nothing is rented and every attempt is named', async () => {
		sandbox.setStock(GPU, { secure: 0, community: 0 });
		sandbox.setStock(FALLBACK, { secure: 0, community: 0 });
		const result = await run(
			create({
				gpuSelection: 'fallback',
				fallbackGpuTypes: { gpu: [{ gpuTypeId: GPU }, { gpuTypeId: FALLBACK }] },
			}),
		);
		expect(result.error?.message).toBe('Nothing was rented: none of the GPU types had capacity');
		expect(result.error?.description).toContain(`${GPU} (SECURE): no capacity`);
		expect(result.error?.description).toContain(`${FALLBACK} (SECURE): no capacity`);
		expect(await pods()).toEqual([]);
	});

	test('one unknown GPU type is named as such, not reported as a shortage', async () => {
		const result = await run(create({ gpuTypeId: 'NVIDIA GeForce RTX 9999' }));
		expect(result.error?.message).toBe(
			'RunPod does not know the GPU type "NVIDIA GeForce RTX 9999"',
		);
	});
});

describe('Cheapest in Stock', () => {
	async function cheapestExpected(minVram: number, cloud: 'SECURE' | 'COMMUNITY' | 'ALL') {
		const data = (await graphql(
			`
				query ($s: GpuLowestPriceInput, $c: GpuLowestPriceInput) {
					gpuTypes {
						id
						memoryInGb
						s: lowestPrice(input: $s) {
							uninterruptablePrice
							stockStatus
						}
						c: lowestPrice(input: $c) {
							uninterruptablePrice
							stockStatus
						}
					}
				}
			`,
			{ s: { gpuCount: 1, secureCloud: true }, c: { gpuCount: 1, secureCloud: false } },
		)) as {
			gpuTypes: Array<{
				id: string;
				memoryInGb: number;
				s: IDataObject | null;
				c: IDataObject | null;
			}>;
		};
		const offers = data.gpuTypes
			.filter((g) => g.id !== 'unknown' && g.memoryInGb >= minVram)
			.flatMap((g) => [
				...(cloud !== 'COMMUNITY' && g.s?.stockStatus
					? [{ id: g.id, price: g.s.uninterruptablePrice as number }]
					: []),
				...(cloud !== 'SECURE' && g.c?.stockStatus
					? [{ id: g.id, price: g.c.uninterruptablePrice as number }]
					: []),
			])
			.sort((a, b) => a.price - b.price || a.id.localeCompare(b.id));
		return offers[0];
	}

	test('rents the cheapest GPU type in stock with enough memory', async () => {
		const expected = await cheapestExpected(24, 'ALL');
		const result = await run(create({ gpuSelection: 'cheapest', minVramGb: 24, cloudType: 'ALL' }));
		expect(result.error).toBeUndefined();
		const [pod] = json(result);
		expect(pod.gpuType).toBe(expected.id);
		expect(pod.costPerHr).toBeCloseTo(expected.price, 5);
	});

	test('skips a GPU type whose stock just ran out and takes the next cheapest', async () => {
		const first = await cheapestExpected(40, 'SECURE');
		sandbox.setStock(first.id, { secure: 0 });
		const second = await cheapestExpected(40, 'SECURE');
		expect(second.id).not.toBe(first.id);
		const result = await run(
			create({ gpuSelection: 'cheapest', minVramGb: 40, cloudType: 'SECURE' }),
		);
		expect(json(result)[0].gpuType).toBe(second.id);
	});

	test('nothing in stock within the price: a clear refusal and nothing rented', async () => {
		const result = await run(
			create({ gpuSelection: 'cheapest', minVramGb: 80, cloudType: 'SECURE', maxCostPerHour: 0.5 }),
		);
		expect(result.error?.message).toBe(
			'Nothing was rented: no GPU type with 80 GB or more is in stock within $0.5/hour',
		);
		expect(await pods()).toEqual([]);
	});
});

describe('Max Cost Per Hour', () => {
	test('refuses a create above the limit before anything is rented', async () => {
		const result = await run(create({ gpuCount: 2, maxCostPerHour: 1 }));
		expect(result.error?.message).toBe(
			'Nothing was rented: no GPU type fits Max Cost Per Hour ($1)',
		);
		expect(await pods()).toEqual([]);
		expect(sandbox.requests.some((r) => r.fields.includes('podFindAndDeployOnDemand'))).toBe(false);
	});

	// Issue 18, item 8: GraphQL's lowestPrice.uninterruptablePrice may be per GPU or for the whole
	// pod (public clients disagree). Until a live test settles it, the guard takes the larger
	// reading (the figure × GPU count), so a wrong guess refuses instead of overspending. REST v2's
	// contract says its price is per GPU, so its whole-pod price is settled.
	test('2 GPUs: on GraphQL the price is read the larger way (per GPU × 2); on REST v2 as its contract says', async () => {
		// RTX 4090 Secure: 0.69 per GPU. The sandbox quotes uninterruptablePrice 1.38 for 2 GPUs.
		const result = await run(create({ gpuCount: 2, maxCostPerHour: 2 }));
		if (ON_REST) {
			expect(result.error).toBeUndefined();
			expect(json(result)[0]).toMatchObject({ gpuCount: 2, costPerHr: 1.38 });
			return;
		}
		expect(result.error?.message).toBe(
			'Nothing was rented: no GPU type fits Max Cost Per Hour ($2)',
		);
		expect(result.error?.description).toMatch(/over budget at \$2\.76\/hour/);
		expect(result.error?.description).toMatch(/per GPU/);
		expect(result.error?.description).toMatch(/docs\/cost-guard\.md/);
		expect(await pods()).toEqual([]);
	});

	test('Cheapest in Stock with 2 GPUs: the same larger reading filters the candidates on GraphQL', async () => {
		// The cheapest 24 GB+ Secure GPU in the sandbox: RTX A5000 at 0.29 per GPU, 0.58 for 2.
		sandbox.setStock('NVIDIA RTX A5000', { secure: 8 });
		const result = await run(
			create({
				gpuSelection: 'cheapest',
				gpuCount: 2,
				minVramGb: 24,
				cloudType: 'SECURE',
				maxCostPerHour: 1,
			}),
		);
		if (ON_REST) {
			expect(result.error).toBeUndefined();
			expect(json(result)[0]).toMatchObject({ gpuType: 'NVIDIA RTX A5000', costPerHr: 0.58 });
			return;
		}
		// Read the larger way, 2 × 0.58 = $1.16/hour: above the limit, like every dearer GPU type.
		expect(result.error?.message).toBe(
			'Nothing was rented: no GPU type with 24 GB or more is in stock within $1/hour',
		);
		expect(result.error?.description).toMatch(/docs\/cost-guard\.md/);
		expect(await pods()).toEqual([]);
	});

	test('with Cloud Type Any the dearer cloud counts', async () => {
		// RTX 4090: secure 0.69, community 0.34 per GPU in the sandbox catalog.
		const anyCloud = await run(create({ cloudType: 'ALL', maxCostPerHour: 0.5 }));
		expect(anyCloud.error?.message).toMatch(/no GPU type fits Max Cost Per Hour/);
		const community = await run(create({ cloudType: 'COMMUNITY', maxCostPerHour: 0.5 }));
		expect(community.error).toBeUndefined();
	});

	test('follows live price changes', async () => {
		sandbox.setPrice(GPU, { securePrice: 2.5 });
		const result = await run(create({ maxCostPerHour: 1 }));
		expect(result.error?.description).toMatch(/at \$2\.5\/hour/);
	});

	test('with a fallback list, GPU types over budget are skipped', async () => {
		const result = await run(
			create({
				gpuSelection: 'fallback',
				maxCostPerHour: 0.6,
				fallbackGpuTypes: { gpu: [{ gpuTypeId: GPU }, { gpuTypeId: FALLBACK }] },
			}),
		);
		expect(result.error).toBeUndefined();
		const [pod] = json(result);
		expect(pod.gpuType).toBe(FALLBACK);
		expect((pod.gpuAttempts as IDataObject[])[0]).toMatchObject({
			gpuTypeId: GPU,
			outcome: 'over budget',
		});
	});
});

describe('network volume placement', () => {
	async function volume(dataCenterId: string): Promise<string> {
		const data = (await graphql(
			'mutation ($input: CreateNetworkVolumeInput) { createNetworkVolume(input: $input) { id } }',
			{
				input: { name: 'models', size: 50, dataCenterId },
			},
		)) as { createNetworkVolume: { id: string } };
		return data.createNetworkVolume.id;
	}

	test("pins the pod to the volume's data center and Secure Cloud", async () => {
		const id = await volume('EU-RO-1');
		const result = await run(
			create({ cloudType: 'ALL', additionalFields: { networkVolumeId: id } }),
		);
		expect(result.error).toBeUndefined();
		const sent = sandbox.requests.find((r) => r.fields.includes('podFindAndDeployOnDemand'));
		expect(sent?.variables.input).toMatchObject({
			networkVolumeId: id,
			dataCenterId: 'EU-RO-1',
			cloudType: 'SECURE',
		});
		expect((await pods())[0]).toMatchObject({
			networkVolumeId: id,
			machine: expect.objectContaining({ dataCenterId: 'EU-RO-1' }),
		});
	});

	test('explains a conflict with Community Cloud or another data center, before renting', async () => {
		const id = await volume('EU-RO-1');
		const community = await run(
			create({ cloudType: 'COMMUNITY', additionalFields: { networkVolumeId: id } }),
		);
		expect(community.error?.message).toBe(
			'Cloud Type: Community Cloud cannot attach a network volume',
		);
		const elsewhere = await run(
			create({ additionalFields: { networkVolumeId: id, dataCenterId: 'US-TX-3' } }),
		);
		expect(elsewhere.error?.message).toBe(
			"Data Center: US-TX-3 differs from the network volume's data center EU-RO-1",
		);
		expect(await pods()).toEqual([]);
	});
});
