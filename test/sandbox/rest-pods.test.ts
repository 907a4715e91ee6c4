/** REST v2 pods: create, read, PATCH, actions, delete, with RunPod's status codes, over the GraphQL face's state. */
import { RunPodMessages, startSandbox } from '../../sandbox';
import type { PodRecord, Sandbox } from '../../sandbox';
import { observedStatus } from '../../sandbox/pods';
import { DEPLOY, GET_POD, STOP, ask, data, podInput, sleep } from './helpers';
import { GPU, call, expectStatus, podBody, send } from './rest-helpers';

const BOOT_MS = 400;
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 3, bootDelayMs: BOOT_MS });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const create = (overrides: Record<string, unknown> = {}) =>
	expectStatus(sandbox, 201, 'createPod', { body: podBody(overrides) });
const getPod = (id: string) => expectStatus(sandbox, 200, 'getPod', { path: { id } });
const act = (id: string, action: string) =>
	call(sandbox, 'podAction', { path: { id }, body: { action } });

async function waitForStatus(id: string, status: string) {
	for (let i = 0; i < 50; i++) {
		const pod = await getPod(id);
		if (pod.status === status) return pod;
		await sleep(BOOT_MS / 8);
	}
	throw new Error(`pod ${id} never reached ${status}`);
}

describe('create and read', () => {
	test('a created pod answers 201 in REST shape: PROVISIONING, stop/terminate allowed, cost, no runtime yet', async () => {
		const pod = await create({
			gpu: { id: GPU, count: 2 },
			mounts: { persistent: { size: 20, path: '/data' } },
		});
		expect(pod).toMatchObject({
			id: expect.stringMatching(/^[a-z0-9]{14}$/),
			name: 'rest-pod',
			status: 'PROVISIONING',
			actions: ['stop', 'terminate'],
			image: 'runpod/pytorch:2.4.0',
			disk: 20,
			env: { JUPYTER_PASSWORD: 'secret' },
			ports: ['8888/http', '22/tcp'],
			mounts: { persistent: { size: 20, path: '/data' } },
			gpu: { id: GPU, count: 2 },
			cloud: 'SECURE',
			dataCenterId: expect.any(String),
			cost: 1.38,
			runtime: null,
			ssh: { proxy: null, direct: null },
			template: null,
		});
	});

	test('the observed status follows the boot clock: PROVISIONING, then STARTING for the second half, then RUNNING', () => {
		const pod = { desiredStatus: 'RUNNING', readyAtMs: 1000, firstBoot: true } as PodRecord;
		expect([0, 499, 500, 999, 1000].map((now) => observedStatus(pod, now, 1000))).toEqual([
			'PROVISIONING',
			'PROVISIONING',
			'STARTING',
			'STARTING',
			'RUNNING',
		]);
		expect(observedStatus({ ...pod, firstBoot: false }, 0, 1000)).toBe('STARTING');
		expect(observedStatus({ ...pod, desiredStatus: 'EXITED', readyAtMs: null }, 0, 1000)).toBe(
			'EXITED',
		);
	});

	test('once booted the pod is RUNNING with runtime, ssh and restart', async () => {
		const { id } = await create();
		const running = await waitForStatus(id, 'RUNNING');
		expect(running.actions).toEqual(['stop', 'restart', 'terminate']);
		expect(running.runtime).toMatchObject({
			uptime: expect.any(Number),
			gpus: [{ util: 0, memoryUtil: 0 }],
		});
		expect(running.runtime.ports).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ private: 22, type: 'tcp', public: expect.any(Number) }),
			]),
		);
		expect(running.ssh.proxy).toMatchObject({ host: 'ssh.runpod.io', port: 22 });
		expect(running.ssh.direct).toMatchObject({
			username: 'root',
			port: running.runtime.ports.find((p: { private: number }) => p.private === 22).public,
		});
	});

	test('no mounts means no persistent storage; a network volume mount is listed with its path', async () => {
		expect((await create()).mounts).toEqual({});
		sandbox.state.networkVolumes.push({
			id: 'vol0000001',
			name: 'data',
			size: 50,
			dataCenterId: 'EU-RO-1',
		});
		const pod = await create({ mounts: { network: [{ volumeId: 'vol0000001', path: '/vol' }] } });
		expect(pod.mounts).toEqual({ network: [{ volumeId: 'vol0000001', path: '/vol' }] });
		expect(pod.dataCenterId).toBe('EU-RO-1');
	});

	test('dataCenterIds restrict placement', async () => {
		const pod = await create({ dataCenterIds: ['US-TX-3'] });
		expect(pod.dataCenterId).toBe('US-TX-3');
	});

	test('a template fills what the body leaves out; startJupyter injects a password unless one is set', async () => {
		sandbox.state.templates.push({
			id: 'tpl0000001',
			name: 'base',
			imageName: 'runpod/base:1',
			containerDiskInGb: 33,
			volumeInGb: 15,
			volumeMountPath: '/workspace',
			dockerArgs: 'sleep infinity',
			env: [{ key: 'FROM', value: 'template' }],
			ports: '8888/http',
			isServerless: false,
			isPublic: false,
			startSsh: false,
			startJupyter: true,
			readme: '',
			containerRegistryAuthId: null,
		});
		const pod = await expectStatus(sandbox, 201, 'createPod', {
			body: { name: 'from-template', templateId: 'tpl0000001', gpu: { id: GPU, count: 1 } },
		});
		expect(pod).toMatchObject({
			image: 'runpod/base:1',
			disk: 33,
			args: 'sleep infinity',
			ports: ['8888/http'],
			mounts: { persistent: { size: 15, path: '/workspace' } },
		});
		expect(pod.env).toEqual({
			FROM: 'template',
			JUPYTER_PASSWORD: expect.stringMatching(/^\w{16}$/),
		});
	});

	test('list wraps every pod in {pods}; an unknown query parameter is ignored, not an error', async () => {
		await create({ name: 'a' });
		const stopped = await create({ name: 'b' });
		await act(stopped.id, 'stop');
		const all = await expectStatus(sandbox, 200, 'listPods');
		const filtered = await expectStatus(sandbox, 200, 'listPods', {
			query: { desiredStatus: 'RUNNING' },
		});
		const names = (answer: { pods: Array<{ name: string }> }) =>
			answer.pods.map((p) => p.name).sort();
		expect(names(all)).toEqual(['a', 'b']);
		// The same pods (a booting pod may change status between the two reads).
		expect(names(filtered)).toEqual(names(all));
	});

	test('get of an unknown pod is 404 problem+json', async () => {
		const answer = await call(sandbox, 'getPod', { path: { id: 'nosuchpod00000' } });
		expect(answer.status).toBe(404);
		expect(answer.body).toMatchObject({ title: 'Not Found', status: 404 });
	});
});

