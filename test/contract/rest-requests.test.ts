/**
 * Every REST v2 request the api layer can build must be valid against the project's copy of
 * RunPod's OpenAPI 3.1 document (Ajv, JSON Schema 2020-12, the known quirks patched in memory):
 * its method and path must be an operation, its query parameters declared ones (RunPod ignores
 * unknown ones silently, so a typo would go unnoticed), and its body valid for that operation.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { runpodApi } from '../../nodes/RunPod/api';
import type { RunPodApi } from '../../nodes/RunPod/api';
import type { EndpointInput } from '../../nodes/RunPod/api/endpoints';
import type { CreatePodInput, TemplateInput } from '../../nodes/RunPod/api/types';
import type { RequestContext } from '../../nodes/RunPod/transport/request';
import { describeErrors, operations, requestValidators } from '../../sandbox/rest/openapi';
import type { OperationInfo } from '../../sandbox/rest/openapi';

const BASE = 'http://127.0.0.1:1';
const NODE_DIR = path.join(__dirname, '..', '..', 'nodes', 'RunPod');

interface Sent {
	method: string;
	path: string;
	qs: IDataObject;
	body: unknown;
}

const pod = {
	id: 'pod1',
	name: 'worker',
	status: 'EXITED',
	actions: ['start', 'terminate'],
	image: 'ubuntu:22.04',
	env: { N8N_RUNPOD_CREATE_ID: 'marker' },
	ports: ['8888/http'],
	gpu: { id: 'NVIDIA GeForce RTX 4090', count: 2 },
	cost: 0,
	runtime: null,
};
const template = {
	id: 'tpl1',
	name: 't',
	image: 'ubuntu:22.04',
	mounts: { persistent: { size: 20, path: '/workspace' } },
	env: {},
	ports: [],
};
const volume = { id: 'vol1', name: 'v', size: 50, dataCenter: 'EU-RO-1', type: 'STANDARD' };
const endpoint = {
	id: 'ep1',
	name: 'e',
	type: 'QUEUE',
	gpu: { pools: ['ADA_24'], count: 1 },
	workers: { min: 0, max: 3, idleTimeout: 5 },
	scaling: { type: 'QUEUE_DELAY', queueDelay: 4 },
	timeout: 600000,
	flashboot: 'FLASHBOOT',
};
const endpointInput: EndpointInput = {
	name: 'e',
	image: {
		imageName: 'runpod/worker:1',
		containerDiskInGb: 10,
		dockerArgs: 'python handler.py',
		env: [{ key: 'MODEL', value: 'tiny' }],
	},
	gpuPools: ['ADA_24', 'AMPERE_48'],
	excludedGpuTypes: ['NVIDIA RTX A6000'],
	gpuCount: 2,
	workersMin: 1,
	workersMax: 4,
	idleTimeoutSeconds: 30,
	scalerType: 'QUEUE_DELAY',
	scalerValue: 3,
	flashBoot: true,
	executionTimeoutMs: 120000,
	networkVolumeId: 'vol1',
	dataCenterIds: ['EU-RO-1'],
};
const cluster = {
	id: 'cluster_1',
	name: 'c',
	type: 'TRAINING',
	compute: { gpuTypeId: 'NVIDIA H100 80GB HBM3', gpuCountPerPod: 8, podCount: 2 },
	pods: { total: 2, byStatus: { RUNNING: 2 } },
	createdAt: '2026-06-29T20:00:00Z',
};
const clusterPod = { ...pod, cluster: { id: 'cluster_1', rank: 0 } };
const gpu = {
	id: 'NVIDIA GeForce RTX 4090',
	name: 'RTX 4090',
	memory: 24,
	secure: true,
	community: true,
	price: { secure: 0.69, community: 0.34 },
	availability: 'HIGH',
};

const SSH_KEY =
	'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILXGDN/SclOozk1xsDztpmhGiKkkrfQB9SKoO8dSIQQZ me@example.com';
const registry = { id: 'reg1', name: 'dockerhub-private' };
const delegation = {
	id: 'deleg1',
	name: 'deploy',
	delegatorUserId: 'user1',
	awsUser: '418399314813',
	repository: 'runpod/deployment',
	tag: 'latest',
	awsRegion: 'us-east-2',
	createdAt: '2026-03-13T20:00:00Z',
};
const cpu = {
	id: 'cpu3c',
	name: 'Compute-Optimized',
	group: 'Gen 3',
	vcpu: { min: 2, max: 32 },
	ramGbPerVcpu: 2,
	price: { securePerVcpu: 0.03, serverlessPerVcpu: 0.025 },
	availability: 'HIGH',
};

/** Canned answers by method and path, enough for every operation to run to its end. */
function answer(method: string, path: string): { statusCode: number; body?: unknown } {
	if (method === 'DELETE') return { statusCode: 204 };
	if (path === '/v2/clusters')
		return method === 'GET'
			? { statusCode: 200, body: { clusters: [cluster] } }
			: { statusCode: 201, body: cluster };
	if (path.startsWith('/v2/clusters/') && path.endsWith('/pods'))
		return { statusCode: 200, body: { pods: [clusterPod] } };
	if (path.startsWith('/v2/clusters/')) return { statusCode: 200, body: cluster };
	if (path === '/v2/pods')
		return method === 'GET'
			? { statusCode: 200, body: { pods: [pod] } }
			: { statusCode: 201, body: pod };
	if (path.endsWith('/action')) return { statusCode: 200, body: { ...pod, status: 'RUNNING' } };
	if (path.endsWith('/logs'))
		return {
			statusCode: 200,
			body: 'id: 1\ndata: {"ts":"2026-06-01T12:00:00Z","source":"container","line":"ok"}\n\n',
		};
	if (path.startsWith('/v2/pods/')) return { statusCode: 200, body: pod };
	if (path === '/v2/templates')
		return method === 'GET'
			? { statusCode: 200, body: { templates: [template] } }
			: { statusCode: 201, body: template };
	if (path.startsWith('/v2/templates/')) return { statusCode: 200, body: template };
	if (path === '/v2/network-volumes')
		return method === 'GET'
			? { statusCode: 200, body: { networkVolumes: [volume] } }
			: { statusCode: 201, body: volume };
	if (path.startsWith('/v2/network-volumes/')) return { statusCode: 200, body: volume };
	if (path === '/v2/catalog/gpus') return { statusCode: 200, body: { gpus: [gpu] } };
	if (path.startsWith('/v2/catalog/gpus/')) return { statusCode: 200, body: gpu };
	if (path === '/v2/catalog/cpus') return { statusCode: 200, body: { cpus: [cpu] } };
	if (path.startsWith('/v2/catalog/cpus/')) return { statusCode: 200, body: cpu };
	if (path === '/v2/catalog/datacenters')
		return {
			statusCode: 200,
			body: { dataCenters: [{ id: 'EU-RO-1', name: 'EU-RO-1', networkVolumeTypes: ['STANDARD'] }] },
		};
	if (path === '/v2/catalog/templates') return { statusCode: 200, body: { templates: [template] } };
	if (path.startsWith('/v2/catalog/datacenters/'))
		return { statusCode: 200, body: { id: 'EU-RO-1', name: 'EU-RO-1', region: 'EUROPE' } };
	if (/^\/v2\/serverless\/[^/]+\/workers$/.test(path))
		return { statusCode: 200, body: { workers: [], summary: {} } };
	if (path.endsWith('/logs')) return { statusCode: 200, body: '' };
	if (path.endsWith('/releases')) return { statusCode: 200, body: { rollout: {}, releases: [] } };
	if (path === '/v2/serverless')
		return method === 'GET'
			? { statusCode: 200, body: { endpoints: [endpoint] } }
			: { statusCode: 201, body: endpoint };
	if (path.startsWith('/v2/serverless/')) return { statusCode: 200, body: endpoint };
	if (path.startsWith('/v2/billing'))
		return { statusCode: 200, body: { records: [], metadata: {} } };
	if (path === '/v2/account/ssh-keys') return { statusCode: 200, body: { keys: [SSH_KEY] } };
	if (path === '/v2/registries/delegations')
		return method === 'GET'
			? { statusCode: 200, body: { delegations: [delegation] } }
			: { statusCode: 201, body: delegation };
	if (path === '/v2/registries')
		return method === 'GET'
			? { statusCode: 200, body: { registries: [registry] } }
			: { statusCode: 201, body: registry };
	if (path.startsWith('/v2/registries/')) return { statusCode: 200, body: registry };
	return { statusCode: 404, body: { title: 'Not Found', status: 404, detail: 'no such route' } };
}

