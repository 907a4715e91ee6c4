/**
 * The REST v2 envelope on the shared request core: problem+json, status codes that must not be
 * retried, Retry-After and RateLimit headers, and GraphQL's retirement. RunPod's HTTP layer is a
 * script of answers; n8n's `sleep` is recorded, not waited.
 */
import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import { graphqlRequest, restRequest } from '../../nodes/RunPod/api/requests';
import type { RequestContext } from '../../nodes/RunPod/transport/request';
import { quotaRemaining, quotaWaitMs } from '../../nodes/RunPod/transport/retry';

const sleeps: number[] = [];
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async (ms: number) => {
		sleeps.push(ms);
	}),
}));

const node = {
	id: 'n',
	name: 'RunPod',
	type: 'n8n-nodes-runpod-cloud.runPod',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
} as INode;
type Answer = { statusCode: number; body?: unknown; headers?: Record<string, string> };
const problem = (
	status: number,
	detail: string,
	errors?: string[],
	headers: Record<string, string> = {},
): Answer => ({
	statusCode: status,
	headers: { 'content-type': 'application/problem+json', ...headers },
	body: { title: 'x', status, detail, ...(errors ? { errors } : {}) },
});

let port = 20000;
function fakeContext(answers: Answer[], requestPolicy: unknown = {}) {
	const sent: IHttpRequestOptions[] = [];
	// Each test talks to its own host, so one test's rate limit does not slow the next.
	const base = `http://127.0.0.1:${port++}`;
	const ctx = {
		getNode: () => node,
		getCredentials: async () => ({ apiKey: 'k', baseUrl: base }),
		getNodeParameter: (name: string, _i: number, fallback: unknown) =>
			name === 'requestPolicy' ? requestPolicy : fallback,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				sent.push(options);
				const answer = answers.shift();
				if (!answer) throw new Error('test script ran out of answers');
				return { headers: {}, ...answer };
			},
		},
	} as unknown as RequestContext;
	return { ctx, sent, base };
}

