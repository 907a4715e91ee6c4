/** Faults: latency, 429, 5xx, and answers lost after the mutation was applied; seeded random faults. */
import { startSandbox } from '../../sandbox';
import type { FaultKind, Sandbox } from '../../sandbox';
import { DEMO_ENDPOINT_ID } from '../../sandbox/serverless/endpoints';
import { DEPLOY, GPU, ask, data, podInput } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const MYSELF = '{ myself { id } }';

/** Which of two requests answered first: order, never wall time, so a loaded machine cannot fail it. */
async function firstToAnswer(
	slow: () => Promise<unknown>,
	fast: () => Promise<unknown>,
): Promise<string[]> {
	const order: string[] = [];
	await Promise.all([
		slow().finally(() => order.push('slow')),
		fast().finally(() => order.push('fast')),
	]);
	return order;
}

test('latency: a one-shot delay, and a standing latencyMs for every request', async () => {
	sandbox.faults.next({ kind: 'latency', ms: 300 });
	// The delayed request is sent first and still answers after one sent behind it.
	const slow = ask(sandbox, MYSELF);
	await new Promise((resolve) => setTimeout(resolve, 20));
	expect(
		await firstToAnswer(
			() => slow,
			() => ask(sandbox, MYSELF),
		),
	).toEqual(['fast', 'slow']);
	expect((await slow).status).toBe(200);
	expect(sandbox.requests.map((r) => r.fault)).toEqual(['latency', undefined]);

	sandbox.faults.set({ latencyMs: 300 });
	const standing = ask(sandbox, MYSELF);
	await new Promise((resolve) => setTimeout(resolve, 20));
	sandbox.faults.set({});
	expect(
		await firstToAnswer(
			() => standing,
			() => ask(sandbox, MYSELF),
		),
	).toEqual(['fast', 'slow']);
});

test('http429: Retry-After and a small HTML page; the mutation is not executed', async () => {
	sandbox.faults.next({ kind: 'http429', retryAfterSeconds: 7 });
	const answer = await ask(sandbox, DEPLOY, { input: podInput() });
	expect(answer.status).toBe(429);
	expect(answer.headers.get('retry-after')).toBe('7');
	expect(answer.headers.get('content-type')).toMatch(/text\/html/);
	expect(answer.body).toMatch(/429 Too Many Requests/);
	expect(sandbox.state.pods).toHaveLength(0);
	expect(sandbox.requests[0]).toMatchObject({ status: 429, fault: 'http429' });
});

test.each([
	[502, 'html' as const, /text\/html/],
	[503, 'json' as const, /application\/json/],
])('http5xx %i with a %s body; nothing is executed', async (status, body, contentType) => {
	sandbox.faults.next({ kind: 'http5xx', status: status as 502 | 503, body });
	const answer = await ask(sandbox, DEPLOY, { input: podInput() });
	expect(answer.status).toBe(status);
	expect(answer.headers.get('content-type')).toMatch(contentType);
	expect(sandbox.state.pods).toHaveLength(0);
	// One-shot: the next request goes through.
	expect((await ask(sandbox, DEPLOY, { input: podInput() })).status).toBe(200);
});

test('a filtered one-shot waits for the request with that top-level field', async () => {
	sandbox.faults.next(
		{ kind: 'http5xx', status: 500, body: 'json' },
		{ field: 'podFindAndDeployOnDemand' },
	);
	expect((await ask(sandbox, MYSELF)).status).toBe(200);
	expect((await ask(sandbox, DEPLOY, { input: podInput() })).status).toBe(500);
	expect(sandbox.faults.pending).toBe(0);
});

test('dropAfterApply reset: the client gets no answer, yet the pod WAS created', async () => {
	sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' });
	await expect(
		ask(sandbox, DEPLOY, { input: podInput({ name: 'lost-answer' }) }),
	).rejects.toThrow();
	const { myself } = await data(sandbox, '{ myself { pods { name desiredStatus } } }');
	expect(myself.pods).toEqual([{ name: 'lost-answer', desiredStatus: 'RUNNING' }]);
	expect(sandbox.requests[0]).toMatchObject({
		fields: ['podFindAndDeployOnDemand'],
		status: 0,
		fault: 'dropAfterApply',
	});
});

