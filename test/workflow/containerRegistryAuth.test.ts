/**
 * The Container Registry Auth resource through n8n's executor: REST v2 only (GraphQL refuses
 * before any request), and the password never appears in an output or an error.
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';

import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEFAULT_RETRY_POLICY } from '../../nodes/RunPod/transport/retry';
import { byId, graphqlOnly, json, restOnly, runRunPodNode, speakTestApi } from './harness';

DEFAULT_RETRY_POLICY.baseDelayMs = 5;
DEFAULT_RETRY_POLICY.maxDelayMs = 40;

const SECRET = 'hunter2-Very-Secret-Token';
const ARN = 'arn:aws:ecr:us-east-2:418399314813:repository/runpod/deployment';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 21 });
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
	options: { continueOnFail?: boolean; baseUrl?: string; retryOnFail?: { maxTries: number } } = {},
) {
	return await runRunPodNode({
		parameters: {
			resource: 'containerRegistryAuth',
			requestPolicy: { maxAttempts: 3, timeoutSeconds: 2 },
			...parameters,
		},
		credentials: { apiKey: sandbox.apiKey, baseUrl: options.baseUrl ?? sandbox.url },
		continueOnFail: options.continueOnFail,
		retryOnFail: options.retryOnFail,
	});
}

const createParameters = {
	operation: 'create',
	name: 'dockerhub-private',
	username: 'me',
	password: SECRET,
};

const sent = (operationId: string) =>
	sandbox.requests.filter((r) => r.fields.includes(operationId));

describe('Container Registry Auth on REST v2', () => {
	restOnly('Create stores the credentials and returns only the ID and the name', async () => {
		const result = await run(createParameters);
		expect(result.error).toBeUndefined();
		const [created] = json(result);
		expect(created).toEqual({ id: expect.any(String), name: 'dockerhub-private' });
		expect(sandbox.state.registries).toEqual([
			{ id: created.id, name: 'dockerhub-private', username: 'me', password: SECRET },
		]);
		expect(JSON.stringify(result.run.data.resultData.runData)).not.toContain(SECRET);
	});

	restOnly('Get, Get Many with a name filter, and Delete', async () => {
		const [a] = json(await run(createParameters));
		json(await run({ ...createParameters, name: 'ghcr' }));
		expect(
			json(await run({ operation: 'get', containerRegistryAuthId: byId(a.id as string) })),
		).toEqual([{ id: a.id, name: 'dockerhub-private' }]);
		const many = await run({
			operation: 'getAll',
			returnAll: true,
			filters: { nameContains: 'GHCR' },
		});
		expect(json(many).map((r) => r.name)).toEqual(['ghcr']);
		const deleted = await run({
			operation: 'delete',
			containerRegistryAuthId: byId(a.id as string),
		});
		expect(json(deleted)).toEqual([{ id: a.id, deleted: true }]);
		expect(sandbox.state.registries?.map((r) => r.name)).toEqual(['ghcr']);
		const missing = await run({ operation: 'get', containerRegistryAuthId: byId(a.id as string) });
		expect(missing.error?.message).toBe(`The container registry auth "${a.id}" was not found`);
	});

	restOnly(
		'Delete is refused while a pod pulls with the credentials, and says what to do',
		async () => {
			const [registry] = json(await run(createParameters));
			const pod = await fetch(`${sandbox.url}/v2/pods`, {
				method: 'POST',
				headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					name: 'p',
					image: 'me/private:1',
					gpu: { id: 'NVIDIA GeForce RTX 4090', count: 1 },
					registry: registry.id,
				}),
			});
			expect(pod.status).toBe(201);
			const result = await run({
				operation: 'delete',
				containerRegistryAuthId: byId(registry.id as string),
			});
			expect(result.error?.message).toBe(
				`The container registry auth "${registry.id}" is in use by a pod`,
			);
			expect(result.error?.description).toMatch(/Pod → Terminate/);
			expect(sandbox.state.registries).toHaveLength(1);
		},
	);

	restOnly(
		'a lost answer: the credentials the request made are found, marked recovered, not made twice',
		async () => {
			sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'createRegistry' });
			const result = await run(createParameters);
			expect(result.error).toBeUndefined();
			expect(json(result)).toEqual([
				{ id: sandbox.state.registries?.[0].id, name: 'dockerhub-private', recovered: true },
			]);
			expect(sent('createRegistry')).toHaveLength(1);
			expect(sandbox.state.registries).toHaveLength(1);
		},
	);

	restOnly(
		'a 503 on create: never resent, an older credential of the same name never adopted',
		async () => {
			sandbox.state.registries = [
				{ id: 'old00001', name: 'dockerhub-private', username: 'x', password: 'y' },
			];
			sandbox.faults.next(
				{ kind: 'http5xx', status: 503, body: 'html' },
				{ field: 'createRegistry' },
			);
			const result = await run(createParameters);
			expect(result.error?.message).toMatch(/^The request may still be carried out/);
			expect(sent('createRegistry')).toHaveLength(1);
			expect(`${result.error?.message} ${result.error?.description}`).not.toContain(SECRET);
		},
	);

	restOnly("RunPod's error quoting the password: the node's error and output do not", async () => {
		// A RunPod that echoes the request in its refusal (a proxy, a future validation message).
		const server = createServer((request, response) => {
			if (request.method === 'GET') {
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ registries: [] }));
				return;
			}
			let body = '';
			request.on('data', (chunk: Buffer) => (body += chunk.toString()));
			request.on('end', () => {
				const { password } = JSON.parse(body) as { password: string };
				response.writeHead(400, { 'content-type': 'application/problem+json' });
				response.end(
					JSON.stringify({
						title: 'Bad Request',
						status: 400,
						detail: `registry login failed for password "${password}"`,
					}),
				);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
			const stopped = await run(createParameters, { baseUrl });
			expect(stopped.error?.message).toBeDefined();
			expect(
				JSON.stringify({
					message: stopped.error?.message,
					description: stopped.error?.description,
					context: stopped.error?.context,
					stack: stopped.error?.stack,
				}),
			).not.toContain(SECRET);
			expect(`${stopped.error?.message} ${stopped.error?.description}`).toMatch(
				/registry login failed/,
			);
			const continued = await run(createParameters, { baseUrl, continueOnFail: true });
			expect(json(continued)).toEqual([
				expect.objectContaining({ error: expect.stringMatching(/registry login failed|400/) }),
			]);
			expect(JSON.stringify(continued.run.data.resultData.runData)).not.toContain(SECRET);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	restOnly('ECR delegations: create from an ARN, list, delete', async () => {
		const [created] = json(
			await run({ operation: 'createEcrDelegation', resourceArn: ARN, delegationName: 'deploy' }),
		);
		expect(created).toMatchObject({
			id: expect.any(String),
			name: 'deploy',
			repository: 'runpod/deployment',
			awsRegion: 'us-east-2',
		});
		expect(json(await run({ operation: 'getAllEcrDelegations', returnAll: true }))).toEqual([
			created,
		]);
		expect(
			json(
				await run({ operation: 'deleteEcrDelegation', delegationId: byId(created.id as string) }),
			),
		).toEqual([{ id: created.id, deleted: true }]);
		expect(sandbox.state.ecrDelegations).toEqual([]);
	});
});

describe('bad input is refused before any request', () => {
	test.each([
		[{ ...createParameters, password: '={{ "" }}' }, 'Password: is empty or not text'],
		[{ ...createParameters, password: '={{ { token: "x" } }}' }, 'Password: is empty or not text'],
		[{ ...createParameters, name: '={{ " " }}' }, 'Name: is empty'],
		[
			{ operation: 'createEcrDelegation', resourceArn: 'arn:aws:s3:::bucket' },
			'ECR Repository ARN: "arn:aws:s3:::bucket" is not the ARN of an ECR repository',
		],
	])('%j', async (parameters, message) => {
		const result = await run(parameters);
		expect(result.error?.message).toBe(message);
		expect(sandbox.requests).toEqual([]);
	});
});

describe('on GraphQL', () => {
	graphqlOnly.each([
		[createParameters],
		[{ operation: 'get', containerRegistryAuthId: byId('reg1') }],
		[{ operation: 'getAll', returnAll: true }],
		[{ operation: 'delete', containerRegistryAuthId: byId('reg1') }],
		[{ operation: 'createEcrDelegation', resourceArn: ARN }],
		[{ operation: 'getAllEcrDelegations', returnAll: true }],
		[{ operation: 'deleteEcrDelegation', delegationId: byId('deleg1') }],
	])('%j needs REST v2 and sends nothing', async (parameters) => {
		const result = await run(parameters);
		expect(result.error?.message).toBe("Container Registry Auth needs RunPod's REST API v2");
		expect(result.error?.description).toMatch(/set API to REST v2/);
		expect(sandbox.requests).toEqual([]);
	});
});

describe('pods and templates pull private images with stored credentials', () => {
	const podParameters = (registryId: string) => ({
		resource: 'pod',
		operation: 'create',
		name: 'private',
		imageName: 'me/private:1',
		gpuTypeId: 'NVIDIA GeForce RTX 4090',
		gpuCount: 1,
		cloudType: 'SECURE',
		additionalFields: { containerRegistryAuthId: byId(registryId) },
	});

	restOnly(
		'Pod → Create sends the chosen Container Registry Auth as the pod’s registry',
		async () => {
			const [registry] = json(await run(createParameters));
			const result = await run(podParameters(registry.id as string));
			expect(result.error).toBeUndefined();
			expect(sandbox.state.pods.map((p) => p.containerRegistryAuthId)).toEqual([registry.id]);
			expect(sent('createPod').at(-1)?.body).toMatchObject({ registry: registry.id });
		},
	);

	graphqlOnly('Pod → Create sends it as containerRegistryAuthId on GraphQL', async () => {
		const result = await run(podParameters('reg00001'));
		expect(result.error).toBeUndefined();
		expect(
			sandbox.requests.find((r) => r.fields.includes('podFindAndDeployOnDemand'))?.variables,
		).toMatchObject({ input: expect.objectContaining({ containerRegistryAuthId: 'reg00001' }) });
	});

	graphqlOnly(
		'Create Spot refuses it (RunPod’s spot create has no such field) and rents nothing',
		async () => {
			const result = await run({
				...podParameters('reg00001'),
				operation: 'createSpot',
				bidPerGpu: 0,
			});
			expect(result.error?.message).toBe('Container Registry Auth is not offered for spot pods');
			expect(result.error?.description).toMatch(/deploy from a template that names them/);
			expect(sandbox.requests.filter((r) => r.fields.includes('podRentInterruptable'))).toEqual([]);
			expect(sandbox.state.pods).toEqual([]);
		},
	);

	test('Template → Create saves the chosen Container Registry Auth', async () => {
		const result = await run({
			resource: 'template',
			operation: 'create',
			name: 'private-template',
			imageName: 'me/private:1',
			additionalFields: { containerRegistryAuthId: byId('reg00001') },
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.state.templates.map((t) => t.containerRegistryAuthId)).toEqual(['reg00001']);
	});
});
