/** The Job resource, run through n8n's executor against the sandbox's serverless job face. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEMO_ENDPOINT_ID } from '../../sandbox/serverless/endpoints';
import { byId, json, runRunPodNode } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: 12,
		serverless: { coldStartMs: 20, webhookRetryDelayMs: 20 },
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
	options: { items?: IDataObject[]; continueOnFail?: boolean } = {},
) {
	return await runRunPodNode({
		parameters: { resource: 'job', endpointId: byId(DEMO_ENDPOINT_ID), ...parameters },
		items: options.items,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, serverlessBaseUrl: sandbox.url },
		continueOnFail: options.continueOnFail,
	});
}

const jobCalls = () =>
	sandbox.requests
		.filter((r) => r.fields[0]?.startsWith('job.'))
		.map((r) => `${r.method} ${r.path}`.replace(/\/[0-9a-f-]{36}-[a-z0-9]+/, '/<job>'));

describe('Run → Wait for Result', () => {
	test("the item carries the job's output, id, status and timings; built from the item by expressions", async () => {
		const result = await run(
			{ operation: 'run', mode: 'wait', input: '={"prompt": "{{ $json.prompt }}", "sleepMs": 30}' },
			{ items: [{ prompt: 'a red fox' }] },
		);
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([
			{
				jobId: expect.stringMatching(/-u1$/),
				status: 'COMPLETED',
				endpointId: DEMO_ENDPOINT_ID,
				output: { echo: { prompt: 'a red fox', sleepMs: 30 }, text: 'You said: a red fox' },
				delayTimeMs: expect.any(Number),
				executionTimeMs: expect.any(Number),
			},
		]);
		expect(jobCalls()).toEqual([`POST /v2/${DEMO_ENDPOINT_ID}/runsync?wait=90000`]);
	});

	test('a job that outlives /runsync is followed on /status until it completes', async () => {
		const result = await run({
			operation: 'run',
			mode: 'wait',
			input: '{"sleepMs": 1600}',
			options: { maxWaitSeconds: 1 },
		});
		// Max Wait is below the job's run time: the item fails with the job id, and the job is cancelled.
		expect(result.error?.message).toMatch(/was still IN_(PROGRESS|QUEUE) after 1 seconds/);
		expect(jobCalls().at(-1)).toMatch(/POST .*\/cancel\/<job>$/);
		expect([...sandbox.jobs.jobs.values()][0].status).toBe('CANCELLED');

		// RunPod answers /runsync early here: the node goes on polling /status.
		sandbox.requests.length = 0;
		sandbox.jobs.runsyncWaitCapMs = 100;
		const waited = await run({
			operation: 'run',
			mode: 'wait',
			input: '{"sleepMs": 1300, "output": "done"}',
			options: { maxWaitSeconds: 10 },
		});
		expect(json(waited)[0]).toMatchObject({ status: 'COMPLETED', output: 'done' });
		expect(jobCalls()[0]).toBe(`POST /v2/${DEMO_ENDPOINT_ID}/runsync?wait=10000`);
		const polls = jobCalls().slice(1);
		expect(polls.length).toBeGreaterThanOrEqual(2);
		expect(polls.every((call) => call === `GET /v2/${DEMO_ENDPOINT_ID}/status/<job>`)).toBe(true);
	});

	test.each([
		['FAILED', '{"fail": "CUDA out of memory", "sleepMs": 5}', /ended FAILED: CUDA out of memory/],
		['TIMED_OUT', '{"timeout": true}', /ended TIMED_OUT: Job timed out after 0.2 seconds/],
	])(
		"a %s job fails the item with the job's error, or passes through when asked",
		async (status, input, message) => {
			sandbox.state.endpoints![0].executionTimeoutMs = 200;
			const options = {};
			const failed = await run({ operation: 'run', mode: 'wait', input, options });
			expect(failed.error?.message).toMatch(message);
			expect(failed.error?.description).toMatch(/Pass Through Failed Jobs/);
			expect(failed.error?.description).toContain(
				`console.runpod.io/serverless/user/endpoint/${DEMO_ENDPOINT_ID}`,
			);

			const passed = await run({
				operation: 'run',
				mode: 'wait',
				input,
				options: { ...options, passThroughFailed: true },
			});
			expect(passed.error).toBeUndefined();
			expect(json(passed)[0]).toMatchObject({ status, error: expect.any(String) });
		},
	);

	test('a CANCELLED job fails the item', async () => {
		const running = run({ operation: 'run', mode: 'wait', input: '{"sleepMs": 5000}' });
		for (let i = 0; i < 1000 && sandbox.jobs.jobs.size === 0; i++)
			await new Promise((resolve) => setTimeout(resolve, 10));
		const [job] = [...sandbox.jobs.jobs.values()];
		const cancel = await run({ operation: 'cancel', jobId: job.id });
		expect(json(cancel)).toEqual([
			{ jobId: job.id, status: 'CANCELLED', endpointId: DEMO_ENDPOINT_ID },
		]);
		const result = await running;
		expect(result.error?.message).toBe(`Job ${job.id} ended CANCELLED`);
	});

	test('binary output: a base64 PNG in the output becomes n8n binary data with a file name and MIME type', async () => {
		const result = await run({
			operation: 'run',
			mode: 'wait',
			input: '{"prompt": "a lighthouse", "image": {"width": 16, "height": 8}, "sleepMs": 5}',
			options: { binaryOutputField: 'image', binaryPropertyName: 'picture' },
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json.output).toEqual({ width: 16, height: 8, format: 'png' });
		expect(item.binary?.picture).toMatchObject({
			mimeType: 'image/png',
			fileName: `${item.json.jobId}.png`,
			fileExtension: 'png',
		});
		const bytes = Buffer.from(item.binary!.picture.data, 'base64');
		expect(bytes.readUInt32BE(16)).toBe(16);
		expect(bytes.readUInt32BE(20)).toBe(8);
	});

	test('binary output from a data: URL inside a list keeps its MIME type and leaves the rest of the output', async () => {
		const wav = Buffer.concat([
			Buffer.from('RIFF'),
			Buffer.alloc(4),
			Buffer.from('WAVEfmt '),
		]).toString('base64');
		const result = await run({
			operation: 'run',
			mode: 'wait',
			input: JSON.stringify({
				output: { clips: [{ audio: `data:audio/x-wav;base64,${wav}`, seconds: 2 }] },
				sleepMs: 1,
			}),
			options: { binaryOutputField: 'clips[0].audio', binaryFileName: 'speech.wav' },
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json.output).toEqual({ clips: [{ seconds: 2 }] });
		expect(item.binary?.data).toMatchObject({ mimeType: 'audio/x-wav', fileName: 'speech.wav' });
		expect(Buffer.from(item.binary!.data.data, 'base64').subarray(8, 12).toString('ascii')).toBe(
			'WAVE',
		);
	});

	test('binary output names a missing field clearly', async () => {
		const result = await run({
			operation: 'run',
			mode: 'wait',
			input: '{"output": {"text": "hi"}, "sleepMs": 1}',
			options: { binaryOutputField: 'image' },
		});
		expect(result.error?.message).toBe(
			"Binary Output Field: the job's output.image does not exist",
		);
		expect(result.error?.description).toContain('The output has: text');
	});
});

describe('Run → queue modes', () => {
	test('Queue Only returns the job id at once; Get Status reads the result later', async () => {
		const queued = await run({
			operation: 'run',
			mode: 'queue',
			input: '{"prompt": "later", "sleepMs": 50}',
			options: { ttlSeconds: 60, lowPriority: true },
		});
		const [item] = json(queued);
		expect(item).toEqual({
			jobId: expect.stringMatching(/-e1$/),
			status: 'IN_QUEUE',
			endpointId: DEMO_ENDPOINT_ID,
			statusUrl: `${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/status/${item.jobId}`,
		});
		expect(sandbox.requests.at(-1)?.body).toEqual({
			input: { prompt: 'later', sleepMs: 50 },
			policy: { ttl: 60000, lowPriority: true },
		});
		await new Promise((resolve) => setTimeout(resolve, 200));
		const status = await run({ operation: 'getStatus', jobId: item.jobId });
		expect(json(status)[0]).toMatchObject({
			jobId: item.jobId,
			status: 'COMPLETED',
			output: { text: 'You said: later' },
		});
	});

	test('Queue with Webhook sends the URL with the job; the sandbox POSTs the result there; the output shows the URL without its secret', async () => {
		const hook = await import('http');
		const received: IDataObject[] = [];
		const server = hook.createServer((request, response) => {
			let text = '';
			request.on('data', (c) => (text += c));
			request.on('end', () => {
				received.push(JSON.parse(text));
				response.end('ok');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
			const url = `${base}/webhook/4c0f/job/Secret-Token_0123456789?key=abc`;
			const queued = await run({
				operation: 'run',
				mode: 'webhook',
				webhookUrl: url,
				input: '{"prompt": "hook", "sleepMs": 5}',
			});
			expect(json(queued)[0]).toMatchObject({
				status: 'IN_QUEUE',
				webhook: `${base}/webhook/4c0f/job/***?key=***`,
			});
			expect(JSON.stringify(json(queued))).not.toContain('Secret-Token_0123456789');
			expect(sandbox.requests.at(-1)?.body).toMatchObject({ webhook: url });
			for (let i = 0; i < 1000 && received.length === 0; i++)
				await new Promise((resolve) => setTimeout(resolve, 10));
			expect(received).toEqual([
				expect.objectContaining({
					id: json(queued)[0].jobId,
					status: 'COMPLETED',
					output: expect.objectContaining({ text: 'You said: hook' }),
				}),
			]);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	test('a webhook URL that is not http(s) is refused before anything is sent', async () => {
		const result = await run({
			operation: 'run',
			mode: 'webhook',
			webhookUrl: 'not a url',
			input: '{}',
		});
		expect(result.error?.message).toBe('Webhook URL: expected an http(s) URL, got "not a url"');
		expect(jobCalls()).toEqual([]);
	});
});

describe('many items', () => {
	test('one job per item, results paired with their items in order, with bounded parallelism', async () => {
		sandbox.state.endpoints![0].workersMax = 10;
		const prompts = Array.from({ length: 8 }, (_, i) => ({
			prompt: `p${i}`,
			sleepMs: (8 - i) * 40,
		}));
		const result = await run(
			{
				operation: 'run',
				mode: 'wait',
				input: '={{ JSON.stringify({ prompt: $json.prompt, sleepMs: $json.sleepMs }) }}',
				options: { maxParallelJobs: 3 },
			},
			{ items: prompts },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => (item.json.output as IDataObject).text)).toEqual(
			prompts.map((p) => `You said: ${p.prompt}`),
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			prompts.map((_, i) => ({ item: i })),
		);
		expect(new Set(json(result).map((item) => item.jobId)).size).toBe(8);
		// Never more than three jobs at once on the sandbox's workers.
		const jobs = [...sandbox.jobs.jobs.values()];
		const overlaps = jobs.map(
			(a) =>
				jobs.filter(
					(b) =>
						b.submittedAtMs <= a.submittedAtMs && (b.finishedAtMs ?? Infinity) > a.submittedAtMs,
				).length,
		);
		expect(Math.max(...overlaps)).toBeLessThanOrEqual(3);
	});

	test('Max Parallel Jobs that an expression turns into NaN is refused before any job is sent', async () => {
		const result = await run(
			{
				operation: 'run',
				mode: 'wait',
				input: '{"prompt": "hi"}',
				// $json.width is missing on the items: the expression resolves to NaN.
				options: { maxParallelJobs: '={{ $json.width * 2 }}' },
			},
			{ items: [{ prompt: 'a' }, { prompt: 'b' }] },
		);
		expect(result.error?.message).toBe(
			'Max Parallel Jobs: expected a whole number from 1 to 100, got NaN (not a number)',
		);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(jobCalls()).toEqual([]);
	});

	test('one failing job fails only its own item under Continue On Fail', async () => {
		const result = await run(
			{ operation: 'run', mode: 'wait', input: '={{ JSON.stringify($json) }}' },
			{
				items: [
					{ output: 1, sleepMs: 1 },
					{ fail: 'bad input', sleepMs: 1 },
					{ output: 3, sleepMs: 1 },
				],
				continueOnFail: true,
			},
		);
		expect(json(result).map((item) => item.output ?? item.error)).toEqual([
			1,
			expect.stringMatching(/ended FAILED: bad input/),
			3,
		]);
	});

	test('invalid JSON in one item stops the node before any job is sent', async () => {
		const result = await run(
			{ operation: 'run', mode: 'queue', input: '={{ $json.raw }}' },
			{ items: [{ raw: '{"a": 1}' }, { raw: '{oops' }] },
		);
		expect(result.error?.message).toMatch(/^Input: is not valid JSON/);
		expect(jobCalls()).toEqual([]);
	});
});

describe('limits and expiry', () => {
	test('an input above the payload limit is refused before sending, naming the limit', async () => {
		const big = 'x'.repeat(11 * 1024 * 1024);
		const queued = await run(
			{ operation: 'run', mode: 'queue', input: '={{ JSON.stringify({ blob: $json.blob }) }}' },
			{ items: [{ blob: big }] },
		);
		expect(queued.error?.message).toBe(
			'Input: the job request is 11.0 MB, above the 10.0 MB RunPod accepts',
		);
		expect(queued.error?.description).toMatch(/use Wait for Result \(up to 20 MB\)/);
		const sync = await run(
			{ operation: 'run', mode: 'wait', input: '={{ JSON.stringify({ blob: $json.blob }) }}' },
			{ items: [{ blob: big + big }] },
		);
		expect(sync.error?.message).toBe(
			'Input: the job request is 22.0 MB, above the 20.0 MB RunPod accepts',
		);
		expect(jobCalls()).toEqual([]);
	}, 20_000);

	test('an expired result reads as "the result has expired", not as an unknown error', async () => {
		const queued = await run({ operation: 'run', mode: 'queue', input: '{"sleepMs": 1}' });
		const jobId = json(queued)[0].jobId as string;
		sandbox.jobs.expire(jobId);
		const status = await run({ operation: 'getStatus', jobId });
		expect(status.error?.message).toBe(
			`The result of job ${jobId} has expired, or the job does not exist on endpoint ${DEMO_ENDPOINT_ID}`,
		);
		expect(status.error?.description).toMatch(/30 minutes/);
	});

	test('an unknown endpoint is named as such', async () => {
		const result = await runRunPodNode({
			parameters: {
				resource: 'job',
				operation: 'run',
				mode: 'queue',
				endpointId: byId('nosuchendpoint'),
				input: '{}',
			},
			credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, serverlessBaseUrl: sandbox.url },
		});
		expect(result.error?.message).toBe(
			'Endpoint: RunPod does not know the endpoint "nosuchendpoint"',
		);
	});
});

describe('Retry, Purge Queue, Stream', () => {
	test('Retry requeues a FAILED job, and refuses a COMPLETED one', async () => {
		const failed = await run({
			operation: 'run',
			mode: 'wait',
			input: '{"fail": true, "sleepMs": 1}',
			options: { passThroughFailed: true },
		});
		const jobId = json(failed)[0].jobId as string;
		expect(json(await run({ operation: 'retry', jobId }))).toEqual([
			{ jobId, status: 'IN_QUEUE', endpointId: DEMO_ENDPOINT_ID },
		]);
		const done = await run({ operation: 'run', mode: 'wait', input: '{"sleepMs": 1}' });
		const refused = await run({ operation: 'retry', jobId: json(done)[0].jobId });
		expect(refused.error?.message).toMatch(
			/is COMPLETED: only FAILED or TIMED_OUT jobs can be retried/,
		);
	});

	test('Purge Queue removes waiting jobs', async () => {
		sandbox.state.endpoints![0].workersMax = 0;
		await run({ operation: 'run', mode: 'queue', input: '{}' }, { items: [{}, {}, {}] });
		expect(json(await run({ operation: 'purgeQueue' }))).toEqual([
			{ endpointId: DEMO_ENDPOINT_ID, removed: 3 },
		]);
	});

	test('Stream collects every chunk until the job is done', async () => {
		const queued = await run({
			operation: 'run',
			mode: 'queue',
			input: '{"stream": ["Hel", "lo ", "world"], "sleepMs": 600}',
		});
		const streamed = await run({ operation: 'stream', jobId: json(queued)[0].jobId });
		expect(json(streamed)[0]).toMatchObject({
			status: 'COMPLETED',
			chunks: ['Hel', 'lo ', 'world'],
			text: 'Hello world',
		});
	});
});

describe('n8n Retry On Fail reruns the node: jobs already queued are followed, not paid for twice', () => {
	const rerun = (items: IDataObject[], executionId: string) =>
		runRunPodNode({
			parameters: {
				resource: 'job',
				endpointId: byId(DEMO_ENDPOINT_ID),
				operation: 'run',
				mode: 'wait',
				input: '={{ JSON.stringify($json) }}',
			},
			items,
			credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, serverlessBaseUrl: sandbox.url },
			retryOnFail: { maxTries: 3 },
			executionId,
		});

	test('a completed item is not run again when another item failed; the failed job is retried by RunPod, not resubmitted', async () => {
		const result = await rerun(
			[
				{ output: 'ok', sleepMs: 1 },
				{ fail: 'still broken', sleepMs: 1 },
			],
			'exec-rerun-1',
		);
		expect(result.error?.message).toMatch(/ended FAILED: still broken/);
		const jobs = [...sandbox.jobs.jobs.values()];
		expect(jobs).toHaveLength(2);
		expect(jobs.map((job) => job.retries)).toEqual([0, 2]);
		expect(jobCalls().filter((call) => call.includes('/runsync'))).toHaveLength(2);
		expect(jobCalls().filter((call) => call.includes('/retry/'))).toHaveLength(2);
	});

	test('another execution runs its jobs anew', async () => {
		await rerun([{ output: 'a', sleepMs: 1 }], 'exec-rerun-2');
		await rerun([{ output: 'a', sleepMs: 1 }], 'exec-rerun-3');
		expect(sandbox.jobs.jobs.size).toBe(2);
	});
});
