/**
 * The transport's retry loop, timeout and Retry and Timeout options, with RunPod's HTTP layer
 * replaced by a script of answers. n8n's `sleep` is replaced so waits are recorded, not waited.
 */
import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import * as pods from '../../nodes/RunPod/api/graphql/pods';
import { CREATE_MARKER_ENV } from '../../nodes/RunPod/api/createMarker';
import type { Pod } from '../../nodes/RunPod/api/types';
import { graphqlRequest, graphqlRequestWithRecovery } from '../../nodes/RunPod/api/requests';
import type { RequestContext } from '../../nodes/RunPod/transport/graphql';
import { requestPolicyProperty } from '../../nodes/RunPod/actions/common.descriptions';
import { policyFromNode } from '../../nodes/RunPod/transport/policy';

const sleeps: number[] = [];
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async (ms: number) => {
		sleeps.push(ms);
	}),
}));

const API_KEY = 'rpa_TRANSPORTTESTKEY0123456789';
const node = {
	id: 'n',
	name: 'RunPod',
	type: 'n8n-nodes-runpod-cloud.runPod',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
} as INode;

type Answer = { statusCode: number; body: unknown; headers?: Record<string, string> } | Error;

const ok = (data: IDataObject): Answer => ({ statusCode: 200, body: { data } });
const status = (
	statusCode: number,
	headers: Record<string, string> = {},
	body: unknown = '<html>busy</html>',
): Answer => ({
	statusCode,
	body,
	headers,
});
function networkError(code: string, message = 'socket hang up'): Error {
	// What n8n-core throws: a NodeApiError around the HTTP client's error, which carries the request headers.
	const raw = Object.assign(new Error(message), {
		code,
		config: { headers: { Authorization: `Bearer ${API_KEY}` }, url: 'http://127.0.0.1:9/graphql' },
	});
	const wrapped = new NodeApiError(node, raw as never);
	(wrapped as unknown as { cause: unknown }).cause = raw;
	return wrapped;
}

interface Fake {
	ctx: RequestContext;
	sent: IHttpRequestOptions[];
}

function fakeContext(answers: Answer[], requestPolicy: unknown = {}): Fake {
	const sent: IHttpRequestOptions[] = [];
	const ctx = {
		getNode: () => node,
		getCredentials: async () => ({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9' }),
		getNodeParameter: (name: string, _itemIndex: number, fallback: unknown) =>
			name === 'requestPolicy' ? requestPolicy : fallback,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				sent.push(options);
				const answer = answers.shift();
				if (!answer) throw new Error('test script ran out of answers');
				if (answer instanceof Error) throw answer;
				return { headers: {}, ...answer };
			},
		},
	};
	return { ctx: ctx as unknown as RequestContext, sent };
}

async function failureOfCall(
	promise: Promise<unknown>,
): Promise<Error & { description?: string; context?: IDataObject }> {
	try {
		await promise;
	} catch (error) {
		return error as Error & { description?: string; context?: IDataObject };
	}
	throw new Error('expected the call to fail');
}

const QUERY = 'query Q { myself { id } }';
const MUTATION = 'mutation M { podFindAndDeployOnDemand { id } }';

beforeEach(() => {
	sleeps.length = 0;
});

