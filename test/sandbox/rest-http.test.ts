/** REST v2 at the HTTP level: auth, quota headers and 429, unknown routes, faults and the request log. */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { call, expectMatchesSpec, expectStatus, podBody, send } from './rest-helpers';
import { unmodelledOperations } from '../../sandbox/rest/router';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		port: 0,
		rateLimits: [
			{ name: 'minute', quota: 5, windowSeconds: 60 },
			{ name: 'hour', quota: 8, windowSeconds: 3600 },
		],
	});
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

describe('auth', () => {
	test('no key or an unknown key: 401 problem+json without RateLimit headers, with x-request-id', async () => {
		const missing = await call(sandbox, 'listPods', { key: null });
		expect(missing.status).toBe(401);
		expect(missing.body).toEqual({
			title: 'Unauthorized',
			status: 401,
			detail: 'missing bearer token',
		});
		const wrong = await call(sandbox, 'listPods', { key: 'rpa_WRONG' });
		expect(wrong.status).toBe(401);
		for (const answer of [missing, wrong]) {
			expect(answer.headers.get('ratelimit')).toBeNull();
			expect(answer.headers.get('ratelimit-policy')).toBeNull();
			expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
		}
	});

	test('the key in ?api_key= does not count on REST', async () => {
		const answer = await send(
			sandbox,
			'GET',
			`/v2/pods?api_key=${sandbox.apiKey}`,
			undefined,
			null,
		);
		expect(answer.status).toBe(401);
	});

	test('the read-only key reads, and gets 403 on every write without changing anything', async () => {
		await expectStatus(sandbox, 200, 'listPods', { key: sandbox.readOnlyApiKey });
		const create = await call(sandbox, 'createPod', {
			body: podBody(),
			key: sandbox.readOnlyApiKey,
		});
		expect(create.status).toBe(403);
		expect(create.body).toMatchObject({ title: 'Forbidden', status: 403 });
		expect(create.headers.get('ratelimit')).not.toBeNull();
		expect(sandbox.state.pods).toHaveLength(0);
	});
});

describe('rate limits per key', () => {
	test('every authenticated answer carries RateLimit and RateLimit-Policy in structured-field syntax', async () => {
		const first = await call(sandbox, 'listPods');
		expect(first.headers.get('ratelimit-policy')).toBe('"minute";q=5;w=60, "hour";q=8;w=3600');
		expect(first.headers.get('ratelimit')).toMatch(
			/^"minute";r=4;t=(60|59), "hour";r=7;t=(3600|3599)$/,
		);
		const notFound = await call(sandbox, 'getPod', { path: { id: 'nosuchpod00000' } });
		expect(notFound.headers.get('ratelimit')).toMatch(/^"minute";r=3;t=\d+, "hour";r=6;t=\d+$/);
	});

	test('past the quota: 429 with Retry-After from the exhausted window, and nothing executed', async () => {
		for (let i = 0; i < 5; i++) expect((await call(sandbox, 'listPods')).status).toBe(200);
		const limited = await call(sandbox, 'createPod', { body: podBody() });
		expect(limited.status).toBe(429);
		expect(limited.body).toEqual({
			title: 'Too Many Requests',
			status: 429,
			detail: 'rate limit exceeded for the minute window',
		});
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
		expect(limited.headers.get('ratelimit')).toMatch(/^"minute";r=0;t=\d+, "hour";r=3;t=\d+$/);
		expect(sandbox.state.pods).toHaveLength(0);
	});

	test('quotas are per key: the read-only key still has its own', async () => {
		for (let i = 0; i < 5; i++) await call(sandbox, 'listPods');
		expect((await call(sandbox, 'listPods')).status).toBe(429);
		expect((await call(sandbox, 'listPods', { key: sandbox.readOnlyApiKey })).status).toBe(200);
	});

	test('the window with the longest wait decides Retry-After', async () => {
		const limited = await startSandbox({
			port: 0,
			rateLimits: [
				{ name: 'second', quota: 100, windowSeconds: 1 },
				{ name: 'hour', quota: 2, windowSeconds: 3600 },
			],
		});
		try {
			await call(limited, 'listPods');
			await call(limited, 'listPods');
			const answer = await call(limited, 'listPods');
			expect(answer.status).toBe(429);
			expect(answer.body.detail).toMatch(/hour window/);
			expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(3500);
		} finally {
			await limited.close();
		}
	});

	test('a short window refills after it passes', async () => {
		const quick = await startSandbox({
			port: 0,
			rateLimits: [{ name: 'second', quota: 1, windowSeconds: 1 }],
		});
		try {
			expect((await call(quick, 'listPods')).status).toBe(200);
			expect((await call(quick, 'listPods')).status).toBe(429);
			await new Promise((resolve) => setTimeout(resolve, 1100));
			expect((await call(quick, 'listPods')).status).toBe(200);
		} finally {
			await quick.close();
		}
	});

	test('nonsense windows are refused at start', async () => {
		await expect(
			startSandbox({ port: 0, rateLimits: [{ name: 'minute', quota: 0, windowSeconds: 60 }] }),
		).rejects.toThrow(/quota/);
	});
});

