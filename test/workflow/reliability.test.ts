/**
 * Reliability under faults, through n8n's own executor against the sandbox's fault injection:
 * lost answers, rate limits, gateway errors, hangs. Creates must never leave a duplicate pod,
 * every item must end with its own result or its own error, and the account must match the outputs.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { FaultKind, Sandbox } from '../../sandbox';
import { CREATE_MARKER_ENV } from '../../nodes/RunPod/api/createMarker';
import { RunPod } from '../../nodes/RunPod/RunPod.node';
import { DEFAULT_RETRY_POLICY } from '../../nodes/RunPod/transport/retry';
import { byId, graphqlOnly, json, runRunPodNode, speakTestApi } from './harness';

// Test seam: the backoff base is not a user option. Shrinking it keeps hundreds of retries fast;
// the schedule's shape (exponential, jitter, Retry-After, bounds) is the one users get.
DEFAULT_RETRY_POLICY.baseDelayMs = 5;
DEFAULT_RETRY_POLICY.maxDelayMs = 40;

const GPU = 'NVIDIA GeForce RTX 4090';
/** Short timeout so hanging answers cost little; generous attempts so faults rarely win. */
const FAST_POLICY = { maxAttempts: 6, timeoutSeconds: 0.4, maxTotalWaitSeconds: 30 };

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 11 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.setStock(GPU, { secure: 1000, community: 1000 });
});

function createParameters(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'pod',
		operation: 'create',
		name: '={{ $json.name }}',
		imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
		gpuTypeId: GPU,
		gpuCount: 1,
		cloudType: 'SECURE',
		containerDiskInGb: 20,
		volumeInGb: 0,
		requestPolicy: FAST_POLICY,
		...overrides,
	};
}

async function run(parameters: IDataObject, items: IDataObject[] = [{}], continueOnFail = true) {
	return await runRunPodNode({
		parameters: { requestPolicy: FAST_POLICY, ...parameters },
		items,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
		continueOnFail,
	});
}

function mutations(field: string): number {
	return sandbox.requests.filter((r) => r.fields.includes(field)).length;
}

function markerOf(env: string[]): string | undefined {
	return env.find((e) => e.startsWith(`${CREATE_MARKER_ENV}=`));
}

test('the Retry and Timeout options are one collection shown for every resource and operation, after all other fields', () => {
	const properties = new RunPod().description.properties;
	const last = properties[properties.length - 1];
	expect(last).toMatchObject({
		name: 'requestPolicy',
		displayName: 'Retry and Timeout',
		type: 'collection',
	});
	expect(last.displayOptions).toBeUndefined();
	expect(properties.filter((p) => p.name === 'requestPolicy')).toHaveLength(1);
});

