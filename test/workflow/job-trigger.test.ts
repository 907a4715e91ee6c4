/**
 * RunPod Job Trigger: webhook calls handed to the node in n8n-core's WebhookContext, with the
 * static data kept between calls. The re-check asks the sandbox's serverless job face
 * (GET /v2/{endpointId}/status/{jobId}), as it would ask RunPod.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEMO_ENDPOINT_ID } from '../../sandbox/serverless/endpoints';
import { RunPodJobTrigger } from '../../nodes/RunPod/RunPodJobTrigger.node';
import { SEEN_JOBS_LIMIT, remember } from '../../nodes/RunPod/trigger/job/webhook';
import { JobWebhook } from './trigger-harness';

const TOKEN = 'k3y-For-Tests_0123456789';

/** What RunPod posts when a job finishes: the job's /status object plus its input and webhook. */
function jobBody(id: string, status = 'COMPLETED', extra: IDataObject = {}): IDataObject {
	return {
		id,
		status,
		delayTime: 812,
		executionTime: 4213,
		...(status === 'COMPLETED'
			? { output: { image_url: `https://example.com/${id}.png` } }
			: { error: 'CUDA out of memory' }),
		input: { prompt: 'a red fox' },
		webhook: `http://127.0.0.1:5678/webhook/x/job/${TOKEN}`,
		...extra,
	};
}

describe('RunPod Job Trigger: the URL and its token', () => {
	test('the webhook path carries the secret token, so the URL shown in the node is the one to paste', () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED', 'FAILED'] });
		const [webhook] = hook.registeredWebhooks();
		expect(webhook.httpMethod).toBe('POST');
		expect(webhook.path).toBe(`${hook.node().webhookId}/job/${TOKEN}`);
	});

	test.each([
		['empty', ''],
		['too short', 'abc123'],
		['with characters that break a URL', 'secret/with?query=1&more'],
	])('a token that is %s is refused at activation', async (_label, secretToken) => {
		const node = new RunPodJobTrigger();
		const ctx = {
			getNode: () => ({ name: 'RunPod Job Trigger' }),
			getNodeParameter: (name: string, fallback: unknown) =>
				name === 'secretToken' ? secretToken : fallback,
		};
		await expect(node.webhookMethods.default.checkExists.call(ctx as never)).rejects.toThrow(
			'Secret Token: expected 16 to 128 letters, digits, "-" or "_"',
		);
	});
});

