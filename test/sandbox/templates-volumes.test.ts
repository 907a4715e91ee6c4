/** Templates (save is a full replace, delete by name) and network volumes (grow only, storage DCs, in use). */
import { RunPodMessages, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEPLOY, TERMINATE, ask, data, podInput } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 9 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const SAVE = `mutation ($input: SaveTemplateInput) { saveTemplate(input: $input) {
	id name imageName containerDiskInGb volumeInGb volumeMountPath dockerArgs ports env { key value } isServerless startSsh readme } }`;
const DELETE_TEMPLATE = 'mutation ($name: String) { deleteTemplate(templateName: $name) }';
const CREATE_VOLUME =
	'mutation ($input: CreateNetworkVolumeInput) { createNetworkVolume(input: $input) { id name size dataCenterId dataCenter { id storageSupport } } }';
const UPDATE_VOLUME =
	'mutation ($input: UpdateNetworkVolumeInput) { updateNetworkVolume(input: $input) { id name size } }';
const DELETE_VOLUME =
	'mutation ($input: DeleteNetworkVolumeInput) { deleteNetworkVolume(input: $input) }';

const templateInput = (overrides: Record<string, unknown> = {}) => ({
	name: 'My GPU Template',
	imageName: 'ubuntu:latest',
	containerDiskInGb: 5,
	volumeInGb: 15,
	volumeMountPath: '/data',
	dockerArgs: 'sleep infinity',
	ports: '8888/http,22/tcp',
	env: [{ key: 'key1', value: 'value1' }],
	readme: 'hello',
	...overrides,
});

async function firstError(query: string, variables: Record<string, unknown>) {
	const answer = await ask(sandbox, query, variables);
	expect(answer.status).toBe(200);
	return answer.body.errors?.[0];
}

describe('templates', () => {
	test('create returns the template with a 10-character id and env as {key, value}; it shows under myself', async () => {
		const { saveTemplate } = await data(sandbox, SAVE, { input: templateInput() });
		expect(saveTemplate).toMatchObject({
			id: expect.stringMatching(/^[a-z0-9]{10}$/),
			name: 'My GPU Template',
			env: [{ key: 'key1', value: 'value1' }],
		});
		const { myself } = await data(sandbox, '{ myself { podTemplates { id name } } }');
		expect(myself.podTemplates).toEqual([{ id: saveTemplate.id, name: 'My GPU Template' }]);
	});

	test("a create without dockerArgs fails with RunPod's generic message; a missing name is an error too", async () => {
		expect(
			(await firstError(SAVE, { input: templateInput({ dockerArgs: undefined }) })).message,
		).toBe(RunPodMessages.somethingWentWrong);
		expect((await firstError(SAVE, { input: templateInput({ name: null }) })).path).toEqual([
			'saveTemplate',
		]);
		expect(sandbox.state.templates).toHaveLength(0);
	});

	test('a duplicate name in the account is refused, on create and on rename', async () => {
		await data(sandbox, SAVE, { input: templateInput() });
		expect((await firstError(SAVE, { input: templateInput() })).message).toBe(
			'Template name must be unique',
		);
		const other = (await data(sandbox, SAVE, { input: templateInput({ name: 'other' }) }))
			.saveTemplate;
		expect(
			(await firstError(SAVE, { input: { id: other.id, name: 'My GPU Template', dockerArgs: '' } }))
				.message,
		).toBe('Template name must be unique');
	});

	test('an update with id is a full replace: optional fields left out go back to their defaults', async () => {
		const created = (await data(sandbox, SAVE, { input: templateInput() })).saveTemplate;
		const updated = (
			await data(sandbox, SAVE, {
				input: {
					id: created.id,
					name: created.name,
					imageName: 'ubuntu:24.04',
					containerDiskInGb: 10,
					volumeInGb: 15,
				},
			})
		).saveTemplate;
		expect(updated).toEqual({
			id: created.id,
			name: 'My GPU Template',
			imageName: 'ubuntu:24.04',
			containerDiskInGb: 10,
			volumeInGb: 15,
			volumeMountPath: '/workspace',
			dockerArgs: '',
			ports: '',
			env: [],
			isServerless: false,
			startSsh: true,
			readme: '',
		});
	});

	test('delete goes by NAME; an unknown name, or a template a pod uses, is refused', async () => {
		const template = (await data(sandbox, SAVE, { input: templateInput() })).saveTemplate;
		expect((await firstError(DELETE_TEMPLATE, { name: template.id })).message).toBe(
			'Template not found',
		);
		const pod = (
			await data(sandbox, DEPLOY, { input: podInput({ imageName: null, templateId: template.id }) })
		).podFindAndDeployOnDemand;
		expect((await firstError(DELETE_TEMPLATE, { name: 'My GPU Template' })).message).toMatch(
			/in use/,
		);
		await data(sandbox, TERMINATE, { input: { podId: pod.id } });
		expect((await ask(sandbox, DELETE_TEMPLATE, { name: 'My GPU Template' })).body).toEqual({
			data: { deleteTemplate: null },
		});
		expect((await data(sandbox, '{ myself { podTemplates { id } } }')).myself.podTemplates).toEqual(
			[],
		);
	});
});