describe('one lost answer at a time', () => {
	test('create whose answer is dropped after RunPod rented the pod: the pod is recovered, not rented twice', async () => {
		sandbox.faults.next(
			{ kind: 'dropAfterApply', mode: 'reset' },
			{ field: 'podFindAndDeployOnDemand' },
		);
		const result = await run(createParameters(), [{ name: 'lost-answer' }], false);
		expect(result.error).toBeUndefined();
		const [pod] = json(result);
		expect(pod).toMatchObject({ name: 'lost-answer', status: 'RUNNING', recovered: true });
		expect(sandbox.state.pods.map((p) => p.id)).toEqual([pod.id]);
		expect(mutations('podFindAndDeployOnDemand')).toBe(1);
	});

	test('create that hangs past the timeout: found by its marker once the timeout fires', async () => {
		sandbox.faults.next(
			{ kind: 'dropAfterApply', mode: 'hang', hangMs: 5000 },
			{ field: 'podFindAndDeployOnDemand' },
		);
		const started = Date.now();
		const [pod] = json(
			await run(
				createParameters({ requestPolicy: { ...FAST_POLICY, timeoutSeconds: 0.3 } }),
				[{ name: 'hung' }],
				false,
			),
		);
		expect(pod).toMatchObject({ name: 'hung', recovered: true });
		expect(Date.now() - started).toBeLessThan(3000);
		expect(sandbox.state.pods).toHaveLength(1);
		expect(mutations('podFindAndDeployOnDemand')).toBe(1);
	});

	test('create answered with a 503: looked for, never resent; the item says RunPod may still carry it out', async () => {
		sandbox.faults.next(
			{ kind: 'http5xx', status: 503, body: 'html' },
			{ field: 'podFindAndDeployOnDemand' },
		);
		const result = await run(createParameters(), [{ name: 'after-503' }], false);
		expect(result.error?.message).toMatch(/^The request may still be carried out/);
		expect(result.error?.description).toMatch(/N8N_RUNPOD_CREATE_ID=/);
		expect(sandbox.state.pods).toHaveLength(0);
		expect(mutations('podFindAndDeployOnDemand')).toBe(1);
		const fields = sandbox.requests.map((r) => r.fields[0]);
		// One list by marker before the create, then looks on the settle schedule.
		expect(fields.slice(0, 3)).toEqual(['myself', 'podFindAndDeployOnDemand', 'myself']);
		expect(new Set(fields.slice(2))).toEqual(new Set(['myself']));
	});

	test('create rate limited: waits for Retry-After and sends again without looking (nothing happened)', async () => {
		sandbox.faults.next(
			{ kind: 'http429', retryAfterSeconds: 1 },
			{ field: 'podFindAndDeployOnDemand' },
		);
		const started = Date.now();
		const [pod] = json(await run(createParameters(), [{ name: 'rate-limited' }], false));
		expect(pod).toMatchObject({ name: 'rate-limited', status: 'RUNNING' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(sandbox.requests.map((r) => r.fields[0])).toEqual([
			'myself',
			'podFindAndDeployOnDemand',
			'podFindAndDeployOnDemand',
		]);
	});

	graphqlOnly('create spot with a lost answer is recovered too', async () => {
		sandbox.faults.next(
			{ kind: 'dropAfterApply', mode: 'reset' },
			{ field: 'podRentInterruptable' },
		);
		const [pod] = json(
			await run(
				createParameters({ operation: 'createSpot', bidPerGpu: 2 }),
				[{ name: 'spot' }],
				false,
			),
		);
		expect(pod).toMatchObject({ name: 'spot', recovered: true });
		expect(sandbox.state.pods).toHaveLength(1);
		expect(mutations('podRentInterruptable')).toBe(1);
	});

	test('resume whose answer is lost: the pod is read, found running, and not resumed twice', async () => {
		const [created] = json(await run(createParameters(), [{ name: 'resume-me' }], false));
		await run(
			{ resource: 'pod', operation: 'stop', podId: byId(created.id as string) },
			[{}],
			false,
		);
		sandbox.requests.length = 0;
		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'podResume' });
		const result = await run(
			{ resource: 'pod', operation: 'resume', podId: byId(created.id as string) },
			[{}],
			false,
		);
		expect(result.error).toBeUndefined();
		expect(json(result)[0]).toMatchObject({ id: created.id, status: 'RUNNING' });
		expect(mutations('podResume')).toBe(1);
		expect(sandbox.state.pods[0].desiredStatus).toBe('RUNNING');
	});

	test('terminate whose answer is lost: the pod is gone, so the item succeeds instead of "not found"', async () => {
		const [created] = json(await run(createParameters(), [{ name: 'doomed' }], false));
		sandbox.requests.length = 0;
		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'podTerminate' });
		const result = await run(
			{ resource: 'pod', operation: 'terminate', podId: byId(created.id as string) },
			[{}],
			false,
		);
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([{ id: created.id, terminated: true }]);
		expect(sandbox.state.pods).toEqual([]);
		expect(mutations('podTerminate')).toBe(1);
	});

	test('template create whose answer is lost: found by its unique name, not saved twice', async () => {
		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'saveTemplate' });
		const result = await run(
			{
				resource: 'template',
				operation: 'create',
				name: 'lost-template',
				imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
				templateType: 'pod',
				containerDiskInGb: 20,
				volumeInGb: 0,
			},
			[{}],
			false,
		);
		expect(result.error).toBeUndefined();
		expect(json(result)[0]).toMatchObject({ name: 'lost-template' });
		expect(sandbox.state.templates.filter((t) => t.name === 'lost-template')).toHaveLength(1);
		expect(mutations('saveTemplate')).toBe(1);
	});

	test('network volume create whose answer is lost: found by name, data center and size, not created twice', async () => {
		sandbox.faults.next(
			{ kind: 'dropAfterApply', mode: 'reset' },
			{ field: 'createNetworkVolume' },
		);
		const result = await run(
			{
				resource: 'networkVolume',
				operation: 'create',
				name: 'lost-volume',
				size: 50,
				dataCenterId: 'EU-RO-1',
			},
			[{}],
			false,
		);
		expect(result.error).toBeUndefined();
		expect(json(result)[0]).toMatchObject({ name: 'lost-volume', size: 50 });
		expect(sandbox.state.networkVolumes.filter((v) => v.name === 'lost-volume')).toHaveLength(1);
		expect(mutations('createNetworkVolume')).toBe(1);
	});

	test('network volume create after a 503: looked for, never resent, reported as possibly carried out', async () => {
		sandbox.faults.next(
			{ kind: 'http5xx', status: 503, body: 'json' },
			{ field: 'createNetworkVolume' },
		);
		const result = await run(
			{
				resource: 'networkVolume',
				operation: 'create',
				name: 'second-try',
				size: 10,
				dataCenterId: 'EU-RO-1',
			},
			[{}],
			false,
		);
		expect(result.error?.message).toMatch(/^The request may still be carried out/);
		expect(sandbox.state.networkVolumes.filter((v) => v.name === 'second-try')).toHaveLength(0);
		expect(mutations('createNetworkVolume')).toBe(1);
	});

	test('stop is idempotent: a lost answer is simply sent again', async () => {
		const [created] = json(await run(createParameters(), [{ name: 'stop-me' }], false));
		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'podStop' });
		const [stopped] = json(
			await run(
				{ resource: 'pod', operation: 'stop', podId: byId(created.id as string) },
				[{}],
				false,
			),
		);
		expect(stopped).toMatchObject({ id: created.id, status: 'EXITED' });
		expect(mutations('podStop')).toBe(2);
	});

	test('reads ride out 502, 503, 504 and 429 with Retry-After', async () => {
		const [created] = json(await run(createParameters(), [{ name: 'read-me' }], false));
		sandbox.requests.length = 0;
		for (const fault of [
			{ kind: 'http5xx', status: 502, body: 'html' },
			{ kind: 'http5xx', status: 503, body: 'json' },
			{ kind: 'http5xx', status: 504, body: 'html' },
			{ kind: 'http429', retryAfterSeconds: 0, body: 'json' },
		] as FaultKind[]) {
			sandbox.faults.next(fault);
		}
		const result = await run(
			{ resource: 'pod', operation: 'get', podId: byId(created.id as string) },
			[{}],
			false,
		);
		expect(json(result)[0]).toMatchObject({ id: created.id });
		expect(sandbox.requests.map((r) => r.status)).toEqual([502, 503, 504, 429, 200]);
	});

	test('Retry Failed Requests off: one attempt, and the item fails with a message that says how to turn it on', async () => {
		sandbox.faults.next({ kind: 'http5xx', status: 503, body: 'html' });
		const result = await run(
			{
				resource: 'pod',
				operation: 'getAll',
				returnAll: true,
				requestPolicy: { retryEnabled: false },
			},
			[{}],
			false,
		);
		expect(result.error?.message).toBe('RunPod is unavailable right now (HTTP 503)');
		expect(sandbox.requests).toHaveLength(1);
	});

	test('the Retry and Timeout options are checked before anything is sent, naming the option and the item', async () => {
		const result = await run(
			createParameters({ requestPolicy: { ...FAST_POLICY, maxAttempts: '={{ $json.attempts }}' } }),
			[
				{ name: 'ok', attempts: 3 },
				{ name: 'bad', attempts: 0 },
			],
			false,
		);
		expect(result.error?.message).toBe(
			'Retry and Timeout → Max Attempts: expected a whole number from 1 to 10, got 0',
		);
		expect(result.error?.context?.itemIndex).toBe(1);
		// Every item is checked before the first create: nothing was sent for either.
		expect(mutations('podFindAndDeployOnDemand')).toBe(0);
	});
});