function recordingApi(): { api: Promise<RunPodApi>; sent: Sent[] } {
	const sent: Sent[] = [];
	const ctx = {
		getNode: () => ({
			name: 'RunPod',
			type: 'n8n-nodes-runpod-cloud.runPod',
			typeVersion: 1,
			parameters: {},
		}),
		getCredentials: async () => ({ apiKey: 'k', baseUrl: BASE, api: 'restV2' }),
		getNodeParameter: (_name: string, _itemIndex: number, fallback: unknown) => fallback,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				const path = request.url.slice(BASE.length);
				sent.push({
					method: String(request.method),
					path,
					qs: (request.qs ?? {}) as IDataObject,
					body: request.body,
				});
				return { headers: {}, ...answer(String(request.method), path) };
			},
		},
	} as unknown as RequestContext;
	return { api: runpodApi(ctx), sent };
}

const table = [...operations().values()]
	.map((info) => ({
		info,
		pattern: new RegExp(`^${info.path.replace(/\{[^}]+\}/g, '([^/]+)')}$`),
		names: [...info.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
	}))
	// A literal path wins over a templated one (/v2/registries/delegations is not registry "delegations").
	.sort((a, b) => a.names.length - b.names.length);

function operationOf(
	request: Sent,
): { info: OperationInfo; pathParams: Record<string, string> } | undefined {
	for (const { info, pattern, names } of table) {
		const hit = pattern.exec(request.path);
		if (!hit || info.method !== request.method) continue;
		return {
			info,
			pathParams: Object.fromEntries(
				names.map((name, i) => [name, decodeURIComponent(hit[i + 1])]),
			),
		};
	}
	return undefined;
}

/** What is wrong with one request, in RunPod's validator's words; empty when it is valid. */
function contractErrors(request: Sent): string[] {
	const found = operationOf(request);
	if (!found) return [`${request.method} ${request.path} is not an operation of openapi.json`];
	const validators = requestValidators(found.info);
	const errors: string[] = [];
	const query: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(request.qs)) {
		if (!validators.queryParameters.has(name))
			errors.push(`query parameter '${name}' is not declared by ${found.info.operationId}`);
		else
			query[name] = validators.arrayQueryParameters.has(name)
				? String(value).split(',')
				: String(value);
	}
	if (!validators.parameters({ ...query, ...found.pathParams }))
		errors.push(...describeErrors(validators.parameters.errors, '$params'));
	if (request.body !== undefined && !validators.body)
		errors.push(`${found.info.operationId} takes no body`);
	if (validators.body) {
		if (request.body === undefined && found.info.operation.requestBody?.required)
			errors.push('$: request body is required');
		if (request.body !== undefined && !validators.body(request.body))
			errors.push(...describeErrors(validators.body.errors));
	}
	return errors;
}