describe('routes', () => {
	test('a path outside the document is 404, a wrong method 405 with Allow', async () => {
		const unknown = await send(sandbox, 'GET', '/v2/nothing-here');
		expect(unknown.status).toBe(404);
		expect(unknown.headers.get('content-type')).toBe('application/problem+json');
		const wrongMethod = await send(sandbox, 'PUT', '/v2/pods');
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
	});

	test('every operation of openapi.json is modelled (none would answer 501)', () => {
		expect(unmodelledOperations()).toEqual([]);
	});
});

describe('faults cover REST', () => {
	test('an http429 fault answers before auth with Retry-After (HTML by default, problem+json on request)', async () => {
		sandbox.faults.next({ kind: 'http429', retryAfterSeconds: 7 }, { field: 'listPods' });
		sandbox.faults.next({ kind: 'http429', retryAfterSeconds: 3, body: 'json' });
		const html = await send(sandbox, 'GET', '/v2/pods');
		expect(html.status).toBe(429);
		expect(html.headers.get('retry-after')).toBe('7');
		expect(html.body).toMatch(/<title>429 Too Many Requests<\/title>/);
		const json = await call(sandbox, 'listPods');
		expect(json.status).toBe(429);
		expect(json.headers.get('retry-after')).toBe('3');
	});

	test('a 5xx fault skips the request; a dropAfterApply fault executes it and the client gets nothing', async () => {
		sandbox.faults.next({ kind: 'http5xx', status: 503, body: 'json' }, { field: 'createPod' });
		const unavailable = await call(sandbox, 'createPod', { body: podBody() });
		expect(unavailable.status).toBe(503);
		expect(sandbox.state.pods).toHaveLength(0);

		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'createPod' });
		await expect(send(sandbox, 'POST', '/v2/pods', podBody())).rejects.toThrow();
		expect(sandbox.state.pods).toHaveLength(1);
		expect(sandbox.requests.at(-1)).toMatchObject({
			api: 'rest',
			operationName: 'createPod',
			status: 0,
			fault: 'dropAfterApply',
		});
	});

	test('latency delays the answer but it still succeeds', async () => {
		sandbox.faults.next({ kind: 'latency', ms: 150 }, { field: 'listPods' });
		const started = Date.now();
		expect((await call(sandbox, 'listPods')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});
});

test('the request log records REST calls with method, path, body and status, never the key', async () => {
	await call(sandbox, 'createPod', { body: podBody() });
	await call(sandbox, 'listPods', { query: { includeClusterPods: true } });
	await call(sandbox, 'listPods', { key: 'rpa_unknown_SECRET' });
	const [create, list, unknown] = sandbox.requests;
	expect(create).toMatchObject({
		api: 'rest',
		method: 'POST',
		path: '/v2/pods',
		fields: ['createPod'],
		operationName: 'createPod',
		status: 201,
		body: podBody(),
	});
	expect(create.headers.authorization).toBe('Bearer ***');
	expect(list).toMatchObject({ path: '/v2/pods?includeClusterPods=true', status: 200 });
	expect(unknown.status).toBe(401);
	const log = JSON.stringify(sandbox.requests);
	expect(log).not.toContain(sandbox.apiKey);
	expect(log).not.toContain('rpa_unknown_SECRET');
});

test('the response checker itself refuses an answer that breaks the document', () => {
	const headers = new Headers({ 'content-type': 'application/json' });
	expect(() => expectMatchesSpec('getPod', { status: 200, headers, body: { id: 'x' } })).toThrow(
		/missing property 'name'/,
	);
	expect(() => expectMatchesSpec('deletePod', { status: 204, headers, body: { id: 'x' } })).toThrow(
		/must have no body/,
	);
	expect(() =>
		expectMatchesSpec('getPod', {
			status: 404,
			headers,
			body: { title: 'Not Found', status: 404, detail: 'x' },
		}),
	).toThrow(/content-type/);
});
