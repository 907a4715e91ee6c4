/**
 * Pod → Update, Restart and Get Logs (REST v2 only), through n8n's executor against the sandbox.
 * On GraphQL each refuses with "needs RunPod's REST API v2" and sends nothing.
 */
import type { IDataObject } from 'n8n-workflow';

import { CREATE_MARKER_ENV } from '../../nodes/RunPod/api/createMarker';
import { LOG_STREAM } from '../../nodes/RunPod/api/rest/pods';
import { startSandbox } from '../../sandbox';
import type { Sandbox, TemplateRecord } from '../../sandbox';
import { byId, graphqlOnly, json, restOnly, runRunPodNode, speakTestApi } from './harness';

const GPU = 'NVIDIA GeForce RTX 4090';

// The sandbox keeps a running pod's log stream open, as RunPod does: hang up sooner in tests.
Object.assign(LOG_STREAM, { quietMs: 250, maxMs: 5000 });

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 2121 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

const TEMPLATE: TemplateRecord = {
	id: 'webtmpl001',
	name: 'web-server',
	imageName: 'nginx:1.27',
	containerDiskInGb: 30,
	volumeInGb: 20,
	volumeMountPath: '/data',
	dockerArgs: '',
	env: [
		{ key: 'HF_TOKEN', value: 'hf_example' },
		{ key: 'MODEL', value: 'mistral' },
	],
	ports: '8000/http,22/tcp',
	isServerless: false,
	isPublic: false,
	startSsh: false,
	startJupyter: false,
	readme: '',
	containerRegistryAuthId: null,
};

beforeEach(() => {
	sandbox.reset();
	sandbox.setStock(GPU, { secure: 20 });
	sandbox.state.templates.push({ ...TEMPLATE, env: TEMPLATE.env.map((e) => ({ ...e })) });
});