const fullPod: CreatePodInput = {
	name: 'worker "quoted" ✨',
	imageName: 'runpod/pytorch:2.4.0',
	gpuTypeId: 'NVIDIA GeForce RTX 4090',
	gpuCount: 2,
	cloudType: 'SECURE',
	containerDiskInGb: 20,
	volumeInGb: 50,
	volumeMountPath: '/workspace',
	ports: [
		{ port: 8888, protocol: 'http' },
		{ port: 22, protocol: 'tcp' },
	],
	env: [{ key: 'HF_TOKEN', value: 'a "quoted" value\nwith newline' }],
	dataCenterId: 'EU-RO-1',
	allowedCudaVersions: ['12.4', '12.8'],
	dockerArgs: 'bash -c "sleep infinity"',
	startSsh: true,
};
const fullTemplate: TemplateInput = {
	name: 'tpl',
	imageName: 'ubuntu:22.04',
	containerDiskInGb: 20,
	volumeInGb: 30,
	volumeMountPath: '/workspace',
	ports: [{ port: 8888, protocol: 'http' }],
	env: [{ key: 'A', value: '1' }],
	dockerArgs: '',
	isServerless: false,
	isPublic: false,
	startSsh: true,
	startJupyter: false,
	readme: '',
	containerRegistryAuthId: 'reg1',
};

