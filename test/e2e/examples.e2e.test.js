'use strict';
// Runs the example workflows in a real n8n (`n8n execute`) against a fresh RunPod sandbox per
// test, and checks both what the workflow put out and what happened in the sandbox.
const { freePort } = require('../../scripts/lib/n8n-process');
const { createN8nInstance, itemsOf, errorOf } = require('./helpers/instance');
const { sandboxOnPort, createPod } = require('./helpers/sandbox');
const { example, withManualTrigger } = require('./helpers/workflows');

const HOUR_MS = 3600 * 1000;
const REST_CREDENTIAL = { id: 'RunPodCredentialRest', name: 'RunPod account (REST v2)' };

/** The lifecycle example on a credential whose API is REST v2: the same workflow, one field changed. */
function onRestV2(workflow) {
	const copy = structuredClone(workflow);
	copy.id = `${copy.id}Rest`;
	copy.name = `${copy.name} (REST v2)`;
	for (const node of copy.nodes) {
		if (node.credentials?.runPodApi) node.credentials.runPodApi = { ...REST_CREDENTIAL };
	}
	return copy;
}

let n8n;
let sandboxes;
let sandbox;

beforeAll(async () => {
	n8n = await createN8nInstance();
	sandboxes = sandboxOnPort(await freePort());
	const first = await sandboxes.start();
	await n8n.importCredential({ apiKey: first.apiKey, baseUrl: first.url });
	await n8n.importCredential({
		...REST_CREDENTIAL,
		apiKey: first.apiKey,
		baseUrl: first.url,
		api: 'restV2',
	});
	await sandboxes.stop();
	await n8n.importWorkflows([
		...['01-', '02-', '03-'].map((prefix) => withManualTrigger(example(prefix))),
		onRestV2(withManualTrigger(example('02-'))),
	]);
});

beforeEach(async () => {
	sandbox = await sandboxes.start();
});

afterEach(async () => {
	await sandboxes.stop();
});

afterAll(async () => {
	await sandboxes?.stop();
	await n8n?.dispose();
});

test('GPU price board: cheapest in-stock GPU types with at least 24 GB, cheapest first', async () => {
	// Make the answer unmistakable: a cheap 24 GB GPU, a cheaper but too small one, and a
	// cheap 48 GB GPU that is sold out everywhere.
	sandbox.setPrice('NVIDIA RTX A5000', { securePrice: 0.05, communityPrice: 0.04 });
	sandbox.setPrice('NVIDIA RTX A4000', { securePrice: 0.01, communityPrice: 0.01 });
	sandbox.setPrice('NVIDIA A40', { securePrice: 0.02, communityPrice: 0.02 });
	for (const dataCenterId of sandbox.state.gpuHosts['NVIDIA A40']) {
		sandbox.setStock('NVIDIA A40', { secure: 0, community: 0 }, dataCenterId);
	}

	const { code, run } = await n8n.execute('RunPodExample001');

	expect(code).toBe(0);
	const board = itemsOf(run, 'Price Board');
	expect(board.length).toBeGreaterThan(1);
	expect(board.length).toBeLessThanOrEqual(10);
	expect(board[0]).toEqual({
		gpu: 'RTX A5000',
		gpuTypeId: 'NVIDIA RTX A5000',
		vramGb: 24,
		usdPerHour: 0.04,
		cloud: 'COMMUNITY',
	});
	const prices = board.map((row) => row.usdPerHour);
	expect(prices).toEqual([...prices].sort((a, b) => a - b));
	for (const row of board) expect(row.vramGb).toBeGreaterThanOrEqual(24);
	const listed = board.map((row) => row.gpuTypeId);
	expect(listed).not.toContain('NVIDIA RTX A4000'); // 16 GB
	expect(listed).not.toContain('NVIDIA A40'); // sold out
	// Reading prices rents nothing.
	expect(sandbox.state.pods).toHaveLength(0);
});

test('pod lifecycle: creates, reads, stops, resumes and terminates one pod', async () => {
	const { code, run } = await n8n.execute('RunPodExample002');

	expect(errorOf(run)).toBeUndefined();
	expect(code).toBe(0);
	const [created] = itemsOf(run, 'Create Pod');
	expect(created).toMatchObject({
		name: 'n8n-lifecycle-demo',
		status: 'RUNNING',
		gpuType: 'NVIDIA GeForce RTX 4090',
	});
	expect(created.costPerHr).toBeGreaterThan(0);
	expect(itemsOf(run, 'Get Pod')).toEqual([
		expect.objectContaining({ id: created.id, status: 'RUNNING' }),
	]);
	expect(itemsOf(run, 'Stop Pod')).toEqual([
		expect.objectContaining({ id: created.id, status: 'EXITED' }),
	]);
	expect(itemsOf(run, 'Resume Pod')).toEqual([
		expect.objectContaining({ id: created.id, status: 'RUNNING' }),
	]);
	expect(itemsOf(run, 'Terminate Pod')).toEqual([{ id: created.id, terminated: true }]);

	// The pod is gone from RunPod's side too, so nothing is left billing.
	expect(sandbox.state.pods.map((pod) => pod.id)).not.toContain(created.id);
});