describe('reads and idempotent requests are retried on passing failures', () => {
	test('429, 502, 503, 504 and a reset connection are retried until RunPod answers', async () => {
		const { ctx, sent } = fakeContext(
			[
				status(429),
				status(502),
				status(503, {}, { errors: [{ message: 'upstream' }] }),
				networkError('ECONNRESET'),
				ok({ myself: { id: 'u1' } }),
			],
			{ maxAttempts: 5 },
		);
		await expect(graphqlRequest(ctx, QUERY, {}, { idempotent: true })).resolves.toEqual({
			myself: { id: 'u1' },
		});
		expect(sent).toHaveLength(5);
		expect(sleeps).toHaveLength(4);
	});

	test('waits at least what Retry-After or a RateLimit header asks for', async () => {
		const { ctx } = fakeContext([
			status(429, { 'Retry-After': '3' }),
			status(429, { RateLimit: 'limit=10, remaining=0, reset=2' }),
			ok({ myself: { id: 'u1' } }),
		]);
		await graphqlRequest(ctx, QUERY, {}, { idempotent: true });
		expect(sleeps[0]).toBeGreaterThanOrEqual(3000);
		expect(sleeps[1]).toBeGreaterThanOrEqual(2000);
	});

	test('backoff grows between attempts and stays bounded', async () => {
		const { ctx } = fakeContext([status(503), status(503), status(503), ok({})], {
			maxAttempts: 4,
		});
		await graphqlRequest(ctx, QUERY, {}, { idempotent: true });
		expect(sleeps).toHaveLength(3);
		// Full jitter over [ceiling/2, ceiling]: 250–500, 500–1000, 1000–2000 ms with the default base of 500 ms.
		expect(sleeps[0]).toBeLessThanOrEqual(500);
		expect(sleeps[2]).toBeGreaterThanOrEqual(1000);
	});

	test('gives up after Max Attempts and says how many times it tried', async () => {
		const { ctx, sent } = fakeContext([status(503), status(503), status(503)], { maxAttempts: 2 });
		const error = await failureOfCall(
			graphqlRequest(ctx, QUERY, {}, { idempotent: true, itemIndex: 3 }),
		);
		expect(sent).toHaveLength(2);
		expect(error.message).toBe('RunPod is unavailable right now (HTTP 503)');
		expect(error.description).toMatch(/sent 2 times/);
		expect(error.context?.itemIndex).toBe(3);
	});

	test('fails at once when RunPod asks to wait longer than Max Total Wait allows', async () => {
		const { ctx, sent } = fakeContext([status(429, { 'retry-after': '120' })], {
			maxTotalWaitSeconds: 60,
		});
		const error = await failureOfCall(graphqlRequest(ctx, QUERY, {}, { idempotent: true }));
		expect(sent).toHaveLength(1);
		expect(sleeps).toEqual([]);
		expect(error.message).toMatch(/HTTP 429/);
		expect(error.description).toMatch(/asked to wait 120 s/);
		expect(error.description).toMatch(/Max Total Wait/);
	});

	test('Retry Failed Requests off: one attempt, whatever the failure', async () => {
		const { ctx, sent } = fakeContext([status(429)], { retryEnabled: false, maxAttempts: 6 });
		await failureOfCall(graphqlRequest(ctx, QUERY, {}, { idempotent: true }));
		expect(sent).toHaveLength(1);
	});

	test('RunPod refusals, 500s and 401s are not retried', async () => {
		for (const answer of [
			ok({}),
			status(500),
			status(401, {}, { errors: [{ message: 'Unauthorized' }] }),
		]) {
			const refusal: Answer =
				answer instanceof Error || answer.statusCode !== 200
					? answer
					: {
							statusCode: 200,
							body: {
								data: null,
								errors: [
									{
										message:
											'There are no longer any instances available with the requested specifications.',
									},
								],
							},
						};
			const { ctx, sent } = fakeContext([refusal, ok({})]);
			await failureOfCall(graphqlRequest(ctx, QUERY, {}, { idempotent: true }));
			expect(sent).toHaveLength(1);
		}
	});

	test('the per-attempt timeout defaults to 30 s and follows Timeout (Seconds)', async () => {
		const defaults = fakeContext([ok({})]);
		await graphqlRequest(defaults.ctx, QUERY, {}, { idempotent: true });
		expect(defaults.sent[0].timeout).toBe(30_000);

		const tuned = fakeContext([ok({})], { timeoutSeconds: 2.5 });
		await graphqlRequest(tuned.ctx, QUERY, {}, { idempotent: true });
		expect(tuned.sent[0].timeout).toBe(2500);
	});

	test('a timeout is retried for reads but never blindly for a create', async () => {
		const timeout = () => networkError('ECONNABORTED', 'timeout of 1000ms exceeded');
		const read = fakeContext([timeout(), ok({ myself: { id: 'u' } })]);
		await expect(graphqlRequest(read.ctx, QUERY, {}, { idempotent: true })).resolves.toEqual({
			myself: { id: 'u' },
		});

		const create = fakeContext([timeout(), ok({})]);
		const error = await failureOfCall(
			graphqlRequest(create.ctx, MUTATION, {}, { idempotent: false }),
		);
		expect(create.sent).toHaveLength(1);
		expect(error.message).toBe('RunPod did not answer in time');
		expect(error.description).toMatch(/may still have been carried out/);
	});

	test('a 429 on a create is resent: RunPod refused it before doing anything', async () => {
		const { ctx, sent } = fakeContext([
			status(429),
			ok({ podFindAndDeployOnDemand: { id: 'p1' } }),
		]);
		await expect(graphqlRequest(ctx, MUTATION, {}, { idempotent: false })).resolves.toEqual({
			podFindAndDeployOnDemand: { id: 'p1' },
		});
		expect(sent).toHaveLength(2);
	});
});