describe('validation against openapi.json', () => {
	test('unknown body fields are a 422 naming each of them, and nothing is rented', async () => {
		const answer = await call(sandbox, 'createPod', {
			body: podBody({ gpuTypeId: GPU, gpu: { id: GPU, count: 1, cloudType: 'x' } }),
		});
		expect(answer.status).toBe(422);
		expect(answer.headers.get('content-type')).toBe('application/problem+json');
		expect(answer.body).toEqual({
			title: 'Unprocessable Entity',
			status: 422,
			detail: 'Request validation failed.',
			errors: expect.arrayContaining([
				"$: additional properties 'gpuTypeId' not allowed",
				"$.gpu: additional properties 'cloudType' not allowed",
			]),
		});
		expect(sandbox.state.pods).toHaveLength(0);
	});

	test('missing name, a wrong type and an out-of-range size are 422 with one message each', async () => {
		const { name, ...withoutName } = podBody({
			disk: '20',
			mounts: { persistent: { size: 5, path: '/w' } },
		});
		expect(name).toBe('rest-pod');
		const answer = await call(sandbox, 'createPod', { body: withoutName });
		expect(answer.status).toBe(422);
		expect(answer.body.errors).toEqual(
			expect.arrayContaining([
				"$: missing property 'name'",
				'$.disk: got string, want integer',
				'$.mounts.persistent.size: must be >= 10',
			]),
		);
	});

	test('an image or a templateId is required (the document’s if/then)', async () => {
		const { image, ...body } = podBody();
		expect(image).toBeDefined();
		const answer = await call(sandbox, 'createPod', { body });
		expect(answer.status).toBe(422);
		expect(answer.body.errors).toContain("$: missing property 'image'");
	});

	test('an action outside the enum is 422, a body that is not JSON is 400', async () => {
		const { id } = await create();
		expect((await act(id, 'reset')).status).toBe(422);
		const notJson = await send(
			sandbox,
			'POST',
			`/v2/pods/${id}/action`,
			undefined,
			sandbox.apiKey,
			'{"action":',
		);
		expect(notJson.status).toBe(400);
	});
});

