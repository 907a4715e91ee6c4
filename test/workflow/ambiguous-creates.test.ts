/**
 * RunPod's ambiguous failures, the way a busy gateway gives them: HTTP 504 or 502 (or a reset, or
 * no answer before the client's timeout) NOW, and the create carried out a moment LATER. For
 * every create, with n8n's Retry On Fail on: each item ends with at most one billed resource, and
 * every resource that exists is named by an output or by an error. Never by a second create.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { FaultKind, Sandbox } from '../../sandbox';
import { graphqlOnly, json, runRunPodNode, speakTestApi } from './harness';
import type { RunResult } from './harness';

const GPU = 'NVIDIA GeForce RTX 4090';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 41 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.setStock(GPU, { secure: 50, community: 50 });
});

async function run(
	parameters: IDataObject,
	items: IDataObject[] = [{}],
	extra: { executionId?: string; timeoutSeconds?: number; maxTries?: number } = {},
): Promise<RunResult> {
	return await runRunPodNode({
		parameters: {
			requestPolicy: { timeoutSeconds: extra.timeoutSeconds ?? 5 },
			...parameters,
		},
		items,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
		// maxTries 0: Retry On Fail off (n8n itself tries at least twice when it is on).
		...(extra.maxTries === 0 ? {} : { retryOnFail: { maxTries: extra.maxTries ?? 3 } }),
		executionId: extra.executionId,
	});
}

/** Everything the run shows a user: output items and the error, as one text. */
function shown(result: RunResult): string {
	return [
		JSON.stringify(json(result)),
		result.error?.message ?? '',
		result.error?.description ?? '',
	].join('\n');
}

function sent(field: string): number {
	return sandbox.requests.filter((r) => r.fields.includes(field)).length;
}

interface CreateCase {
	name: string;
	field: string;
	parameters: IDataObject;
	/** The resources this create makes, as the account holds them. */
	made: () => Array<{ id: string; marker?: string }>;
	/** What an error must name for a resource no output names. */
	nameOf: (resource: { id: string; marker?: string }) => string;
}

const podParameters = (operation: 'create' | 'createSpot'): IDataObject => ({
	resource: 'pod',
	operation,
	name: 'late-pod',
	imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
	gpuTypeId: GPU,
	gpuCount: 1,
	cloudType: 'SECURE',
	containerDiskInGb: 20,
	volumeInGb: 0,
	...(operation === 'createSpot' ? { bidPerGpu: 0.5 } : {}),
});

const markerOf = (env: unknown): string | undefined => {
	if (Array.isArray(env) && env.every((e) => typeof e === 'string'))
		return (env as string[]).find((e) => e.startsWith('N8N_RUNPOD_CREATE_ID='))?.split('=')[1];
	const entries = Array.isArray(env)
		? env
		: Object.entries(env ?? {}).map(([key, value]) => ({ key, value }));
	const found = (entries as Array<{ key: string; value: string }>).find(
		(e) => e.key === 'N8N_RUNPOD_CREATE_ID',
	);
	return found?.value;
};

const pods = () => sandbox.state.pods.map((pod) => ({ id: pod.id, marker: markerOf(pod.env) }));

const cases: CreateCase[] = [
	{
		name: 'Pod → Create',
		field: 'podFindAndDeployOnDemand',
		parameters: podParameters('create'),
		made: pods,
		nameOf: (pod) => `N8N_RUNPOD_CREATE_ID=${pod.marker}`,
	},
	{
		name: 'Network Volume → Create',
		field: 'createNetworkVolume',
		parameters: {
			resource: 'networkVolume',
			operation: 'create',
			name: 'late-volume',
			size: 10,
			dataCenterId: 'EU-RO-1',
		},
		made: () => sandbox.state.networkVolumes.filter((v) => v.name === 'late-volume'),
		nameOf: () => 'a new network volume named "late-volume"',
	},
	{
		name: 'Template → Create',
		field: 'saveTemplate',
		parameters: {
			resource: 'template',
			operation: 'create',
			name: 'late-template',
			imageName: 'ubuntu:22.04',
			containerDiskInGb: 5,
			volumeInGb: 0,
		},
		made: () => sandbox.state.templates.filter((t) => t.name === 'late-template'),
		nameOf: () => 'a template named "late-template"',
	},
	{
		name: 'Endpoint → Create',
		field: 'saveEndpoint',
		parameters: {
			resource: 'endpoint',
			operation: 'create',
			name: 'late-endpoint',
			workerSource: 'image',
			imageName: 'runpod/worker:1.0',
			gpuPools: ['ADA_24'],
		},
		made: () => (sandbox.state.endpoints ?? []).filter((e) => e.name === 'late-endpoint'),
		nameOf: () => 'an endpoint named "late-endpoint"',
	},
];

