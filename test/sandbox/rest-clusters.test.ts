/** REST v2 instant clusters: members are ordinary pods of the shared state, placed together, billed alike, deleted together. */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { GPU, call, expectStatus, podBody } from './rest-helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 21 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.reset();
	sandbox.setStock(GPU, { secure: 8, community: 0 });
});

const CLUSTER = {
	name: 'trainer',
	type: 'TRAINING',
	compute: { gpuTypeId: GPU, gpuCountPerPod: 2, podCount: 3 },
	image: 'runpod/pytorch:2.4.0',
	ports: ['22/tcp'],
	env: { N8N_RUNPOD_CREATE_ID: 'm1', MODE: 'ddp' },
};

test('create answers 201 with the cluster; its pods are in the shared state, one data center, the env on each, ranks 0..n-1', async () => {
	const cluster = await expectStatus(sandbox, 201, 'createCluster', { body: CLUSTER });
	expect(cluster).toMatchObject({
		id: expect.stringMatching(/^cluster_[a-z0-9]+$/),
		name: 'trainer',
		type: 'TRAINING',
		compute: CLUSTER.compute,
		pods: { total: 3 },
		primary: { podId: expect.any(String) },
	});
	const members = sandbox.state.pods;
	expect(members).toHaveLength(3);
	expect(new Set(members.map((pod) => pod.dataCenterId)).size).toBe(1);
	expect(members.map((pod) => pod.cluster?.rank)).toEqual([0, 1, 2]);
	expect(members.every((pod) => pod.env.includes('N8N_RUNPOD_CREATE_ID=m1'))).toBe(true);
	expect(members.every((pod) => pod.gpuCount === 2 && pod.cloud === 'SECURE')).toBe(true);
	// 6 of 8 secure GPUs are taken.
	expect(sandbox.state.stock[members[0].dataCenterId][GPU].SECURE).toBe(2);

	const pods = await expectStatus(sandbox, 200, 'listClusterPods', { path: { id: cluster.id } });
	expect(pods.pods.map((pod: { cluster: unknown }) => pod.cluster)).toEqual([
		{ id: cluster.id, rank: 0, ip: '10.65.0.2' },
		{ id: cluster.id, rank: 1, ip: '10.65.0.3' },
		{ id: cluster.id, rank: 2, ip: '10.65.0.4' },
	]);
	expect(pods.pods[0].env).toMatchObject({
		N8N_RUNPOD_CREATE_ID: 'm1',
		MODE: 'ddp',
		NODE_RANK: '0',
	});
	expect((await expectStatus(sandbox, 200, 'getCluster', { path: { id: cluster.id } })).id).toBe(
		cluster.id,
	);
	expect((await expectStatus(sandbox, 200, 'listClusters')).clusters).toHaveLength(1);
});

test('GET /v2/pods leaves cluster members out unless includeClusterPods=true; a standalone pod is always there', async () => {
	await expectStatus(sandbox, 201, 'createCluster', {
		body: { ...CLUSTER, compute: { ...CLUSTER.compute, gpuCountPerPod: 1, podCount: 2 } },
	});
	await expectStatus(sandbox, 201, 'createPod', { body: podBody() });
	expect((await expectStatus(sandbox, 200, 'listPods')).pods).toHaveLength(1);
	const all = await expectStatus(sandbox, 200, 'listPods', {
		query: { includeClusterPods: true },
	});
	expect(all.pods).toHaveLength(3);
	expect(all.pods.filter((pod: { cluster?: unknown }) => pod.cluster)).toHaveLength(2);
});

test('members cost money like pods: the cluster spends podCount × gpuCountPerPod × the GPU price', async () => {
	const price = sandbox.state.prices[GPU].securePrice as number;
	const cluster = await expectStatus(sandbox, 201, 'createCluster', { body: CLUSTER });
	const pods = await expectStatus(sandbox, 200, 'listClusterPods', { path: { id: cluster.id } });
	const total = pods.pods.reduce((sum: number, pod: { cost: number }) => sum + pod.cost, 0);
	expect(total).toBeCloseTo(3 * 2 * price, 5);
	expect(sandbox.state.usage.filter((u) => u.endMs === null)).toHaveLength(3);
});

test('no data center with room for every member: 400, and nothing is rented', async () => {
	const answer = await call(sandbox, 'createCluster', {
		body: { ...CLUSTER, compute: { ...CLUSTER.compute, podCount: 5 } },
	});
	expect(answer.status).toBe(400);
	expect(answer.body.detail).toMatch(/no longer any instances available/);
	expect(sandbox.state.pods).toHaveLength(0);
	expect(sandbox.state.clusters).toEqual([]);
});

test('rename changes the name only; delete terminates every member and then the cluster is 404', async () => {
	const { id } = await expectStatus(sandbox, 201, 'createCluster', { body: CLUSTER });
	const renamed = await expectStatus(sandbox, 200, 'updateCluster', {
		path: { id },
		body: { name: 'renamed' },
	});
	expect(renamed).toMatchObject({ id, name: 'renamed', compute: CLUSTER.compute });
	await expectStatus(sandbox, 204, 'deleteCluster', { path: { id } });
	expect(sandbox.state.pods).toHaveLength(0);
	expect(sandbox.state.usage.every((u) => u.endMs !== null)).toBe(true);
	await expectStatus(sandbox, 404, 'getCluster', { path: { id } });
	await expectStatus(sandbox, 404, 'deleteCluster', { path: { id } });
	await expectStatus(sandbox, 404, 'listClusterPods', { path: { id } });
	await expectStatus(sandbox, 404, 'updateCluster', { path: { id }, body: { name: 'x' } });
});

test('a body the spec refuses is 422 (podCount under 2)', async () => {
	const answer = await call(sandbox, 'createCluster', {
		body: { ...CLUSTER, compute: { ...CLUSTER.compute, podCount: 1 } },
	});
	expect(answer.status).toBe(422);
	expect(sandbox.state.pods).toHaveLength(0);
});
