/** The sandbox's serverless job face: RunPod's job API over HTTP, workers, expiry and webhooks. */
import { createServer } from 'http';
import type { AddressInfo } from 'net';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEMO_ENDPOINT_ID } from '../../sandbox/serverless/endpoints';
import { ask, data } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: 5,
		serverless: {
			coldStartMs: 30,
			webhookRetryDelayMs: 20,
			retentionMs: { run: 5_000, runsync: 5_000 },
		},
	});
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function call(
	method: string,
	path: string,
	body?: unknown,
	key: string | null = sandbox.apiKey,
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads any field
): Promise<{ status: number; body: any }> {
	const response = await fetch(`${sandbox.url}/v2/${DEMO_ENDPOINT_ID}${path}`, {
		method,
		headers: {
			'content-type': 'application/json',
			...(key ? { authorization: `Bearer ${key}` } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, body: await response.json() };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition() && Date.now() < deadline)
		await new Promise((resolve) => setTimeout(resolve, 10));
}

async function waitForStatus(jobId: string, wanted: string[], timeoutMs = 5000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const { body } = await call('GET', `/status/${jobId}`);
		if (wanted.includes(body.status) || Date.now() > deadline) return body;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

test('a job runs through the queue to COMPLETED, echoing its input with delay and execution times', async () => {
	const queued = await call('POST', '/run', { input: { prompt: 'hello', sleepMs: 60 } });
	expect(queued).toEqual({
		status: 200,
		body: { id: expect.stringMatching(/-e1$/), status: 'IN_QUEUE' },
	});
	const done = await waitForStatus(queued.body.id, ['COMPLETED']);
	expect(done.output).toEqual({ echo: { prompt: 'hello', sleepMs: 60 }, text: 'You said: hello' });
	expect(done.executionTime).toBeGreaterThanOrEqual(55);
	expect(done.delayTime).toBeGreaterThanOrEqual(0);
});

test('runsync answers with the result when it is done in time, and with IN_PROGRESS when it is not', async () => {
	const quick = await call('POST', '/runsync', { input: { output: { answer: 42 }, sleepMs: 10 } });
	expect(quick.body).toMatchObject({ status: 'COMPLETED', output: { answer: 42 } });
	const slow = await call('POST', '/runsync?wait=1000', { input: { sleepMs: 3000 } });
	expect(['IN_QUEUE', 'IN_PROGRESS']).toContain(slow.body.status);
	expect(slow.body.output).toBeUndefined();
});

test('the input asks for a failure, a timeout, streamed chunks or a PNG', async () => {
	const failed = await call('POST', '/runsync', {
		input: { fail: 'CUDA out of memory', sleepMs: 5 },
	});
	expect(failed.body).toMatchObject({ status: 'FAILED', error: 'CUDA out of memory' });
	const timedOut = await call('POST', '/runsync', {
		input: { timeout: true },
		policy: { executionTimeout: 100 },
	});
	expect(timedOut.body).toMatchObject({ status: 'TIMED_OUT' });

	const streaming = await call('POST', '/run', {
		input: { stream: ['a', 'b', 'c'], sleepMs: 150 },
	});
	const seen: unknown[] = [];
	for (let i = 0; i < 100; i++) {
		const { body } = await call('GET', `/stream/${streaming.body.id}`);
		seen.push(...body.stream.map((s: { output: unknown }) => s.output));
		if (body.status === 'COMPLETED') break;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	expect(seen).toEqual(['a', 'b', 'c']);

	const image = await call('POST', '/runsync', {
		input: { image: { width: 8, height: 4 }, sleepMs: 1 },
	});
	const png = Buffer.from(image.body.output.image, 'base64');
	expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
	expect(png.readUInt32BE(16)).toBe(8);
});

test('cancel, retry (FAILED only) and purge-queue', async () => {
	const long = await call('POST', '/run', { input: { sleepMs: 10_000 } });
	await waitForStatus(long.body.id, ['IN_PROGRESS']);
	expect((await call('POST', `/cancel/${long.body.id}`)).body).toEqual({
		id: long.body.id,
		status: 'CANCELLED',
	});
	expect((await call('POST', `/retry/${long.body.id}`)).status).toBe(400);

	const failing = await call('POST', '/runsync', { input: { fail: true, sleepMs: 1 } });
	expect((await call('POST', `/retry/${failing.body.id}`)).body).toEqual({
		id: failing.body.id,
		status: 'IN_QUEUE',
	});
	expect(await waitForStatus(failing.body.id, ['FAILED'])).toMatchObject({
		status: 'FAILED',
		retries: 1,
	});

	sandbox.state.endpoints![0].workersMax = 0;
	await call('POST', '/run', { input: {} });
	await call('POST', '/run', { input: {} });
	expect((await call('GET', '/health')).body.jobs.inQueue).toBe(2);
	expect((await call('POST', '/purge-queue')).body).toEqual({ removed: 2, status: 'completed' });
	expect((await call('GET', '/health')).body.jobs.inQueue).toBe(0);
});

test('workers: no more than workersMax run at once; a crashed worker shows as unhealthy', async () => {
	sandbox.state.endpoints![0].workersMax = 2;
	const ids = await Promise.all(
		[1, 2, 3, 4].map(
			async () => (await call('POST', '/run', { input: { sleepMs: 300 } })).body.id as string,
		),
	);
	await waitForStatus(ids[0], ['IN_PROGRESS']);
	const health = (await call('GET', '/health')).body;
	expect(health.workers.running + health.workers.initializing).toBeLessThanOrEqual(2);
	expect(health.jobs.inQueue).toBeGreaterThanOrEqual(2);
	await call('POST', '/runsync', { input: { crashWorker: true, sleepMs: 1 } });
	expect((await call('GET', '/health')).body.workers.unhealthy).toBe(1);
});

test('TTL and retention: an expired job answers 404 on /status', async () => {
	const job = await call('POST', '/run', { input: { sleepMs: 5000 }, policy: { ttl: 50 } });
	await new Promise((resolve) => setTimeout(resolve, 120));
	expect(await call('GET', `/status/${job.body.id}`)).toEqual({
		status: 404,
		body: { error: 'request does not exist' },
	});
	const done = await call('POST', '/runsync', { input: { sleepMs: 1 } });
	sandbox.jobs.expire(done.body.id);
	expect((await call('GET', `/status/${done.body.id}`)).status).toBe(404);
});

test('auth, unknown endpoints, and the payload limit', async () => {
	expect((await call('POST', '/run', { input: {} }, null)).status).toBe(401);
	const unknown = await fetch(`${sandbox.url}/v2/nosuchendpoint/health`, {
		headers: { authorization: `Bearer ${sandbox.apiKey}` },
	});
	expect(unknown.status).toBe(404);
	const big = await call('POST', '/run', { input: { blob: 'x'.repeat(10 * 1024 * 1024 + 10) } });
	expect(big.status).toBe(413);
	expect((await call('POST', '/run', { nothing: 1 })).status).toBe(400);
	expect(sandbox.requests.map((r) => r.fields[0])).toEqual([
		'job.run',
		'job.health',
		'job.run',
		'job.run',
	]);
	expect(sandbox.requests[0].headers.authorization).toBeUndefined();
});

test('faults apply to the job face like to the others', async () => {
	sandbox.faults.next({ kind: 'http429', retryAfterSeconds: 2 }, { field: 'job.run' });
	expect((await call('GET', '/health')).status).toBe(200);
	const limited = await fetch(`${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/run`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sandbox.apiKey}` },
		body: JSON.stringify({ input: {} }),
	});
	expect(limited.status).toBe(429);
	expect(limited.headers.get('retry-after')).toBe('2');
});

test('webhooks: the /status object is POSTed on completion, retried twice when the answer is not 200', async () => {
	const received: Array<{ status: string; input: unknown }> = [];
	let answers = [500, 503, 200];
	const receiver = createServer((request, response) => {
		let text = '';
		request.on('data', (chunk) => (text += chunk));
		request.on('end', () => {
			received.push(JSON.parse(text));
			response.writeHead(answers.shift() ?? 200);
			response.end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	try {
		const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
		const job = await call('POST', '/run', { input: { prompt: 'hi', sleepMs: 5 }, webhook: url });
		await until(() => received.length >= 3);
		expect(received).toHaveLength(3);
		expect(received[0]).toMatchObject({
			id: job.body.id,
			status: 'COMPLETED',
			input: { prompt: 'hi' },
			webhook: url,
			output: { text: 'You said: hi' },
		});
		await until(() => sandbox.jobs.webhookDeliveries[2]?.status > 0);
		expect(sandbox.jobs.webhookDeliveries.map((d) => d.status)).toEqual([500, 503, 200]);

		answers = [404, 404, 404, 404];
		received.length = 0;
		await call('POST', '/runsync', { input: { fail: 'boom', sleepMs: 1 }, webhook: url });
		await until(() => received.length >= 3);
		// No fourth attempt comes, even after a few more retry delays.
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(received.map((r) => r.status)).toEqual(['FAILED', 'FAILED', 'FAILED']);
	} finally {
		await new Promise((resolve) => receiver.close(resolve));
	}
});

test('GraphQL: saveEndpoint, myself.endpoints and deleteEndpoint (refused while workers may run; takes the template)', async () => {
	const template = (
		await data(
			sandbox,
			'mutation { saveTemplate(input: {name: "w", imageName: "img", containerDiskInGb: 5, volumeInGb: 0, dockerArgs: "", isServerless: true}) { id } }',
		)
	).saveTemplate;
	const saved = (
		await data(
			sandbox,
			'mutation($i: EndpointInput) { saveEndpoint(input: $i) { id name workersMax gpuIds } }',
			{ i: { name: 'ep', templateId: template.id, gpuIds: 'AMPERE_16', workersMax: 2 } },
		)
	).saveEndpoint;
	expect(saved).toMatchObject({ name: 'ep', workersMax: 2, gpuIds: 'AMPERE_16' });
	const listed = (await data(sandbox, '{ myself { endpoints { id name templateId } } }')).myself
		.endpoints;
	expect(listed.map((e: { name: string }) => e.name)).toEqual(['sandbox-echo', 'ep']);

	const refused = await ask(sandbox, 'mutation { deleteEndpoint(id: "' + saved.id + '") }');
	expect(refused.body.errors[0].message).toMatch(/workers/);
	await data(sandbox, 'mutation($i: EndpointInput) { saveEndpoint(input: $i) { id } }', {
		i: { id: saved.id, workersMin: 0, workersMax: 0 },
	});
	await data(sandbox, 'mutation { deleteEndpoint(id: "' + saved.id + '") }');
	expect(sandbox.state.endpoints!.map((e) => e.id)).toEqual([DEMO_ENDPOINT_ID]);
	expect(sandbox.state.templates.some((t) => t.id === template.id)).toBe(false);
});

test('close() does not wait out a webhook retry delay', async () => {
	const other = await startSandbox({
		seed: 6,
		serverless: { coldStartMs: 1, webhookRetryDelayMs: 60_000 },
	});
	const response = await fetch(`${other.url}/v2/${DEMO_ENDPOINT_ID}/runsync`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${other.apiKey}` },
		// Port 9 on 127.0.0.1: nobody listens, so the first delivery fails and a retry is due in a minute.
		body: JSON.stringify({ input: { sleepMs: 1 }, webhook: 'http://127.0.0.1:9/hook' }),
	});
	expect(((await response.json()) as { status: string }).status).toBe('COMPLETED');
	await until(
		() =>
			other.jobs.webhookDeliveries.length === 1 &&
			other.jobs.webhookDeliveries[0].error !== undefined,
	);
	const started = Date.now();
	await other.close();
	expect(Date.now() - started).toBeLessThan(5_000);
	expect(other.jobs.webhookDeliveries).toHaveLength(0);
});
