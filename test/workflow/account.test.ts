/** The Account resource, run through n8n's executor against the RunPod sandbox. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { graphqlOnly, json, restOnly, runRunPodNode, speakTestApi } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 15 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function run(parameters: IDataObject, apiKey = sandbox.apiKey) {
	return await runRunPodNode({ parameters, credentials: { apiKey, baseUrl: sandbox.url } });
}

async function createPod(name: string): Promise<IDataObject> {
	const result = await run({
		resource: 'pod',
		operation: 'create',
		name,
		imageName: 'ubuntu:22.04',
		gpuTypeId: 'NVIDIA GeForce RTX 4090',
		gpuCount: 1,
		cloudType: 'SECURE',
	});
	expect(result.error).toBeUndefined();
	return json(result)[0];
}

describe('Account → Get', () => {
	restOnly(
		'REST v2: what it cannot know is null with the reason, spend per hour from the pods, spend history from billing',
		async () => {
			await createPod('a');
			const stopped = await createPod('b');
			await run({
				resource: 'pod',
				operation: 'stop',
				podId: { __rl: true, mode: 'id', value: stopped.id },
			});
			sandbox.requests.length = 0;

			const [account] = json(await run({ resource: 'account', operation: 'get' }));
			// Cluster pods are pods, billed alike: the spend counts them too.
			expect(sandbox.requests.map((r) => r.path)).toEqual([
				'/v2/pods?includeClusterPods=true',
				'/v2/billing?bucketSize=day&lastN=30',
			]);
			expect(account).toMatchObject({
				id: null,
				email: null,
				clientBalance: null,
				spendLimit: null,
				hoursOfBalanceLeft: null,
				currentSpendPerHr: 0.69,
				runningPodCount: 1,
				podCount: 2,
			});
			expect(Object.keys(account.unavailable as IDataObject).sort()).toEqual([
				'clientBalance',
				'email',
				'hoursOfBalanceLeft',
				'id',
				'spendLimit',
			]);
			expect((account.unavailable as IDataObject).clientBalance).toMatch(
				/REST v2 does not report the balance/,
			);
			expect((account.unavailable as IDataObject).hoursOfBalanceLeft).toMatch(
				/needs the balance, which REST v2 does not report/,
			);
			const history = account.spendHistory as IDataObject[];
			expect(history.length).toBeGreaterThan(0);
			expect(history[history.length - 1]).toEqual({
				startTime: expect.any(String),
				endTime: expect.any(String),
				amount: expect.any(Number),
			});
		},
	);

	graphqlOnly('an idle account: balance, no spend, so no hours-left figure', async () => {
		const result = await run({ resource: 'account', operation: 'get' });
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([
			{
				id: sandbox.state.account.id,
				email: 'sandbox@example.com',
				clientBalance: 100,
				currentSpendPerHr: 0,
				spendLimit: 80,
				hoursOfBalanceLeft: null,
				runningPodCount: 0,
				podCount: 0,
			},
		]);
		expect(sandbox.requests).toHaveLength(1);
	});

	graphqlOnly(
		'with pods running: spend per hour, hours of balance left and the pod counts, in one request',
		async () => {
			await createPod('a');
			const stopped = await createPod('b');
			await run({
				resource: 'pod',
				operation: 'stop',
				podId: { __rl: true, mode: 'id', value: stopped.id },
			});
			sandbox.requests.length = 0;

			const [account] = json(await run({ resource: 'account', operation: 'get' }));
			expect(sandbox.requests).toHaveLength(1);
			expect(account).toMatchObject({ currentSpendPerHr: 0.69, runningPodCount: 1, podCount: 2 });
			const balance = account.clientBalance as number;
			expect(balance).toBeGreaterThan(99);
			expect(account.hoursOfBalanceLeft).toBeCloseTo(balance / 0.69, 1);
		},
	);

	test('an unknown key is a clear credential error', async () => {
		const result = await run({ resource: 'account', operation: 'get' }, 'rpa_not_a_real_key');
		expect(result.error?.message).toBe('RunPod rejected the API key (HTTP 401)');
		expect(JSON.stringify(result.run)).not.toContain('rpa_not_a_real_key');
	});
});
