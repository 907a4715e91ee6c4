/**
 * Safety against bad and hostile input, and the API key: it never appears in an output item,
 * an error, or what n8n stores of the execution, on any error path.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { FaultKind, Sandbox } from '../../sandbox';
import { DEFAULT_RETRY_POLICY } from '../../nodes/RunPod/transport/retry';
import { ON_REST, byId, json, runRunPodNode, speakTestApi, warmUpRest } from './harness';
import type { RunResult } from './harness';

DEFAULT_RETRY_POLICY.baseDelayMs = 5;
DEFAULT_RETRY_POLICY.maxDelayMs = 20;

const GPU = 'NVIDIA GeForce RTX 4090';
// Long enough for the REST sandbox's first request on a loaded machine, short of the 3 s hang below.
const ONE_SHOT = { retryEnabled: false, timeoutSeconds: 1.5 };

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 5 });
	speakTestApi(sandbox);
	await warmUpRest(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.setStock(GPU, { secure: 50 });
});

function createParameters(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'pod',
		operation: 'create',
		name: 'secure-test',
		imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
		gpuTypeId: GPU,
		gpuCount: 1,
		cloudType: 'SECURE',
		containerDiskInGb: 20,
		volumeInGb: 0,
		...overrides,
	};
}

async function run(
	parameters: IDataObject,
	options: { items?: IDataObject[]; apiKey?: string; continueOnFail?: boolean } = {},
) {
	return await runRunPodNode({
		parameters,
		items: options.items,
		credentials: { apiKey: options.apiKey ?? sandbox.apiKey, baseUrl: sandbox.url },
		continueOnFail: options.continueOnFail,
	});
}

/** Everything n8n keeps or shows of a run: stored execution data, outputs, the error and its description. */
function everythingShown(result: RunResult): string {
	const error = result.error;
	return [
		JSON.stringify(result.run),
		JSON.stringify(result.items),
		error?.message,
		error?.description,
		error?.stack,
		JSON.stringify(error),
	].join('\n');
}

describe('the API key never appears, on any error path', () => {
	const CANARY_KEY = 'rpa_CANARY0LEAK0CHECK0123456789ABCDEF';

	interface ErrorPath {
		name: string;
		parameters: IDataObject;
		fault?: FaultKind;
		faultField?: string;
		apiKey?: 'canary' | 'readOnly';
		/** What the error says, proving the path was taken. */
		expected: RegExp;
	}

	const paths: ErrorPath[] = [
		{
			name: '401 unknown key',
			parameters: { resource: 'pod', operation: 'getAll', returnAll: true },
			apiKey: 'canary',
			expected: /rejected the API key \(HTTP 401\)/,
		},
		{
			name: '429',
			parameters: { resource: 'pod', operation: 'getAll', returnAll: true },
			fault: { kind: 'http429', retryAfterSeconds: 0 },
			expected: /HTTP 429/,
		},
		{
			name: '500 html',
			parameters: { resource: 'pod', operation: 'getAll', returnAll: true },
			fault: { kind: 'http5xx', status: 500, body: 'html' },
			expected: /HTTP 500/,
		},
		{
			name: '503 json',
			parameters: { resource: 'pod', operation: 'getAll', returnAll: true },
			fault: { kind: 'http5xx', status: 503, body: 'json' },
			expected: /HTTP 503/,
		},
		{
			name: 'network reset',
			parameters: { resource: 'pod', operation: 'getAll', returnAll: true },
			fault: { kind: 'dropAfterApply', mode: 'reset' },
			expected: ON_REST
				? /Could not reach RunPod|did not answer in time/
				: /Could not reach RunPod/,
		},
		{
			name: 'timeout',
			parameters: { resource: 'pod', operation: 'getAll', returnAll: true },
			fault: { kind: 'dropAfterApply', mode: 'hang', hangMs: 3000 },
			expected: /did not answer in time/,
		},
		// GraphQL answers "Unauthorized" with HTTP 200, REST v2 a 403.
		{
			name: 'refusal (read-only key)',
			parameters: createParameters(),
			apiKey: 'readOnly',
			expected: ON_REST ? /HTTP 403/ : /^Unauthorized$/,
		},
		{
			name: 'GraphQL error (no capacity)',
			parameters: createParameters({ gpuCount: 8, gpuTypeId: 'NVIDIA H100 80GB HBM3' }),
			expected: /no longer any instances|Nothing was rented|does not know/,
		},
		{
			name: 'validation error',
			parameters: createParameters({ gpuCount: 0 }),
			expected: /^GPU Count: /,
		},
		{
			name: 'lost create whose lookup fails',
			parameters: createParameters(),
			fault: { kind: 'dropAfterApply', mode: 'reset' },
			faultField: 'podFindAndDeployOnDemand',
			expected: /could not check whether RunPod carried the request out/,
		},
	];

	for (const continueOnFail of [false, true]) {
		test.each(paths)(`%s (continueOnFail ${continueOnFail ? 'on' : 'off'})`, async (path) => {
			sandbox.setStock('NVIDIA H100 80GB HBM3', { secure: 0, community: 0 });
			if (path.fault)
				sandbox.faults.next(path.fault, path.faultField ? { field: path.faultField } : undefined);
			if (path.name === 'lost create whose lookup fails') {
				// The list before the create goes through; every look after the lost answer fails.
				sandbox.faults.next({ kind: 'latency', ms: 0 }, { field: 'myself' });
				for (let look = 0; look < 40; look++)
					sandbox.faults.next({ kind: 'http5xx', status: 500, body: 'html' }, { field: 'myself' });
			}
			const apiKey =
				path.apiKey === 'canary'
					? CANARY_KEY
					: path.apiKey === 'readOnly'
						? sandbox.readOnlyApiKey
						: sandbox.apiKey;
			const result = await run(
				{ ...path.parameters, requestPolicy: ONE_SHOT },
				{ apiKey, continueOnFail },
			);

			const shownError = continueOnFail
				? (json(result)[0]?.error as string)
				: result.error?.message;
			expect(shownError).toMatch(path.expected);
			const shown = everythingShown(result);
			expect(shown).not.toContain(apiKey);
			expect(shown).not.toMatch(/Bearer\s+rpa_/);
		});
	}
});

