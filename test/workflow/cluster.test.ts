/**
 * Cluster (RunPod's instant multi-node clusters, REST v2 only) through n8n's executor: every
 * operation on REST v2, the money safety of Pod → Create (a lost answer is settled by the
 * marker in the pods' env, never resent; Retry On Fail finds the earlier cluster), and on
 * GraphQL a refusal before any request.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { FaultKind, Sandbox } from '../../sandbox';
import { graphqlOnly, json, restOnly, runRunPodNode, speakTestApi } from './harness';
import type { RunResult } from './harness';

const GPU = 'NVIDIA GeForce RTX 4090';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 21 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.setStock(GPU, { secure: 50, community: 0 });
});

async function run(
	parameters: IDataObject,
	items: IDataObject[] = [{}],
	extra: { maxTries?: number; timeoutSeconds?: number } = {},
): Promise<RunResult> {
	return await runRunPodNode({
		parameters: {
			requestPolicy: { timeoutSeconds: extra.timeoutSeconds ?? 5 },
			...parameters,
		},
		items,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
		...(extra.maxTries ? { retryOnFail: { maxTries: extra.maxTries } } : {}),
	});
}

const sent = (operationId: string) =>
	sandbox.requests.filter((r) => r.fields.includes(operationId)).length;

const CREATE: IDataObject = {
	resource: 'cluster',
	operation: 'create',
	name: 'trainer',
	clusterType: 'TRAINING',
	gpuTypeId: GPU,
	gpuCountPerPod: 2,
	podCount: 3,
	imageName: 'runpod/pytorch:2.4.0',
	additionalFields: {
		env: { variable: [{ name: 'MODE', value: 'ddp' }] },
		ports: { port: [{ number: 22, protocol: 'tcp' }] },
	},
};

const clusters = () => sandbox.state.clusters ?? [];
const markerOf = (env: string[]) =>
	env.find((e) => e.startsWith('N8N_RUNPOD_CREATE_ID='))?.split('=')[1];

restOnly(
	'Create rents every pod at once with the marker in each env; Get, Get Many, Get Pods, Update and Delete work on it',
	async () => {
		const created = await run(CREATE);
		expect(created.error).toBeUndefined();
		expect(sent('createCluster')).toBe(1);
		const [cluster] = json(created);
		expect(cluster).toMatchObject({
			id: clusters()[0].id,
			name: 'trainer',
			type: 'TRAINING',
			gpuType: GPU,
			gpuCountPerPod: 2,
			podCount: 3,
			totalGpus: 6,
			podsProvisioned: 3,
		});
		expect(cluster.recovered).toBeUndefined();
		const members = sandbox.state.pods;
		expect(members).toHaveLength(3);
		const markers = new Set(members.map((pod) => markerOf(pod.env)));
		expect(markers.size).toBe(1);
		expect([...markers][0]).toMatch(/^[a-z0-9]+$/);
		expect(members.every((pod) => pod.env.includes('MODE=ddp'))).toBe(true);

		const id = cluster.id as string;
		const locator = { __rl: true, mode: 'id', value: id };
		const got = await run({ resource: 'cluster', operation: 'get', clusterId: locator });
		expect(json(got)).toEqual([expect.objectContaining({ id, podCount: 3 })]);
		const raw = await run({
			resource: 'cluster',
			operation: 'get',
			clusterId: locator,
			simplify: false,
		});
		expect(json(raw)[0]).toMatchObject({ id, compute: { gpuTypeId: GPU, podCount: 3 } });

		const many = await run({ resource: 'cluster', operation: 'getAll', returnAll: true });
		expect(json(many).map((c) => c.id)).toEqual([id]);

		const pods = await run({ resource: 'cluster', operation: 'getPods', clusterId: locator });
		expect(json(pods)).toHaveLength(3);
		expect(json(pods).map((pod) => pod.clusterRank)).toEqual([0, 1, 2]);
		// Shaped like Pod → Get's output.
		expect(json(pods)[0]).toMatchObject({
			id: expect.any(String),
			gpuType: GPU,
			gpuCount: 2,
			podType: 'on-demand',
			costPerHr: expect.any(Number),
			clusterIp: '10.65.0.2',
		});

		const renamed = await run({
			resource: 'cluster',
			operation: 'update',
			clusterId: locator,
			name: 'trainer-2',
		});
		expect(json(renamed)[0]).toMatchObject({ id, name: 'trainer-2' });

		const deleted = await run({ resource: 'cluster', operation: 'delete', clusterId: locator });
		expect(json(deleted)).toEqual([{ id, deleted: true }]);
		expect(sandbox.state.pods).toHaveLength(0);
		expect(clusters()).toHaveLength(0);

		const again = await run({ resource: 'cluster', operation: 'delete', clusterId: locator });
		expect(again.error?.message).toBe(`The cluster "${id}" was not found`);
		expect(again.error?.description).toMatch(/nothing is billed/);
	},
);

restOnly(
	"Pod → Get Many lists a cluster's pods beside standalone ones: they are billed like any pod",
	async () => {
		await run(CREATE);
		const ids = sandbox.state.pods.map((pod) => pod.id).sort();
		const listed = await run({ resource: 'pod', operation: 'getAll', returnAll: true });
		expect(listed.error).toBeUndefined();
		expect(
			json(listed)
				.map((pod) => pod.id)
				.sort(),
		).toEqual(ids);
		expect(json(listed).every((pod) => (pod.costPerHr as number) > 0)).toBe(true);
	},
);

restOnly(
	"Pod → Terminate and Pod → Update on a cluster's pod say to use the cluster, and the pod stays",
	async () => {
		const created = await run(CREATE);
		const clusterId = json(created)[0].id as string;
		const member = sandbox.state.pods[0].id;
		const podId = { __rl: true, mode: 'id', value: member };

		const terminated = await run({ resource: 'pod', operation: 'terminate', podId });
		expect(terminated.error?.message).toBe(
			`The pod "${member}" belongs to the cluster ${clusterId}: RunPod does not allow a termination of a cluster's pod`,
		);
		expect(terminated.error?.description).toMatch(/Cluster → Delete/);
		const updated = await run({
			resource: 'pod',
			operation: 'update',
			podId,
			updateFields: { name: 'renamed' },
		});
		expect(updated.error?.message).toMatch(`belongs to the cluster ${clusterId}`);
		expect(sandbox.state.pods.map((pod) => pod.id)).toContain(member);
		expect(sandbox.state.pods.find((pod) => pod.id === member)?.name).not.toBe('renamed');
		// So that a workflow can leave them out: Pod → Get Many names each one's cluster.
		const listed = await run({ resource: 'pod', operation: 'getAll', returnAll: true });
		expect(json(listed).map((pod) => pod.clusterId)).toEqual([clusterId, clusterId, clusterId]);
	},
);

restOnly('bad input is refused before any request: Pod Count under 2', async () => {
	const result = await run({ ...CREATE, podCount: 1 });
	expect(result.error?.message).toMatch(/Pod Count/);
	expect(sandbox.requests).toHaveLength(0);
});

describe('Create behind a busy gateway (REST v2)', () => {
	restOnly.each([
		['a 504', { kind: 'lateApply', answer: 504, applyAfterMs: 300 }],
		['a 502', { kind: 'lateApply', answer: 502, applyAfterMs: 300 }],
		['a reset connection', { kind: 'lateApply', answer: 'reset', applyAfterMs: 300 }],
	] as Array<[string, FaultKind]>)(
		'%s now, the cluster created later: found by its marker and returned as recovered, sent once',
		async (_label, fault) => {
			sandbox.faults.next(fault, { field: 'createCluster' });
			const result = await run(CREATE, [{}], { maxTries: 3 });
			await sandbox.faults.settled();
			expect(result.error).toBeUndefined();
			expect(sent('createCluster')).toBe(1);
			expect(clusters()).toHaveLength(1);
			expect(json(result)).toEqual([
				expect.objectContaining({ id: clusters()[0].id, recovered: true }),
			]);
		},
	);

	restOnly(
		'no answer before the client timeout, the cluster created later: found, sent once',
		async () => {
			sandbox.faults.next(
				{ kind: 'lateApply', answer: 'hang', applyAfterMs: 1000, hangMs: 3000 },
				{ field: 'createCluster' },
			);
			const result = await run(CREATE, [{}], { timeoutSeconds: 0.2, maxTries: 3 });
			await sandbox.faults.settled();
			expect(result.error).toBeUndefined();
			expect(sent('createCluster')).toBe(1);
			expect(clusters()).toHaveLength(1);
			expect(json(result)[0]).toMatchObject({ id: clusters()[0].id, recovered: true });
		},
	);

	restOnly(
		'created only after the node stopped looking: the error names the marker to look for, and Retry On Fail does not send it again',
		async () => {
			sandbox.faults.next(
				{ kind: 'lateApply', answer: 504, applyAfterMs: 4000 },
				{ field: 'createCluster' },
			);
			const result = await run(CREATE, [{}], { maxTries: 3 });
			await sandbox.faults.settled();
			expect(sent('createCluster')).toBe(1);
			expect(clusters()).toHaveLength(1);
			const marker = markerOf(sandbox.state.pods[0].env);
			expect(result.error?.message).toMatch(/Not sent again|may still be carried out/);
			expect(`${result.error?.message ?? ''} ${result.error?.description ?? ''}`).toContain(
				`N8N_RUNPOD_CREATE_ID=${marker}`,
			);
		},
	);
});

restOnly(
	"Retry On Fail after item 1 is refused: item 0's cluster is found again, never created twice, and the error names it",
	async () => {
		const result = await run(
			{ ...CREATE, name: '={{ $json.name }}', gpuTypeId: '={{ $json.gpu }}' },
			[
				{ name: 'a', gpu: GPU },
				{ name: 'b', gpu: 'NVIDIA Imaginary 9000' },
			],
			{ maxTries: 3 },
		);
		expect(result.items).toHaveLength(0);
		expect(clusters()).toHaveLength(1);
		expect(clusters()[0].name).toBe('a');
		expect(sandbox.state.pods).toHaveLength(3);
		// Item 0 was sent once; item 1 on each of n8n's tries, and refused each time.
		expect(
			sandbox.requests.filter(
				(r) => r.fields.includes('createCluster') && (r.body as IDataObject).name === 'a',
			),
		).toHaveLength(1);
		expect(result.error?.description).toContain(`cluster ${clusters()[0].id} (item 0)`);
	},
);

restOnly(
	'Delete whose answer is lost (504, carried out later): settled by reading the cluster, every pod terminated',
	async () => {
		await run(CREATE);
		const id = clusters()[0].id;
		sandbox.faults.next(
			{ kind: 'lateApply', answer: 504, applyAfterMs: 100 },
			{ field: 'deleteCluster' },
		);
		const result = await run({
			resource: 'cluster',
			operation: 'delete',
			clusterId: { __rl: true, mode: 'id', value: id },
		});
		await sandbox.faults.settled();
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([{ id, deleted: true }]);
		expect(clusters()).toHaveLength(0);
		expect(sandbox.state.pods).toHaveLength(0);
	},
);

graphqlOnly.each(['create', 'get', 'getAll', 'getPods', 'update', 'delete'])(
	"Cluster → %s on GraphQL: needs RunPod's REST API v2, and no request is sent",
	async (operation) => {
		const result = await run({
			...CREATE,
			operation,
			clusterId: { __rl: true, mode: 'id', value: 'cluster_abc123' },
			returnAll: true,
		});
		expect(result.error?.message).toBe("Cluster needs RunPod's REST API v2");
		expect(result.error?.description).toMatch(/Nothing was sent to RunPod/);
		expect(sandbox.requests).toHaveLength(0);
	},
);
