/** /v2/serverless/{id}/workers, worker logs and releases, and /v2/catalog/templates on the sandbox, checked against openapi.json. */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { findEndpoint } from '../../sandbox/serverless/endpoints';
import { expectStatus } from './rest-helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 41, serverless: { coldStartMs: 20 } });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

async function createEndpoint(workers: { min: number; max: number }): Promise<string> {
	const created = await expectStatus(sandbox, 201, 'createEndpoint', {
		body: {
			name: `ep-${workers.min}-${workers.max}`,
			type: 'QUEUE',
			image: 'runpod/worker-echo:1.0',
			gpu: { pools: ['ADA_24'], count: 1 },
			workers: { ...workers, idleTimeout: 60 },
			scaling: { type: 'QUEUE_DELAY', queueDelay: 4 },
			timeout: 60000,
		},
	});
	return created.id as string;
}

async function until(condition: () => boolean): Promise<void> {
	for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
	expect(condition()).toBe(true);
}

function submit(endpointId: string, input: Record<string, unknown>) {
	const endpoint = findEndpoint(sandbox.state, endpointId);
	if (!endpoint) throw new Error(`no endpoint ${endpointId}`);
	return sandbox.jobs.submit(endpoint, { input }, false);
}

describe('GET /v2/serverless/{id}/workers', () => {
	test('warm workers from Min Workers are idle; a long job makes one running, the queue cold-starts no more than Max', async () => {
		const id = await createEndpoint({ min: 1, max: 2 });
		const idle = await expectStatus(sandbox, 200, 'listEndpointWorkers', { path: { id } });
		expect(idle.summary).toEqual({
			running: 0,
			idle: 1,
			initializing: 0,
			throttled: 0,
			unhealthy: 0,
			total: 1,
		});
		expect(idle.workers[0]).toMatchObject({ status: 'IDLE', gpuCount: 1, isStale: false });
		expect(idle.workers[0].image).toBe('runpod/worker-echo:1.0');

		const first = submit(id, { sleepMs: 60_000 });
		submit(id, { sleepMs: 60_000 });
		submit(id, { sleepMs: 60_000 });
		await until(() => first.status === 'IN_PROGRESS');
		const busy = await expectStatus(sandbox, 200, 'listEndpointWorkers', { path: { id } });
		expect(busy.summary.total).toBe(2);
		expect(busy.summary.running).toBeGreaterThanOrEqual(1);
		expect(busy.summary.running + busy.summary.initializing + busy.summary.idle).toBe(2);
	});

	test('an endpoint with Max Workers 0 has no workers; an unknown endpoint is 404', async () => {
		const id = await createEndpoint({ min: 0, max: 0 });
		submit(id, { sleepMs: 10 });
		const none = await expectStatus(sandbox, 200, 'listEndpointWorkers', { path: { id } });
		expect(none).toMatchObject({ workers: [], summary: { total: 0 } });
		await expectStatus(sandbox, 404, 'listEndpointWorkers', { path: { id: 'nosuchendpoint' } });
	});
});

/** Reads a log stream until `count` events came (RunPod, and the sandbox, keep it open), then hangs up. */
async function readEvents(
	path: string,
	count: number,
): Promise<{ status: number; contentType: string | null; events: string[] }> {
	const controller = new AbortController();
	const response = await fetch(`${sandbox.url}${path}`, {
		headers: { authorization: `Bearer ${sandbox.apiKey}` },
		signal: controller.signal,
	});
	const reader = (response.body as ReadableStream<Uint8Array>).getReader();
	const decoder = new TextDecoder();
	let text = '';
	while ((text.match(/\n\n/g) ?? []).length < count) {
		const { value, done } = await reader.read();
		if (done) break;
		text += decoder.decode(value, { stream: true });
	}
	controller.abort();
	await reader.cancel().catch(() => undefined);
	return {
		status: response.status,
		contentType: response.headers.get('content-type'),
		events: text.trim().split('\n\n'),
	};
}

