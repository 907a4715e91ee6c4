/** /v2/serverless on the sandbox: the same endpoints as GraphQL, answers checked against openapi.json. */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEMO_ENDPOINT_ID } from '../../sandbox/serverless/endpoints';
import { data } from './helpers';
import { expectStatus } from './rest-helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 33 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

const createBody = {
	name: 'rest-ep',
	type: 'QUEUE',
	image: 'runpod/worker-echo:1.0',
	env: { MODEL: 'tiny' },
	gpu: { pools: ['ADA_24'], count: 1 },
	workers: { min: 0, max: 2, idleTimeout: 7 },
	scaling: { type: 'QUEUE_DELAY', queueDelay: 3 },
	timeout: 60000,
	flashboot: 'FLASHBOOT',
};

test('create, get, list, patch and delete; GraphQL sees the same endpoint', async () => {
	const created = await expectStatus(sandbox, 201, 'createEndpoint', { body: createBody });
	expect(created).toMatchObject({
		name: 'rest-ep',
		image: 'runpod/worker-echo:1.0',
		workers: { min: 0, max: 2, idleTimeout: 7 },
		timeout: 60000,
	});
	expect(created.requestUrls.runSync).toBe(`https://api.runpod.ai/v2/${created.id}/runsync`);

	const listed = await data(sandbox, '{ myself { endpoints { id name workersMax } } }');
	expect(listed.myself.endpoints).toContainEqual({
		id: created.id,
		name: 'rest-ep',
		workersMax: 2,
	});

	const patched = await expectStatus(sandbox, 200, 'updateEndpoint', {
		path: { id: created.id },
		body: { workers: { max: 5 } },
	});
	expect(patched.workers).toEqual({ min: 0, max: 5, idleTimeout: 7 });
	expect(patched.scaling).toEqual({ type: 'QUEUE_DELAY', queueDelay: 3 });
	expect(
		(await expectStatus(sandbox, 200, 'getEndpoint', { path: { id: created.id } })).workers.max,
	).toBe(5);
	expect(
		(await expectStatus(sandbox, 200, 'listEndpoints')).endpoints.map((e: { id: string }) => e.id),
	).toEqual([DEMO_ENDPOINT_ID, created.id]);

	// REST deletes with its workers (GraphQL refuses while they are above zero).
	await expectStatus(sandbox, 204, 'deleteEndpoint', { path: { id: created.id } });
	await expectStatus(sandbox, 404, 'getEndpoint', { path: { id: created.id } });
});

test('refusals: unknown template, no pools, unknown endpoint', async () => {
	await expectStatus(sandbox, 404, 'createEndpoint', {
		body: { ...createBody, image: undefined, templateId: 'nope' },
	});
	await expectStatus(sandbox, 422, 'createEndpoint', {
		body: { ...createBody, gpu: { pools: [] } },
	});
	await expectStatus(sandbox, 404, 'updateEndpoint', { path: { id: 'nope' }, body: { name: 'x' } });
	await expectStatus(sandbox, 404, 'deleteEndpoint', { path: { id: 'nope' } });
});