describe('RunPod Job Trigger: calls', () => {
	test("a finished job starts the workflow with RunPod's job fields", async () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED', 'FAILED'] });
		const call = await hook.call(jobBody('job-1'));
		expect(call.items).toEqual([
			expect.objectContaining({
				id: 'job-1',
				status: 'COMPLETED',
				output: { image_url: 'https://example.com/job-1.png' },
				executionTime: 4213,
				input: { prompt: 'a red fox' },
				verified: false,
			}),
		]);
		expect(Number.isNaN(Date.parse(String(call.items![0].receivedAt)))).toBe(false);
	});

	test("RunPod's retries of the same job are answered 200 and start nothing", async () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED', 'FAILED'] });
		expect((await hook.call(jobBody('job-1'))).items).toHaveLength(1);
		for (let retry = 0; retry < 2; retry++) {
			const again = await hook.call(jobBody('job-1'));
			expect(again).toMatchObject({
				statusCode: 200,
				items: null,
				body: { received: true, duplicate: true, jobId: 'job-1' },
			});
		}
		expect((await hook.call(jobBody('job-2', 'FAILED'))).items).toEqual([
			expect.objectContaining({ id: 'job-2', status: 'FAILED' }),
		]);
	});

	test('the status filter: a failed job does not start a workflow that only wants completed ones', async () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED'] });
		const failed = await hook.call(jobBody('job-9', 'FAILED'));
		expect(failed).toMatchObject({ statusCode: 200, items: null });
		expect(failed.body?.ignored).toMatch(/FAILED/);
		expect((await hook.call(jobBody('job-10', 'completed'))).items).toEqual([
			expect.objectContaining({ status: 'COMPLETED' }),
		]);
	});

	test('a body that is not a RunPod job is answered 400 and starts nothing', async () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED'] });
		for (const body of [{}, { id: 'x' }, { status: 'COMPLETED' }, 'text', [jobBody('j')]]) {
			const call = await hook.call(body);
			expect(call).toMatchObject({ statusCode: 400, items: null });
		}
		expect(hook.staticData).toEqual({});
	});

	test('the memory of seen jobs is bounded: the oldest job IDs are forgotten first', () => {
		const store: { seenDeliveries?: string[] } = {};
		for (let i = 0; i < SEEN_JOBS_LIMIT + 20; i++) remember(store, `job-${i}|COMPLETED|0`);
		expect(store.seenDeliveries).toHaveLength(SEEN_JOBS_LIMIT);
		expect(store.seenDeliveries![0]).toBe('job-20|COMPLETED|0');
		expect(store.seenDeliveries!.at(-1)).toBe(`job-${SEEN_JOBS_LIMIT + 19}|COMPLETED|0`);
	});

	test('every job is remembered, not only the first (n8n saves the state only while it is marked as changed)', async () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED', 'FAILED'] });
		for (const id of ['j1', 'j2', 'j3'])
			expect((await hook.call(jobBody(id))).items).toHaveLength(1);
		for (const id of ['j1', 'j2', 'j3']) {
			expect(await hook.call(jobBody(id))).toMatchObject({
				items: null,
				body: { received: true, duplicate: true, jobId: id },
			});
		}
		expect(hook.staticData['node:RunPod Job Trigger']).toEqual({
			seenDeliveries: ['j1|COMPLETED|0', 'j2|COMPLETED|0', 'j3|COMPLETED|0'],
		});
	});

	test("a job retried after it FAILED starts the workflow again when it COMPLETES; RunPod's resends do not", async () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED', 'FAILED'] });
		expect((await hook.call(jobBody('job-r', 'FAILED'))).items).toEqual([
			expect.objectContaining({ id: 'job-r', status: 'FAILED' }),
		]);
		// The workflow calls /retry: same job ID, RunPod counts the retry.
		const success = jobBody('job-r', 'COMPLETED', { retries: 1 });
		expect((await hook.call(success)).items).toEqual([
			expect.objectContaining({ id: 'job-r', status: 'COMPLETED', retries: 1 }),
		]);
		expect(await hook.call(success)).toMatchObject({ items: null, body: { duplicate: true } });
		expect(await hook.call(jobBody('job-r', 'FAILED'))).toMatchObject({
			items: null,
			body: { duplicate: true },
		});
	});

	test('an accepted call is answered with JSON the caller can read', async () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED'] });
		const call = await hook.call(jobBody('job-a'));
		expect(call.statusCode).toBe(200);
		expect(call.body).toEqual({
			received: true,
			jobId: 'job-a',
			status: 'COMPLETED',
			verified: false,
		});
	});

	test('the secret token never reaches the execution: the echoed webhook URL is redacted', async () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED'] });
		const call = await hook.call(
			jobBody('job-t', 'COMPLETED', { input: { note: `sent to ${TOKEN}` } }),
		);
		expect(JSON.stringify(call.items)).not.toContain(TOKEN);
		expect(call.items![0].webhook).toBe('http://127.0.0.1:5678/webhook/x/job/***');
	});

	test('what is stored is capped: a job ID longer than a RunPod ID is refused and not stored', async () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED'] });
		const call = await hook.call(jobBody('x'.repeat(129)));
		expect(call).toMatchObject({ statusCode: 400, items: null });
		expect(hook.staticData).toEqual({});
		expect((await hook.call(jobBody('y'.repeat(128)))).items).toHaveLength(1);
	});
});