/** Every operation of every interface, with inputs that use every field REST v2 can carry. */
const calls: Array<[string, (api: RunPodApi) => Promise<unknown>]> = [
	['pods.create (image, persistent volume, data center, CUDA)', (api) => api.pods.create(fullPod)],
	[
		'pods.create (template, network volume, Any cloud)',
		(api) =>
			api.pods.create({
				gpuTypeId: 'NVIDIA A40',
				gpuCount: 1,
				cloudType: 'ALL',
				templateId: 'tpl1',
				networkVolumeId: 'vol1',
			}),
	],
	[
		'pods.requireCpu (then a CPU pod: network volume, data center)',
		(api) => {
			api.pods.requireCpu();
			return api.pods.create({
				name: 'cpu worker',
				imageName: 'ubuntu:22.04',
				gpuTypeId: '',
				gpuCount: 1,
				cloudType: 'SECURE',
				containerDiskInGb: 10,
				networkVolumeId: 'vol1',
				dataCenterId: 'EU-RO-1',
				ports: [{ port: 22, protocol: 'tcp' }],
				cpu: { cpuTypeId: 'cpu3c', vcpuCount: 4 },
			});
		},
	],
	['pods.findByCreateMarker', (api) => api.pods.findByCreateMarker('marker')],
	['pods.get', (api) => api.pods.get('pod/../1')],
	['pods.list', (api) => api.pods.list()],
	['pods.stop', (api) => api.pods.stop('pod1')],
	['pods.resume', async (api) => api.pods.resume((await api.pods.get('pod1'))!)],
	['pods.terminate', (api) => api.pods.terminate('pod1')],
	[
		'pods.stopMany',
		(api) =>
			api.pods.stopMany(
				[
					{ id: 'pod1', itemIndex: 0 },
					{ id: 'pod2', itemIndex: 1 },
				],
				{ parallel: 2 },
			),
	],
	[
		'pods.terminateMany',
		(api) => api.pods.terminateMany([{ id: 'pod1', itemIndex: 0 }], { parallel: 2 }),
	],
	[
		'pods.update (every container field, env and ports merged)',
		(api) =>
			api.pods.update('pod1', {
				name: 'renamed',
				imageName: 'ubuntu:24.04',
				dockerArgs: 'sleep infinity',
				containerDiskInGb: 30,
				env: [{ key: 'A', value: '1' }],
				ports: [{ port: 22, protocol: 'tcp' }],
			}),
	],
	['pods.restart', (api) => api.pods.restart('pod1')],
	['pods.logs', (api) => api.pods.logs('pod1', { limit: 50, source: 'container' })],
	['templates.list', (api) => api.templates.list()],
	['templates.get', (api) => api.templates.get('tpl1')],
	['templates.create', (api) => api.templates.create(fullTemplate)],
	[
		'templates.update (every field)',
		(api) => api.templates.update('tpl1', { ...fullTemplate, readme: undefined }),
	],
	[
		'templates.update (size only: reads the mount path)',
		(api) => api.templates.update('tpl1', { volumeInGb: 40 }),
	],
	['templates.remove', (api) => api.templates.remove('tpl1')],
	[
		'templates.create (with a readme, left out)',
		(api) => api.templates.create({ ...fullTemplate, readme: '# Hello' }),
	],
	['templates.listPublic', (api) => api.templates.listPublic('verified')],
	['networkVolumes.list', (api) => api.networkVolumes.list()],
	['networkVolumes.get', (api) => api.networkVolumes.get('vol1')],
	[
		'networkVolumes.create',
		(api) => api.networkVolumes.create({ name: 'v', size: 50, dataCenterId: 'EU-RO-1' }),
	],
	[
		'networkVolumes.update',
		(api) => api.networkVolumes.update({ id: 'vol1', name: 'w', size: 60 }),
	],
	['networkVolumes.remove', (api) => api.networkVolumes.remove('vol1')],
	['gpuTypes.listSummaries', (api) => api.gpuTypes.listSummaries()],
	[
		'gpuTypes.unknownAmong',
		async (api) => {
			expect(
				await api.gpuTypes.unknownAmong(['NVIDIA GeForce RTX 4090', 'NVIDIA Made Up 1000']),
			).toEqual(['NVIDIA Made Up 1000']);
		},
	],
	[
		'gpuTypes.listPrices',
		(api) =>
			api.gpuTypes.listPrices(
				2,
				{},
				{ dataCenterId: 'EU-RO-1', allowedCudaVersions: ['12.4', '12.8'] },
			),
	],
	['gpuTypes.getPrices', (api) => api.gpuTypes.getPrices('NVIDIA GeForce RTX 4090', 4)],
	['dataCenters.list', (api) => api.dataCenters.list()],
	['cpuTypes.list', (api) => api.cpuTypes.list({ vcpuCount: 8 })],
	['cpuTypes.get', (api) => api.cpuTypes.get('cpu3c', {})],
	['dataCenters.listWithAvailability', (api) => api.dataCenters.listWithAvailability()],
	['dataCenters.get', (api) => api.dataCenters.get('EU-RO-1')],
	['account.get', (api) => api.account.get()],
	['account.getSpend', (api) => api.account.getSpend()],
	['endpoints.list', (api) => api.endpoints.list()],
	['endpoints.get', (api) => api.endpoints.get('ep/../1')],
	['endpoints.create (from an image)', (api) => api.endpoints.create(endpointInput)],
	[
		'endpoints.create (from a template, request count)',
		(api) =>
			api.endpoints.create({
				...endpointInput,
				image: undefined,
				templateId: 'tpl1',
				scalerType: 'REQUEST_COUNT',
			}),
	],
	['endpoints.update', (api) => api.endpoints.update('ep1', endpointInput)],
	['endpoints.remove', (api) => api.endpoints.remove('ep1')],
	['account.getSshKeys', (api) => api.account.getSshKeys()],
	[
		'account.addSshKey',
		(api) => api.account.addSshKey('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== laptop'),
	],
	['containerRegistryAuths.list', (api) => api.containerRegistryAuths.list()],
	['containerRegistryAuths.get', (api) => api.containerRegistryAuths.get('reg/../1')],
	[
		'containerRegistryAuths.create',
		(api) =>
			api.containerRegistryAuths.create({ name: 'r', username: 'me', password: 'p "quoted"' }),
	],
	['containerRegistryAuths.remove', (api) => api.containerRegistryAuths.remove('reg1')],
	[
		'containerRegistryAuths.listEcrDelegations',
		(api) => api.containerRegistryAuths.listEcrDelegations(),
	],
	[
		'containerRegistryAuths.createEcrDelegation',
		(api) =>
			api.containerRegistryAuths.createEcrDelegation({
				resourceArn: 'arn:aws:ecr:us-east-2:418399314813:repository/runpod/deployment',
				name: 'deploy',
			}),
	],
	[
		'containerRegistryAuths.revokeEcrDelegation',
		(api) => api.containerRegistryAuths.revokeEcrDelegation('deleg1'),
	],
	...(
		['account', 'pods', 'serverless', 'endpoints', 'networkVolumes', 'clusters'] as const
	).flatMap((scope): Array<[string, (api: RunPodApi) => Promise<unknown>]> => [
		[
			`billing.list (${scope}, last buckets, one resource)`,
			(api) => api.billing.list(scope, { bucketSize: 'week', lastN: 4, resourceId: 'x1' }),
		],
		[
			`billing.list (${scope}, between dates)`,
			(api) =>
				api.billing.list(scope, {
					bucketSize: 'hour',
					startTime: '2026-12-01T00:00:00Z',
					endTime: '2026-12-02T00:00:00Z',
				}),
		],
	]),
	[
		'clusters.create (every field, a pod volume)',
		(api) =>
			api.clusters.create(
				{
					name: 'c',
					type: 'SLURM',
					gpuTypeId: 'NVIDIA H100 80GB HBM3',
					gpuCountPerPod: 8,
					podCount: 4,
					imageName: 'runpod/pytorch:2.4.0',
					dockerArgs: 'sleep infinity',
					containerDiskInGb: 50,
					env: [{ key: 'MODE', value: 'ddp' }],
					ports: [
						{ port: 22, protocol: 'tcp' },
						{ port: 8888, protocol: 'http' },
					],
					dataCenterIds: ['US-TX-3'],
					volumeInGb: 20,
					volumeMountPath: '/data',
					startSsh: true,
					startJupyter: false,
				},
				{ marker: 'marker' },
			),
	],
	[
		'clusters.create (a network volume)',
		(api) =>
			api.clusters.create({
				name: 'c',
				type: 'TRAINING',
				gpuTypeId: 'NVIDIA A40',
				gpuCountPerPod: 1,
				podCount: 2,
				imageName: 'ubuntu:22.04',
				networkVolumeId: 'vol1',
			}),
	],
	['clusters.findByCreateMarker', (api) => api.clusters.findByCreateMarker('marker')],
	['clusters.get', (api) => api.clusters.get('cluster/../1')],
	['clusters.list', (api) => api.clusters.list()],
	['clusters.rename', (api) => api.clusters.rename('cluster_1', 'd')],
	['clusters.remove', (api) => api.clusters.remove('cluster_1')],
	['clusters.listPods', (api) => api.clusters.listPods('cluster_1')],
	['endpoints.listWorkers', (api) => api.endpoints.listWorkers('ep1')],
	['endpoints.getWorkerLogs', (api) => api.endpoints.getWorkerLogs('ep1', 'worker/1', 50)],
	['endpoints.listReleases', (api) => api.endpoints.listReleases('ep1')],
];