test('pod lifecycle on REST v2: the same workflow gives the same outputs, and only REST v2 is spoken', async () => {
	const { code, run } = await n8n.execute('RunPodExample002Rest');

	expect(errorOf(run)).toBeUndefined();
	expect(code).toBe(0);
	const [created] = itemsOf(run, 'Create Pod');
	expect(created).toMatchObject({
		name: 'n8n-lifecycle-demo',
		status: 'RUNNING',
		gpuType: 'NVIDIA GeForce RTX 4090',
	});
	expect(created.costPerHr).toBeGreaterThan(0);
	expect(itemsOf(run, 'Get Pod')).toEqual([
		expect.objectContaining({ id: created.id, status: 'RUNNING' }),
	]);
	expect(itemsOf(run, 'Stop Pod')).toEqual([
		expect.objectContaining({ id: created.id, status: 'EXITED', costPerHr: 0 }),
	]);
	expect(itemsOf(run, 'Resume Pod')).toEqual([
		expect.objectContaining({ id: created.id, status: 'RUNNING' }),
	]);
	expect(itemsOf(run, 'Terminate Pod')).toEqual([{ id: created.id, terminated: true }]);
	expect(sandbox.state.pods.map((pod) => pod.id)).not.toContain(created.id);

	const spoken = sandbox.requests.map((request) => request.api);
	expect(spoken.length).toBeGreaterThan(0);
	expect(new Set(spoken)).toEqual(new Set(['rest']));
	expect(sandbox.requests.map((request) => request.operationName)).toEqual(
		expect.arrayContaining(['createPod', 'getPod', 'podAction', 'deletePod']),
	);
});

test('nightly cost guard: stops every pod billed for more than 12 hours, also one stuck starting', async () => {
	const old = await createPod(sandbox, { name: 'forgotten-training-run' });
	const young = await createPod(sandbox, { name: 'fresh-notebook' });
	const stopped = await createPod(sandbox, { name: 'already-stopped' });
	// Started 13 hours ago and never up (an image pull loop): STARTING, uptime 0, billed all along.
	const stuck = await createPod(sandbox, { name: 'stuck-pulling-image' });
	const record = (id) => sandbox.state.pods.find((pod) => pod.id === id);
	const hoursAgo = (hours) => new Date(Date.now() - hours * HOUR_MS).toISOString();
	for (const pod of [old, young, stuck]) record(pod.id).createdAt = hoursAgo(24);
	record(old.id).lastStartedAt = hoursAgo(13);
	record(old.id).readyAtMs = Date.now() - 13 * HOUR_MS + 60_000;
	record(young.id).lastStartedAt = hoursAgo(2);
	record(young.id).readyAtMs = Date.now() - 2 * HOUR_MS + 60_000;
	record(stuck.id).lastStartedAt = hoursAgo(13);
	record(stuck.id).readyAtMs = Date.now() + 1000 * HOUR_MS;
	record(stopped.id).desiredStatus = 'EXITED';
	record(stopped.id).readyAtMs = null;

	const { code, run } = await n8n.execute('RunPodExample003');

	expect(errorOf(run)).toBeUndefined();
	expect(code).toBe(0);
	const billed = itemsOf(run, 'Billed Pods');
	expect(billed.map((pod) => pod.name).sort()).toEqual([
		'forgotten-training-run',
		'fresh-notebook',
		'stuck-pulling-image',
	]);
	expect(billed.find((pod) => pod.name === 'stuck-pulling-image')).toMatchObject({
		status: 'STARTING',
		uptimeSeconds: 0,
	});
	expect(
		itemsOf(run, 'Stop Pod')
			.map((pod) => pod.id)
			.sort(),
	).toEqual([old.id, stuck.id].sort());
	expect(record(old.id).desiredStatus).toBe('EXITED');
	expect(record(stuck.id).desiredStatus).toBe('EXITED');
	expect(record(young.id).desiredStatus).toBe('RUNNING');
});

test('nightly cost guard: with nothing billed for long, nothing is stopped', async () => {
	const young = await createPod(sandbox, { name: 'fresh-notebook' });

	const { code, run } = await n8n.execute('RunPodExample003');

	expect(code).toBe(0);
	expect(itemsOf(run, 'Billed Pods')).toHaveLength(1);
	expect(itemsOf(run, 'Stop Pod')).toBeUndefined();
	expect(sandbox.state.pods.find((pod) => pod.id === young.id).desiredStatus).toBe('RUNNING');
});

test('a workflow that fails in RunPod exits with 1, names the node and says why, without the key', async () => {
	// No RTX 4090 free anywhere: the lifecycle's first step cannot rent its pod.
	sandbox.setStock('NVIDIA GeForce RTX 4090', { secure: 0, community: 0 });
	for (const dataCenterId of sandbox.state.gpuHosts['NVIDIA GeForce RTX 4090']) {
		sandbox.setStock('NVIDIA GeForce RTX 4090', { secure: 0, community: 0 }, dataCenterId);
	}

	const { code, run } = await n8n.execute('RunPodExample002');

	expect(code).toBe(1);
	expect(run.data.resultData.lastNodeExecuted).toBe('Create Pod');
	const error = JSON.stringify(errorOf(run));
	expect(error).toMatch(/no longer any instances available/); // RunPod's own words reach the user
	expect(error).not.toContain(sandbox.apiKey);
	expect(sandbox.state.pods).toHaveLength(0);
});
