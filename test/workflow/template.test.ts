/** The Template resource, run through n8n's executor against the RunPod sandbox. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox, TemplateRecord } from '../../sandbox';
import {
	ON_REST,
	byId,
	graphqlOnly,
	json,
	mutationsSent,
	restOnly,
	runRunPodNode,
	speakTestApi,
} from './harness';

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
});

async function run(
	parameters: IDataObject,
	options: { items?: IDataObject[]; continueOnFail?: boolean } = {},
) {
	return await runRunPodNode({
		parameters,
		items: options.items,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
		continueOnFail: options.continueOnFail,
	});
}

function seedTemplate(overrides: Partial<TemplateRecord> = {}): TemplateRecord {
	const template: TemplateRecord = {
		id: `tpl${sandbox.state.templates.length}abcdef`,
		name: 'comfy-base',
		imageName: 'runpod/comfyui:1.0',
		containerDiskInGb: 30,
		volumeInGb: 50,
		volumeMountPath: '/workspace',
		dockerArgs: 'bash start.sh',
		env: [{ key: 'HF_TOKEN', value: 'hf_secret' }],
		ports: '8188/http,22/tcp',
		isServerless: false,
		isPublic: false,
		startSsh: true,
		startJupyter: true,
		readme: '# ComfyUI',
		containerRegistryAuthId: 'regauth123',
		...overrides,
	};
	sandbox.state.templates.push(template);
	return template;
}

const createParameters = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'template',
	operation: 'create',
	name: 'sd-worker',
	imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
	templateType: 'pod',
	containerDiskInGb: 20,
	volumeInGb: 40,
	volumeMountPath: '/workspace',
	...overrides,
});

describe('Template → Create', () => {
	test('saves a pod template and sends dockerArgs "" when it is empty, as RunPod needs', async () => {
		const result = await run(
			createParameters({
				additionalFields: {
					ports: {
						port: [
							{ number: 8888, protocol: 'http' },
							{ number: 22, protocol: 'tcp' },
						],
					},
					env: { variable: [{ name: 'JUPYTER_PASSWORD', value: 'pw' }] },
					startJupyter: true,
				},
			}),
		);
		expect(result.error).toBeUndefined();
		const [template] = json(result);
		expect(template).toEqual({
			id: expect.any(String),
			name: 'sd-worker',
			type: 'pod',
			imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
			containerDiskInGb: 20,
			volumeInGb: 40,
			volumeMountPath: '/workspace',
			ports: '8888/http,22/tcp',
			env: { JUPYTER_PASSWORD: 'pw' },
			isPublic: false,
		});
		const save = sandbox.requests.find((r) => r.fields.includes('saveTemplate'));
		expect(save?.variables.input).toEqual({
			name: 'sd-worker',
			imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
			containerDiskInGb: 20,
			volumeInGb: 40,
			volumeMountPath: '/workspace',
			dockerArgs: '',
			env: [{ key: 'JUPYTER_PASSWORD', value: 'pw' }],
			ports: '8888/http,22/tcp',
			isServerless: false,
			isPublic: false,
			startSsh: true,
			startJupyter: true,
			// REST v2 templates have no readme.
			...(ON_REST ? {} : { readme: '' }),
		});
		expect(sandbox.state.templates).toEqual([
			expect.objectContaining({ id: template.id, name: 'sd-worker', startJupyter: true }),
		]);
	});

	test('a serverless template gets no pod volume', async () => {
		const result = await run(
			createParameters({ name: 'sls', templateType: 'serverless', volumeInGb: 40 }),
		);
		expect(result.error).toBeUndefined();
		expect(json(result)[0]).toMatchObject({ type: 'serverless', volumeInGb: 0 });
		const save = sandbox.requests.find((r) => r.fields.includes('saveTemplate'));
		// REST v2 leaves a template without a pod volume by sending no mount at all.
		expect(save?.variables.input).toMatchObject({
			isServerless: true,
			...(ON_REST ? {} : { volumeInGb: 0 }),
			startSsh: false,
		});
		if (ON_REST) expect(save?.variables.input).not.toHaveProperty('volumeInGb');
		expect(save?.variables.input).not.toHaveProperty('volumeMountPath');
	});

	test('a name that is taken is refused clearly, and nothing is saved', async () => {
		seedTemplate({ name: 'sd-worker' });
		const result = await run(createParameters());
		expect(result.error?.message).toBe('Name: a template called "sd-worker" already exists');
		expect(result.error?.description).toMatch(/Template → Update/);
		expect((result.error?.context as IDataObject).itemIndex).toBe(0);
		expect(mutationsSent(sandbox.requests)).toEqual([]);
		expect(sandbox.state.templates).toHaveLength(1);
	});

	test.each([
		[{ imageName: 'ubuntu 22.04' }, 'Image: "ubuntu 22.04" contains spaces'],
		[{ name: '   ' }, 'Name: is empty'],
		[{ volumeMountPath: 'workspace' }, 'Volume Mount Path: "workspace" is not an absolute path'],
		[
			{ additionalFields: { env: { variable: [{ name: '1BAD', value: 'x' }] } } },
			'Environment Variables (entry 1): "1BAD" is not a valid variable name',
		],
	])('bad input %j is refused before any request', async (overrides, message) => {
		const result = await run(createParameters(overrides));
		expect(result.error?.message).toBe(message);
		expect(sandbox.requests).toEqual([]);
	});
});

describe('Template → Get and Get Many', () => {
	test("Get returns one template; Simplify off gives RunPod's full object", async () => {
		const seeded = seedTemplate();
		const simple = await run({
			resource: 'template',
			operation: 'get',
			templateId: byId(seeded.id),
		});
		expect(json(simple)).toEqual([
			{
				id: seeded.id,
				name: 'comfy-base',
				type: 'pod',
				imageName: 'runpod/comfyui:1.0',
				containerDiskInGb: 30,
				volumeInGb: 50,
				volumeMountPath: '/workspace',
				ports: '8188/http,22/tcp',
				env: { HF_TOKEN: 'hf_secret' },
				isPublic: false,
			},
		]);
		const raw = await run({
			resource: 'template',
			operation: 'get',
			templateId: byId(seeded.id),
			simplify: false,
		});
		// Each API's own object, unchanged.
		if (ON_REST)
			expect(json(raw)[0]).toMatchObject({
				args: 'bash start.sh',
				registry: 'regauth123',
				env: { HF_TOKEN: 'hf_secret' },
			});
		else
			expect(json(raw)[0]).toMatchObject({
				readme: '# ComfyUI',
				dockerArgs: 'bash start.sh',
				containerRegistryAuthId: 'regauth123',
				env: [{ key: 'HF_TOKEN', value: 'hf_secret' }],
			});
	});

	test('an unknown template is a clear error', async () => {
		const result = await run({
			resource: 'template',
			operation: 'get',
			templateId: byId('nosuchtpl1'),
		});
		expect(result.error?.message).toBe('The template "nosuchtpl1" was not found');
		expect(result.error?.description).toMatch(/Template → Get Many/);
	});

	test('Get Many: one request, one item per template, filters and limit', async () => {
		seedTemplate({ name: 'comfy-a' });
		seedTemplate({ name: 'comfy-serverless', isServerless: true, volumeInGb: 0 });
		seedTemplate({ name: 'llm-b' });
		const all = await run({ resource: 'template', operation: 'getAll', returnAll: true });
		expect(json(all).map((t) => t.name)).toEqual(['comfy-a', 'comfy-serverless', 'llm-b']);
		expect(sandbox.requests).toHaveLength(1);

		const filtered = await run({
			resource: 'template',
			operation: 'getAll',
			returnAll: true,
			filters: { nameContains: 'COMFY', type: 'pod' },
		});
		expect(json(filtered).map((t) => t.name)).toEqual(['comfy-a']);

		const limited = await run({
			resource: 'template',
			operation: 'getAll',
			returnAll: false,
			limit: 2,
		});
		expect(json(limited)).toHaveLength(2);
	});
});

describe('Template → Update', () => {
	test('changes only what was asked and sends every other field back as it was', async () => {
		const seeded = seedTemplate();
		const result = await run({
			resource: 'template',
			operation: 'update',
			templateId: byId(seeded.id),
			updateFields: { imageName: 'runpod/comfyui:2.0' },
		});
		expect(result.error).toBeUndefined();
		expect(json(result)[0]).toMatchObject({
			id: seeded.id,
			imageName: 'runpod/comfyui:2.0',
			env: { HF_TOKEN: 'hf_secret' },
		});
		const save = sandbox.requests.find((r) => r.fields.includes('saveTemplate'));
		// REST v2 has a real PATCH: only the change is sent, nothing is read first.
		if (ON_REST) {
			expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
				`PATCH /v2/templates/${seeded.id}`,
			]);
			expect(save?.body).toEqual({ image: 'runpod/comfyui:2.0' });
		} else
			expect(save?.variables.input).toEqual({
				id: seeded.id,
				name: 'comfy-base',
				imageName: 'runpod/comfyui:2.0',
				containerDiskInGb: 30,
				volumeInGb: 50,
				volumeMountPath: '/workspace',
				dockerArgs: 'bash start.sh',
				env: [{ key: 'HF_TOKEN', value: 'hf_secret' }],
				ports: '8188/http,22/tcp',
				isServerless: false,
				isPublic: false,
				startSsh: true,
				startJupyter: true,
				readme: '# ComfyUI',
				containerRegistryAuthId: 'regauth123',
			});
		// The sandbox, like RunPod, resets what a save leaves out: nothing was lost.
		expect(sandbox.state.templates[0]).toEqual({ ...seeded, imageName: 'runpod/comfyui:2.0' });
	});

	test('an empty Environment Variables field removes them all; Ports added replace the old ones', async () => {
		const seeded = seedTemplate();
		const result = await run({
			resource: 'template',
			operation: 'update',
			templateId: byId(seeded.id),
			updateFields: { env: {}, ports: { port: [{ number: 7860, protocol: 'http' }] } },
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.state.templates[0]).toMatchObject({
			env: [],
			ports: '7860/http',
			readme: '# ComfyUI',
		});
	});

	test("renaming onto another template's name is refused before saving", async () => {
		const seeded = seedTemplate({ name: 'one' });
		seedTemplate({ name: 'two' });
		const result = await run({
			resource: 'template',
			operation: 'update',
			templateId: byId(seeded.id),
			updateFields: { name: 'two' },
		});
		expect(result.error?.message).toBe('Name: a template called "two" already exists');
		// GraphQL reads the templates first; REST v2 sends the PATCH and RunPod refuses it.
		expect(mutationsSent(sandbox.requests)).toEqual(ON_REST ? ['saveTemplate'] : []);
		expect(sandbox.state.templates.map((t) => t.name).sort()).toEqual(['one', 'two']);
	});

	test('Docker Arguments given an object by an expression is refused, not saved as empty', async () => {
		const seeded = seedTemplate();
		const result = await run({
			resource: 'template',
			operation: 'update',
			templateId: byId(seeded.id),
			updateFields: { dockerArgs: '={{ $json }}' },
		});
		expect(result.error?.message).toBe('Docker Arguments: expected text, got an object');
		expect(sandbox.requests).toEqual([]);
		expect(sandbox.state.templates[0].dockerArgs).toBe('bash start.sh');
	});

	test('no Update Fields is refused before any request', async () => {
		const seeded = seedTemplate();
		const result = await run({
			resource: 'template',
			operation: 'update',
			templateId: byId(seeded.id),
			updateFields: {},
		});
		expect(result.error?.message).toBe('Update Fields: nothing to change');
		expect(sandbox.requests).toEqual([]);
	});
});

describe('Template → Delete', () => {
	test("deletes by the template's NAME, looked up from the chosen template", async () => {
		const seeded = seedTemplate();
		const result = await run({
			resource: 'template',
			operation: 'delete',
			templateId: byId(seeded.id),
		});
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([{ id: seeded.id, name: 'comfy-base', deleted: true }]);
		const del = sandbox.requests.find((r) => r.fields.includes('deleteTemplate'));
		// GraphQL deletes by name; REST v2 by ID.
		if (ON_REST) expect(del?.path).toBe(`/v2/templates/${seeded.id}`);
		else expect(del?.variables).toEqual({ templateName: 'comfy-base' });
		expect(sandbox.state.templates).toEqual([]);
	});

	test("a template a pod uses: RunPod's own message comes through", async () => {
		const seeded = seedTemplate();
		const created = await run({
			resource: 'pod',
			operation: 'create',
			deployFrom: 'template',
			templateId: byId(seeded.id),
			gpuTypeId: 'NVIDIA GeForce RTX 4090',
			gpuCount: 1,
			cloudType: 'SECURE',
		});
		expect(created.error).toBeUndefined();
		const result = await run({
			resource: 'template',
			operation: 'delete',
			templateId: byId(seeded.id),
		});
		expect(result.error?.message).toBe(
			'Template "comfy-base" is in use by a pod and cannot be deleted.',
		);
		expect(sandbox.state.templates).toHaveLength(1);
	});

	test('continueOnFail: an unknown template fails its own item, the next one is deleted', async () => {
		const seeded = seedTemplate();
		const result = await run(
			{ resource: 'template', operation: 'delete', templateId: byId('={{ $json.id }}') },
			{ items: [{ id: 'missing000' }, { id: seeded.id }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const out = json(result);
		expect(out[0].error).toBe('The template "missing000" was not found');
		expect(out[1]).toEqual({ id: seeded.id, name: 'comfy-base', deleted: true });
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(mutationsSent(sandbox.requests)).toEqual(['deleteTemplate']);
	});
});

describe('Template → Readme, which REST v2 templates do not have', () => {
	test('Create saves the template; on REST v2 without its readme, and the output says so', async () => {
		const result = await run(createParameters({ additionalFields: { readme: '# SD worker' } }));
		expect(result.error).toBeUndefined();
		const [template] = json(result);
		expect(sandbox.state.templates).toEqual([
			expect.objectContaining({
				id: template.id,
				name: 'sd-worker',
				readme: ON_REST ? '' : '# SD worker',
			}),
		]);
		if (ON_REST)
			expect(template.notes).toEqual([
				"Readme was not saved: RunPod's REST API v2 has no template readme (the template was created without it)",
			]);
		else expect(template.notes).toBeUndefined();
		expect(mutationsSent(sandbox.requests)).toEqual(['saveTemplate']);
	});

	test('Update saves the other changes; on REST v2 without the readme, and the output says so', async () => {
		const seeded = seedTemplate();
		const result = await run({
			resource: 'template',
			operation: 'update',
			templateId: byId(seeded.id),
			updateFields: { imageName: 'runpod/comfyui:3.0', readme: '# New' },
			simplify: false,
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.state.templates[0]).toMatchObject({
			imageName: 'runpod/comfyui:3.0',
			readme: ON_REST ? '# ComfyUI' : '# New',
		});
		if (ON_REST) {
			expect(json(result)[0].notes).toEqual([
				"Readme was not saved: RunPod's REST API v2 has no template readme (the other changes were saved)",
			]);
			expect(sandbox.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
				image: 'runpod/comfyui:3.0',
			});
		} else expect(json(result)[0].notes).toBeUndefined();
	});

	restOnly('Update with only a readme changes nothing on REST v2 and says so', async () => {
		const seeded = seedTemplate();
		const result = await run({
			resource: 'template',
			operation: 'update',
			templateId: byId(seeded.id),
			updateFields: { readme: '# New' },
		});
		expect(result.error).toBeUndefined();
		expect(json(result)[0]).toMatchObject({ id: seeded.id, name: 'comfy-base' });
		expect(json(result)[0].notes).toEqual([
			"Readme was not saved: RunPod's REST API v2 has no template readme (nothing else was asked to change)",
		]);
		expect(mutationsSent(sandbox.requests)).toEqual([]);
		expect(sandbox.state.templates[0]).toEqual(seeded);
	});
});

describe('Template → Get Many from RunPod Public Catalog', () => {
	restOnly(
		'lists a catalog slice, with the same filters and output as your own templates',
		async () => {
			seedTemplate({ name: 'mine-private' });
			const result = await run({
				resource: 'template',
				operation: 'getAll',
				source: 'public',
				catalog: 'official',
				returnAll: true,
				filters: { type: 'serverless' },
			});
			expect(result.error).toBeUndefined();
			const templates = json(result);
			expect(templates.length).toBeGreaterThan(0);
			expect(templates.every((t) => t.type === 'serverless' && t.isPublic === true)).toBe(true);
			expect(templates.map((t) => t.name)).not.toContain('mine-private');
			expect(sandbox.requests.map((r) => r.path)).toEqual([
				'/v2/catalog/templates?source=official',
			]);
		},
	);

	restOnly('Community lists what accounts shared; Limit applies', async () => {
		seedTemplate({ name: 'shared-a', isPublic: true });
		seedTemplate({ name: 'shared-b', isPublic: true });
		seedTemplate({ name: 'private-c' });
		const result = await run({
			resource: 'template',
			operation: 'getAll',
			source: 'public',
			catalog: 'community',
			returnAll: false,
			limit: 1,
		});
		expect(json(result).map((t) => t.name)).toEqual(['shared-a']);
	});

	graphqlOnly(
		'on GraphQL it needs REST v2 and sends nothing; My Templates still works',
		async () => {
			const result = await run({
				resource: 'template',
				operation: 'getAll',
				source: 'public',
				returnAll: true,
			});
			expect(result.error?.message).toBe(
				"Template → Get Many (Source: RunPod Public Catalog) needs RunPod's REST API v2",
			);
			expect(sandbox.requests).toEqual([]);
			seedTemplate();
			const mine = await run({ resource: 'template', operation: 'getAll', returnAll: true });
			expect(json(mine).map((t) => t.name)).toEqual(['comfy-base']);
		},
	);
});
