/** Faults: latency, 429, 5xx, and answers lost after the mutation was applied; seeded random faults. */
import { startSandbox } from '../../sandbox';
import type { FaultKind, Sandbox } from '../../sandbox';
import { DEPLOY, ask, data, podInput } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const MYSELF = '{ myself { id } }';

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
	const started = Date.now();
	const result = await work();
	return [result, Date.now() - started];
}

test('latency: a one-shot delay, and a standing latencyMs for every request', async () => {
	sandbox.faults.next({ kind: 'latency', ms: 150 });
	const [slow, slowMs] = await timed(() => ask(sandbox, MYSELF));
	expect(slow.status).toBe(200);
	expect(slowMs).toBeGreaterThanOrEqual(140);
	const [, fastMs] = await timed(() => ask(sandbox, MYSELF));
	expect(fastMs).toBeLessThan(100);
	expect(sandbox.requests.map((r) => r.fault)).toEqual(['latency', undefined]);

	sandbox.faults.set({ latencyMs: 120 });
	const [, standingMs] = await timed(() => ask(sandbox, MYSELF));
	expect(standingMs).toBeGreaterThanOrEqual(110);
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
	sandbox.faults.next({ kind: 'dropAfterApply', mode: 'hang', hangMs: 200 });
	const [outcome, elapsed] = await timed(() =>
		ask(sandbox, DEPLOY, { input: podInput() }).then(
			() => 'answered',
			() => 'failed',
		),
	);
	expect(outcome).toBe('failed');
	expect(elapsed).toBeGreaterThanOrEqual(180);
	expect(sandbox.state.pods).toHaveLength(1);
});

test('a client timeout during a long hang leaves the mutation applied, and close() still ends promptly', async () => {
	const other = await startSandbox({ port: 0 });
	try {
		other.faults.next({ kind: 'dropAfterApply', mode: 'hang', hangMs: 60_000 });
		const request = fetch(`${other.url}/graphql`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${other.apiKey}` },
			body: JSON.stringify({ query: DEPLOY, variables: { input: podInput() } }),
			signal: AbortSignal.timeout(150),
		});
		await expect(request).rejects.toThrow();
		expect(other.state.pods).toHaveLength(1);
	} finally {
		const [, closeMs] = await timed(() => other.close());
		expect(closeMs).toBeLessThan(1000);
	}
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