describe('network volumes', () => {
	test('created in a storage data center with a 10-character id; shows under myself', async () => {
		const { createNetworkVolume } = await data(sandbox, CREATE_VOLUME, {
			input: { name: 'models', size: 100, dataCenterId: 'EU-RO-1' },
		});
		expect(createNetworkVolume).toEqual({
			id: expect.stringMatching(/^[a-z0-9]{10}$/),
			name: 'models',
			size: 100,
			dataCenterId: 'EU-RO-1',
			dataCenter: { id: 'EU-RO-1', storageSupport: true },
		});
		expect(
			(await data(sandbox, '{ myself { networkVolumes { id size } } }')).myself.networkVolumes,
		).toEqual([{ id: createNetworkVolume.id, size: 100 }]);
	});

	test.each([
		[
			{ name: 'v', size: 10, dataCenterId: 'US-OR-1' },
			'Data center US-OR-1 does not support network volumes.',
		],
		[{ name: 'v', size: 10, dataCenterId: 'MARS-1' }, 'Data center MARS-1 does not exist.'],
		[
			{ name: 'v', size: 0, dataCenterId: 'EU-RO-1' },
			'Network volume size must be a whole number of GB from 1 to 4000.',
		],
		[
			{ name: 'v', size: 4001, dataCenterId: 'EU-RO-1' },
			'Network volume size must be a whole number of GB from 1 to 4000.',
		],
		[{ size: 10, dataCenterId: 'EU-RO-1' }, 'A network volume needs a name.'],
	])('create %j is refused', async (input, message) => {
		expect((await firstError(CREATE_VOLUME, { input })).message).toBe(message);
		expect(sandbox.state.networkVolumes).toHaveLength(0);
	});

	test('update renames and grows, never shrinks', async () => {
		const { id } = (
			await data(sandbox, CREATE_VOLUME, {
				input: { name: 'models', size: 100, dataCenterId: 'US-TX-3' },
			})
		).createNetworkVolume;
		expect(
			(await data(sandbox, UPDATE_VOLUME, { input: { id, name: 'weights', size: 150 } }))
				.updateNetworkVolume,
		).toEqual({ id, name: 'weights', size: 150 });
		expect((await firstError(UPDATE_VOLUME, { input: { id, size: 120 } })).message).toBe(
			'A network volume can only grow: its size is 150 GB.',
		);
		expect((await data(sandbox, UPDATE_VOLUME, { input: { id } })).updateNetworkVolume.size).toBe(
			150,
		);
	});

	test('delete is refused while a pod uses the volume, then answers null', async () => {
		const { id } = (
			await data(sandbox, CREATE_VOLUME, {
				input: { name: 'models', size: 20, dataCenterId: 'EU-RO-1' },
			})
		).createNetworkVolume;
		const pod = (await data(sandbox, DEPLOY, { input: podInput({ networkVolumeId: id }) }))
			.podFindAndDeployOnDemand;
		expect((await firstError(DELETE_VOLUME, { input: { id } })).message).toMatch(
			/attached to a pod/,
		);
		await data(sandbox, TERMINATE, { input: { podId: pod.id } });
		expect((await ask(sandbox, DELETE_VOLUME, { input: { id } })).body).toEqual({
			data: { deleteNetworkVolume: null },
		});
		expect((await firstError(DELETE_VOLUME, { input: { id } })).message).toBe(
			'Network volume not found',
		);
	});
});