describe.each(cases)('$name behind a busy gateway', ({ field, parameters, made, nameOf }) => {
	test.each([
		['a 504', { kind: 'lateApply', answer: 504, applyAfterMs: 300 }],
		['a 502', { kind: 'lateApply', answer: 502, applyAfterMs: 300 }],
		['a reset connection', { kind: 'lateApply', answer: 'reset', applyAfterMs: 300 }],
	] as Array<[string, FaultKind]>)(
		'%s now, the create carried out later: found and returned as recovered, sent once',
		async (_label, fault) => {
			sandbox.faults.next(fault, { field });
			const result = await run(parameters);
			await sandbox.faults.settled();
			expect(result.error).toBeUndefined();
			expect(sent(field)).toBe(1);
			const resources = made();
			expect(resources).toHaveLength(1);
			expect(json(result)).toEqual([
				expect.objectContaining({ id: resources[0].id, recovered: true }),
			]);
		},
	);

	test('no answer before the client timeout, the create carried out later: found, sent once', async () => {
		sandbox.faults.next(
			{ kind: 'lateApply', answer: 'hang', applyAfterMs: 1000, hangMs: 3000 },
			{ field },
		);
		const result = await run(parameters, [{}], { timeoutSeconds: 0.2 });
		await sandbox.faults.settled();
		expect(result.error).toBeUndefined();
		expect(sent(field)).toBe(1);
		expect(made()).toHaveLength(1);
		expect(json(result)[0]).toMatchObject({ id: made()[0].id, recovered: true });
	});

	test('carried out only after the node stopped looking: the error names what to look for, no create is resent, not even by Retry On Fail', async () => {
		sandbox.faults.next({ kind: 'lateApply', answer: 504, applyAfterMs: 4000 }, { field });
		const result = await run(parameters);
		await sandbox.faults.settled();
		expect(sent(field)).toBe(1);
		const resources = made();
		expect(resources).toHaveLength(1);
		expect(result.error?.message).toMatch(/Not sent again|may still be carried out/);
		expect(shown(result)).toContain(nameOf(resources[0]));
		expect(shown(result)).not.toMatch(/nothing was created/i);
	});
});

graphqlOnly(
	'Pod → Create Spot: a 504 now, the spot pod later: recovered, rented once',
	async () => {
		sandbox.faults.next(
			{ kind: 'lateApply', answer: 504, applyAfterMs: 300 },
			{ field: 'podRentInterruptable' },
		);
		const result = await run(podParameters('createSpot'));
		await sandbox.faults.settled();
		expect(result.error).toBeUndefined();
		expect(sent('podRentInterruptable')).toBe(1);
		expect(pods()).toHaveLength(1);
		expect(json(result)[0]).toMatchObject({ id: pods()[0].id, recovered: true });
	},
);

