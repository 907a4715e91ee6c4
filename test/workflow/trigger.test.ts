/**
 * RunPod Trigger: every event polled through n8n-core's PollContext against the sandbox, with
 * the static data kept between polls the way n8n keeps it.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { byId, json, runRunPodNode } from './harness';
import { Poller } from './trigger-harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 13 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

const RTX_4090 = 'NVIDIA GeForce RTX 4090';
const H100 = 'NVIDIA H100 80GB HBM3';

type Api = 'graphql' | 'restV2';

/** The API the trigger's credential chooses in the block running now (set by eachApi). */
let currentApi: Api = 'graphql';

/** Runs a block of tests once with a GraphQL credential and once with a REST v2 one. */
function eachApi(title: string, tests: (api: Api) => void) {
	describe.each<Api>(['graphql', 'restV2'])(`${title} (%s)`, (api) => {
		beforeAll(() => {
			currentApi = api;
		});
		tests(api);
	});
}

function credentials(api: Api = currentApi) {
	return { apiKey: sandbox.apiKey, baseUrl: sandbox.url, api };
}

function trigger(parameters: IDataObject, api: Api = currentApi) {
	return new Poller(parameters, credentials(api));
}

async function podOperation(operation: string, parameters: IDataObject): Promise<IDataObject> {
	// Test set-up goes through GraphQL, whatever API the trigger uses: both faces share one state.
	const result = await runRunPodNode({
		parameters: { resource: 'pod', operation, ...parameters },
		credentials: credentials('graphql'),
	});
	expect(result.error).toBeUndefined();
	return json(result)[0];
}

async function createPod(name: string, gpuTypeId = RTX_4090): Promise<IDataObject> {
	return await podOperation('create', {
		name,
		imageName: 'ubuntu:22.04',
		gpuTypeId,
		gpuCount: 1,
		cloudType: 'SECURE',
	});
}

const stopPod = async (id: unknown) => await podOperation('stop', { podId: byId(String(id)) });
const resumePod = async (id: unknown) => await podOperation('resume', { podId: byId(String(id)) });
const terminatePod = async (id: unknown) =>
	await podOperation('terminate', { podId: byId(String(id)) });

/** Both attempts of one poll fail with a gateway error (the trigger tries each request twice). */
function failNextPoll() {
	sandbox.faults.next({ kind: 'http5xx', status: 503, body: 'html' });
	sandbox.faults.next({ kind: 'http5xx', status: 503, body: 'html' });
}

