/** REST v2 pod logs (getPodLogs): an SSE stream over the pod's lifecycle in the shared state; PATCH of a pod volume. */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { sleep } from './helpers';
import { call, expectMatchesSpec, expectStatus, podBody, send } from './rest-helpers';

const BOOT_MS = 200;
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 21, bootDelayMs: BOOT_MS });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

interface LogEvent {
	id: string;
	data: { ts: string; source: string; line: string };
}

function parseEvents(text: string): LogEvent[] {
	return text
		.split('\n\n')
		.filter((block) => block.trim() !== '')
		.map((block) => {
			const id = /^id: (.*)$/m.exec(block)?.[1] ?? '';
			const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as LogEvent['data'];
			return { id, data };
		});
}

/** Reads a log stream that may stay open: the text received until `want` events or a quiet moment, then hangs up. */
async function readLive(
	path: string,
	want: number,
): Promise<{ status: number; type: string; events: LogEvent[]; ended: boolean }> {
	const abort = new AbortController();
	const response = await fetch(`${sandbox.url}${path}`, {
		headers: { authorization: `Bearer ${sandbox.apiKey}` },
		signal: abort.signal,
	});
	const reader = response.body!.getReader();
	const decoder = new TextDecoder();
	let text = '';
	let ended = false;
	for (;;) {
		const next = await Promise.race([reader.read(), sleep(300).then(() => 'quiet' as const)]);
		if (next === 'quiet') break;
		if (next.done) {
			ended = true;
			break;
		}
		text += decoder.decode(next.value, { stream: true });
		if (parseEvents(text).length >= want) break;
	}
	abort.abort();
	await reader.read().catch(() => undefined);
	return {
		status: response.status,
		type: response.headers.get('content-type') ?? '',
		events: parseEvents(text),
		ended,
	};
}

const create = (overrides: Record<string, unknown> = {}) =>
	expectStatus(sandbox, 201, 'createPod', { body: podBody(overrides) });
const act = (id: string, action: string) =>
	call(sandbox, 'podAction', { path: { id }, body: { action } });

describe('GET /v2/pods/{id}/logs', () => {
	test('a running pod streams its boot and what its program printed, oldest first, and keeps the stream open', async () => {
		const pod = await create({ args: 'python serve.py' });
		await sleep(BOOT_MS + 50);
		sandbox.writePodLog(pod.id, ['model loaded', 'listening']);
		const live = await readLive(`/v2/pods/${pod.id}/logs`, 100);
		expect(live.status).toBe(200);
		expect(live.type).toMatch(/^text\/event-stream/);
		expect(live.ended).toBe(false);
		expect(live.events.map((e) => `${e.data.source}: ${e.data.line}`)).toEqual([
			'system: Pulling image runpod/pytorch:2.4.0',
			'system: Creating container',
			'system: Container started',
			'container: Running start command: python serve.py',
			'container: Listening on 8888/http, 22/tcp',
			'container: model loaded',
			'container: listening',
		]);
		const ids = live.events.map((e) => e.id);
		expect([...ids].sort()).toEqual(ids);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids[0].startsWith(live.events[0].data.ts)).toBe(true);
	});

	test('a pod still booting has not printed its container lines yet', async () => {
		const pod = await create();
		const live = await readLive(`/v2/pods/${pod.id}/logs`, 100);
		expect(live.events.map((e) => e.data.line)).toEqual([
			'Pulling image runpod/pytorch:2.4.0',
			'Creating container',
		]);
	});

	test('tail keeps the last lines, source filters them; a stopped pod keeps its lines and the stream ends', async () => {
		const pod = await create();
		await sleep(BOOT_MS + 50);
		sandbox.writePodLog(pod.id, ['step 1', 'step 2', 'Traceback: CUDA out of memory']);
		await act(pod.id, 'stop');

		const answer = await call(sandbox, 'getPodLogs', { path: { id: pod.id }, query: { tail: 3 } });
		expect(answer.status).toBe(200);
		expect(parseEvents(answer.body as string).map((e) => e.data.line)).toEqual([
			'Traceback: CUDA out of memory',
			'Received SIGTERM, shutting down',
			'Container stopped (exited by User)',
		]);
		const system = await call(sandbox, 'getPodLogs', {
			path: { id: pod.id },
			query: { source: 'system', tail: 2 },
		});
		expect(parseEvents(system.body as string).map((e) => e.data.source)).toEqual([
			'system',
			'system',
		]);
		// tail=0: no backfill, an empty stream (the spec's string schema has nothing to check).
		const none = await send(sandbox, 'GET', `/v2/pods/${pod.id}/logs?tail=0`);
		expect([none.status, none.body]).toEqual([200, undefined]);
	});

	test('a restart writes a new boot; a terminated or unknown pod is 404; a bad tail is 422', async () => {
		const pod = await create();
		await sleep(BOOT_MS + 50);
		await act(pod.id, 'restart');
		await sleep(BOOT_MS + 50);
		const live = await readLive(`/v2/pods/${pod.id}/logs?tail=4`, 4);
		expect(live.events.map((e) => e.data.line)).toEqual([
			'Restarting container',
			'Container started',
			'Running the default command of runpod/pytorch:2.4.0',
			'Listening on 8888/http, 22/tcp',
		]);
		expect(
			(await call(sandbox, 'getPodLogs', { path: { id: pod.id }, query: { tail: 9999 } })).status,
		).toBe(422);
		await act(pod.id, 'terminate');
		const gone = await call(sandbox, 'getPodLogs', { path: { id: pod.id } });
		expect(gone.status).toBe(404);
		expectMatchesSpec('getPodLogs', gone);
	});
});

describe('PATCH a pod volume', () => {
	test('grows the pod volume of a pod that has one; other mount changes are 400', async () => {
		const pod = await create({ mounts: { persistent: { size: 20, path: '/workspace' } } });
		const grown = await expectStatus(sandbox, 200, 'updatePod', {
			path: { id: pod.id },
			body: { mounts: { persistent: { size: 50, path: '/workspace' } } },
		});
		expect(grown.mounts).toEqual({ persistent: { size: 50, path: '/workspace' } });
		const refused = await call(sandbox, 'updatePod', {
			path: { id: pod.id },
			body: { mounts: { persistent: { size: 10, path: '/workspace' } } },
		});
		expect(refused.status).toBe(400);

		const bare = await create();
		const added = await call(sandbox, 'updatePod', {
			path: { id: bare.id },
			body: { mounts: { persistent: { size: 10, path: '/workspace' } } },
		});
		expect(added.status).toBe(400);
		expect(added.body.detail).toMatch(/fixed when it is created/);
	});
});
