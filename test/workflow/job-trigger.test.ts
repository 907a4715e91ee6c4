/**
 * RunPod Job Trigger: webhook calls handed to the node in n8n-core's WebhookContext, with the
 * static data kept between calls. The re-check goes to a small stand-in for RunPod's serverless
 * job API (GET /v2/{endpointId}/status/{jobId}) on 127.0.0.1.
 */
import { createServer } from 'http';
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { RunPodJobTrigger } from '../../nodes/RunPod/RunPodJobTrigger.node';
import { SEEN_JOBS_LIMIT, remember } from '../../nodes/RunPod/trigger/job/webhook';
import { JobWebhook } from './trigger-harness';

const TOKEN = 'k3y-For-Tests_0123456789';
const ENDPOINT = 'ep-trigger-test';

/** What RunPod posts when a job finishes: the job's /status object plus its input and webhook. */
function jobBody(id: string, status = 'COMPLETED', extra: IDataObject = {}): IDataObject {
	return {
		id,
		status,
		delayTime: 812,
		executionTime: 4213,
		...(status === 'COMPLETED' ? { output: { image_url: `https://example.com/${id}.png` } } : { error: 'CUDA out of memory' }),
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
			getNodeParameter: (name: string, fallback: unknown) => (name === 'secretToken' ? secretToken : fallback),
		};
		await expect(node.webhookMethods.default.checkExists.call(ctx as never)).rejects.toThrow(
			'Secret Token: expected 16 to 128 letters, digits, "-" or "_"',
		);
	});
});

describe('RunPod Job Trigger: calls', () => {
	test('a finished job starts the workflow with RunPod\'s job fields', async () => {
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

	test('RunPod\'s retries of the same job are answered 200 and start nothing', async () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED', 'FAILED'] });
		expect((await hook.call(jobBody('job-1'))).items).toHaveLength(1);
		for (let retry = 0; retry < 2; retry++) {
			const again = await hook.call(jobBody('job-1'));
			expect(again).toMatchObject({ statusCode: 200, items: null, body: { received: true, duplicate: true, jobId: 'job-1' } });
		}
		expect((await hook.call(jobBody('job-2', 'FAILED'))).items).toEqual([expect.objectContaining({ id: 'job-2', status: 'FAILED' })]);
	});

	test('the status filter: a failed job does not start a workflow that only wants completed ones', async () => {
		const hook = new JobWebhook({ secretToken: TOKEN, statuses: ['COMPLETED'] });
		const failed = await hook.call(jobBody('job-9', 'FAILED'));
		expect(failed).toMatchObject({ statusCode: 200, items: null });
		expect(failed.body?.ignored).toMatch(/FAILED/);
		expect((await hook.call(jobBody('job-10', 'completed'))).items).toEqual([expect.objectContaining({ status: 'COMPLETED' })]);
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
		const store: { seenJobIds?: string[] } = {};
		for (let i = 0; i < SEEN_JOBS_LIMIT + 20; i++) remember(store, `job-${i}`);
		expect(store.seenJobIds).toHaveLength(SEEN_JOBS_LIMIT);
		expect(store.seenJobIds![0]).toBe('job-20');
		expect(store.seenJobIds!.at(-1)).toBe(`job-${SEEN_JOBS_LIMIT + 19}`);
	});
});

describe('RunPod Job Trigger: Re-Check With RunPod', () => {
	let server: Server;
	let baseUrl: string;
	const jobs: Record<string, IDataObject> = {};
	const seen: Array<{ url: string; authorization?: string }> = [];
	let failWith: number | undefined;

	beforeAll(async () => {
		server = createServer((req, res) => {
			seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
			const match = /^\/v2\/([^/]+)\/status\/([^/?]+)$/.exec(req.url ?? '');
			res.setHeader('content-type', 'application/json');
			if (failWith) {
				res.statusCode = failWith;
				res.end('{}');
				return;
			}
			const job = match && decodeURIComponent(match[1]) === ENDPOINT ? jobs[decodeURIComponent(match[2])] : undefined;
			res.statusCode = job ? 200 : 404;
			res.end(JSON.stringify(job ?? { error: 'job not found' }));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	beforeEach(() => {
		seen.length = 0;
		failWith = undefined;
	});

	function hook(statuses = ['COMPLETED', 'FAILED']) {
		return new JobWebhook(
			{ secretToken: TOKEN, statuses, recheck: true, endpointId: ENDPOINT },
			{ apiKey: 'rp_test_key', baseUrl: 'http://127.0.0.1:1', serverlessBaseUrl: `${baseUrl}/` },
		);
	}

	test('RunPod\'s answer is used instead of the body, with the key, and the item says it was verified', async () => {
		jobs['job-ok'] = { id: 'job-ok', status: 'COMPLETED', output: { answer: 42 }, delayTime: 5, executionTime: 9 };
		const call = await hook().call(jobBody('job-ok', 'COMPLETED', { output: { answer: 'forged' } }));
		expect(call.items).toEqual([expect.objectContaining({ id: 'job-ok', status: 'COMPLETED', output: { answer: 42 }, verified: true })]);
		expect(seen).toEqual([{ url: `/v2/${ENDPOINT}/status/job-ok`, authorization: 'Bearer rp_test_key' }]);
	});

	test('the status filter applies to RunPod\'s status, not the body\'s', async () => {
		jobs['job-really-failed'] = { id: 'job-really-failed', status: 'FAILED', error: 'boom' };
		const call = await hook(['COMPLETED']).call(jobBody('job-really-failed', 'COMPLETED'));
		expect(call).toMatchObject({ statusCode: 200, items: null });
	});

	test('a job RunPod does not know starts nothing', async () => {
		const call = await hook().call(jobBody('job-made-up'));
		expect(call).toMatchObject({ statusCode: 200, items: null });
		expect(call.body?.ignored).toMatch(/does not know job job-made-up/);
	});

	test('when RunPod cannot be asked, the call is answered 503 so RunPod sends it again, and the job is not marked as seen', async () => {
		jobs['job-later'] = { id: 'job-later', status: 'COMPLETED', output: {} };
		const trigger = hook();
		failWith = 502;
		const first = await trigger.call(jobBody('job-later'));
		expect(first).toMatchObject({ statusCode: 503, items: null });
		expect(first.body?.message).toBe('Could not re-check the job with RunPod: RunPod answered HTTP 502');
		failWith = undefined;
		expect((await trigger.call(jobBody('job-later'))).items).toHaveLength(1);
	});

	test('duplicates are dropped before asking RunPod again', async () => {
		jobs['job-dup'] = { id: 'job-dup', status: 'COMPLETED' };
		const trigger = hook();
		await trigger.call(jobBody('job-dup'));
		await trigger.call(jobBody('job-dup'));
		expect(seen).toHaveLength(1);
	});
});
