/** Endpoint → Get Workers, Get Worker Logs and Get Releases through n8n's executor (REST v2 only). */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEMO_ENDPOINT_ID, findEndpoint } from '../../sandbox/serverless/endpoints';
import { byId, graphqlOnly, json, restOnly, runRunPodNode, speakTestApi } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 23, serverless: { coldStartMs: 10 } });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function run(parameters: IDataObject) {
	return await runRunPodNode({
		parameters: { resource: 'endpoint', endpointId: byId(DEMO_ENDPOINT_ID), ...parameters },
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, serverlessBaseUrl: sandbox.url },
	});
}

const demo = () => {
	const endpoint = findEndpoint(sandbox.state, DEMO_ENDPOINT_ID);
	if (!endpoint) throw new Error('the sandbox has no demo endpoint');
	return endpoint;
};

async function until(condition: () => boolean): Promise<void> {
	for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
	expect(condition()).toBe(true);
}

describe('Endpoint → Get Workers', () => {
	restOnly(
		'no worker active: counts are 0 and the output says why a job waits IN_QUEUE',
		async () => {
			const result = await run({ operation: 'getWorkers' });
			expect(result.error).toBeUndefined();
			const [item] = json(result);
			expect(item).toMatchObject({
				endpointId: DEMO_ENDPOINT_ID,
				total: 0,
				running: 0,
				idle: 0,
				initializing: 0,
				throttled: 0,
				unhealthy: 0,
				workers: [],
			});
			expect(item.explanation).toMatch(/No worker is active: a job waits IN_QUEUE/);
			expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
				`GET /v2/serverless/${DEMO_ENDPOINT_ID}/workers`,
			]);
		},
	);

	restOnly(
		'every worker busy: one item per endpoint with each worker and the counts by state',
		async () => {
			demo().workersMax = 1;
			const busy = sandbox.jobs.submit(demo(), { input: { sleepMs: 60_000 } }, false);
			sandbox.jobs.submit(demo(), { input: { sleepMs: 10 } }, false);
			await until(() => busy.status === 'IN_PROGRESS');

			const [item] = json(await run({ operation: 'getWorkers' }));
			expect(item).toMatchObject({ total: 1, running: 1, idle: 0 });
			expect(item.workers).toEqual([
				expect.objectContaining({ id: busy.workerId, status: 'RUNNING', gpuCount: 1 }),
			]);
			expect(item.explanation).toMatch(/1 worker is busy with jobs: queued jobs wait/);
		},
	);

	restOnly('an unknown endpoint is a clear error', async () => {
		const result = await run({ operation: 'getWorkers', endpointId: byId('nosuchendpoint1') });
		expect(result.error?.message).toBe('The endpoint "nosuchendpoint1" was not found');
		expect(result.error?.description).toMatch(/Endpoint → Get Many/);
	});
});

describe('Endpoint → Get Worker Logs', () => {
	restOnly('the most recent lines, as text and as items, up to the limit', async () => {
		const job = sandbox.jobs.submit(
			demo(),
			{ input: { sleepMs: 5, fail: 'CUDA out of memory' } },
			false,
		);
		await until(() => job.status === 'FAILED');

		const result = await run({ operation: 'getWorkerLogs', workerId: job.workerId, lines: 2 });
		expect(result.error).toBeUndefined();
		const [item] = json(result);
		expect(item).toMatchObject({
			endpointId: DEMO_ENDPOINT_ID,
			workerId: job.workerId,
			lineCount: 2,
		});
		expect(item.text).toBe(`Started job ${job.id}\nJob ${job.id} FAILED: CUDA out of memory`);
		expect(item.lines).toEqual([
			{ ts: expect.any(String), source: 'container', line: `Started job ${job.id}` },
			{
				ts: expect.any(String),
				source: 'container',
				line: `Job ${job.id} FAILED: CUDA out of memory`,
			},
		]);
		expect(sandbox.requests.map((r) => r.path)).toEqual([
			`/v2/serverless/${DEMO_ENDPOINT_ID}/workers/${job.workerId}/logs?tail=2`,
		]);

		// Fewer lines than asked: RunPod keeps the stream open for live lines; the node does not wait for them.
		const all = json(await run({ operation: 'getWorkerLogs', workerId: job.workerId, lines: 50 }));
		expect(all[0].lineCount).toBe(4);
		expect((all[0].lines as IDataObject[]).map((line) => line.source)).toEqual([
			'system',
			'system',
			'container',
			'container',
		]);
	});

	restOnly(
		'a worker that is not active is a clear error that says where to find the active ones',
		async () => {
			const result = await run({ operation: 'getWorkerLogs', workerId: 'goneworker', lines: 10 });
			expect(result.error?.message).toBe(
				`The worker "goneworker" is not an active worker of the endpoint "${DEMO_ENDPOINT_ID}"`,
			);
			expect(result.error?.description).toMatch(/Endpoint → Get Workers/);
		},
	);

	restOnly('Lines outside 1 to 5000 is refused before any request', async () => {
		const result = await run({ operation: 'getWorkerLogs', workerId: 'w1', lines: 0 });
		expect(result.error?.message).toMatch(/^Lines/);
		expect(sandbox.requests).toEqual([]);
	});
});

describe('Endpoint → Get Releases', () => {
	restOnly('the releases newest first with what changed, and the rollout', async () => {
		await run({ operation: 'getReleases' });
		await run({ operation: 'update', updateFields: { workersMax: 5 } });
		const result = await run({ operation: 'getReleases' });
		expect(result.error).toBeUndefined();
		const [item] = json(result);
		expect(item).toMatchObject({
			endpointId: DEMO_ENDPOINT_ID,
			endpointVersion: 2,
			rollout: { workersTotal: 0, percentOnLatest: 0 },
		});
		expect(item.releases).toEqual([
			expect.objectContaining({ version: 2, diff: [{ field: 'workers.max', old: 3, new: 5 }] }),
			expect.objectContaining({ version: 1, diff: [] }),
		]);
	});
});

describe('on GraphQL, each needs REST v2 and sends nothing', () => {
	graphqlOnly.each([
		['getWorkers', 'Endpoint → Get Workers', {}],
		['getWorkerLogs', 'Endpoint → Get Worker Logs', { workerId: 'w1', lines: 10 }],
		['getReleases', 'Endpoint → Get Releases', {}],
	])('%s', async (operation, what, extra) => {
		const result = await run({ operation, ...extra });
		expect(result.error?.message).toBe(`${what} needs RunPod's REST API v2`);
		expect(result.error?.description).toMatch(/set API to REST v2.*Nothing was sent to RunPod/);
		expect(sandbox.requests).toEqual([]);
	});
});