async function run(parameters: IDataObject) {
	return await runRunPodNode({
		parameters: { resource: 'pod', ...parameters },
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

/** A pod from the template, made with Pod → Create. */
async function podFromTemplate(): Promise<string> {
	const result = await run({
		operation: 'create',
		name: 'web',
		deployFrom: 'template',
		templateId: byId(TEMPLATE.id),
		gpuTypeId: GPU,
		gpuCount: 1,
		cloudType: 'SECURE',
	});
	expect(result.error).toBeUndefined();
	return json(result)[0].id as string;
}

const pod = (id: string) => sandbox.state.pods.find((p) => p.id === id)!;
const sent = (operationId: string) =>
	sandbox.requests.filter((r) => r.operationName === operationId);

describe('Pod → Update', () => {
	restOnly(
		"from a template: adds variables and ports to the template's, keeps the create marker, changes only what is set",
		async () => {
			const id = await podFromTemplate();
			const marker = pod(id).env.find((e) => e.startsWith(`${CREATE_MARKER_ENV}=`));
			expect(marker).toBeDefined();
			sandbox.requests.length = 0;

			const result = await run({
				operation: 'update',
				podId: byId(id),
				updateFields: {
					name: 'web-2',
					env: {
						variable: [
							{ name: 'MODEL', value: 'llama' },
							{ name: 'DEBUG', value: '1' },
						],
					},
					ports: {
						port: [
							{ number: 9000, protocol: 'http' },
							{ number: 22, protocol: 'tcp' },
						],
					},
				},
				simplify: false,
			});
			expect(result.error).toBeUndefined();
			expect(json(result)[0]).toMatchObject({
				id,
				name: 'web-2',
				env: { HF_TOKEN: 'hf_example', MODEL: 'llama', DEBUG: '1' },
				ports: ['8000/http', '22/tcp', '9000/http'],
				image: TEMPLATE.imageName,
				disk: TEMPLATE.containerDiskInGb,
			});
			expect(pod(id).env).toContain(marker);
			// One read (the pod's env and ports), one PATCH with only what changes.
			expect(sandbox.requests.map((r) => r.operationName)).toEqual(['getPod', 'updatePod']);
			expect(Object.keys(sent('updatePod')[0].body as IDataObject).sort()).toEqual([
				'env',
				'name',
				'ports',
			]);
		},
	);

	restOnly(
		'output is shaped like Pod → Get; a name or image change sends no read; a pod volume grows',
		async () => {
			const id = await podFromTemplate();
			sandbox.requests.length = 0;
			const updated = await run({
				operation: 'update',
				podId: byId(id),
				updateFields: { imageName: 'nginx:1.28', volumeInGb: 40, containerDiskInGb: 50 },
			});
			expect(updated.error).toBeUndefined();
			const got = await run({ operation: 'get', podId: byId(id) });
			expect(Object.keys(json(updated)[0]).sort()).toEqual(Object.keys(json(got)[0]).sort());
			expect(pod(id)).toMatchObject({
				imageName: 'nginx:1.28',
				volumeInGb: 40,
				containerDiskInGb: 50,
				volumeMountPath: '/data',
			});
			expect(sent('updatePod')[0].body).toEqual({
				image: 'nginx:1.28',
				disk: 50,
				mounts: { persistent: { size: 40, path: '/data' } },
			});

			sandbox.requests.length = 0;
			await run({ operation: 'update', podId: byId(id), updateFields: { name: 'only-name' } });
			expect(sandbox.requests.map((r) => r.operationName)).toEqual(['updatePod']);
		},
	);

	restOnly(
		'Replace Environment Variables and Ports: exactly what is set (the create marker stays)',
		async () => {
			const id = await podFromTemplate();
			const result = await run({
				operation: 'update',
				podId: byId(id),
				updateFields: {
					env: { variable: [{ name: 'ONLY', value: 'this' }] },
					replaceEnvAndPorts: true,
				},
			});
			expect(result.error).toBeUndefined();
			expect(pod(id).env.filter((e) => !e.startsWith(CREATE_MARKER_ENV))).toEqual(['ONLY=this']);
			expect(pod(id).env.some((e) => e.startsWith(`${CREATE_MARKER_ENV}=`))).toBe(true);
			// Ports were not set: they stay.
			expect(pod(id).ports).toBe(TEMPLATE.ports);
		},
	);

	restOnly(
		'refused before any PATCH: nothing to change, a pod volume on a pod without one',
		async () => {
			const created = await run({
				operation: 'create',
				name: 'bare',
				imageName: 'ubuntu:22.04',
				gpuTypeId: GPU,
				gpuCount: 1,
				cloudType: 'SECURE',
				volumeInGb: 0,
			});
			const id = json(created)[0].id as string;
			sandbox.requests.length = 0;

			const nothing = await run({ operation: 'update', podId: byId(id), updateFields: {} });
			expect(nothing.error?.message).toBe('Update Fields: nothing to change');
			const volume = await run({
				operation: 'update',
				podId: byId(id),
				updateFields: { volumeInGb: 30 },
			});
			expect(volume.error?.message).toMatch(/Pod Volume \(GB\): the pod "\w+" has no pod volume/);
			expect(volume.error?.description).toMatch(/Nothing was sent to RunPod/);
			expect(sent('updatePod')).toHaveLength(0);
		},
	);

	restOnly('a lost answer: the pod shows the change, so the PATCH is not sent again', async () => {
		const id = await podFromTemplate();
		sandbox.requests.length = 0;
		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'updatePod' });
		const result = await run({
			operation: 'update',
			podId: byId(id),
			updateFields: { name: 'renamed' },
		});
		expect(result.error).toBeUndefined();
		expect(json(result)[0]).toMatchObject({ id, name: 'renamed' });
		expect(sent('updatePod')).toHaveLength(1);
	});

	restOnly('an unknown pod: not found, with the ID', async () => {
		const result = await run({
			operation: 'update',
			podId: byId('nosuchpod0000'),
			updateFields: { name: 'x' },
		});
		expect(result.error?.message).toBe('The pod "nosuchpod0000" was not found');
	});
});

describe('Pod → Restart', () => {
	restOnly(
		'restarts a running pod chosen from the list: one restart, the pod boots again',
		async () => {
			const id = await podFromTemplate();
			sandbox.requests.length = 0;
			const result = await run({
				operation: 'restart',
				podId: { __rl: true, mode: 'list', value: id, cachedResultName: 'web' },
			});
			expect(result.error).toBeUndefined();
			expect(json(result)[0]).toMatchObject({ id, status: 'RUNNING' });
			expect(sent('podAction').map((r) => (r.body as IDataObject).action)).toEqual(['restart']);
		},
	);

	restOnly(
		'a stopped pod: RunPod refuses (409), the error says what its state allows',
		async () => {
			const id = await podFromTemplate();
			await run({ operation: 'stop', podId: byId(id) });
			const result = await run({ operation: 'restart', podId: byId(id) });
			expect(result.error?.message).toBe(
				`The pod "${id}" is EXITED: RunPod does not allow a restart now`,
			);
			expect(result.error?.description).toMatch(/Allowed now: start, terminate/);
		},
	);

	restOnly('a lost answer is never resent: the node finds the restart by the uptime', async () => {
		const id = await podFromTemplate();
		sandbox.requests.length = 0;
		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'podAction' });
		const result = await run({ operation: 'restart', podId: byId(id) });
		expect(result.error).toBeUndefined();
		expect(json(result)[0]).toMatchObject({ id });
		expect(sent('podAction')).toHaveLength(1);
	});

	restOnly(
		'a restart lost before RunPod got it is not resent either: the error says it may still happen',
		async () => {
			const id = await podFromTemplate();
			// Up for a while: a restart would show as a shorter uptime.
			pod(id).readyAtMs = Date.now() - 60_000;
			sandbox.requests.length = 0;
			sandbox.faults.next({ kind: 'http5xx', status: 502, body: 'html' }, { field: 'podAction' });
			const result = await run({ operation: 'restart', podId: byId(id) });
			expect(result.error?.description).toMatch(/restarting/);
			expect(sent('podAction')).toHaveLength(1);
		},
	);
});