/** Where the chaos test writes its figures (git-ignored). */
const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts');

// --- chaos ------------------------------------------------------------------------------------

/** About 30 % of requests fail; the mix leans on what hurts creates most (lost answers). */
const CHAOS_KINDS: FaultKind[] = [
	{ kind: 'http429', retryAfterSeconds: 0 },
	{ kind: 'http429', retryAfterSeconds: 0, body: 'json' },
	{ kind: 'http5xx', status: 502, body: 'html' },
	{ kind: 'http5xx', status: 503, body: 'json' },
	{ kind: 'http5xx', status: 504, body: 'html' },
	{ kind: 'http5xx', status: 500, body: 'json' },
	{ kind: 'latency', ms: 40 },
	{ kind: 'dropAfterApply', mode: 'reset' },
	{ kind: 'dropAfterApply', mode: 'reset' },
	{ kind: 'dropAfterApply', mode: 'hang', hangMs: 2000 },
];
const CHAOS_RATE = 0.3;

type Expected = 'RUNNING' | 'EXITED' | 'GONE' | 'UNKNOWN';

interface Tally {
	operations: number;
	ok: number;
	recovered: number;
	errors: Array<{ operation: string; message: string }>;
}

/** One output group per input item: its results, or exactly one error. */
function perItem(items: INodeExecutionData[], count: number): IDataObject[][] {
	const groups: IDataObject[][] = Array.from({ length: count }, () => []);
	for (const item of items) {
		const paired = item.pairedItem as { item: number };
		groups[paired.item].push(item.json);
	}
	return groups;
}

