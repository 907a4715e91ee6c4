import type { IDataObject, INode } from 'n8n-workflow';

import { matchesTemplateFilters } from '../../nodes/RunPod/actions/template/getAll.operation';
import { readOptionalFields } from '../../nodes/RunPod/actions/template/fields';
import { simplifyTemplate } from '../../nodes/RunPod/actions/template/templateItem';
import * as templates from '../../nodes/RunPod/api/graphql/templates';
import type { PodTemplate, TemplateInput } from '../../nodes/RunPod/api/types';
import { recordingContext, schemaErrors } from '../helpers/api';

const node = {
	name: 'RunPod',
	type: 'n8n-nodes-runpod-cloud.runPod',
	typeVersion: 1,
	parameters: {},
} as unknown as INode;
const saved: PodTemplate = {
	id: 'wphkv67a0p',
	name: 'My GPU Template',
	imageName: 'ubuntu:latest',
	containerDiskInGb: 5,
	volumeInGb: 15,
	volumeMountPath: '/workspace',
	dockerArgs: 'sleep infinity',
	env: [{ key: 'key1', value: 'value1' }],
	ports: '8888/http,22/tcp',
	isServerless: false,
	isPublic: true,
	startSsh: false,
	startJupyter: true,
	readme: '# hi',
	containerRegistryAuthId: 'auth1',
};

describe('what saveTemplate is sent', () => {
	test('a create always carries dockerArgs and env, and leaves empty optional ids out', () => {
		const input: TemplateInput = {
			name: 'n',
			imageName: 'i',
			containerDiskInGb: 10,
			volumeInGb: 0,
			ports: [],
			env: [],
			dockerArgs: '',
			isServerless: true,
			isPublic: false,
			startSsh: false,
			startJupyter: false,
			readme: '',
		};
		const variables = templates.saveVariables(input);
		expect(variables).toMatchObject({ dockerArgs: '', env: [], ports: '' });
		expect(variables).not.toHaveProperty('id');
		expect(variables).not.toHaveProperty('volumeMountPath');
		expect(variables).not.toHaveProperty('containerRegistryAuthId');
	});

	test('a saved template sent back unchanged is the same template: an update loses nothing', () => {
		const variables = templates.saveVariables(templates.templateToInput(saved), saved.id);
		expect(variables).toEqual(saved);
	});

	test('update applies only the changes that have a value, and validates against the schema', async () => {
		const { ctx, sent } = recordingContext({ saveTemplate: saved });
		await templates.update(ctx, saved, { imageName: 'ubuntu:24.04', readme: undefined });
		expect(sent[0].variables.input).toEqual({ ...saved, imageName: 'ubuntu:24.04' });
		expect(schemaErrors(sent[0].query, sent[0].variables)).toEqual([]);
	});

	test('delete sends the name, with no selection on the Void result', async () => {
		const { ctx, sent } = recordingContext({ deleteTemplate: null });
		await templates.remove(ctx, 'My "GPU" Template');
		expect(sent[0].variables).toEqual({ templateName: 'My "GPU" Template' });
		expect(schemaErrors(sent[0].query, sent[0].variables)).toEqual([]);
	});

	test("a create's variables coerce against the schema", async () => {
		const { ctx, sent } = recordingContext({ saveTemplate: saved });
		await templates.create(ctx, templates.templateToInput(saved));
		expect(schemaErrors(sent[0].query, sent[0].variables)).toEqual([]);
	});
});

describe('Update Fields', () => {
	test('fields that were not added stay absent, so they are not changed', () => {
		expect(readOptionalFields(node, 0, { imageName: ' ubuntu:24.04 ' })).toEqual({
			imageName: 'ubuntu:24.04',
		});
	});

	test('added list fields with no entries clear the list', () => {
		expect(readOptionalFields(node, 0, { env: {}, ports: {} })).toEqual({ env: [], ports: [] });
	});

	test('flags and texts are read as typed', () => {
		expect(
			readOptionalFields(node, 0, {
				isPublic: false,
				startJupyter: true,
				readme: '',
				dockerArgs: '  ',
			}),
		).toEqual({
			isPublic: false,
			startJupyter: true,
			readme: '',
			dockerArgs: '',
		});
	});

	test.each([
		[{ containerDiskInGb: 0 }, /Container Disk \(GB\): expected a whole number from 1 to 4000/],
		[{ volumeInGb: 1.5 }, /Volume \(GB\): expected a whole number from 0 to 4000/],
		[{ name: '' }, /Name: is empty/],
		[{ ports: { port: [{ number: 99999, protocol: 'tcp' }] } }, /Ports \(entry 1\)/],
	])('refuses %j', (fields, message) => {
		expect(() => readOptionalFields(node, 2, fields as IDataObject)).toThrow(message);
	});
});

describe('output and filters', () => {
	test('Simplify: ten fields, env as an object, pod or serverless', () => {
		const simple = simplifyTemplate(saved);
		expect(Object.keys(simple)).toHaveLength(10);
		expect(simple).toMatchObject({ type: 'pod', env: { key1: 'value1' }, isPublic: true });
		expect(simplifyTemplate({ ...saved, isServerless: true, env: null }).type).toBe('serverless');
	});

	test('name contains is not case-sensitive; type keeps pod or serverless templates', () => {
		expect(matchesTemplateFilters(saved, { nameContains: 'gpu' })).toBe(true);
		expect(matchesTemplateFilters(saved, { nameContains: 'cpu' })).toBe(false);
		expect(matchesTemplateFilters(saved, { type: 'serverless' })).toBe(false);
		expect(matchesTemplateFilters({ ...saved, isServerless: true }, { type: 'serverless' })).toBe(
			true,
		);
		expect(matchesTemplateFilters(saved, { type: 'all' })).toBe(true);
	});
});