describe('refusals', () => {
	test('no capacity is a 400 with RunPod’s exact detail', async () => {
		sandbox.setStock(GPU, { secure: 0 });
		const answer = await call(sandbox, 'createPod', { body: podBody() });
		expect(answer.status).toBe(400);
		expect(answer.body).toMatchObject({
			title: 'Bad Request',
			status: 400,
			detail: RunPodMessages.noInstances,
		});
	});

	test('a GPU type the catalog lacks is a 400 naming it (GraphQL answers no capacity), and nothing is rented', async () => {
		const answer = await call(sandbox, 'createPod', {
			body: podBody({ gpu: { id: 'NVIDIA Made Up 1000', count: 1 } }),
		});
		expect(answer.status).toBe(400);
		expect(answer.body.detail).toMatch(/"NVIDIA Made Up 1000" is not a GPU type/);
		const graphql = await ask(sandbox, DEPLOY, {
			input: podInput({ gpuTypeId: 'NVIDIA Made Up 1000' }),
		});
		expect(graphql.body.errors[0].message).toBe(RunPodMessages.noInstances);
		expect(sandbox.state.pods).toHaveLength(0);
	});

	test('a balance that has run out is 402, and nothing is rented', async () => {
		sandbox.state.account.clientBalance = 0;
		const answer = await call(sandbox, 'createPod', { body: podBody() });
		expect(answer.status).toBe(402);
		expect(answer.body.detail).toMatch(/Insufficient balance/);
		// The same rule on the GraphQL face.
		const graphql = await ask(sandbox, DEPLOY, { input: podInput() });
		expect(graphql.body.errors[0].message).toBe(answer.body.detail);
		expect(sandbox.state.pods).toHaveLength(0);
	});

	test('an unknown template is 404; gpu and mounts rules are 400', async () => {
		expect(
			(
				await call(sandbox, 'createPod', {
					body: { name: 'x', templateId: 'nope', gpu: { id: GPU } },
				})
			).status,
		).toBe(404);
		const both = await call(sandbox, 'createPod', {
			body: podBody({
				mounts: { persistent: { size: 10, path: '/a' }, network: [{ volumeId: 'v', path: '/b' }] },
			}),
		});
		expect(both.status).toBe(400);
		const { gpu, ...noCompute } = podBody();
		expect(gpu).toBeDefined();
		expect((await call(sandbox, 'createPod', { body: noCompute })).status).toBe(400);
	});
});