describe('a credential with a plain http Base URL: the key is not sent in clear text', () => {
	// .invalid never resolves: today's code would try it and fail on DNS; the node must not try.
	test.each([
		['Base URL', 'Pod → Get Many', { resource: 'pod', operation: 'getAll', returnAll: true }],
		[
			'Serverless Base URL',
			'Job → Get Status',
			{ resource: 'job', operation: 'getStatus', endpointId: byId('abc123'), jobId: 'job-1' },
		],
	])('%s on http:// fails %s before any request, saying why', async (label, _name, parameters) => {
		const result = await runRunPodNode({
			parameters,
			credentials: {
				apiKey: sandbox.apiKey,
				baseUrl: label === 'Base URL' ? 'http://api.runpod.invalid' : sandbox.url,
				serverlessBaseUrl: label === 'Base URL' ? sandbox.url : 'http://api.runpod.invalid/',
			},
		});
		expect(result.error?.message).toBe(
			`The credential's ${label} uses plain http (http://api.runpod.invalid): the API key would travel in clear text, so nothing was sent`,
		);
		expect(result.error?.description).toContain('https://');
		expect(result.error?.description).toContain('localhost, 127.0.0.1, [::1]');
		expect(sandbox.requests).toHaveLength(0);
	});

	test('http on this machine (the local sandbox) is accepted', async () => {
		const result = await run({ resource: 'pod', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
	});
});

describe('hostile text travels as GraphQL variables and comes back unchanged', () => {
	const HOSTILE =
		'x"}) { id } mutation { podTerminate(input: {podId: "y"}) } # \'quoted\' {{braces}}\nsecond line ✨🚀';
	// Docker images cannot hold spaces or newlines; the rest of the syntax still goes in.
	const HOSTILE_IMAGE = 'evil/img:1"}){id}mutation{podTerminate(input:{podId:"y"})}#✨';

	test('in the name, image, environment values and docker args of a pod', async () => {
		const result = await run(
			createParameters({
				name: HOSTILE,
				imageName: HOSTILE_IMAGE,
				simplify: false,
				additionalFields: {
					env: { variable: [{ name: 'NOTE', value: HOSTILE }] },
					dockerArgs: HOSTILE,
				},
			}),
		);
		expect(result.error).toBeUndefined();
		const [pod] = json(result);
		// Simplify off: each API's own object, unchanged.
		expect(pod).toMatchObject(
			ON_REST
				? { name: HOSTILE, image: HOSTILE_IMAGE, args: HOSTILE }
				: { name: HOSTILE, imageName: HOSTILE_IMAGE, dockerArgs: HOSTILE },
		);

		const [request] = sandbox.requests.filter((r) => r.fields.includes('podFindAndDeployOnDemand'));
		expect(request.query).not.toContain('podTerminate');
		expect(request.query).not.toContain('✨');
		const input = (request.variables as { input: IDataObject }).input;
		expect(input).toMatchObject({ name: HOSTILE, imageName: HOSTILE_IMAGE, dockerArgs: HOSTILE });
		expect(input.env).toContainEqual({ key: 'NOTE', value: HOSTILE });

		// Nothing else happened in the account: one pod, nothing terminated.
		expect(sandbox.state.pods).toHaveLength(1);
		expect(sandbox.state.pods[0].env).toContain(`NOTE=${HOSTILE}`);
		expect(sandbox.requests.every((r) => !r.fields.includes('podTerminate'))).toBe(true);
	});

	test('in a pod ID: sent as a variable, answered "not found", nothing terminated', async () => {
		const [created] = json(await run(createParameters()));
		sandbox.requests.length = 0;
		// Typed into the field, n8n refuses it (a pod ID has only letters and digits); from an expression it gets through.
		const result = await run(
			{ resource: 'pod', operation: 'get', podId: byId('={{ $json.id }}') },
			{ items: [{ id: HOSTILE }], continueOnFail: true },
		);
		expect(json(result)[0].error).toMatch(/was not found/);
		expect(sandbox.requests[0].variables).toEqual({ input: { podId: HOSTILE.trim() } });
		expect(sandbox.state.pods.map((p) => p.id)).toEqual([created.id]);
	});
});

describe('every parameter is checked before anything is sent, and the error names it and the item', () => {
	/** A parameter set where `invalid` stands for one bad value, read per item from `$json.v`. */
	interface Case {
		parameter: RegExp;
		parameters: IDataObject;
		/** A valid value; 'POD' stands for a pod that exists. */
		valid: unknown;
		invalid: unknown;
		/** The operation works on all items at once (executeBatch). */
		batched?: boolean;
	}
	const v = '={{ $json.v }}';
	const create = (overrides: IDataObject) => createParameters(overrides);
	const cases: Array<[string, Case]> = [
		[
			'GPU Count 0',
			{ parameter: /^GPU Count: /, parameters: create({ gpuCount: v }), valid: 1, invalid: 0 },
		],
		[
			'GPU Count 9',
			{ parameter: /^GPU Count: /, parameters: create({ gpuCount: v }), valid: 1, invalid: 9 },
		],
		[
			'GPU Count 1.5',
			{ parameter: /^GPU Count: /, parameters: create({ gpuCount: v }), valid: 1, invalid: 1.5 },
		],
		[
			'Container Disk 0',
			{
				parameter: /^Container Disk \(GB\): /,
				parameters: create({ containerDiskInGb: v }),
				valid: 20,
				invalid: 0,
			},
		],
		[
			'Pod Volume -5',
			{
				parameter: /^Pod Volume \(GB\): /,
				parameters: create({ volumeInGb: v }),
				valid: 0,
				invalid: -5,
			},
		],
		[
			'Image empty',
			{
				parameter: /^Image: /,
				parameters: create({ imageName: v }),
				valid: 'ubuntu:22.04',
				invalid: '  ',
			},
		],
		[
			'Image with spaces',
			{
				parameter: /^Image: /,
				parameters: create({ imageName: v }),
				valid: 'ubuntu:22.04',
				invalid: 'ubuntu 22.04',
			},
		],
		[
			'Volume Mount Path relative',
			{
				parameter: /^Volume Mount Path: /,
				parameters: create({ volumeMountPath: v }),
				valid: '/workspace',
				invalid: 'workspace',
			},
		],
		[
			'Cloud Type unknown',
			{
				parameter: /^Cloud Type: /,
				parameters: create({ cloudType: v }),
				valid: 'SECURE',
				invalid: 'MOON',
			},
		],
		[
			'GPU Type empty',
			{ parameter: /^GPU Type: /, parameters: create({ gpuTypeId: v }), valid: GPU, invalid: '' },
		],
		[
			'Environment variable name',
			{
				parameter: /^Environment Variables \(entry 1\): /,
				parameters: create({ additionalFields: { env: { variable: [{ name: v, value: 'x' }] } } }),
				valid: 'OK',
				invalid: '1BAD',
			},
		],
		[
			'Port out of range',
			{
				parameter: /^Ports \(entry 1\): /,
				parameters: create({
					additionalFields: { ports: { port: [{ number: v, protocol: 'http' }] } },
				}),
				valid: 8888,
				invalid: 70000,
			},
		],
		[
			'Max Cost Per Hour -1',
			{
				parameter: /^Max Cost Per Hour \(USD\): /,
				parameters: create({ maxCostPerHour: v }),
				valid: 0,
				invalid: -1,
			},
		],
		[
			'Timeout option 0',
			{
				parameter: /^Retry and Timeout → Timeout \(Seconds\): /,
				parameters: create({ requestPolicy: { timeoutSeconds: v } }),
				valid: 5,
				invalid: 0,
			},
		],
		[
			'Spot bid -1',
			{
				parameter: /^Bid Per GPU \(USD\/hour\): /,
				parameters: create({ operation: 'createSpot', bidPerGpu: v }),
				valid: 1,
				invalid: -1,
			},
		],
		[
			'Pod ID empty (get)',
			{
				parameter: /^Pod: /,
				batched: true,
				parameters: { resource: 'pod', operation: 'get', podId: byId(v) },
				valid: 'POD',
				invalid: ' ',
			},
		],
		[
			'Pod ID empty (stop)',
			{
				parameter: /^Pod: /,
				batched: true,
				parameters: { resource: 'pod', operation: 'stop', podId: byId(v) },
				valid: 'POD',
				invalid: '',
			},
		],
		[
			'Pod ID empty (terminate)',
			{
				parameter: /^Pod: /,
				batched: true,
				parameters: { resource: 'pod', operation: 'terminate', podId: byId(v) },
				valid: 'POD',
				invalid: '',
			},
		],
		[
			'Resume bid -1',
			{
				parameter: /^Bid Per GPU \(USD\/hour\): /,
				parameters: {
					resource: 'pod',
					operation: 'resume',
					podId: byId('POD_FROM_JSON'),
					bidPerGpu: v,
				},
				valid: 0,
				invalid: -1,
			},
		],
	];

	/** A pod to act on, made outside the measured run. */
	async function existingPod(): Promise<string> {
		const [pod] = json(await run(createParameters()));
		return pod.id as string;
	}

	async function itemsFor(c: Case, invalid: boolean): Promise<IDataObject[]> {
		const needsPod = c.valid === 'POD' || JSON.stringify(c.parameters).includes('POD_FROM_JSON');
		const podId = needsPod ? await existingPod() : undefined;
		const valid = c.valid === 'POD' ? podId : c.valid;
		const items: IDataObject[] = [{ v: valid as IDataObject[string], podId }];
		if (invalid) items.push({ v: c.invalid as IDataObject[string], podId });
		return items;
	}

	function withPodFromJson(parameters: IDataObject): IDataObject {
		return JSON.parse(
			JSON.stringify(parameters).replace('POD_FROM_JSON', '={{ $json.podId }}'),
		) as IDataObject;
	}

	// REST v2 has no spot pods: a valid spot item fails there too (tested in pod.test.ts).
	test.each(ON_REST ? cases.filter(([name]) => !name.startsWith('Spot')) : cases)(
		'%s',
		async (_name, c) => {
			const parameters = withPodFromJson(c.parameters);
			// What a valid first item sends on its own…
			let items = await itemsFor(c, false);
			sandbox.requests.length = 0;
			await run(parameters, { items, continueOnFail: true });
			const sentByValidItem = sandbox.requests.length;
			sandbox.reset();
			sandbox.setStock(GPU, { secure: 50 });

			// …is all that is sent when the second item is invalid.
			items = await itemsFor(c, true);
			sandbox.requests.length = 0;
			const result = await run(parameters, { items });
			expect(result.error?.message).toMatch(c.parameter);
			expect(result.error?.context?.itemIndex).toBe(1);
			expect(result.error?.description).toBeTruthy();
			// A batched operation, and every create, reads every item before it sends anything for any of them.
			const readsAllFirst =
				c.batched || ['create', 'createSpot'].includes(String(c.parameters.operation));
			expect(sandbox.requests).toHaveLength(readsAllFirst ? 0 : sentByValidItem);
		},
	);
});
