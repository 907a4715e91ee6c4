/** Billing → Get Spend through n8n's executor: what the sandbox's pods and jobs cost, one item per bucket. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEMO_ENDPOINT_ID } from '../../sandbox/serverless/endpoints';
import { byId, graphqlOnly, json, restOnly, runRunPodNode, speakTestApi } from './harness';

const GPU = 'NVIDIA GeForce RTX 4090';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 23 });
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
		parameters: { resource: 'billing', operation: 'getSpend', ...parameters },
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** A pod that runs briefly at $10 a second, then stops: its cost is visible within a test. */
async function podThatCost(name: string): Promise<string> {
	const answer = await fetch(`${sandbox.url}/v2/pods`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ name, image: 'ubuntu:22.04', gpu: { id: GPU, count: 1 } }),
	});
	const pod = (await answer.json()) as { id: string };
	await sleep(60);
	await fetch(`${sandbox.url}/v2/pods/${pod.id}/action`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ action: 'stop' }),
	});
	return pod.id;
}

describe('Billing → Get Spend on REST v2', () => {
	restOnly('the whole account: one item per bucket, with each cost broken out', async () => {
		sandbox.setPrice(GPU, { securePrice: 36000 });
		await podThatCost('a');
		const result = await run({ scope: 'account', bucketSize: 'hour', period: 'last', lastN: 3 });
		expect(result.error).toBeUndefined();
		const items = json(result);
		expect(items).toHaveLength(3);
		const total = items.reduce((sum, item) => sum + (item.totalAmount as number), 0);
		expect(total).toBeGreaterThan(0.1);
		for (const item of items) {
			expect(item.podGpuAmount).toBe(item.totalAmount);
			expect(item).toMatchObject({ serverlessGpuAmount: 0, clusterGpuAmount: 0 });
		}
		expect(
			sandbox.requests.map((r) => r.path).filter((path) => path?.startsWith('/v2/billing')),
		).toEqual(['/v2/billing?bucketSize=hour&lastN=3']);
	});

	restOnly(
		'pods: one item per bucket adds the pods up (0 where none ran); Split by Resource gives one per pod',
		async () => {
			sandbox.setPrice(GPU, { securePrice: 36000 });
			const a = await podThatCost('a');
			const b = await podThatCost('b');
			const summed = json(
				await run({ scope: 'pods', bucketSize: 'hour', period: 'last', lastN: 2 }),
			);
			// Two buckets, both with every column (the current one holds the pods' cost; the other is 0
			// unless the hour turned while they ran).
			expect(summed).toHaveLength(2);
			for (const bucket of summed)
				expect(Object.keys(bucket).sort()).toEqual([
					'cpuAmount',
					'diskAmount',
					'endTime',
					'gpuAmount',
					'startTime',
					'totalAmount',
				]);
			const split = json(
				await run({
					scope: 'pods',
					bucketSize: 'hour',
					period: 'last',
					lastN: 2,
					splitByResource: true,
				}),
			);
			expect(split.map((i) => i.podId).sort()).toEqual([a, b].sort());
			expect(split[0].totalAmount as number).toBeGreaterThan(0);
			const total = (split[0].totalAmount as number) + (split[1].totalAmount as number);
			expect(summed[1].totalAmount).toBeCloseTo(total, 5);

			const onePod = json(
				await run({ scope: 'pods', podId: byId(a), bucketSize: 'hour', period: 'last', lastN: 1 }),
			);
			expect(onePod).toEqual([expect.objectContaining({ podId: a })]);
			expect(sandbox.requests.at(-1)?.path).toBe(
				`/v2/billing/pods?bucketSize=hour&lastN=1&podId=${a}`,
			);
		},
	);

	restOnly('serverless: what the jobs cost, for one endpoint', async () => {
		const job = await fetch(`${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/runsync`, {
			method: 'POST',
			headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ input: { sleepMs: 50 } }),
		});
		expect(((await job.json()) as { status: string }).status).toBe('COMPLETED');
		const items = json(
			await run({
				scope: 'serverless',
				endpointId: byId(DEMO_ENDPOINT_ID),
				bucketSize: 'day',
				period: 'last',
				lastN: 1,
			}),
		);
		expect(items).toEqual([
			expect.objectContaining({ endpointId: DEMO_ENDPOINT_ID, feeAmount: 0 }),
		]);
		expect(items[0].gpuAmount as number).toBeGreaterThan(0);
	});

	restOnly('between dates: the period is sent as RFC 3339', async () => {
		const result = await run({
			scope: 'networkVolumes',
			bucketSize: 'day',
			period: 'range',
			startTime: '2026-11-01T00:00:00.000Z',
			endTime: '2026-11-08T00:00:00.000Z',
		});
		expect(result.error).toBeUndefined();
		expect(json(result)).toHaveLength(7);
		expect(sandbox.requests.map((r) => r.path)).toEqual([
			'/v2/billing/network-volumes?bucketSize=day&startTime=2026-11-01T00%3A00%3A00Z&endTime=2026-11-08T00%3A00%3A00Z',
		]);
	});
});

describe('bad input is refused before any request', () => {
	test.each([
		[{ period: 'range', startTime: '={{ "" }}' }, 'Start: is empty'],
		[{ period: 'range', startTime: 'last tuesday' }, 'Start: "last tuesday" is not a date'],
		[
			{ period: 'range', startTime: '2026-11-08T00:00:00Z', endTime: '2026-11-01T00:00:00Z' },
			'End: 2026-11-01T00:00:00Z is not after Start (2026-11-08T00:00:00Z)',
		],
		[
			{ period: 'last', lastN: 0 },
			'Number of Buckets: expected a whole number from 1 to 10000, got 0',
		],
	])('%j', async (parameters, message) => {
		const result = await run({ scope: 'account', bucketSize: 'day', ...parameters });
		expect(result.error?.message).toBe(message);
		expect(sandbox.requests).toEqual([]);
	});
});

graphqlOnly('on GraphQL, Billing needs REST v2 and sends nothing', async () => {
	const result = await run({ scope: 'pods', bucketSize: 'day', period: 'last', lastN: 7 });
	expect(result.error?.message).toBe("Billing needs RunPod's REST API v2");
	expect(sandbox.requests).toEqual([]);
});