describe('GET /v2/serverless/{id}/workers/{workerId}/logs', () => {
	test('a Server-Sent Events backfill of what the worker did, with tail and source', async () => {
		const id = await createEndpoint({ min: 1, max: 1 });
		const done = submit(id, { sleepMs: 5, output: 'ok' });
		const failed = submit(id, { sleepMs: 5, fail: 'CUDA out of memory' });
		await until(() => done.status === 'COMPLETED' && failed.status === 'FAILED');
		const [worker] = (await expectStatus(sandbox, 200, 'listEndpointWorkers', { path: { id } }))
			.workers;

		const logs = `/v2/serverless/${id}/workers/${worker.id}/logs`;
		const answer = await readEvents(logs, 6);
		expect(answer.status).toBe(200);
		expect(answer.contentType).toBe('text/event-stream');
		const events = answer.events;
		const lines = events.map((event) => JSON.parse(event.split('\ndata: ')[1]).line);
		expect(lines).toEqual([
			`Worker ${worker.id} placed, pulling image`,
			'Worker ready.',
			`Started job ${done.id}`,
			`Finished job ${done.id}`,
			`Started job ${failed.id}`,
			`Job ${failed.id} FAILED: CUDA out of memory`,
		]);
		expect(events[0]).toMatch(/^id: \S+\ndata: \{"ts":"[^"]+","source":"system","line":/);

		const tail = await readEvents(`${logs}?tail=1&source=container`, 1);
		expect(tail.events).toHaveLength(1);
		expect(tail.events[0]).toContain(`Job ${failed.id} FAILED`);

		await expectStatus(sandbox, 404, 'getWorkerLogs', { path: { id, workerId: 'gone' } });
	});
});

describe('GET /v2/serverless/{id}/releases', () => {
	test('version 1 at creation, then one release per change with its diff, newest first', async () => {
		const id = await createEndpoint({ min: 1, max: 2 });
		const first = await expectStatus(sandbox, 200, 'listEndpointReleases', { path: { id } });
		expect(first.endpointVersion).toBe(1);
		expect(first.releases).toEqual([expect.objectContaining({ version: 1, diff: [] })]);
		expect(first.rollout).toEqual({
			inProgress: false,
			workersOnLatest: 1,
			workersTotal: 1,
			percentOnLatest: 100,
		});

		await expectStatus(sandbox, 200, 'updateEndpoint', {
			path: { id },
			body: { workers: { max: 5 } },
		});
		const after = await expectStatus(sandbox, 200, 'listEndpointReleases', { path: { id } });
		expect(after.endpointVersion).toBe(2);
		expect(after.releases.map((r: { version: number }) => r.version)).toEqual([2, 1]);
		expect(after.releases[0]).toMatchObject({
			source: 'MANUAL',
			buildId: null,
			workerCount: 1,
			diff: [{ field: 'workers.max', old: 2, new: 5 }],
		});
		expect(after.releases[1].workerCount).toBe(0);

		// A new image in the endpoint's template is a release too.
		const endpoint = findEndpoint(sandbox.state, id);
		const template = sandbox.state.templates.find((t) => t.id === endpoint?.templateId);
		if (!template) throw new Error('the endpoint has no template');
		template.imageName = 'runpod/worker-echo:2.0';
		const image = await expectStatus(sandbox, 200, 'listEndpointReleases', { path: { id } });
		expect(image.endpointVersion).toBe(3);
		expect(image.releases[0].diff).toEqual([
			{ field: 'template.imageName', old: 'runpod/worker-echo:1.0', new: 'runpod/worker-echo:2.0' },
		]);
		const workers = await expectStatus(sandbox, 200, 'listEndpointWorkers', { path: { id } });
		expect(workers.endpointVersion).toBe(3);
		expect(workers.workers[0]).toMatchObject({ version: 3, image: 'runpod/worker-echo:2.0' });
	});
});

describe('GET /v2/catalog/templates', () => {
	test('official by default, verified, and community: the templates accounts shared', async () => {
		const official = await expectStatus(sandbox, 200, 'listPublicTemplates');
		expect(official.templates.length).toBeGreaterThan(2);
		expect(official.templates.every((t: { public: boolean }) => t.public)).toBe(true);
		expect(official.templates.some((t: { serverless: boolean }) => t.serverless)).toBe(true);

		const verified = await expectStatus(sandbox, 200, 'listPublicTemplates', {
			query: { source: 'verified' },
		});
		expect(verified.templates.map((t: { name: string }) => t.name)).not.toEqual(
			official.templates.map((t: { name: string }) => t.name),
		);

		const mine = await expectStatus(sandbox, 201, 'createTemplate', {
			body: { name: 'shared-one', image: 'me/shared:1', public: true, registry: null },
		});
		const community = await expectStatus(sandbox, 200, 'listPublicTemplates', {
			query: { source: 'community' },
		});
		expect(community.templates).toContainEqual(
			expect.objectContaining({ id: mine.id, name: 'shared-one', registry: null }),
		);
		await expectStatus(sandbox, 422, 'listPublicTemplates', { query: { source: 'mine' } });
	});
});