describe('Retry and Timeout options', () => {
	test('the node shows one collection with the five options and their defaults', () => {
		expect(requestPolicyProperty).toMatchObject({
			name: 'requestPolicy',
			type: 'collection',
			displayName: 'Retry and Timeout',
		});
		expect(requestPolicyProperty.displayOptions).toBeUndefined();
		const defaults = Object.fromEntries(
			(requestPolicyProperty.options as Array<{ name: string; default: unknown }>).map((o) => [
				o.name,
				o.default,
			]),
		);
		expect(defaults).toEqual({
			maxAttempts: 4,
			maxParallelRequests: 100,
			maxTotalWaitSeconds: 90,
			retryEnabled: true,
			timeoutSeconds: 30,
		});
		const policy = policyFromNode(fakeContext([]).ctx, 0);
		expect(policy).toMatchObject({ maxAttempts: 4, maxTotalMs: 90_000, timeoutMs: 30_000 });
	});

	test.each([
		[{ maxAttempts: 0 }, /Max Attempts: expected a whole number from 1 to 10, got 0/],
		[{ maxAttempts: 2.5 }, /Max Attempts: expected a whole number/],
		[
			{ timeoutSeconds: 'soon' },
			/Timeout \(Seconds\): expected a number from 0.1 to 600, got "soon"/,
		],
		[{ timeoutSeconds: 0 }, /Timeout \(Seconds\)/],
		[{ maxTotalWaitSeconds: -1 }, /Max Total Wait \(Seconds\)/],
		[{ retryEnabled: 'yes' }, /Retry Failed Requests: expected true or false/],
	])(
		'%j is refused before anything is sent, naming the option and the item',
		async (requestPolicy, message) => {
			const { ctx, sent } = fakeContext([ok({})], requestPolicy);
			const error = await failureOfCall(
				graphqlRequest(ctx, QUERY, {}, { idempotent: true, itemIndex: 4 }),
			);
			expect(error.name).toBe('NodeOperationError');
			expect(error.message).toMatch(message);
			expect(error.message).toMatch(/^Retry and Timeout → /);
			expect(error.context?.itemIndex).toBe(4);
			expect(sent).toHaveLength(0);
		},
	);

	test('where the parameter does not exist (loading a drop-down) the defaults apply', () => {
		// Load-options contexts take (name, fallback): our item index comes back as the fallback.
		const ctx = {
			getNode: () => node,
			getNodeParameter: (_name: string, fallback: unknown) => fallback,
		} as unknown as RequestContext;
		expect(policyFromNode(ctx)).toMatchObject({ maxAttempts: 4, timeoutMs: 30_000 });
	});
});

