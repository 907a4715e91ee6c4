/**
 * Pod → Create (and Create Spot) with Deploy From = Template: the pod gets the template's disks,
 * mount path, ports and environment; only what the user set under Template Overrides and
 * Additional Fields changes it. The create marker is added to the template's environment.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox, TemplateRecord } from '../../sandbox';
import { CREATE_MARKER_ENV } from '../../nodes/RunPod/api/createMarker';
import { ON_REST, byId, json, runRunPodNode, speakTestApi } from './harness';

const GPU = 'NVIDIA GeForce RTX 4090';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 17 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

const TEMPLATE: TemplateRecord = {
	id: 'llmtmpl001',
	name: 'llm-server',
	imageName: 'vllm/vllm-openai:latest',
	containerDiskInGb: 77,
	volumeInGb: 55,
	volumeMountPath: '/data',
	dockerArgs: '--model mistral',
	env: [
		{ key: 'HF_TOKEN', value: 'hf_example' },
		{ key: 'MODEL', value: 'mistral' },
	],
	ports: '8000/http,22/tcp',
	isServerless: false,
	isPublic: false,
	startSsh: true,
	startJupyter: false,
	readme: '',
	containerRegistryAuthId: null,
};

beforeEach(() => {
	sandbox.reset();
	sandbox.setStock(GPU, { secure: 20 });
	sandbox.state.templates.push({ ...TEMPLATE, env: TEMPLATE.env.map((e) => ({ ...e })) });
});

async function createFromTemplate(parameters: IDataObject = {}, operation = 'create') {
	return await runRunPodNode({
		parameters: {
			resource: 'pod',
			operation,
			name: 'from-template',
			deployFrom: 'template',
			templateId: byId(TEMPLATE.id),
			gpuTypeId: GPU,
			gpuCount: 1,
			cloudType: 'SECURE',
			...(operation === 'createSpot' ? { bidPerGpu: 0 } : {}),
			...parameters,
		},
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

function userEnv(pod: { env: string[] }): string[] {
	return pod.env.filter((e) => !e.startsWith(`${CREATE_MARKER_ENV}=`)).sort();
}

test.each(ON_REST ? ['create'] : ['create', 'createSpot'])(
	"%s: the pod has the template's disks, mount path, ports, start command and environment",
	async (operation) => {
		const result = await createFromTemplate({}, operation);
		expect(result.error).toBeUndefined();
		const [output] = json(result);
		const pod = sandbox.state.pods[0];
		expect(pod).toMatchObject({
			id: output.id,
			templateId: TEMPLATE.id,
			imageName: TEMPLATE.imageName,
			containerDiskInGb: 77,
			volumeInGb: 55,
			volumeMountPath: '/data',
			ports: TEMPLATE.ports,
			dockerArgs: TEMPLATE.dockerArgs,
		});
		expect(userEnv(pod)).toEqual(['HF_TOKEN=hf_example', 'MODEL=mistral']);
		expect(pod.env.filter((e) => e.startsWith(`${CREATE_MARKER_ENV}=`))).toHaveLength(1);
		// Nothing the user did not set was sent.
		const input = sandbox.requests.find((r) =>
			r.fields.some((f) => f === 'podFindAndDeployOnDemand' || f === 'podRentInterruptable'),
		)?.variables.input as IDataObject;
		for (const key of [
			'containerDiskInGb',
			'volumeInGb',
			'volumeMountPath',
			'ports',
			'dockerArgs',
			'imageName',
		]) {
			expect(input).not.toHaveProperty(key);
		}
	},
);

test("overrides change only what the user set; variables are added to the template's, same name wins", async () => {
	const result = await createFromTemplate({
		templateOverrides: { containerDiskInGb: 100 },
		additionalFields: {
			env: {
				variable: [
					{ name: 'MODEL', value: 'llama' },
					{ name: 'EXTRA', value: '1' },
				],
			},
		},
	});
	expect(result.error).toBeUndefined();
	const pod = sandbox.state.pods[0];
	expect(pod).toMatchObject({
		containerDiskInGb: 100,
		volumeInGb: 55,
		volumeMountPath: '/data',
		ports: TEMPLATE.ports,
	});
	expect(userEnv(pod)).toEqual(['EXTRA=1', 'HF_TOKEN=hf_example', 'MODEL=llama']);
});

test('an unknown template is a clear error before anything is rented', async () => {
	const result = await createFromTemplate({ templateId: byId('nosuchtmpl') });
	expect(result.error?.message).toBe('The template "nosuchtmpl" was not found');
	expect(sandbox.state.pods).toHaveLength(0);
	expect(
		sandbox.requests.filter((r) => r.fields.includes('podFindAndDeployOnDemand')),
	).toHaveLength(0);
});