eachApi('RunPod Trigger → Pod Status Changed', (api) => {
	test('the first poll records the pods and starts nothing, however many there are', async () => {
		await createPod('a');
		await createPod('b');
		const poller = trigger({ event: 'podStatusChanged' });
		expect(await poller.expectPoll()).toBeNull();
		expect(Object.keys((poller.nodeState?.state ?? {}) as IDataObject)).toHaveLength(2);
		// Nothing changed since: still nothing.
		expect(await poller.expectPoll()).toBeNull();
	});

	test('a stopped pod gives one item with previous and new status and what to act on, once', async () => {
		const pod = await createPod('worker-1');
		const poller = trigger({ event: 'podStatusChanged' });
		await poller.expectPoll();
		await stopPod(pod.id);

		const items = await poller.expectPoll();
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({
			event: 'podStatusChanged',
			id: pod.id,
			name: 'worker-1',
			previousStatus: 'RUNNING',
			status: 'EXITED',
			gpuType: RTX_4090,
			gpuCount: 1,
			// GraphQL keeps the pod's price; REST v2 reports what it costs now, 0 once stopped.
			costPerHr: api === 'graphql' ? pod.costPerHr : 0,
			podType: 'on-demand',
			imageName: 'ubuntu:22.04',
		});
		// RunPod's own note on the change exists on GraphQL only.
		if (api === 'graphql') expect(items![0].lastStatusChange).toMatch(/^Exited by User/);
		else expect(items![0].lastStatusChange).toBeNull();
		for (const field of ['createdAt', 'lastStartedAt', 'detectedAt']) {
			expect(Number.isNaN(Date.parse(String(items![0][field])))).toBe(false);
		}
		expect(await poller.expectPoll()).toBeNull();
	});

	test('one item per pod when several change between two polls, none for the pods that did not', async () => {
		const a = await createPod('a');
		const b = await createPod('b');
		await createPod('c');
		const poller = trigger({ event: 'podStatusChanged' });
		await poller.expectPoll();
		await stopPod(a.id);
		await stopPod(b.id);
		const items = await poller.expectPoll();
		expect(items!.map((item) => item.id).sort()).toEqual([a.id, b.id].sort());
	});

	test('the status and name filters choose which changes start the workflow; the state still follows every pod', async () => {
		const worker = await createPod('train-worker');
		const other = await createPod('notebook');
		const poller = trigger({
			event: 'podStatusChanged',
			podFilters: { statuses: ['EXITED'], nameContains: 'WORKER' },
		});
		await poller.expectPoll();

		await stopPod(other.id); // name does not match
		expect(await poller.expectPoll()).toBeNull();
		await stopPod(worker.id);
		expect((await poller.expectPoll())!.map((item) => item.id)).toEqual([worker.id]);
		await resumePod(worker.id); // RUNNING is not a chosen status
		expect(await poller.expectPoll()).toBeNull();
		await stopPod(worker.id); // …but the resume was recorded, so this stop is new
		expect((await poller.expectPoll())!.map((item) => [item.previousStatus, item.status])).toEqual([
			['RUNNING', 'EXITED'],
		]);
	});

	test('a terminated pod is a change to TERMINATED with its last known fields', async () => {
		const pod = await createPod('short-lived');
		const poller = trigger({ event: 'podStatusChanged' });
		await poller.expectPoll();
		await terminatePod(pod.id);
		const items = await poller.expectPoll();
		expect(items).toEqual([
			expect.objectContaining({
				id: pod.id,
				name: 'short-lived',
				previousStatus: 'RUNNING',
				status: 'TERMINATED',
			}),
		]);
		expect(await poller.expectPoll()).toBeNull();
	});

	test('a pod stopped and resumed between two polls is still reported (it started again since the last poll)', async () => {
		const pod = await createPod('flaky');
		const poller = trigger({ event: 'podStatusChanged' });
		await poller.expectPoll();
		await stopPod(pod.id);
		await resumePod(pod.id);
		const items = await poller.expectPoll();
		expect(items).toEqual([
			expect.objectContaining({ id: pod.id, previousStatus: 'RUNNING', status: 'RUNNING' }),
		]);
		if (api === 'graphql') expect(items![0].lastStatusChange).toMatch(/^Rented by User/);
	});

	test('a failed poll says what happened, changes no state, and the next good poll catches up', async () => {
		const pod = await createPod('worker');
		const poller = trigger({ event: 'podStatusChanged' });
		await poller.expectPoll();
		const stateBefore = JSON.stringify(poller.staticData);

		await stopPod(pod.id);
		failNextPoll();
		const failed = await poller.poll();
		expect(failed.items).toBeNull();
		expect(failed.error?.message).toMatch(/503/);
		expect(`${failed.error?.message} ${failed.error?.description ?? ''}`).not.toContain(
			sandbox.apiKey,
		);
		expect(JSON.stringify(poller.staticData)).toBe(stateBefore);

		const items = await poller.expectPoll();
		expect(items).toEqual([
			expect.objectContaining({ id: pod.id, previousStatus: 'RUNNING', status: 'EXITED' }),
		]);
	});

	test('Fetch Test Event returns the latest pod as a sample and leaves the state where it was', async () => {
		await createPod('older');
		await new Promise((resolve) => setTimeout(resolve, 20));
		const newest = await createPod('newest');
		const poller = trigger({ event: 'podStatusChanged' });

		const sample = await poller.expectPoll('manual');
		expect(sample).toEqual([
			expect.objectContaining({
				id: newest.id,
				name: 'newest',
				status: 'RUNNING',
				sample: true,
				sampleFrom: 'account',
			}),
		]);
		expect(poller.nodeState ?? {}).toEqual({});

		// Activation after the test fetch still starts with a silent first poll.
		expect(await poller.expectPoll()).toBeNull();
		const seeded = JSON.stringify(poller.staticData);
		await stopPod(newest.id);
		await poller.expectPoll('manual');
		expect(JSON.stringify(poller.staticData)).toBe(seeded);
		expect(await poller.expectPoll()).toEqual([
			expect.objectContaining({ id: newest.id, status: 'EXITED' }),
		]);
	});

	test('Fetch Test Event on an account without pods returns an example marked as such', async () => {
		const sample = await trigger({ event: 'podStatusChanged' }).expectPoll('manual');
		expect(sample).toEqual([
			expect.objectContaining({
				sample: true,
				sampleFrom: 'example',
				status: 'EXITED',
				previousStatus: 'RUNNING',
			}),
		]);
	});

	test('one request per poll', async () => {
		await createPod('a');
		const poller = trigger({ event: 'podStatusChanged' });
		sandbox.requests.length = 0;
		await poller.expectPoll();
		await poller.expectPoll();
		expect(sandbox.requests).toHaveLength(2);
	});
});