describe('requests that must not be sent twice are recovered, not resent blindly', () => {
	const pod = (id: string, env: string[] = []): Partial<Pod> => ({
		id,
		desiredStatus: 'RUNNING',
		env,
		gpuCount: 1,
	});

	test('found after a reset: recovered, sent once', async () => {
		const sentMarkers: string[] = [];
		const { ctx, sent } = scriptedCreate(sentMarkers, (marker) => [
			networkError('ECONNRESET'),
			ok({
				myself: {
					id: 'u',
					pods: [
						pod('other', ['N8N_RUNPOD_CREATE_ID=someone-else']),
						pod('mine', [`N8N_RUNPOD_CREATE_ID=${marker}`]),
					],
				},
			}),
		]);
		const created = await pods.createOnDemand(ctx, {
			gpuTypeId: 'NVIDIA A40',
			gpuCount: 1,
			cloudType: 'SECURE',
			imageName: 'ubuntu',
		});
		expect(created).toEqual({ pod: expect.objectContaining({ id: 'mine' }), recovered: true });
		expect(operations(sent)).toEqual(['CreateOnDemandPod', 'ListPods']);
	});

	// The default settle schedule: a first look at once, then pauses of 1, 2, 4, 8 and 15 s up to 120 s.
	const SETTLE_PAUSES = [
		1000, 2000, 4000, 8000, 15_000, 15_000, 15_000, 15_000, 15_000, 15_000, 15_000,
	];
	const emptyLists = (count: number) =>
		Array.from({ length: count }, () => ok({ myself: { id: 'u', pods: [] } }));

	test('not found after a 503: looked for on the settle schedule, never resent; the error names the marker', async () => {
		const sentMarkers: string[] = [];
		const { ctx, sent } = scriptedCreate(sentMarkers, () => [
			status(503),
			...emptyLists(SETTLE_PAUSES.length + 1),
		]);
		const error = await failureOfCall(
			pods.createOnDemand(ctx, {
				gpuTypeId: 'NVIDIA A40',
				gpuCount: 1,
				cloudType: 'SECURE',
				imageName: 'ubuntu',
			}),
		);
		expect(operations(sent)).toEqual([
			'CreateOnDemandPod',
			...Array(SETTLE_PAUSES.length + 1).fill('ListPods'),
		]);
		expect(sleeps).toEqual(SETTLE_PAUSES);
		expect(error.message).toBe(
			"The request may still be carried out: RunPod's gateway answered HTTP 503, and the result did not appear within 120 s",
		);
		expect(error.description).toContain(`N8N_RUNPOD_CREATE_ID=${sentMarkers[0]}`);
		expect(error.description).toMatch(/did not send the request again/);
		expect(error.description).not.toMatch(/nothing was created/i);
	});

	test('a late create is found on a later look and returned as recovered, sent once', async () => {
		const { ctx, sent } = scriptedCreate([], (marker) => [
			networkError('ECONNABORTED', 'timeout of 1000ms exceeded'),
			ok({ myself: { id: 'u', pods: [] } }),
			ok({ myself: { id: 'u', pods: [] } }),
			// RunPod finished the slow create while the node waited.
			ok({ myself: { id: 'u', pods: [pod('late', [`N8N_RUNPOD_CREATE_ID=${marker}`])] } }),
		]);
		const created = await pods.createOnDemand(ctx, {
			gpuTypeId: 'NVIDIA A40',
			gpuCount: 1,
			cloudType: 'SECURE',
			imageName: 'ubuntu',
		});
		expect(created).toEqual({ pod: expect.objectContaining({ id: 'late' }), recovered: true });
		expect(operations(sent)).toEqual(['CreateOnDemandPod', 'ListPods', 'ListPods', 'ListPods']);
		expect(sleeps).toEqual([1000, 2000]);
	});

	test('two pods with the marker: both named in the error, neither returned', async () => {
		const { ctx } = scriptedCreate([], (marker) => [
			status(504),
			ok({
				myself: {
					id: 'u',
					pods: [
						pod('first', [`N8N_RUNPOD_CREATE_ID=${marker}`]),
						pod('second', [`N8N_RUNPOD_CREATE_ID=${marker}`]),
					],
				},
			}),
		]);
		const error = await failureOfCall(
			pods.createOnDemand(ctx, {
				gpuTypeId: 'NVIDIA A40',
				gpuCount: 1,
				cloudType: 'SECURE',
				imageName: 'ubuntu',
			}),
		);
		expect(error.message).toBe("2 pods match this item's create: first, second");
		expect(error.description).toMatch(/each is billed/);
	});

	test('retries off or a timeout: a lost create is still looked for, never resent, reported as possibly done', async () => {
		for (const [first, policy] of [
			[status(504), { retryEnabled: false }],
			[networkError('ETIMEDOUT', 'timeout of 1000ms exceeded'), { maxAttempts: 1 }],
		] as const) {
			sleeps.length = 0;
			const { ctx, sent } = scriptedCreate(
				[],
				() => [first, ...emptyLists(SETTLE_PAUSES.length + 1)],
				policy,
			);
			const error = await failureOfCall(
				pods.createOnDemand(
					ctx,
					{ gpuTypeId: 'NVIDIA A40', gpuCount: 1, cloudType: 'SECURE', imageName: 'ubuntu' },
					{ itemIndex: 1 },
				),
			);
			expect(operations(sent).filter((o) => o === 'CreateOnDemandPod')).toHaveLength(1);
			expect(error.message).toMatch(/^The request may still be carried out/);
			expect(error.description).not.toMatch(/The node checked|nothing was created/i);
		}
	});

	test('"Something went wrong" on a create: looked for; not there → may still be carried out, no resend', async () => {
		const { ctx, sent } = scriptedCreate([], () => [
			{
				statusCode: 200,
				body: {
					data: { podFindAndDeployOnDemand: null },
					errors: [{ message: 'Something went wrong. Please try again later or contact support.' }],
				},
			},
			...emptyLists(SETTLE_PAUSES.length + 1),
		]);
		const error = await failureOfCall(
			pods.createOnDemand(ctx, {
				gpuTypeId: 'NVIDIA A40',
				gpuCount: 1,
				cloudType: 'SECURE',
				imageName: 'ubuntu',
			}),
		);
		expect(operations(sent).filter((o) => o === 'CreateOnDemandPod')).toHaveLength(1);
		expect(error.message).toMatch(/RunPod answered "Something went wrong/);
	});

	test('when the lookup itself fails, the error says the pod may exist and what to search for', async () => {
		// Every look fails: the node keeps looking for the whole schedule, then says why it could not.
		const { ctx } = scriptedCreate([], () => [
			networkError('ECONNRESET'),
			...Array.from({ length: SETTLE_PAUSES.length + 1 }, () => status(401)),
		]);
		const error = await failureOfCall(
			pods.createOnDemand(ctx, {
				gpuTypeId: 'NVIDIA A40',
				gpuCount: 1,
				cloudType: 'SECURE',
				imageName: 'ubuntu',
			}),
		);
		expect(error.message).toBe(
			'Could not reach RunPod (ECONNRESET), and the node could not check whether RunPod carried the request out',
		);
		expect(error.description).toMatch(/may have done it \(and may be billing for it\)/);
		expect(error.description).toMatch(/N8N_RUNPOD_CREATE_ID=[A-Za-z0-9]{24}/);
		expect(error.description).toMatch(/HTTP 401/);
	});

	test("a capacity refusal is RunPod's answer, not a lost one: no lookup", async () => {
		const { ctx, sent } = scriptedCreate([], () => [
			{
				statusCode: 200,
				body: {
					data: null,
					errors: [
						{
							message:
								'There are no longer any instances available with the requested specifications. Please refresh and try again.',
						},
					],
				},
			},
		]);
		await failureOfCall(
			pods.createOnDemand(ctx, {
				gpuTypeId: 'NVIDIA A40',
				gpuCount: 1,
				cloudType: 'SECURE',
				imageName: 'ubuntu',
			}),
		);
		expect(operations(sent)).toEqual(['CreateOnDemandPod']);
	});

	test("a user-set N8N_RUNPOD_CREATE_ID is replaced by the create's own marker", async () => {
		const { ctx, sent } = scriptedCreate([], () => [ok({ podFindAndDeployOnDemand: pod('p') })]);
		await pods.createOnDemand(ctx, {
			gpuTypeId: 'NVIDIA A40',
			gpuCount: 1,
			cloudType: 'SECURE',
			imageName: 'ubuntu',
			env: [
				{ key: 'N8N_RUNPOD_CREATE_ID', value: 'shared' },
				{ key: 'HF_TOKEN', value: 'x' },
			],
		});
		const env = envOf(sent[0]);
		expect(env.filter((e) => e.key === CREATE_MARKER_ENV)).toHaveLength(1);
		expect(env).toContainEqual({ key: 'HF_TOKEN', value: 'x' });
		expect(env).not.toContainEqual({ key: CREATE_MARKER_ENV, value: 'shared' });
	});

	test('each create gets its own marker', async () => {
		const { ctx, sent } = scriptedCreate([], () => [
			ok({ podFindAndDeployOnDemand: pod('a') }),
			ok({ podRentInterruptable: pod('b') }),
		]);
		await pods.createOnDemand(ctx, {
			gpuTypeId: 'NVIDIA A40',
			gpuCount: 1,
			cloudType: 'SECURE',
			imageName: 'ubuntu',
		});
		await pods.createSpot(ctx, {
			gpuTypeId: 'NVIDIA A40',
			gpuCount: 1,
			cloudType: 'SECURE',
			imageName: 'ubuntu',
			bidPerGpu: 0.2,
		});
		const [first, second] = markersOf(sent);
		expect(first).toMatch(/^[A-Za-z0-9]{24}$/);
		expect(first).not.toBe(second);
	});

	test('resume after a lost answer: a running pod means it worked', async () => {
		const { ctx, sent } = fakeContext([networkError('ECONNRESET'), ok({ pod: pod('p1') })]);
		await expect(pods.resume(ctx, 'p1', 1)).resolves.toMatchObject({
			id: 'p1',
			desiredStatus: 'RUNNING',
		});
		expect(operations(sent)).toEqual(['ResumePod', 'GetPod']);
	});

	test('resume after a lost answer: a stopped pod means it did not, so it is sent again', async () => {
		const { ctx, sent } = fakeContext([
			status(502),
			ok({ pod: { ...pod('p1'), desiredStatus: 'EXITED' } }),
			ok({ podBidResume: pod('p1') }),
		]);
		await expect(pods.resumeSpot(ctx, 'p1', 1, 0.3)).resolves.toMatchObject({
			desiredStatus: 'RUNNING',
		});
		expect(operations(sent)).toEqual(['ResumeSpotPod', 'GetPod', 'ResumeSpotPod']);
	});

	test('terminate after a lost answer: a pod that is gone means it worked, nothing is resent', async () => {
		const { ctx, sent } = fakeContext([networkError('ECONNRESET'), ok({ pod: null })]);
		await expect(pods.terminate(ctx, 'p1')).resolves.toBeUndefined();
		expect(operations(sent)).toEqual(['TerminatePod', 'GetPod']);
	});

	test('terminate after a 503: the pod is still there, so terminate is sent again', async () => {
		const { ctx, sent } = fakeContext([
			status(503),
			ok({ pod: pod('p1') }),
			ok({ podTerminate: null }),
		]);
		await pods.terminate(ctx, 'p1');
		expect(operations(sent)).toEqual(['TerminatePod', 'GetPod', 'TerminatePod']);
	});

	test('a generic request with recovery returns what the finder found', async () => {
		const { ctx } = fakeContext([status(500)]);
		const result = await graphqlRequestWithRecovery(
			ctx,
			MUTATION,
			{},
			{},
			{ find: async () => ({ id: 'x' }), lookingFor: 'x' },
		);
		expect(result).toEqual({ data: { id: 'x' }, recovered: true });
	});
});

describe('the API key never leaves the transport', () => {
	test("network errors from n8n-core carry the Authorization header; the node's error does not", async () => {
		for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED']) {
			const { ctx } = fakeContext([networkError(code)], { retryEnabled: false });
			const error = await failureOfCall(graphqlRequest(ctx, QUERY, {}, { idempotent: true }));
			expect(
				JSON.stringify({
					error,
					message: error.message,
					description: error.description,
					cause: (error as { cause?: unknown }).cause,
				}),
			).not.toContain(API_KEY);
		}
	});
});

