/** REST v2 registry credentials and ECR delegations, and the billing routes added beside them. */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEMO_ENDPOINT_ID } from '../../sandbox/serverless/endpoints';
import { call, expectStatus, podBody, send } from './rest-helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 3 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const SECRET = 'correct-horse-battery-staple';
const ARN = 'arn:aws:ecr:us-east-2:418399314813:repository/runpod/deployment';

describe('container registry credentials', () => {
	test('create, get, list and delete; the username and password never come back', async () => {
		const created = await expectStatus(sandbox, 201, 'createRegistry', {
			body: { name: 'dockerhub-private', username: 'me', password: SECRET },
		});
		expect(created).toEqual({ id: expect.any(String), name: 'dockerhub-private' });
		const got = await expectStatus(sandbox, 200, 'getRegistry', { path: { id: created.id } });
		const listed = await expectStatus(sandbox, 200, 'listRegistries');
		expect(got).toEqual(created);
		expect(listed).toEqual({ registries: [created] });
		expect(JSON.stringify([created, got, listed])).not.toContain(SECRET);
		await expectStatus(sandbox, 204, 'deleteRegistry', { path: { id: created.id } });
		await expectStatus(sandbox, 404, 'getRegistry', { path: { id: created.id } });
		await expectStatus(sandbox, 404, 'deleteRegistry', { path: { id: created.id } });
	});

	test('a missing password is 422; a read-only key may list but not create', async () => {
		expect(
			(await call(sandbox, 'createRegistry', { body: { name: 'x', username: 'me' } })).status,
		).toBe(422);
		const readOnly = sandbox.state.apiKeys.find((k) => k.access === 'readOnly')!.key;
		expect(
			(
				await call(sandbox, 'createRegistry', {
					body: { name: 'x', username: 'me', password: SECRET },
					key: readOnly,
				})
			).status,
		).toBe(403);
		await expectStatus(sandbox, 200, 'listRegistries', { key: readOnly });
	});

	test('a pod pulls with a credential it names: the delete is refused while the pod lives, templates just lose it', async () => {
		const registry = await expectStatus(sandbox, 201, 'createRegistry', {
			body: { name: 'ghcr', username: 'me', password: SECRET },
		});
		const template = await expectStatus(sandbox, 201, 'createTemplate', {
			body: { name: 't', image: 'ghcr.io/me/app:1', registry: registry.id },
		});
		const pod = await expectStatus(sandbox, 201, 'createPod', {
			body: podBody({ registry: registry.id }),
		});
		expect(pod.registry).toBe(registry.id);
		const refused = await expectStatus(sandbox, 400, 'deleteRegistry', {
			path: { id: registry.id },
		});
		expect(refused.detail).toContain(pod.id);
		await expectStatus(sandbox, 204, 'deletePod', { path: { id: pod.id } });
		await expectStatus(sandbox, 204, 'deleteRegistry', { path: { id: registry.id } });
		const after = await expectStatus(sandbox, 200, 'getTemplate', { path: { id: template.id } });
		expect(after.registry ?? null).toBeNull();
		// A credential that does not exist cannot be named.
		await expectStatus(sandbox, 400, 'createPod', { body: podBody({ registry: registry.id }) });
	});
});

describe('ECR delegations', () => {
	test('create from a repository ARN, list, revoke', async () => {
		const created = await expectStatus(sandbox, 201, 'createDelegation', {
			body: { resource: ARN, name: 'deploy' },
		});
		expect(created).toMatchObject({
			name: 'deploy',
			awsUser: '418399314813',
			repository: 'runpod/deployment',
			awsRegion: 'us-east-2',
			dockerRegistryUri: '418399314813.dkr.ecr.us-east-2.amazonaws.com',
		});
		expect(await expectStatus(sandbox, 200, 'listDelegations')).toEqual({
			delegations: [created],
		});
		await expectStatus(sandbox, 204, 'revokeDelegation', { path: { id: created.id } });
		await expectStatus(sandbox, 404, 'revokeDelegation', { path: { id: created.id } });
		expect(await expectStatus(sandbox, 200, 'listDelegations')).toEqual({ delegations: [] });
	});

	test('a resource that is not an ECR repository ARN is 400', async () => {
		await expectStatus(sandbox, 400, 'createDelegation', {
			body: { resource: 'arn:aws:s3:::my-bucket' },
		});
	});
});

describe('billing of serverless, public endpoints and clusters', () => {
	test('the jobs a worker ran are billed to their endpoint, and in the account total', async () => {
		const before = await expectStatus(sandbox, 200, 'listServerlessBilling', {
			query: { bucketSize: 'hour', lastN: 1 },
		});
		expect(before.records).toEqual([]);
		for (let i = 0; i < 2; i++) {
			const answer = await send(sandbox, 'POST', `/v2/${DEMO_ENDPOINT_ID}/runsync`, {
				input: { sleepMs: 60 },
			});
			expect(answer.body.status).toBe('COMPLETED');
		}
		const after = await expectStatus(sandbox, 200, 'listServerlessBilling', {
			query: { bucketSize: 'hour', lastN: 2 },
		});
		expect(after.records).toEqual([
			expect.objectContaining({ serverlessId: DEMO_ENDPOINT_ID, feeAmount: 0 }),
		]);
		// Two runs of at least 60 ms at the demo endpoint's pool price (ADA_24, 1 GPU).
		expect(after.records[0].gpuAmount).toBeGreaterThanOrEqual(2 * 0.06 * 0.00031 - 1e-6);
		expect(after.metadata).toMatchObject({
			uniqueServerlessCount: 1,
			query: { serverlessId: null },
		});
		const other = await expectStatus(sandbox, 200, 'listServerlessBilling', {
			query: { lastN: 1, serverlessId: 'nosuchendpoint' },
		});
		expect(other.records).toEqual([]);
		const total = await expectStatus(sandbox, 200, 'listBilling', {
			query: { bucketSize: 'hour', lastN: 2 },
		});
		expect(total.metadata.totals.serverlessGpuAmount).toBe(after.metadata.totals.gpuAmount);
		expect(total.metadata.totals.totalAmount).toBe(after.metadata.totals.totalAmount);
	});

	test("a job's cost is also taken off the account balance, as RunPod does", async () => {
		const balanceBefore = sandbox.state.account.clientBalance;
		const answer = await send(sandbox, 'POST', `/v2/${DEMO_ENDPOINT_ID}/runsync`, {
			input: { sleepMs: 60 },
		});
		expect(answer.body.status).toBe('COMPLETED');
		const billed = await expectStatus(sandbox, 200, 'listServerlessBilling', {
			query: { bucketSize: 'hour', lastN: 2 },
		});
		const spent = billed.metadata.totals.totalAmount as number;
		expect(spent).toBeGreaterThan(0);
		// Billing rounds to millionths; the balance keeps fractions of a cent until it is read.
		expect(balanceBefore - sandbox.state.account.clientBalance).toBeCloseTo(spent, 6);
	});

	test('public endpoints: one zero record per bucket; clusters: none yet', async () => {
		const endpoints = await expectStatus(sandbox, 200, 'listEndpointBilling', {
			query: { bucketSize: 'day', lastN: 3 },
		});
		expect(endpoints.records).toHaveLength(3);
		expect(endpoints.metadata.totals).toEqual({ totalAmount: 0 });
		const clusters = await expectStatus(sandbox, 200, 'listClusterBilling', {
			query: { clusterId: 'c1' },
		});
		expect(clusters).toMatchObject({
			records: [],
			metadata: { recordCount: 0, uniqueClusterCount: 0, query: { clusterId: 'c1' } },
		});
	});
});
