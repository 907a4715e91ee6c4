/**
 * Every GraphQL document the package can send must be valid against the project's copy of RunPod's
 * schema, and the variables each operation builds must coerce against it: a field RunPod does not
 * have fails here, not in a user's workflow.
 */
import type { IDataObject } from 'n8n-workflow';

import { allDocuments } from '../../nodes/RunPod/api';
import * as gpus from '../../nodes/RunPod/api/graphql/gpuTypes';
import * as pods from '../../nodes/RunPod/api/graphql/pods';
import type { RequestContext } from '../../nodes/RunPod/transport/graphql';
import { documentErrors, recordingContext, schemaErrors } from '../helpers/api';

const documentCases = Object.entries(allDocuments).flatMap(([module, documents]) =>
	Object.entries(documents).map(([name, document]) => [`${module}.${name}`, document] as const),
);

describe('every document the package can send', () => {
	test('there are documents for every resource module', () => {
		expect(Object.keys(allDocuments)).toEqual(
			expect.arrayContaining(['pods', 'gpus', 'templates', 'networkVolumes', 'dataCenters']),
		);
		expect(documentCases.length).toBeGreaterThanOrEqual(10);
	});

	test.each(documentCases)('%s is valid against sandbox/schema.graphql', (_name, document) => {
		expect(documentErrors(document)).toEqual([]);
	});

	test('the schema check really rejects what RunPod rejects (docs/runpod-graphql-notes.md §6)', () => {
		expect(documentErrors('mutation { podTerminate(input: {podId: "x"}) { id } }')).not.toEqual([]);
		expect(
			documentErrors('query { pod(input: {podId: "x"}) { machine { gpuCount } } }'),
		).not.toEqual([]);
		expect(
			documentErrors('query { pod(input: {podId: "x"}) { runtime { gpuUtilPercent } } }'),
		).not.toEqual([]);
		expect(
			documentErrors(
				'mutation { podResume(input: {podId: "x", allowedCudaVersions: ["12.4"]}) { id } }',
			),
		).not.toEqual([]);
	});
});

const fullCreate = {
	name: 'worker "}) { id } mutation {',
	imageName: 'runpod/pytorch:2.4.0',
	gpuTypeId: 'NVIDIA GeForce RTX 4090',
	gpuCount: 2,
	cloudType: 'SECURE' as const,
	containerDiskInGb: 20,
	volumeInGb: 50,
	volumeMountPath: '/workspace',
	ports: [
		{ port: 8888, protocol: 'http' as const },
		{ port: 22, protocol: 'tcp' as const },
	],
	env: [{ key: 'HF_TOKEN', value: 'a "quoted" value\nwith newline ✨' }],
	dataCenterId: 'EU-RO-1',
	networkVolumeId: 'vol1234567',
	minVcpuCount: 8,
	minMemoryInGb: 32,
	allowedCudaVersions: ['12.4', '12.8'],
	dockerArgs: 'bash -c "sleep infinity"',
	startSsh: true,
	supportPublicIp: true,
};

describe('the variables each pod operation builds coerce against the schema', () => {
	const cases: Array<[string, (ctx: RequestContext) => Promise<unknown>, IDataObject]> = [
		[
			'create on-demand',
			(ctx) => pods.createOnDemand(ctx, fullCreate),
			{ podFindAndDeployOnDemand: { id: 'p' } },
		],
		[
			'create spot',
			(ctx) => pods.createSpot(ctx, { ...fullCreate, bidPerGpu: 0.25 }),
			{ podRentInterruptable: { id: 'p' } },
		],
		['get', (ctx) => pods.get(ctx, 'p'), { pod: { id: 'p' } }],
		['list', (ctx) => pods.list(ctx), { myself: { pods: [] } }],
		['stop', (ctx) => pods.stop(ctx, 'p'), { podStop: { id: 'p' } }],
		['resume', (ctx) => pods.resume(ctx, 'p', 2), { podResume: { id: 'p' } }],
		['resume spot', (ctx) => pods.resumeSpot(ctx, 'p', 2, 0.3), { podBidResume: { id: 'p' } }],
		['terminate', (ctx) => pods.terminate(ctx, 'p'), { podTerminate: null }],
		['GPU prices', (ctx) => gpus.getPrices(ctx, 'NVIDIA GeForce RTX 4090', 2), { gpuTypes: [] }],
		['GPU list', (ctx) => gpus.listGpuTypeSummaries(ctx), { gpuTypes: [] }],
	];

	test.each(cases)('%s', async (_name, call, answer) => {
		const { ctx, sent } = recordingContext(answer);
		await call(ctx);
		expect(sent).toHaveLength(1);
		expect(documentErrors(sent[0].query)).toEqual([]);
		expect(schemaErrors(sent[0].query, sent[0].variables)).toEqual([]);
	});

	test('create never sends null or empty fields, and never the ignored stopAfter/terminateAfter', async () => {
		const { ctx, sent } = recordingContext({ podFindAndDeployOnDemand: { id: 'p' } });
		await pods.createOnDemand(ctx, {
			gpuTypeId: 'NVIDIA A40',
			gpuCount: 1,
			cloudType: 'ALL',
			imageName: 'ubuntu',
			env: [],
			ports: [],
		});
		const { env, ...input } = sent[0].variables.input as IDataObject;
		expect(input).toEqual({
			gpuTypeId: 'NVIDIA A40',
			gpuCount: 1,
			cloudType: 'ALL',
			imageName: 'ubuntu',
		});
		expect(Object.values(input)).not.toContain(null);
		// The only variable the node adds is its create marker, to find the pod again after a lost answer.
		expect(env).toEqual([{ key: 'N8N_RUNPOD_CREATE_ID', value: expect.any(String) }]);
	});

	test('user text travels as variables, never inside the document', async () => {
		const { ctx, sent } = recordingContext({ podFindAndDeployOnDemand: { id: 'p' } });
		await pods.createOnDemand(ctx, fullCreate);
		expect(sent[0].query).not.toContain('mutation {');
		expect(sent[0].query).not.toContain('HF_TOKEN');
		expect((sent[0].variables.input as IDataObject).name).toBe(fullCreate.name);
		expect((sent[0].variables.input as IDataObject).ports).toBe('8888/http,22/tcp');
	});
});