describe('every REST v2 request the api layer builds is valid against sandbox/openapi.json', () => {
	test.each(calls)('%s', async (_name, call) => {
		const { api, sent } = recordingApi();
		await call(await api);
		expect(sent.length).toBeGreaterThan(0);
		for (const request of sent)
			expect({
				request: `${request.method} ${request.path}`,
				errors: contractErrors(request),
			}).toEqual({
				request: `${request.method} ${request.path}`,
				errors: [],
			});
	});

	test('the calls above cover every operation of every interface', async () => {
		const { api } = recordingApi();
		const resolved = await api;
		const all = Object.entries(resolved)
			.filter(([, value]) => value && typeof value === 'object')
			.flatMap(([resource, ops]) => Object.keys(ops as object).map((op) => `${resource}.${op}`));
		const covered = new Set(calls.map(([name]) => name.split(' ')[0]));
		// Spot pods and the balance do not exist on REST v2: they fail before sending anything (tested below).
		expect(all.filter((op) => !covered.has(op)).sort()).toEqual([
			'account.getBalance',
			'pods.createSpot',
			'pods.requireSpot',
			'pods.resumeSpot',
		]);
	});

	test('the check really rejects what RunPod rejects', () => {
		expect(
			contractErrors({
				method: 'POST',
				path: '/v2/pods',
				qs: {},
				body: { name: 'x', image: 'i', gpu: { id: 'g', count: 1 }, gpuTypeId: 'g' },
			}),
		).toEqual(["$: additional properties 'gpuTypeId' not allowed"]);
		expect(
			contractErrors({
				method: 'GET',
				path: '/v2/pods',
				qs: { desiredStatus: 'RUNNING' },
				body: undefined,
			}),
		).toEqual(["query parameter 'desiredStatus' is not declared by listPods"]);
		expect(
			contractErrors({
				method: 'POST',
				path: '/v2/network-volumes',
				qs: {},
				body: { name: 'v', size: 5, dataCenter: 'X' },
			}),
		).not.toEqual([]);
		expect(contractErrors({ method: 'PUT', path: '/v2/pods/p1', qs: {}, body: {} })).toEqual([
			'PUT /v2/pods/p1 is not an operation of openapi.json',
		]);
	});
});