async function errorOf(
	promise: Promise<unknown>,
): Promise<Error & { description?: string; context?: IDataObject }> {
	try {
		await promise;
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('expected the call to fail');
}

beforeEach(() => {
	sleeps.length = 0;
});

describe('REST v2 requests', () => {
	test('sends method, URL below the base, query and JSON body; 204 has no data', async () => {
		const { ctx, sent, base } = fakeContext([{ statusCode: 204 }]);
		const data = await restRequest(
			ctx,
			{ method: 'POST', path: '/v2/pods/p1/action', body: { action: 'stop' } },
			{ idempotent: true },
		);
		expect(data).toBeUndefined();
		expect(sent[0]).toMatchObject({
			method: 'POST',
			url: `${base}/v2/pods/p1/action`,
			body: { action: 'stop' },
			json: true,
		});
	});

	test.each([
		[402, /balance is too low/, /Billing/],
		[409, /pod is exited/, /state/],
		[422, /HTTP 422.*additional properties 'bogus'/, /update the n8n-nodes-runpod-cloud package/],
	])(
		'HTTP %s is not retried, even for a safe request, and says what to do',
		async (status, message, description) => {
			const detail =
				status === 409
					? 'pod is exited'
					: status === 422
						? "$: additional properties 'bogus' not allowed"
						: 'insufficient balance';
			const { ctx, sent } = fakeContext([problem(status, detail), problem(status, detail)]);
			const error = await errorOf(
				restRequest(ctx, { method: 'POST', path: '/v2/pods', body: {} }, { idempotent: true }),
			);
			expect(sent).toHaveLength(1);
			expect(error.message).toMatch(message);
			expect(error.description).toMatch(description);
		},
	);

	test('a 403 on REST names the missing permission, not a firewall', async () => {
		const { ctx } = fakeContext([problem(403, 'forbidden')]);
		const error = await errorOf(
			restRequest(ctx, { method: 'GET', path: '/v2/pods' }, { idempotent: true }),
		);
		expect(error.message).toMatch(/may not do this \(HTTP 403\)/);
		expect(error.description).toMatch(/permission/);
	});

	test('a 429 waits what Retry-After asks, then resends', async () => {
		const { ctx, sent } = fakeContext([
			problem(429, 'slow down', undefined, { 'Retry-After': '7' }),
			{ statusCode: 200, body: { pods: [] } },
		]);
		expect(
			await restRequest(ctx, { method: 'GET', path: '/v2/pods' }, { idempotent: true }),
		).toEqual({ pods: [] });
		expect(sent).toHaveLength(2);
		expect(sleeps[0]).toBeGreaterThanOrEqual(7000);
	});

	test('never exceeds the remaining quota: after "r=0" the next request waits for the reset', async () => {
		const exhausted = {
			RateLimit: '"minute";r=0;t=12, "hour";r=2800;t=1812',
			'RateLimit-Policy': '"minute";q=60;w=60',
		};
		const { ctx, sent } = fakeContext([
			{ statusCode: 200, body: { pods: [] }, headers: exhausted },
			{ statusCode: 200, body: { templates: [] } },
		]);
		await restRequest(ctx, { method: 'GET', path: '/v2/pods' }, { idempotent: true });
		expect(sleeps).toEqual([]);
		await restRequest(ctx, { method: 'GET', path: '/v2/templates' }, { idempotent: true });
		expect(sent).toHaveLength(2);
		expect(sleeps).toHaveLength(1);
		expect(sleeps[0]).toBeGreaterThan(11_000);
	});

	test('a quota reset beyond Max Total Wait fails without sending anything', async () => {
		const { ctx, sent } = fakeContext(
			[{ statusCode: 200, body: { pods: [] }, headers: { RateLimit: '"hour";r=0;t=1800' } }],
			{
				maxTotalWaitSeconds: 60,
			},
		);
		await restRequest(ctx, { method: 'GET', path: '/v2/pods' }, { idempotent: true });
		const error = await errorOf(restRequest(ctx, { method: 'POST', path: '/v2/pods', body: {} }));
		expect(sent).toHaveLength(1);
		expect(error.message).toMatch(/rate limit is used up: the request was not sent/);
	});

	test('RateLimit header forms', () => {
		expect(quotaWaitMs({ RateLimit: '"minute";r=0;t=12, "hour";r=0;t=30' })).toBe(30_000);
		expect(quotaWaitMs({ RateLimit: '"minute";r=3;t=12' })).toBeUndefined();
		expect(quotaWaitMs({ ratelimit: 'limit=10, remaining=0, reset=2' })).toBe(2000);
	});

	test('what is left of the quota is the tightest window', () => {
		expect(quotaRemaining({ RateLimit: '"minute";r=7;t=12, "hour";r=2800;t=1812' })).toBe(7);
		expect(quotaRemaining({ ratelimit: '"minute";r=60;t=1, "day";r=3;t=9000' })).toBe(3);
		expect(quotaRemaining({ ratelimit: 'limit=10, remaining=4, reset=2' })).toBe(4);
		expect(quotaRemaining({ 'content-type': 'application/json' })).toBeUndefined();
	});
});

describe('GraphQL answering as retired', () => {
	test.each([
		[{ statusCode: 410, body: 'Gone' }],
		[{ statusCode: 404, body: '<html>not found</html>' }],
		[
			{
				statusCode: 200,
				body: { errors: [{ message: 'The GraphQL API has been retired. Use REST API v2.' }] },
			},
		],
	])('%j tells the user to choose REST v2 in the credential', async (answer) => {
		const { ctx, sent } = fakeContext([answer as Answer, answer as Answer]);
		const error = await errorOf(graphqlRequest(ctx, '{ myself { id } }', {}, { idempotent: true }));
		expect(sent).toHaveLength(1);
		expect(error.message).toMatch(/GraphQL API answered as retired/);
		expect(error.description).toMatch(/open the RunPod API credential and set API to REST v2/i);
	});
});