eachApi('RunPod Trigger → Pod Created / Pod Terminated', () => {
	test('Pod Created: the pods that were not there at the last poll, with their fields, once', async () => {
		await createPod('existing');
		const poller = trigger({ event: 'podCreated', podFilters: { nameContains: 'new' } });
		expect(await poller.expectPoll()).toBeNull();
		const created = await createPod('new-pod');
		await createPod('unrelated');
		const items = await poller.expectPoll();
		expect(items).toEqual([
			expect.objectContaining({
				event: 'podCreated',
				id: created.id,
				name: 'new-pod',
				previousStatus: null,
				status: 'RUNNING',
				costPerHr: created.costPerHr,
			}),
		]);
		expect(await poller.expectPoll()).toBeNull();
	});

	test('Pod Terminated: the pods gone since the last poll, with their last known fields, once', async () => {
		const a = await createPod('a');
		const b = await createPod('b');
		const poller = trigger({ event: 'podTerminated' });
		await poller.expectPoll();
		await stopPod(b.id);
		expect(await poller.expectPoll()).toBeNull(); // stopping is not terminating
		await terminatePod(a.id);
		await terminatePod(b.id);
		const items = await poller.expectPoll();
		expect(items!.map((item) => [item.id, item.previousStatus, item.status]).sort()).toEqual(
			[
				[a.id, 'RUNNING', 'TERMINATED'],
				[b.id, 'EXITED', 'TERMINATED'],
			].sort(),
		);
		expect(await poller.expectPoll()).toBeNull();
	});

	test('the first poll never reports existing pods as created', async () => {
		await createPod('a');
		await createPod('b');
		expect(await trigger({ event: 'podCreated' }).expectPoll()).toBeNull();
	});
});