describe('what REST v2 does not offer fails before anything is sent, naming the alternative', () => {
	test.each([
		[
			'Create Spot',
			(api: RunPodApi) => api.pods.createSpot({ ...fullPod, bidPerGpu: 0.2 }),
			/Spot.*not offered.*REST API v2/,
			/Pod → Create/,
		],
		[
			'Create Spot, checked before pricing',
			async (api: RunPodApi) => api.pods.requireSpot(),
			/Spot.*not offered.*REST API v2/,
			/Pod → Create/,
		],
		[
			'spot resume',
			async (api: RunPodApi) => api.pods.resumeSpot({ id: 'pod1' } as never, 0.2),
			/spot pod.*not offered/i,
			/Bid Per GPU to 0/,
		],
		[
			'minimum vCPUs',
			(api: RunPodApi) => api.pods.create({ ...fullPod, minVcpuCount: 8 }),
			/Minimum vCPUs/,
			/GraphQL/,
		],
		[
			'minimum memory (in pricing too)',
			(api: RunPodApi) => api.gpuTypes.listPrices(1, {}, { minMemoryInGb: 64 }),
			/memory/,
			/GraphQL/,
		],
		[
			'the account balance',
			(api: RunPodApi) => api.account.getBalance(),
			/balance.*not offered.*REST API v2/,
			/Spend Rate Above/,
		],
		[
			'a volume under 10 GB',
			(api: RunPodApi) =>
				api.networkVolumes.create({ name: 'v', size: 5, dataCenterId: 'EU-RO-1' }),
			/under 10 GB/,
			/10 or more/,
		],
	])('%s', async (_name, call, message, alternative) => {
		const { api, sent } = recordingApi();
		const error = await call(await api).then(
			() => undefined,
			(e: Error & { description?: string }) => e,
		);
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(alternative);
		expect(sent).toEqual([]);
	});
});

