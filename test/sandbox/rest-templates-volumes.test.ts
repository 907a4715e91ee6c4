/** REST v2 templates and network volumes: CRUD by id, RunPod's defaults and refusals, one state with GraphQL. */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { data } from './helpers';
import { GPU, call, expectStatus, podBody } from './rest-helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 11 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const TEMPLATE = {
	name: 'comfy',
	image: 'runpod/comfyui:1',
	ports: ['8188/http'],
	env: { MODE: 'fast' },
};

describe('templates', () => {
	test('create answers 201 with REST defaults: startSsh and startJupyter true, no mounts, category NVIDIA', async () => {
		const template = await expectStatus(sandbox, 201, 'createTemplate', { body: TEMPLATE });
		expect(template).toEqual({
			id: expect.stringMatching(/^[a-z0-9]{10}$/),
			name: 'comfy',
			image: 'runpod/comfyui:1',
			args: '',
			disk: 20,
			mounts: {},
			ports: ['8188/http'],
			env: { MODE: 'fast' },
			registry: null,
			serverless: false,
			public: false,
			category: 'NVIDIA',
			startSsh: true,
			startJupyter: true,
			allowedCudaVersions: [],
		});
		expect(await expectStatus(sandbox, 200, 'getTemplate', { path: { id: template.id } })).toEqual(
			template,
		);
		expect((await expectStatus(sandbox, 200, 'listTemplates')).templates).toEqual([template]);
	});

	test('PATCH changes only what is sent; GraphQL reads the same template', async () => {
		const { id } = await expectStatus(sandbox, 201, 'createTemplate', {
			body: { ...TEMPLATE, mounts: { persistent: { size: 30, path: '/data' } } },
		});
		const patched = await expectStatus(sandbox, 200, 'updateTemplate', {
			path: { id },
			body: { image: 'runpod/comfyui:2', env: { MODE: 'slow' } },
		});
		expect(patched).toMatchObject({
			name: 'comfy',
			image: 'runpod/comfyui:2',
			env: { MODE: 'slow' },
			ports: ['8188/http'],
			mounts: { persistent: { size: 30, path: '/data' } },
		});
		const seen = (
			await data(
				sandbox,
				'{ myself { podTemplates { id imageName env { key value } volumeInGb volumeMountPath } } }',
			)
		).myself.podTemplates;
		expect(seen).toEqual([
			{
				id,
				imageName: 'runpod/comfyui:2',
				env: [{ key: 'MODE', value: 'slow' }],
				volumeInGb: 30,
				volumeMountPath: '/data',
			},
		]);
	});

	test('a taken name is 400; unknown fields are 422; an unknown id is 404', async () => {
		await expectStatus(sandbox, 201, 'createTemplate', { body: TEMPLATE });
		const twice = await call(sandbox, 'createTemplate', { body: TEMPLATE });
		expect(twice.status).toBe(400);
		expect(twice.body.detail).toBe('Template name must be unique');
		const legacy = await call(sandbox, 'createTemplate', {
			body: { ...TEMPLATE, name: 'b', imageName: 'x', readme: '# hi' },
		});
		expect(legacy.status).toBe(422);
		expect(legacy.body.errors).toContain(
			"$: additional properties 'imageName', 'readme' not allowed",
		);
		expect((await call(sandbox, 'getTemplate', { path: { id: 'nope' } })).status).toBe(404);
		expect(
			(await call(sandbox, 'updateTemplate', { path: { id: 'nope' }, body: { name: 'x' } })).status,
		).toBe(404);
	});

	test('delete by id: 400 while a pod uses it, 204 once the pod is gone', async () => {
		const { id } = await expectStatus(sandbox, 201, 'createTemplate', { body: TEMPLATE });
		const pod = await expectStatus(sandbox, 201, 'createPod', {
			body: { name: 'p', templateId: id, gpu: { id: GPU, count: 1 } },
		});
		const refused = await call(sandbox, 'deleteTemplate', { path: { id } });
		expect(refused.status).toBe(400);
		expect(refused.body.detail).toMatch(/in use/);
		await expectStatus(sandbox, 204, 'deletePod', { path: { id: pod.id } });
		const deleted = await call(sandbox, 'deleteTemplate', { path: { id } });
		expect(deleted.status).toBe(204);
		expect(deleted.body).toBeUndefined();
		expect((await call(sandbox, 'deleteTemplate', { path: { id } })).status).toBe(404);
	});
});