eachApi('RunPod Trigger → GPU Available', () => {
	const h100 = {
		event: 'gpuAvailable',
		gpuSelection: 'type',
		gpuTypeId: byId(H100),
		cloudType: 'ALL',
		gpuCount: 1,
		maxPricePerHr: 3,
	};

	test('fires when the GPU comes into stock within the price, not again while it stays, again after it left', async () => {
		sandbox.setStock(H100, { secure: 0, community: 0 });
		const poller = trigger(h100);
		expect(await poller.expectPoll()).toBeNull();
		expect(await poller.expectPoll()).toBeNull();

		sandbox.setStock(H100, { secure: 4 });
		const items = await poller.expectPoll();
		expect(items).toEqual([
			expect.objectContaining({
				event: 'gpuAvailable',
				gpuTypeId: H100,
				cloudType: 'SECURE',
				gpuCount: 1,
				pricePerHr: 2.69,
				maxPricePerHr: 3,
			}),
		]);
		expect(items![0].stockStatus).toEqual(expect.any(String));
		expect(await poller.expectPoll()).toBeNull();

		sandbox.setStock(H100, { secure: 0 });
		expect(await poller.expectPoll()).toBeNull();
		sandbox.setStock(H100, { secure: 2 });
		expect(await poller.expectPoll()).toHaveLength(1);
	});

	test('the price counts: in stock above Max Price does not fire, dropping under it does', async () => {
		sandbox.setStock(H100, { secure: 4, community: 0 });
		sandbox.setPrice(H100, { securePrice: 3.5 });
		const poller = trigger(h100);
		await poller.expectPoll();
		expect(await poller.expectPoll()).toBeNull();
		sandbox.setPrice(H100, { securePrice: 2.5 });
		expect(await poller.expectPoll()).toEqual([
			expect.objectContaining({ gpuTypeId: H100, pricePerHr: 2.5 }),
		]);
	});

	test('Max Price is for all the GPUs of the count, and the cloud choice is respected', async () => {
		sandbox.setStock(H100, { secure: 0, community: 0 });
		const poller = trigger({ ...h100, gpuCount: 2, maxPricePerHr: 5, cloudType: 'COMMUNITY' });
		await poller.expectPoll();
		sandbox.setStock(H100, { secure: 8 }); // the wrong cloud
		expect(await poller.expectPoll()).toBeNull();
		sandbox.setStock(H100, { community: 8 });
		expect(await poller.expectPoll()).toEqual([
			expect.objectContaining({
				cloudType: 'COMMUNITY',
				gpuCount: 2,
				pricePerHr: 4.78,
				pricePerGpuPerHr: 2.39,
			}),
		]);
	});

	test('any GPU with at least N GB: each GPU type that comes in fires on its own', async () => {
		const big = ['NVIDIA H100 80GB HBM3', 'NVIDIA A100-SXM4-80GB'];
		const poller = trigger({
			event: 'gpuAvailable',
			gpuSelection: 'minMemory',
			minMemoryInGb: 80,
			cloudType: 'SECURE',
			gpuCount: 1,
			maxPricePerHr: 100,
		});
		for (const id of big) sandbox.setStock(id, { secure: 0 });
		await poller.expectPoll();
		for (const id of big) sandbox.setStock(id, { secure: 3 });
		const items = await poller.expectPoll();
		expect(items!.map((item) => item.gpuTypeId).sort()).toEqual([...big].sort());
		expect(items!.every((item) => (item.memoryInGb as number) >= 80)).toBe(true);
		// Sorted cheapest first, for "rent the first one".
		expect((items![0].pricePerHr as number) <= (items![1].pricePerHr as number)).toBe(true);
	});

	test('already available at activation: the first poll records it and fires nothing', async () => {
		sandbox.setStock(H100, { secure: 4 });
		const poller = trigger(h100);
		expect(await poller.expectPoll()).toBeNull();
		expect(await poller.expectPoll()).toBeNull();
	});

	test('changing the settings starts over with a silent poll', async () => {
		sandbox.setStock(H100, { secure: 0, community: 0 });
		const poller = trigger(h100);
		await poller.expectPoll();
		sandbox.setStock(H100, { secure: 4 });
		const changed = new Poller({ ...h100, maxPricePerHr: 2.8 }, credentials());
		changed.staticData = poller.staticData;
		expect(await changed.expectPoll()).toBeNull();
	});

	test('Fetch Test Event returns the current offer as a sample without moving the state', async () => {
		sandbox.setStock(H100, { secure: 0, community: 0 });
		const poller = trigger(h100);
		await poller.expectPoll();
		sandbox.setStock(H100, { secure: 4 });
		const sample = await poller.expectPoll('manual');
		expect(sample).toEqual([
			expect.objectContaining({ gpuTypeId: H100, pricePerHr: 2.69, sample: true }),
		]);
		// The real poll still sees the change.
		expect(await poller.expectPoll()).toHaveLength(1);
	});

	test('bad settings are refused before any request', async () => {
		sandbox.requests.length = 0;
		const outcome = await trigger({ ...h100, maxPricePerHr: 0 }).poll();
		expect(outcome.error?.message).toBe(
			'Max Price Per Hour (USD): expected a number of at least 0.01, got 0',
		);
		const noGpu = await trigger({ ...h100, gpuTypeId: byId(' ') }).poll();
		expect(noGpu.error?.message).toBe('GPU Type: is empty');
		expect(sandbox.requests).toHaveLength(0);
	});
});

eachApi('RunPod Trigger → Spend Rate Above', () => {
	test('fires on the crossing, not on every poll above, and again after coming back down', async () => {
		const poller = trigger({ event: 'spendRateAbove', spendThreshold: 1 });
		const a = await createPod('a'); // 0.69/hr
		expect(await poller.expectPoll()).toBeNull();
		await createPod('b'); // 1.38/hr
		const items = await poller.expectPoll();
		expect(items).toEqual([
			expect.objectContaining({
				event: 'spendRateAbove',
				spendPerHr: 1.38,
				previousSpendPerHr: 0.69,
				thresholdPerHr: 1,
				runningPodCount: 2,
			}),
		]);
		await createPod('c');
		expect(await poller.expectPoll()).toBeNull(); // still above
		await stopPod(a.id);
		await stopPod((await createPod('d')).id);
		expect(await poller.expectPoll()).toBeNull(); // 1.38: still above
		const pods = json(
			await runRunPodNode({
				parameters: { resource: 'pod', operation: 'getAll', returnAll: true },
				credentials: credentials('graphql'),
			}),
		);
		for (const pod of pods.filter((p) => p.status === 'RUNNING')) await stopPod(pod.id);
		expect(await poller.expectPoll()).toBeNull(); // back below: re-armed
		await resumePod(a.id);
		await createPod('e');
		expect(await poller.expectPoll()).toHaveLength(1);
	});

	test('above the threshold at activation: nothing until it has come down and crossed again', async () => {
		await createPod('a');
		await createPod('b');
		const poller = trigger({ event: 'spendRateAbove', spendThreshold: 1 });
		expect(await poller.expectPoll()).toBeNull();
		expect(await poller.expectPoll()).toBeNull();
	});

	test('Fetch Test Event shows the current spend as a sample', async () => {
		await createPod('a');
		const poller = trigger({ event: 'spendRateAbove', spendThreshold: 5 });
		expect(await poller.expectPoll('manual')).toEqual([
			expect.objectContaining({ spendPerHr: 0.69, thresholdPerHr: 5, sample: true }),
		]);
		expect(poller.nodeState ?? {}).toEqual({});
	});
});

