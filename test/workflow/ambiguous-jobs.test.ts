/**
 * Job → Run and Job → Stream when RunPod's answer is lost: a job is paid for once, a result that
 * was paid for is not bought again, and what cannot be fetched is said, never hidden.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { FaultKind, Sandbox } from '../../sandbox';
import { DEMO_ENDPOINT_ID } from '../../sandbox/serverless/endpoints';
import { byId, json, runRunPodNode } from './harness';
import type { RunResult } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: 17,
		// A finished /runsync job's result is kept 150 ms here (RunPod: one minute).
		serverless: { coldStartMs: 10, webhookRetryDelayMs: 20, retentionMs: { runsync: 150 } },
	});
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function run(
	parameters: IDataObject,
	items: IDataObject[] = [{}],
	retry = true,
): Promise<RunResult> {
	return await runRunPodNode({
		parameters: {
			resource: 'job',
			endpointId: byId(DEMO_ENDPOINT_ID),
			requestPolicy: { timeoutSeconds: 5 },
			...parameters,
		},
		items,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, serverlessBaseUrl: sandbox.url },
		...(retry ? { retryOnFail: { maxTries: 3 } } : {}),
		executionId: `exec-${Math.random().toString(36).slice(2)}`,
	});
}

const calls = (verb: string) =>
	sandbox.requests.filter((r) => r.fields[0] === `job.${verb}`).length;

describe('Job → Run: an answer lost behind a busy gateway never pays for a second job', () => {
	test.each([
		['queue', 'run', { kind: 'lateApply', answer: 502, applyAfterMs: 100 }],
		['queue', 'run', { kind: 'lateApply', answer: 'reset', applyAfterMs: 100 }],
		['wait', 'runsync', { kind: 'lateApply', answer: 504, applyAfterMs: 100 }],
		['wait', 'runsync', { kind: 'dropAfterApply', mode: 'reset' }],
	] as Array<[string, string, FaultKind]>)(
		'%s mode, /%s lost (%j), Retry On Fail on: one job, and the error says what the user can do',
		async (mode, verb, fault) => {
			sandbox.faults.next(fault, { field: `job.${verb}` });
			const result = await run({ operation: 'run', mode, input: '{"output": "x"}' });
			await sandbox.faults.settled();
			expect(calls('run') + calls('runsync')).toBe(1);
			expect(sandbox.jobs.jobs.size).toBe(1);
			expect(result.error?.message).toMatch(/^The job may have been queued/);
			expect(result.error?.description).toContain(
				`https://console.runpod.io/serverless/user/endpoint/${DEMO_ENDPOINT_ID}`,
			);
			expect(result.error?.description).toMatch(/Queue with Webhook/);
			expect(result.error?.description).not.toMatch(/Get Many/);
		},
	);

	test('a rate-limited /runsync (HTTP 429) is proven not queued: it is sent again', async () => {
		sandbox.faults.next({ kind: 'http429', retryAfterSeconds: 0 }, { field: 'job.runsync' });
		const result = await run({ operation: 'run', mode: 'wait', input: '{"output": "y"}' });
		expect(result.error).toBeUndefined();
		expect(json(result)[0]).toMatchObject({ status: 'COMPLETED' });
		expect(calls('runsync')).toBe(2);
	});
});

test('a long batch: a completed item whose result RunPod no longer keeps is not run again on Retry On Fail', async () => {
	const result = await run(
		{ operation: 'run', mode: 'wait', input: '={{ JSON.stringify($json) }}' },
		[{ output: 'paid for' }, { fail: 'broken', sleepMs: 300 }],
	);
	// Item 1 fails on every try (its FAILED result expires too, and is not run again either).
	expect(result.error?.message).toMatch(/ended FAILED: broken|can no longer be fetched/);
	expect(result.error?.context?.itemIndex).toBe(1);
	// Item 0's job ran once; its result had expired at RunPod before the reruns.
	expect(calls('runsync')).toBe(2);
});

test('Cancel on Max Wait: a cancel that fails is said as failed, with the job ID', async () => {
	sandbox.faults.next({ kind: 'http5xx', status: 500, body: 'json' }, { field: 'job.cancel' });
	const result = await run(
		{
			operation: 'run',
			mode: 'wait',
			input: '{"sleepMs": 3000}',
			options: { maxWaitSeconds: 1 },
		},
		[{}],
		false,
	);
	const [job] = [...sandbox.jobs.jobs.values()];
	expect(result.error?.message).toMatch(/and cancelling it failed$/);
	expect(result.error?.message).toContain(`Job ${job.id}`);
	expect(result.error?.description).toMatch(/may still be running/);
	expect(result.error?.description).not.toMatch(/The node cancelled it/);
	expect(job.status).not.toBe('CANCELLED');
});

test('Job → Stream: a lost /stream answer fails the item instead of ending COMPLETED without its chunks', async () => {
	const queued = await run(
		{ operation: 'run', mode: 'queue', input: '{"stream": ["a", "b", "c"]}' },
		[{}],
		false,
	);
	const jobId = json(queued)[0].jobId as string;
	for (let i = 0; i < 300 && sandbox.jobs.jobs.get(jobId)?.status !== 'COMPLETED'; i++)
		await new Promise((resolve) => setTimeout(resolve, 10));
	sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'job.stream' });
	const streamed = await run({ operation: 'stream', jobId }, [{}], false);
	expect(calls('stream')).toBe(1);
	expect(json(streamed)).toEqual([]);
	expect(streamed.error?.message).toBe(
		`Streamed chunks of job ${jobId} were lost: Could not reach RunPod (ECONNRESET)`,
	);
	expect(streamed.error?.description).toMatch(/0 chunk\(s\) had arrived before/);
});
