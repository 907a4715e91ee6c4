/** The sandbox answers like RunPod at the HTTP level: auth, status codes, error bodies, request log. */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEPLOY, GPU, TERMINATE, ask, podInput } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

describe('auth', () => {
	const MYSELF = '{ myself { id email } }';

	test('the Bearer header and the legacy ?api_key= both identify the account', async () => {
		const viaHeader = await ask(sandbox, MYSELF);
		const viaQuery = await ask(sandbox, MYSELF, {}, { keyInQuery: true });
		expect(viaHeader.status).toBe(200);
		expect(viaHeader.body.data.myself.email).toBe('sandbox@example.com');
		expect(viaQuery.body).toEqual(viaHeader.body);
	});

	test('no key: 200 with myself null, while the catalog still answers', async () => {
		const answer = await ask(
			sandbox,
			`{ myself { id } gpuTypes(input: { id: "${GPU}" }) { id } dataCenters { id } cpuTypes { id } }`,
			{},
			{ key: null },
		);
		expect(answer.status).toBe(200);
		expect(answer.body.errors).toBeUndefined();
		expect(answer.body.data.myself).toBeNull();
		expect(answer.body.data.gpuTypes).toEqual([{ id: GPU }]);
		expect(answer.body.data.dataCenters.length).toBeGreaterThan(20);
		expect(answer.body.data.cpuTypes.length).toBeGreaterThan(0);
	});

	test('no key: a mutation is refused with "Unauthorized" and nothing is rented', async () => {
		const answer = await ask(sandbox, DEPLOY, { input: podInput() }, { key: null });
		expect(answer.status).toBe(200);
		expect(answer.body.errors[0].message).toBe('Unauthorized');
		expect(answer.body.data.podFindAndDeployOnDemand).toBeNull();
		expect(sandbox.state.pods).toHaveLength(0);
	});

	test('an unknown key is HTTP 401, in the header or the query', async () => {
		const header = await ask(sandbox, '{ myself { id } }', {}, { key: 'rpa_WRONG' });
		const query = await ask(
			sandbox,
			'{ gpuTypes { id } }',
			{},
			{ key: 'rpa_WRONG', keyInQuery: true },
		);
		expect(header.status).toBe(401);
		expect(query.status).toBe(401);
		expect(header.body).toEqual({ error: 'Unauthorized' });
	});

	test('a read-only key reads, but its mutations answer "Unauthorized"', async () => {
		const read = await ask(sandbox, '{ myself { id } }', {}, { key: sandbox.readOnlyApiKey });
		expect(read.body.data.myself.id).toEqual(expect.any(String));
		const write = await ask(
			sandbox,
			DEPLOY,
			{ input: podInput() },
			{ key: sandbox.readOnlyApiKey },
		);
		expect(write.status).toBe(200);
		expect(write.body.errors[0]).toMatchObject({
			message: 'Unauthorized',
			path: ['podFindAndDeployOnDemand'],
		});
		expect(sandbox.state.pods).toHaveLength(0);
	});
});

describe('documents RunPod rejects are rejected the same way', () => {
	test.each([
		[
			'podTerminate with a selection set',
			'mutation { podTerminate(input: { podId: "x" }) { id } }',
			/must not have a selection since type "Void" has no subfields/,
		],
		[
			'machine { gpuCount }',
			'{ pod(input: { podId: "x" }) { machine { gpuDisplayName gpuCount } } }',
			/Cannot query field "gpuCount" on type "PodMachineInfo"/,
		],
		[
			'runtime { gpuUtilPercent }',
			'{ pod(input: { podId: "x" }) { runtime { gpuUtilPercent } } }',
			/Cannot query field "gpuUtilPercent" on type "PodRuntime"/,
		],
		[
			'a CUDA field on podResume',
			'mutation { podResume(input: { podId: "x", allowedCudaVersions: ["12.4"] }) { id } }',
			/Field "allowedCudaVersions" is not defined by type "PodResumeInput"/,
		],
		['introspection', '{ __schema { queryType { name } } }', /introspection has been disabled/],
	])('%s: HTTP 400 with the graphql-js message', async (_name, query, message) => {
		const answer = await ask(sandbox, query);
		expect(answer.status).toBe(400);
		expect(answer.body.data).toBeUndefined();
		expect(answer.body.errors[0].message).toMatch(message);
		expect(answer.body.errors[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
	});

	test('a variable that does not coerce (podBidResume without gpuCount) is a 400 too', async () => {
		const answer = await ask(
			sandbox,
			'mutation ($input: PodBidResumeInput) { podBidResume(input: $input) { id } }',
			{
				input: { podId: 'x', bidPerGpu: 0.2 },
			},
		);
		expect(answer.status).toBe(400);
		expect(answer.body.errors[0].message).toMatch(
			/Field "gpuCount" of required type "Int!" was not provided/,
		);
		expect(answer.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
	});

	test('a syntax error is a 400', async () => {
		const answer = await ask(sandbox, '{ myself { id ');
		expect(answer.status).toBe(400);
		expect(answer.body.errors[0].message).toMatch(/^Syntax Error/);
	});
});

test('a resolver error is HTTP 200 with data.<field> null and errors[] carrying path and INTERNAL_SERVER_ERROR', async () => {
	const answer = await ask(sandbox, TERMINATE, { input: { podId: 'nosuchpod00000' } });
	expect(answer.status).toBe(200);
	expect(answer.body).toEqual({
		errors: [
			{
				message: 'Pod not found',
				locations: [{ line: 1, column: 50 }],
				path: ['podTerminate'],
				extensions: { code: 'INTERNAL_SERVER_ERROR' },
			},
		],
		data: { podTerminate: null },
	});
});

test('/health answers 200 and other paths 404', async () => {
	expect((await fetch(`${sandbox.url}/health`)).status).toBe(200);
	expect((await fetch(`${sandbox.url}/v1/pods`)).status).toBe(404);
});

test('the request log has fields, variables and status, and never the key', async () => {
	await ask(sandbox, DEPLOY, { input: podInput() }, { operationName: 'Deploy' });
	await ask(sandbox, '{ myself { id } }', {}, { keyInQuery: true });
	await ask(sandbox, '{ myself { id } }', {}, { key: 'rpa_unknown_SECRET' });
	expect(sandbox.requests).toHaveLength(3);
	const [deploy, viaQuery, unknown] = sandbox.requests;
	expect(deploy).toMatchObject({
		operationName: 'Deploy',
		fields: ['podFindAndDeployOnDemand'],
		status: 200,
		variables: { input: podInput() },
	});
	expect(deploy.headers.authorization).toBe('Bearer ***');
	expect(new Date(deploy.time).getTime()).not.toBeNaN();
	expect(viaQuery.fields).toEqual(['myself']);
	expect(unknown.status).toBe(401);
	const log = JSON.stringify(sandbox.requests);
	expect(log).not.toContain(sandbox.apiKey);
	expect(log).not.toContain('rpa_unknown_SECRET');
});