test('Pod → Create, six items, every other create behind a busy gateway: six pods, each named by its own output', async () => {
	for (let i = 0; i < 3; i++) {
		sandbox.faults.next(
			{ kind: 'lateApply', answer: i === 1 ? 'reset' : 504, applyAfterMs: 150 + 100 * i },
			{ field: 'podFindAndDeployOnDemand' },
		);
		sandbox.faults.next({ kind: 'latency', ms: 1 }, { field: 'podFindAndDeployOnDemand' });
	}
	const result = await run({ ...podParameters('create'), name: '={{ $json.name }}' }, [
		{ name: 'a' },
		{ name: 'b' },
		{ name: 'c' },
		{ name: 'd' },
		{ name: 'e' },
		{ name: 'f' },
	]);
	await sandbox.faults.settled();
	expect(result.error).toBeUndefined();
	expect(sent('podFindAndDeployOnDemand')).toBe(6);
	const outputs = json(result);
	expect(outputs.map((o) => o.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
	expect(new Set(outputs.map((o) => o.id))).toEqual(new Set(pods().map((p) => p.id)));
	expect(outputs.filter((o) => o.recovered === true)).toHaveLength(3);
});

test('a re-queued execution (same execution, fresh node context) finds the pod the first worker rented', async () => {
	const first = await run(podParameters('create'), [{}], { executionId: 'queued-1' });
	expect(first.error).toBeUndefined();
	// Queue mode: the worker crashed after the create; another worker runs the node again from scratch.
	const second = await run(podParameters('create'), [{}], { executionId: 'queued-1' });
	expect(second.error).toBeUndefined();
	expect(sent('podFindAndDeployOnDemand')).toBe(1);
	expect(pods()).toHaveLength(1);
	expect(json(second)[0]).toMatchObject({ id: json(first)[0].id, recovered: true });
});

test("two pods already carry the item's marker: both are named in the error, none is rented", async () => {
	const first = await run(podParameters('create'), [{}], { executionId: 'twice-1' });
	const original = sandbox.state.pods[0];
	// What an older version of the node left behind: a second pod from the same create.
	sandbox.state.pods.push({ ...original, id: 'secondcopy01' });
	const again = await run(podParameters('create'), [{}], { executionId: 'twice-1', maxTries: 0 });
	expect(sent('podFindAndDeployOnDemand')).toBe(1);
	expect(again.error?.message).toBe(
		`2 pods match this item's create: ${json(first)[0].id}, secondcopy01`,
	);
	expect(again.error?.description).toMatch(/each is billed/);
});

describe('a failing item never hides what other items rented', () => {
	const items = [
		{ name: 'a', image: 'ubuntu:22.04', gpu: GPU },
		{ name: 'b', image: 'not an image', gpu: GPU },
	];
	const parameters = {
		...podParameters('create'),
		name: '={{ $json.name }}',
		imageName: '={{ $json.image }}',
		gpuTypeId: '={{ $json.gpu }}',
	};

	test('a bad image in item 1 stops the node before item 0 rents anything', async () => {
		const result = await run(parameters, items, { maxTries: 0 });
		expect(result.error?.message).toMatch(/Image/);
		expect(sent('podFindAndDeployOnDemand')).toBe(0);
		expect(pods()).toHaveLength(0);
	});

	test("RunPod's refusal of item 1: the error names item 0's pod, which no output shows", async () => {
		const result = await run(
			parameters,
			[items[0], { name: 'b', image: 'ubuntu:22.04', gpu: 'NVIDIA Imaginary 9000' }],
			{ maxTries: 0 },
		);
		expect(result.items).toHaveLength(0);
		expect(pods()).toHaveLength(1);
		expect(result.error?.description).toContain(`pod ${pods()[0].id} (item 0)`);
	});

	test('Wait Until Ready failing after the create names the rented pod and its marker', async () => {
		// The first status check fails with RunPod's own 500 (not retried).
		sandbox.faults.next({ kind: 'http5xx', status: 500, body: 'json' }, { field: 'pod' });
		const result = await run(
			{
				...podParameters('create'),
				waitUntilReady: true,
				waitOptions: { pollIntervalSeconds: 0.1 },
			},
			[{}],
			{ maxTries: 0 },
		);
		expect(pods()).toHaveLength(1);
		expect(result.error?.description).toContain(`the pod ${pods()[0].id}`);
		expect(result.error?.description).toContain(`N8N_RUNPOD_CREATE_ID=${pods()[0].marker}`);
	});
});

test('Network Volume → Create: two same-named volumes appearing meanwhile are both named, never adopted, and no third is created on Retry On Fail', async () => {
	// Another execution creates two volumes with the same name while this create's answer is lost.
	const take = sandbox.faults.take.bind(sandbox.faults);
	sandbox.faults.take = (fields) => {
		if (fields.includes('createNetworkVolume') && !sandbox.state.networkVolumes.length) {
			for (const id of ['concurrent01', 'concurrent02'])
				sandbox.state.networkVolumes.push({
					id,
					name: 'shared',
					size: 10,
					dataCenterId: 'EU-RO-1',
				});
			return { kind: 'http5xx', status: 500, body: 'json' };
		}
		return take(fields);
	};
	try {
		const result = await run({
			resource: 'networkVolume',
			operation: 'create',
			name: 'shared',
			size: 10,
			dataCenterId: 'EU-RO-1',
		});
		expect(sent('createNetworkVolume')).toBe(1);
		expect(sandbox.state.networkVolumes.map((v) => v.id)).toEqual(['concurrent01', 'concurrent02']);
		expect(json(result)).toEqual([]);
		expect(result.error?.message).toBe(
			"2 network volumes match this item's create: concurrent01, concurrent02",
		);
	} finally {
		sandbox.faults.take = take;
	}
});