function isError(group: IDataObject[]): boolean {
	return group.length === 1 && typeof group[0].error === 'string';
}

/** An error that itself warns the request may have been carried out. */
function errorAdmitsDoubt(output: IDataObject): boolean {
	return /may (have|still have) (been )?carried|may have done it|earlier attempt lost its answer/i.test(
		`${output.error as string} ${output.description as string}`,
	);
}

describe("chaos: ~30 % faults over 200+ operations through n8n's executor", () => {
	jest.setTimeout(60_000);

	test('every item ends with its result or its own error, no pod is duplicated, the account matches the outputs', async () => {
		const tally: Tally = { operations: 0, ok: 0, recovered: 0, errors: [] };
		const expected = new Map<string, Expected>();
		sandbox.faults.set({ random: { rate: CHAOS_RATE, seed: 2026, kinds: CHAOS_KINDS } });

		const step = async (operation: string, parameters: IDataObject, items: IDataObject[]) => {
			const result = await run({ resource: 'pod', operation, ...parameters }, items);
			expect(result.error).toBeUndefined();
			const groups = perItem(result.items, items.length);
			tally.operations += items.length;
			groups.forEach((group) => {
				expect(group.length).toBeGreaterThan(0);
				if (isError(group)) {
					tally.errors.push({ operation, message: group[0].error as string });
					// An error item is an error only: no half result mixed in.
					expect(Object.keys(group[0]).sort()).toEqual(expect.arrayContaining(['error']));
					expect(group[0].id).toBeUndefined();
				} else {
					tally.ok += 1;
					if (group.some((output) => output.recovered === true)) tally.recovered += 1;
				}
			});
			return groups;
		};

		// 1. Create 60 pods, each with a unique name so an output maps to exactly one pod.
		const names = Array.from({ length: 60 }, (_, i) => ({ name: `chaos-${i}` }));
		const created = await step('create', createParameters(), names);
		const createdIds: string[] = [];
		const doubtfulNames = new Set<string>();
		created.forEach((group, i) => {
			if (isError(group)) {
				if (errorAdmitsDoubt(group[0])) doubtfulNames.add(names[i].name);
				return;
			}
			expect(group[0]).toMatchObject({ name: names[i].name, status: 'RUNNING' });
			createdIds.push(group[0].id as string);
			expected.set(group[0].id as string, 'RUNNING');
		});
		// No duplicates: one pod per successful item, one marker per pod; unreported pods only where the error said so.
		const pods = sandbox.state.pods;
		expect(new Set(createdIds).size).toBe(createdIds.length);
		expect(new Set(pods.map((p) => p.name)).size).toBe(pods.length);
		expect(new Set(pods.map((p) => markerOf(p.env))).size).toBe(pods.length);
		for (const pod of pods) {
			expect(markerOf(pod.env)).toBeDefined();
			expect(createdIds.includes(pod.id) || doubtfulNames.has(pod.name)).toBe(true);
		}
		for (const pod of pods) if (!createdIds.includes(pod.id)) expected.set(pod.id, 'UNKNOWN');
		const createSummary = {
			items: names.length,
			pods: pods.length,
			reported: createdIds.length,
			doubtful: doubtfulNames.size,
		};

		// 2. Get each created pod.
		const gets = await step(
			'get',
			{ podId: byId('={{ $json.id }}') },
			createdIds.map((id) => ({ id })),
		);
		gets.forEach((group, i) => {
			if (!isError(group)) expect(group[0]).toMatchObject({ id: createdIds[i], status: 'RUNNING' });
		});

		// 3. Get Many, ten times: each answer lists every pod in the account.
		const lists = await step(
			'getAll',
			{ returnAll: true },
			Array.from({ length: 10 }, () => ({})),
		);
		for (const group of lists) {
			if (!isError(group))
				expect(group.map((p) => p.id).sort()).toEqual(pods.map((p) => p.id).sort());
		}

		const record = (groups: IDataObject[][], ids: string[], after: Expected) => {
			groups.forEach((group, i) => {
				if (!isError(group)) expected.set(ids[i], after);
				else if (errorAdmitsDoubt(group[0])) expected.set(ids[i], 'UNKNOWN');
			});
		};

		// 4. Stop 40, 5. resume 25 of them, 6. terminate 30 (running and stopped alike).
		const toStop = createdIds.slice(0, 40);
		const stops = await step(
			'stop',
			{ podId: byId('={{ $json.id }}') },
			toStop.map((id) => ({ id })),
		);
		stops.forEach((group, i) => {
			if (!isError(group)) expect(group[0]).toMatchObject({ id: toStop[i], status: 'EXITED' });
		});
		record(stops, toStop, 'EXITED');

		const toResume = toStop.slice(0, 25);
		const resumes = await step(
			'resume',
			{ podId: byId('={{ $json.id }}') },
			toResume.map((id) => ({ id })),
		);
		resumes.forEach((group, i) => {
			if (!isError(group)) expect(group[0]).toMatchObject({ id: toResume[i], status: 'RUNNING' });
		});
		record(resumes, toResume, 'RUNNING');

		const toTerminate = createdIds.slice(15, 45);
		const terminations = await step(
			'terminate',
			{ podId: byId('={{ $json.id }}') },
			toTerminate.map((id) => ({ id })),
		);
		terminations.forEach((group, i) => {
			if (!isError(group)) expect(group[0]).toEqual({ id: toTerminate[i], terminated: true });
		});
		record(terminations, toTerminate, 'GONE');

		// The account says what the outputs said.
		sandbox.faults.clear();
		const inAccount = new Map(sandbox.state.pods.map((p) => [p.id, p.desiredStatus]));
		let checked = 0;
		for (const [id, state] of expected) {
			if (state === 'UNKNOWN') continue;
			checked += 1;
			expect({ id, state: inAccount.get(id) ?? 'GONE' }).toEqual({ id, state });
		}
		for (const id of inAccount.keys()) expect(expected.has(id)).toBe(true);

		const requests = sandbox.requests.length;
		const faulted = sandbox.requests.filter((r) => r.fault).length;
		const faultKinds: Record<string, number> = {};
		for (const r of sandbox.requests)
			if (r.fault) faultKinds[r.fault] = (faultKinds[r.fault] ?? 0) + 1;
		const errorsByOperation: Record<string, number> = {};
		for (const e of tally.errors)
			errorsByOperation[e.operation] = (errorsByOperation[e.operation] ?? 0) + 1;

		expect(tally.operations).toBeGreaterThanOrEqual(200);
		expect(faulted / requests).toBeGreaterThan(0.2);
		// Lost answers happened and were recovered rather than resent.
		expect(tally.recovered).toBeGreaterThan(0);
		// Retries absorb almost all faults: what is left is RunPod's unretryable 500s on reads.
		expect(tally.errors.length).toBeLessThan(tally.operations * 0.1);
		expect(checked).toBeGreaterThan(40);

		// The figures for the docs go to a file, not the test output: a passing run stays quiet.
		fs.mkdirSync(ARTIFACTS, { recursive: true });
		fs.writeFileSync(
			path.join(ARTIFACTS, 'chaos.json'),
			`${JSON.stringify({ chaos: { ...tally, errors: tally.errors.length, errorsByOperation, errorMessages: [...new Set(tally.errors.map((e) => e.message))], requests, faulted, faultRate: +(faulted / requests).toFixed(3), faultKinds, create: createSummary, statesChecked: checked } }, null, 2)}\n`,
		);
	});

	test("two workflows creating pods at the same time never adopt each other's pods", async () => {
		sandbox.faults.set({
			random: {
				rate: 0.5,
				seed: 7,
				kinds: [
					{ kind: 'dropAfterApply', mode: 'reset' },
					{ kind: 'http5xx', status: 503, body: 'html' },
				],
			},
		});
		const items = (prefix: string) =>
			Array.from({ length: 15 }, (_, i) => ({ name: `${prefix}-${i}` }));
		const [left, right] = await Promise.all([
			run(createParameters(), items('left')),
			run(createParameters(), items('right')),
		]);
		sandbox.faults.clear();

		const outputs = { left: json(left), right: json(right) };
		const ids = new Set<string>();
		let recovered = 0;
		for (const [prefix, list] of Object.entries(outputs)) {
			list.forEach((pod, i) => {
				if (pod.error) return;
				expect(pod.name).toBe(`${prefix}-${i}`);
				expect(ids.has(pod.id as string)).toBe(false);
				ids.add(pod.id as string);
				if (pod.recovered) recovered += 1;
			});
		}
		expect(recovered).toBeGreaterThan(0);
		// Every pod in the account is one an item reported, and no name appears twice.
		const pods = sandbox.state.pods;
		expect(new Set(pods.map((p) => p.name)).size).toBe(pods.length);
		const unreported = pods.filter((p) => !ids.has(p.id));
		const doubtful = [...json(left), ...json(right)].filter((o) => o.error && errorAdmitsDoubt(o));
		expect(unreported.length).toBeLessThanOrEqual(doubtful.length);
	});
});