describe('network volumes', () => {
	test('create 201 in a storage data center; get, list and GraphQL see it', async () => {
		const volume = await expectStatus(sandbox, 201, 'createNetworkVolume', {
			body: { name: 'models', size: 100, dataCenter: 'EU-RO-1' },
		});
		expect(volume).toEqual({
			id: expect.stringMatching(/^[a-z0-9]{10}$/),
			name: 'models',
			size: 100,
			dataCenter: 'EU-RO-1',
			type: 'STANDARD',
		});
		expect(
			await expectStatus(sandbox, 200, 'getNetworkVolume', { path: { id: volume.id } }),
		).toEqual(volume);
		expect((await expectStatus(sandbox, 200, 'listNetworkVolumes')).networkVolumes).toEqual([
			volume,
		]);
		const seen = (await data(sandbox, '{ myself { networkVolumes { id size dataCenterId } } }'))
			.myself.networkVolumes;
		expect(seen).toEqual([{ id: volume.id, size: 100, dataCenterId: 'EU-RO-1' }]);
	});

	test('high-performance volumes only where the data center offers them', async () => {
		const fast = await expectStatus(sandbox, 201, 'createNetworkVolume', {
			body: { name: 'f', size: 10, dataCenter: 'US-TX-3', type: 'HIGH_PERFORMANCE' },
		});
		expect(fast.type).toBe('HIGH_PERFORMANCE');
		expect(
			(
				await call(sandbox, 'createNetworkVolume', {
					body: { name: 'f', size: 10, dataCenter: 'EU-RO-1', type: 'HIGH_PERFORMANCE' },
				})
			).status,
		).toBe(400);
	});

	test('sizes outside 10–4096 and unknown fields are 422; a data center without storage is 400', async () => {
		const small = await call(sandbox, 'createNetworkVolume', {
			body: { name: 'v', size: 5, dataCenter: 'EU-RO-1' },
		});
		expect(small.status).toBe(422);
		expect(small.body.errors).toEqual(['$.size: must be >= 10']);
		const graphqlShape = await call(sandbox, 'createNetworkVolume', {
			body: { name: 'v', size: 50, dataCenterId: 'EU-RO-1' },
		});
		expect(graphqlShape.status).toBe(422);
		expect(graphqlShape.body.errors).toEqual(
			expect.arrayContaining([
				"$: missing property 'dataCenter'",
				"$: additional properties 'dataCenterId' not allowed",
			]),
		);
		expect(
			(
				await call(sandbox, 'createNetworkVolume', {
					body: { name: 'v', size: 50, dataCenter: 'US-TX-1' },
				})
			).status,
		).toBe(400);
	});

	test('PATCH renames and grows; shrinking is 400; an empty body is 422', async () => {
		const { id } = await expectStatus(sandbox, 201, 'createNetworkVolume', {
			body: { name: 'v', size: 50, dataCenter: 'EU-RO-1' },
		});
		expect(
			await expectStatus(sandbox, 200, 'updateNetworkVolume', {
				path: { id },
				body: { name: 'w', size: 4096 },
			}),
		).toMatchObject({ name: 'w', size: 4096 });
		const shrink = await call(sandbox, 'updateNetworkVolume', {
			path: { id },
			body: { size: 100 },
		});
		expect(shrink.status).toBe(400);
		expect(shrink.body.detail).toMatch(/can only grow/);
		expect((await call(sandbox, 'updateNetworkVolume', { path: { id }, body: {} })).status).toBe(
			422,
		);
		expect(
			(await call(sandbox, 'updateNetworkVolume', { path: { id: 'nope' }, body: { name: 'x' } }))
				.status,
		).toBe(404);
	});

	test('delete: refused (400) while a pod has it mounted, 204 after; then 404', async () => {
		const { id } = await expectStatus(sandbox, 201, 'createNetworkVolume', {
			body: { name: 'v', size: 50, dataCenter: 'EU-RO-1' },
		});
		const pod = await expectStatus(sandbox, 201, 'createPod', {
			body: podBody({ mounts: { network: [{ volumeId: id, path: '/workspace' }] } }),
		});
		expect(pod.dataCenterId).toBe('EU-RO-1');
		expect((await call(sandbox, 'deleteNetworkVolume', { path: { id } })).status).toBe(400);
		await expectStatus(sandbox, 204, 'deletePod', { path: { id: pod.id } });
		expect((await call(sandbox, 'deleteNetworkVolume', { path: { id } })).status).toBe(204);
		expect((await call(sandbox, 'getNetworkVolume', { path: { id } })).status).toBe(404);
	});

	test('a pod on Community Cloud cannot mount a network volume (400); a volume id that does not exist is 404', async () => {
		const { id } = await expectStatus(sandbox, 201, 'createNetworkVolume', {
			body: { name: 'v', size: 50, dataCenter: 'EU-RO-1' },
		});
		const community = await call(sandbox, 'createPod', {
			body: podBody({ cloud: 'COMMUNITY', mounts: { network: [{ volumeId: id, path: '/w' }] } }),
		});
		expect(community.status).toBe(400);
		const missing = await call(sandbox, 'createPod', {
			body: podBody({ mounts: { network: [{ volumeId: 'nope', path: '/w' }] } }),
		});
		expect(missing.status).toBe(404);
	});
});