describe('actions', () => {
	test('stop: 200, EXITED, cost 0, runtime null, start/terminate allowed; stopping again is 409 naming the status', async () => {
		const { id } = await create();
		const stop = await act(id, 'stop');
		expect(stop.status).toBe(200);
		expect(stop.body).toMatchObject({
			status: 'EXITED',
			cost: 0,
			runtime: null,
			actions: ['start', 'terminate'],
		});
		const again = await act(id, 'stop');
		expect(again.status).toBe(409);
		expect(again.body.detail).toMatch(/"stop" is not valid for a pod in status EXITED/);
	});

	test('start brings a stopped pod back (STARTING, then RUNNING); restart reboots a running one', async () => {
		const { id } = await create();
		await act(id, 'stop');
		const started = await act(id, 'start');
		expect(started.status).toBe(200);
		expect(started.body).toMatchObject({ status: 'STARTING', cost: 0.69 });
		await waitForStatus(id, 'RUNNING');
		const restarted = await act(id, 'restart');
		expect(restarted.body.status).toBe('STARTING');
		expect((await act(id, 'start')).status).toBe(409);
	});

	test('start without free GPUs on the host is a 400 with RunPod’s text', async () => {
		const pod = await create();
		await act(pod.id, 'stop');
		sandbox.setStock(GPU, { secure: 0 }, pod.dataCenterId);
		const answer = await act(pod.id, 'start');
		expect(answer.status).toBe(400);
		expect(answer.body.detail).toBe(RunPodMessages.notEnoughFreeGpus);
	});

	test('terminate (action) and DELETE answer 204 with no body, and the pod is gone', async () => {
		const a = await create({ name: 'a' });
		const b = await create({ name: 'b' });
		const terminated = await act(a.id, 'terminate');
		expect(terminated.status).toBe(204);
		expect(terminated.body).toBeUndefined();
		expect((await call(sandbox, 'deletePod', { path: { id: b.id } })).status).toBe(204);
		expect((await expectStatus(sandbox, 200, 'listPods')).pods).toEqual([]);
		expect((await call(sandbox, 'deletePod', { path: { id: b.id } })).status).toBe(404);
	});

	test('a locked pod refuses stop and restart (409) until unlocked', async () => {
		const { id } = await create();
		const locked = await expectStatus(sandbox, 200, 'updatePod', {
			path: { id },
			body: { locked: true },
		});
		expect(locked).toMatchObject({ locked: true, actions: ['terminate'] });
		expect((await act(id, 'stop')).status).toBe(409);
		await expectStatus(sandbox, 200, 'updatePod', { path: { id }, body: { locked: false } });
		expect((await act(id, 'stop')).status).toBe(200);
	});
});

describe('PATCH', () => {
	test('changes only the fields sent; a container change restarts a running pod', async () => {
		const { id } = await create();
		await waitForStatus(id, 'RUNNING');
		const patched = await expectStatus(sandbox, 200, 'updatePod', {
			path: { id },
			body: { name: 'renamed', env: { A: '1' }, ports: ['22/tcp'] },
		});
		expect(patched).toMatchObject({
			name: 'renamed',
			env: { A: '1' },
			ports: ['22/tcp'],
			image: 'runpod/pytorch:2.4.0',
			disk: 20,
			status: 'STARTING',
		});
		const renamedOnly = await expectStatus(sandbox, 200, 'updatePod', {
			path: { id },
			body: { name: 'again' },
		});
		expect(renamedOnly.env).toEqual({ A: '1' });
	});

	test('unknown fields are 422; an unknown pod is 404', async () => {
		const { id } = await create();
		expect(
			(await call(sandbox, 'updatePod', { path: { id }, body: { imageName: 'x' } })).status,
		).toBe(422);
		expect(
			(await call(sandbox, 'updatePod', { path: { id: 'nosuchpod00000' }, body: { name: 'x' } }))
				.status,
		).toBe(404);
	});
});

describe('one state behind both faces', () => {
	test('a pod created on REST is visible and stoppable on GraphQL, and REST sees the stop', async () => {
		const pod = await create({ env: { K: 'v' } });
		const seen = (await data(sandbox, GET_POD, { input: { podId: pod.id } })).pod;
		expect(seen).toMatchObject({
			id: pod.id,
			desiredStatus: 'RUNNING',
			env: ['K=v'],
			ports: '8888/http,22/tcp',
			costPerHr: 0.69,
		});
		await data(sandbox, STOP, { input: { podId: pod.id } });
		expect(await getPod(pod.id)).toMatchObject({ status: 'EXITED', cost: 0 });
	});

	test('a pod created on GraphQL is listed on REST and stopped there; GraphQL sees EXITED', async () => {
		const pod = (
			await data(sandbox, DEPLOY, {
				input: podInput({ volumeInGb: 20, env: [{ key: 'A', value: 'b=c' }] }),
			})
		).podFindAndDeployOnDemand;
		const listed = (await expectStatus(sandbox, 200, 'listPods')).pods;
		expect(listed).toEqual([
			expect.objectContaining({
				id: pod.id,
				env: { A: 'b=c' },
				mounts: { persistent: { size: 20, path: '/workspace' } },
			}),
		]);
		expect((await act(pod.id, 'stop')).status).toBe(200);
		expect((await data(sandbox, GET_POD, { input: { podId: pod.id } })).pod.desiredStatus).toBe(
			'EXITED',
		);
	});
});