describe("every operation of RunPod's REST v2 spec is reachable from the node", () => {
	const nodeSource = ['actions', 'trigger', 'methods']
		.flatMap((folder) =>
			fs
				.readdirSync(path.join(NODE_DIR, folder), { recursive: true, encoding: 'utf8' })
				.filter((file) => file.endsWith('.ts'))
				.map((file) => fs.readFileSync(path.join(NODE_DIR, folder, file), 'utf8')),
		)
		.join('\n')
		// A call may be wrapped over lines: `api.clusters\n\t.create(`.
		.replace(/\s+/g, '');

	test('the api layer sends each operation of sandbox/openapi.json (through the calls above)', async () => {
		const used = new Set<string>();
		for (const [, call] of calls) {
			const { api, sent } = recordingApi();
			await call(await api);
			for (const request of sent) {
				const found = operationOf(request);
				if (found) used.add(found.info.operationId);
			}
		}
		expect([...operations().keys()].filter((id) => !used.has(id)).sort()).toEqual([]);
	});

	test('each method of the contract is called by an operation, the trigger or a list search', async () => {
		const { api } = recordingApi();
		const all = Object.entries(await api)
			.filter(([, value]) => value && typeof value === 'object')
			.flatMap(([resource, ops]) => Object.keys(ops as object).map((op) => `${resource}.${op}`));
		expect(all.filter((method) => !nodeSource.includes(`.${method}(`)).sort()).toEqual([]);
	});
});