describe('Pod → Get Logs', () => {
	restOnly(
		'one item: the last lines as text and as a list; a proxy URL names the pod',
		async () => {
			const id = await podFromTemplate();
			sandbox.writePodLog(id, [
				'loading model',
				'Traceback (most recent call last):',
				'CUDA out of memory',
			]);
			const result = await run({
				operation: 'getLogs',
				podId: { __rl: true, mode: 'url', value: `https://${id}-8000.proxy.runpod.net` },
				limit: 2,
			});
			expect(result.error).toBeUndefined();
			expect(json(result)).toEqual([
				{
					podId: id,
					text: 'Traceback (most recent call last):\nCUDA out of memory',
					lineCount: 2,
					lines: [
						{
							time: expect.any(String),
							source: 'container',
							line: 'Traceback (most recent call last):',
						},
						{ time: expect.any(String), source: 'container', line: 'CUDA out of memory' },
					],
				},
			]);
			expect(sent('getPodLogs').map((r) => r.path)).toEqual([`/v2/pods/${id}/logs?tail=2`]);
			expect(sent('getPodLogs')[0].headers?.accept).toBe('text/event-stream');
		},
	);

	restOnly('one item per line, from one source; a stopped pod keeps its last lines', async () => {
		const id = await podFromTemplate();
		sandbox.writePodLog(id, ['served 3 requests']);
		await run({ operation: 'stop', podId: byId(id) });
		const result = await run({
			operation: 'getLogs',
			podId: byId(id),
			output: 'lines',
			options: { source: 'container' },
		});
		expect(result.error).toBeUndefined();
		expect(json(result).map((item) => item.line)).toEqual([
			'Running the default command of nginx:1.27',
			'Listening on 8000/http, 22/tcp',
			'served 3 requests',
			'Received SIGTERM, shutting down',
		]);
		expect(json(result).every((item) => item.podId === id && item.source === 'container')).toBe(
			true,
		);
	});

	restOnly(
		'a terminated pod: not found; a Limit out of range is refused before any request',
		async () => {
			const id = await podFromTemplate();
			await run({ operation: 'terminate', podId: byId(id) });
			const gone = await run({ operation: 'getLogs', podId: byId(id) });
			expect(gone.error?.message).toBe(`The pod "${id}" was not found`);
			sandbox.requests.length = 0;
			const tooMany = await run({ operation: 'getLogs', podId: byId(id), limit: 6000 });
			expect(tooMany.error?.message).toMatch(/Limit/);
			expect(sandbox.requests).toHaveLength(0);
		},
	);
});

describe('on GraphQL', () => {
	graphqlOnly.each([
		['update', 'Pod → Update', { updateFields: { name: 'x' } }],
		['restart', 'Pod → Restart', {}],
		['getLogs', 'Pod → Get Logs', {}],
	] as Array<[string, string, IDataObject]>)(
		'%s refuses: needs REST v2, nothing sent',
		async (operation, what, parameters) => {
			sandbox.requests.length = 0;
			const result = await run({ operation, podId: byId('anypod00000001'), ...parameters });
			expect(result.error?.message).toBe(`${what} needs RunPod's REST API v2`);
			expect(result.error?.description).toMatch(/Nothing was sent to RunPod/);
			expect(sandbox.requests).toHaveLength(0);
		},
	);
});