test('dropAfterApply hang: the answer never comes (the socket closes after hangMs), yet the pod was created', async () => {
	sandbox.faults.next({ kind: 'dropAfterApply', mode: 'hang', hangMs: 300 });
	const hanging = ask(sandbox, DEPLOY, { input: podInput() }).then(
		() => 'answered',
		() => 'failed',
	);
	// The pod exists while the client still waits: a request sent meanwhile sees it.
	const order = await firstToAnswer(
		() => hanging,
		async () => {
			await new Promise((resolve) => setTimeout(resolve, 20));
			const { myself } = await data(sandbox, '{ myself { pods { id } } }');
			expect(myself.pods).toHaveLength(1);
		},
	);
	expect(order).toEqual(['fast', 'slow']);
	expect(await hanging).toBe('failed');
	expect(sandbox.state.pods).toHaveLength(1);
});

test('a client timeout during a long hang leaves the mutation applied, and close() ends the hang', async () => {
	const other = await startSandbox({ port: 0 });
	try {
		other.faults.next({ kind: 'dropAfterApply', mode: 'hang', hangMs: 600_000 });
		const request = fetch(`${other.url}/graphql`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${other.apiKey}` },
			body: JSON.stringify({ query: DEPLOY, variables: { input: podInput() } }),
			signal: AbortSignal.timeout(150),
		});
		await expect(request).rejects.toThrow();
		expect(other.state.pods).toHaveLength(1);
	} finally {
		// A ten-minute hang must not hold close() (jest's own timeout would fail the test).
		await other.close();
	}
});

describe('lateApply: the gateway fails now, RunPod carries the request out later', () => {
	test.each([
		[504 as const, 504],
		[502 as const, 502],
		['reset' as const, 0],
	])(
		'GraphQL, %s: nothing exists at once; the pod appears once the apply is due',
		async (answer, logged) => {
			sandbox.faults.next(
				{ kind: 'lateApply', answer, applyAfterMs: 500 },
				{ field: 'podFindAndDeployOnDemand' },
			);
			const outcome = await ask(sandbox, DEPLOY, { input: podInput({ name: 'late' }) }).then(
				(a) => a.status,
				() => 'reset',
			);
			expect(outcome).toBe(answer === 'reset' ? 'reset' : answer);
			if (answer !== 'reset') expect(outcome).toBe(logged);
			// A lookup right after the failure finds nothing: RunPod is still placing the pod.
			expect((await data(sandbox, '{ myself { pods { id } } }')).myself.pods).toEqual([]);
			expect(sandbox.faults.lateApplies).toBe(1);
			await sandbox.faults.settled();
			const { myself } = await data(sandbox, '{ myself { pods { name } } }');
			expect(myself.pods).toEqual([{ name: 'late' }]);
			expect(sandbox.requests[0]).toMatchObject({ status: logged, fault: 'lateApply' });
			expect(sandbox.requests[0].appliedAt).toEqual(expect.any(String));
		},
	);

	test('hang: the socket stays open while the request is carried out behind it', async () => {
		sandbox.faults.next({ kind: 'lateApply', answer: 'hang', applyAfterMs: 50, hangMs: 400 });
		const outcome = await ask(sandbox, DEPLOY, { input: podInput() }).then(
			() => 'answered',
			() => 'failed',
		);
		expect(outcome).toBe('failed');
		await sandbox.faults.settled();
		expect(sandbox.state.pods).toHaveLength(1);
	});

	test('REST v2: a 504 now, the pod later; the log keeps the 504', async () => {
		sandbox.faults.next(
			{ kind: 'lateApply', answer: 504, applyAfterMs: 100 },
			{ field: 'createPod' },
		);
		const answer = await fetch(`${sandbox.url}/v2/pods`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
			body: JSON.stringify({ name: 'late-rest', gpu: { id: GPU, count: 1 }, image: 'ubuntu' }),
		});
		expect(answer.status).toBe(504);
		expect(await answer.text()).toMatch(/Gateway Timeout/);
		expect(sandbox.state.pods).toHaveLength(0);
		await sandbox.faults.settled();
		expect(sandbox.state.pods.map((p) => p.name)).toEqual(['late-rest']);
		expect(sandbox.requests[0]).toMatchObject({ status: 504, fault: 'lateApply' });
	});

	test('jobs: /run answers 502 now and the job is queued later', async () => {
		sandbox.faults.next(
			{ kind: 'lateApply', answer: 502, applyAfterMs: 100 },
			{ field: 'job.run' },
		);
		const answer = await fetch(`${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/run`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
			body: JSON.stringify({ input: { prompt: 'late' } }),
		});
		expect(answer.status).toBe(502);
		expect(sandbox.jobs.jobs.size).toBe(0);
		await sandbox.faults.settled();
		expect(sandbox.jobs.jobs.size).toBe(1);
	});

	test('reset() cancels a late apply that is not due yet: it never happens', async () => {
		sandbox.faults.next({ kind: 'lateApply', answer: 504, applyAfterMs: 200 });
		expect((await ask(sandbox, DEPLOY, { input: podInput() })).status).toBe(504);
		sandbox.reset();
		await sandbox.faults.settled();
		expect(sandbox.state.pods).toHaveLength(0);
	});
});

test('a dropped /stream answer: the chunks were drained, so asking again finds none of them', async () => {
	const submitted = await fetch(`${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/run`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
		body: JSON.stringify({ input: { stream: ['a', 'b', 'c'] } }),
	});
	const { id } = (await submitted.json()) as { id: string };
	const stream = (key = sandbox.apiKey) =>
		fetch(`${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/stream/${id}`, {
			headers: { authorization: `Bearer ${key}` },
		});
	// Wait until the job is done, so every chunk sits in RunPod's buffer.
	for (let i = 0; i < 500; i++) {
		const job = sandbox.jobs.jobs.get(id);
		if (job?.status === 'COMPLETED') break;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'job.stream' });
	await expect(stream()).rejects.toThrow();
	const again = (await (await stream()).json()) as { status: string; stream: unknown[] };
	expect(again).toMatchObject({ status: 'COMPLETED', stream: [] });
});

describe('random faults', () => {
	const kinds: FaultKind[] = [
		{ kind: 'http5xx', status: 503, body: 'json' },
		{ kind: 'http429', body: 'json' },
	];

	async function statuses(count: number): Promise<number[]> {
		const seen: number[] = [];
		for (let i = 0; i < count; i++) seen.push((await ask(sandbox, MYSELF)).status);
		return seen;
	}

	test('a rate of faults, the same sequence for the same seed and a different one for another seed', async () => {
		sandbox.faults.set({ random: { rate: 0.5, seed: 1234, kinds } });
		const first = await statuses(24);
		sandbox.faults.set({ random: { rate: 0.5, seed: 1234, kinds } });
		const again = await statuses(24);
		sandbox.faults.set({ random: { rate: 0.5, seed: 999, kinds } });
		const otherSeed = await statuses(24);

		expect(again).toEqual(first);
		expect(otherSeed).not.toEqual(first);
		expect(first).toEqual(expect.arrayContaining([200, 503, 429]));
		const faulted = first.filter((s) => s !== 200).length;
		expect(faulted).toBeGreaterThan(4);
		expect(faulted).toBeLessThan(20);
	});

	test('clear() and reset() turn faults off', async () => {
		sandbox.faults.set({ random: { rate: 1, kinds } });
		expect((await statuses(2)).every((s) => s !== 200)).toBe(true);
		sandbox.faults.clear();
		expect(await statuses(2)).toEqual([200, 200]);
		sandbox.faults.set({ random: { rate: 1, kinds } });
		sandbox.faults.next({ kind: 'http429' });
		sandbox.reset();
		expect(await statuses(2)).toEqual([200, 200]);
	});
});