describe("RunPod Job Trigger: Re-Check With RunPod (against the sandbox's serverless job face)", () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0, seed: 21 });
	});

	afterAll(async () => {
		await sandbox.close();
	});

	beforeEach(() => {
		sandbox.reset();
	});

	/** Runs a job on the sandbox's demo endpoint and waits for it to finish, as RunPod would. */
	async function runJob(input: IDataObject): Promise<IDataObject> {
		const response = await fetch(`${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/runsync`, {
			method: 'POST',
			headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ input }),
		});
		expect(response.status).toBe(200);
		const job = (await response.json()) as IDataObject;
		expect(['COMPLETED', 'FAILED']).toContain(job.status);
		sandbox.requests.length = 0;
		return job;
	}

	function hook(statuses = ['COMPLETED', 'FAILED']) {
		return new JobWebhook(
			{ secretToken: TOKEN, statuses, recheck: true, endpointId: DEMO_ENDPOINT_ID },
			{ apiKey: sandbox.apiKey, baseUrl: sandbox.url, serverlessBaseUrl: `${sandbox.url}/` },
		);
	}

	const statusRequests = () =>
		sandbox.requests.filter((request) => request.fields.includes('job.status'));

	test("RunPod's answer is used instead of the body, and the item says it was verified", async () => {
		const job = await runJob({ prompt: 'a red fox' });
		const call = await hook().call(
			jobBody(String(job.id), 'COMPLETED', { output: { forged: true } }),
		);
		expect(call.items).toEqual([
			expect.objectContaining({
				id: job.id,
				status: 'COMPLETED',
				output: job.output,
				verified: true,
			}),
		]);
		expect(
			statusRequests().map((request) => [`${request.method} ${request.path}`, request.status]),
		).toEqual([[`GET /v2/${DEMO_ENDPOINT_ID}/status/${job.id}`, 200]]);
	});

	test("the status filter applies to RunPod's status, not the body's", async () => {
		const job = await runJob({ fail: 'CUDA out of memory' });
		expect(job.status).toBe('FAILED');
		const call = await hook(['COMPLETED']).call(jobBody(String(job.id), 'COMPLETED'));
		expect(call).toMatchObject({ statusCode: 200, items: null });
		expect(call.body?.ignored).toMatch(/FAILED/);
	});

	test('a job RunPod does not know starts nothing', async () => {
		const call = await hook().call(jobBody('made-up-job-e1'));
		expect(call).toMatchObject({ statusCode: 200, items: null });
		expect(call.body?.ignored).toBe(
			`RunPod does not know job made-up-job-e1 on endpoint ${DEMO_ENDPOINT_ID}`,
		);
	});

	test('when RunPod cannot be asked, the call is answered 503 so RunPod sends it again, and the job is not marked as seen', async () => {
		const job = await runJob({});
		const trigger = hook();
		sandbox.faults.next({ kind: 'http5xx', status: 502, body: 'json' });
		const first = await trigger.call(jobBody(String(job.id)));
		expect(first).toMatchObject({ statusCode: 503, items: null });
		expect(first.body?.message).toBe(
			'Could not re-check the job with RunPod: RunPod answered HTTP 502',
		);
		expect((await trigger.call(jobBody(String(job.id)))).items).toHaveLength(1);
	});

	test('abuse: a forged body about a real FAILED job keeps none of its claims in the verified item', async () => {
		const job = await runJob({ fail: 'CUDA out of memory' });
		expect(job.status).toBe('FAILED');
		const forged = { id: job.id, status: 'COMPLETED', output: { forged: true }, error: null };
		const call = await hook().call(forged);
		expect(call.items).toHaveLength(1);
		const [item] = call.items!;
		// Only what RunPod's /status said, plus the body apart, named as unverified.
		expect(item).toEqual({
			...((await (
				await fetch(`${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/status/${job.id}`, {
					headers: { authorization: `Bearer ${sandbox.apiKey}` },
				})
			).json()) as IDataObject),
			delayTime: expect.any(Number),
			executionTime: expect.any(Number),
			status: 'FAILED',
			verified: true,
			unverified: { ...forged, status: 'COMPLETED' },
			receivedAt: expect.any(String),
		});
		expect(item.output).toBeUndefined();
		expect(call.body).toEqual({ received: true, jobId: job.id, status: 'FAILED', verified: true });
	});

	test('duplicates are dropped before asking RunPod again', async () => {
		const job = await runJob({});
		const trigger = hook();
		await trigger.call(jobBody(String(job.id)));
		await trigger.call(jobBody(String(job.id)));
		expect(statusRequests()).toHaveLength(1);
	});
});