describe('RunPod Trigger → Balance Below', () => {
	function setBalance(usd: number) {
		sandbox.state.account.clientBalance = usd;
		sandbox.state.account.balanceSettledAtMs = Date.now();
	}

	test('fires when the balance drops below the line, once, and again after a top-up', async () => {
		setBalance(50);
		const poller = trigger({ event: 'balanceBelow', balanceThreshold: 10 }, 'graphql');
		expect(await poller.expectPoll()).toBeNull();
		setBalance(8);
		expect(await poller.expectPoll()).toEqual([
			expect.objectContaining({
				event: 'balanceBelow',
				balance: 8,
				previousBalance: 50,
				threshold: 10,
			}),
		]);
		setBalance(5);
		expect(await poller.expectPoll()).toBeNull();
		setBalance(40); // top-up
		expect(await poller.expectPoll()).toBeNull();
		setBalance(9);
		expect(await poller.expectPoll()).toHaveLength(1);
	});

	test('on REST v2 it says it is not available and why, before any request', async () => {
		sandbox.requests.length = 0;
		const poller = trigger({ event: 'balanceBelow', balanceThreshold: 10 }, 'restV2');
		const outcome = await poller.poll();
		expect(outcome.error?.message).toBe(
			"Balance Below is not available on REST v2: RunPod's REST API v2 has no account balance",
		);
		expect(outcome.error?.description).toMatch(/GraphQL/);
		expect(outcome.error?.description).toMatch(/Spend Rate Above/);
		expect(sandbox.requests).toHaveLength(0);
		expect(poller.nodeState ?? {}).toEqual({});
	});
});

describe('a published trigger and credential edits (one poll context, as n8n keeps per activation)', () => {
	const restPodLists = () =>
		sandbox.requests.filter(
			(request) => request.method === 'GET' && request.path?.split('?')[0] === '/v2/pods',
		).length;
	const graphqlPodLists = () =>
		sandbox.requests.filter((request) => /query ListPods/.test(String(request.query ?? ''))).length;

	test('switching the credential to REST v2 reaches the next poll, which records anew and fires nothing', async () => {
		const stopped = await createPod('was-stopped');
		await stopPod(stopped.id);
		const running = await createPod('keeps-running');
		// Only the trigger's lists count: a pod Create also looks for its marker (one list).
		const setupLists = { graphql: graphqlPodLists(), rest: restPodLists() };
		const poller = new Poller(
			{ event: 'podStatusChanged' },
			{ apiKey: sandbox.apiKey, baseUrl: sandbox.url, api: 'graphql' },
			{ oneContext: true },
		);
		expect(await poller.expectPoll()).toBeNull();
		expect(graphqlPodLists() - setupLists.graphql).toBe(1);

		poller.credentials.api = 'restV2';
		// No burst of EXITED → EXITED for pods that did not change.
		expect(await poller.expectPoll()).toBeNull();
		expect(restPodLists() - setupLists.rest).toBe(1);
		expect(graphqlPodLists() - setupLists.graphql).toBe(1);

		await stopPod(running.id);
		expect(await poller.expectPoll()).toEqual([
			expect.objectContaining({ id: running.id, previousStatus: 'RUNNING', status: 'EXITED' }),
		]);
		expect(restPodLists() - setupLists.rest).toBe(2);

		// And back to GraphQL: recorded anew again, nothing fired.
		poller.credentials.api = 'graphql';
		expect(await poller.expectPoll()).toBeNull();
		expect(graphqlPodLists() - setupLists.graphql).toBe(2);
	});

	test('a rotated key and a new Base URL reach the next poll', async () => {
		const poller = new Poller(
			{ event: 'podStatusChanged' },
			{ apiKey: sandbox.apiKey, baseUrl: sandbox.url, api: currentApi },
			{ oneContext: true },
		);
		expect((await poller.poll()).error).toBeUndefined();
		poller.credentials.apiKey = 'rpa_revoked_key';
		expect((await poller.poll()).error?.message).toMatch(/key/i);
		poller.credentials.apiKey = sandbox.apiKey;
		poller.credentials.baseUrl = 'http://127.0.0.1:9';
		expect((await poller.poll()).error?.message).toMatch(/ECONNREFUSED|connect/i);
	});
});