function scriptedCreate(
	markers: string[],
	script: (marker: string) => Answer[],
	requestPolicy: unknown = {},
): Fake {
	// The answers depend on the marker, which is only known once the create has been sent.
	const answers: Answer[] = [];
	const fake = fakeContext(answers, requestPolicy);
	const send = (
		fake.ctx.helpers as unknown as {
			httpRequestWithAuthentication: (t: string, o: IHttpRequestOptions) => Promise<unknown>;
		}
	).httpRequestWithAuthentication;
	(
		fake.ctx.helpers as unknown as { httpRequestWithAuthentication: unknown }
	).httpRequestWithAuthentication = async (type: string, options: IHttpRequestOptions) => {
		if (fake.sent.length === 0) {
			const marker = envOf(options).find((e) => e.key === CREATE_MARKER_ENV)?.value ?? '';
			markers.push(marker);
			answers.push(...script(marker));
		}
		return await send(type, options);
	};
	return fake;
}

function envOf(options: IHttpRequestOptions): Array<{ key: string; value: string }> {
	const body = options.body as {
		variables: { input: { env?: Array<{ key: string; value: string }> } };
	};
	return body.variables.input.env ?? [];
}

function markersOf(sent: IHttpRequestOptions[]): string[] {
	return sent
		.filter((o) => /mutation Create/.test((o.body as { query: string }).query))
		.map((o) => envOf(o).find((e) => e.key === CREATE_MARKER_ENV)?.value ?? '');
}

function operations(sent: IHttpRequestOptions[]): string[] {
	return sent.map(
		(o) => /(?:query|mutation) (\w+)/.exec((o.body as { query: string }).query)?.[1] ?? '?',
	);
}
