'use strict';
// A running n8n (`n8n start`) with the package installed: the credential test n8n runs from
// the credential dialog, and a published webhook workflow that rents a pod.
const { createN8nInstance } = require('./helpers/instance');
const { n8nRestClient } = require('./helpers/rest');
const { startSandbox } = require('../../sandbox');
const { example } = require('./helpers/workflows');

const WRONG_KEY_CREDENTIAL = { id: 'RunPodWrongKey01', name: 'RunPod wrong key' };

let n8n;
let sandbox;
let server;
let rest;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 1 });
	n8n = await createN8nInstance();
	await n8n.importCredential({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	await n8n.importCredential({ ...WRONG_KEY_CREDENTIAL, apiKey: 'rpa_not_a_real_key', baseUrl: sandbox.url });
	await n8n.importWorkflows([example('02-'), example('04-')]);
	server = await n8n.startServer();
	rest = n8nRestClient(server.url);
	await rest.login(n8n.owner);
});

beforeEach(() => sandbox.reset());

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

/**
 * Publishing registers the webhook asynchronously. Asking with GET does not run the workflow:
 * n8n answers that the path exists for another method once it is registered.
 */
async function waitUntilWebhookIsLive(path, method, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const probe = await fetch(`${server.url}/webhook/${path}`);
		if (new RegExp(`make a ${method} request`).test(await probe.text())) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`webhook ${method} /webhook/${path} was not registered within ${timeoutMs} ms`);
}

/** Tests a saved credential the way the editor's credential dialog does. */
async function testSavedCredential(id) {
	const saved = await rest.request('GET', `/rest/credentials/${id}?includeData=true`);
	expect(saved.status).toBe(200);
	const { name, type, data } = saved.body.data;
	const tested = await rest.request('POST', '/rest/credentials/test', { credentials: { id, name, type, data } });
	expect(tested.status).toBe(200);
	return tested.body.data;
}

test('the package is loaded as a community package: RunPod node and credential types', async () => {
	const nodeTypes = await rest.request('GET', '/types/nodes.json');
	expect(nodeTypes.body.map((type) => type.name)).toContain('n8n-nodes-runpod-cloud.runPod');
	const credentialTypes = await rest.request('GET', '/types/credentials.json');
	expect(credentialTypes.body.map((type) => type.name)).toContain('runPodApi');
});

test('credential test: the right API key passes', async () => {
	const result = await testSavedCredential('RunPodCredential');

	expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
	// n8n really asked the sandbox, with the key from the stored (encrypted) credential.
	expect(sandbox.requests).toContainEqual(expect.objectContaining({ fields: ['myself'], status: 200 }));
});

test('credential test: a wrong API key fails with a message, not the key', async () => {
	const result = await testSavedCredential(WRONG_KEY_CREDENTIAL.id);

	expect(result.status).toBe('Error');
	expect(result.message).toEqual(expect.any(String));
	expect(result.message).not.toContain('rpa_not_a_real_key');
});

test('pod on demand: the published webhook rents a pod and replies with its ID and proxy URL', async () => {
	const workflow = await rest.request('GET', '/rest/workflows/RunPodExample004');
	const published = await rest.request('POST', '/rest/workflows/RunPodExample004/activate', {
		versionId: workflow.body.data.versionId,
	});
	expect(published.status).toBe(200);
	await waitUntilWebhookIsLive('runpod/pod-on-demand', 'POST');

	const response = await fetch(`${server.url}/webhook/runpod/pod-on-demand`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'from-webhook', gpuTypeId: 'NVIDIA RTX A5000' }),
	});

	expect(response.status).toBe(201);
	const reply = await response.json();
	expect(reply).toEqual({
		podId: expect.stringMatching(/^[a-z0-9]+$/),
		status: 'RUNNING',
		proxyUrl: `https://${reply.podId}-8888.proxy.runpod.net`,
	});
	const pod = sandbox.state.pods.find((candidate) => candidate.id === reply.podId);
	expect(pod).toMatchObject({ name: 'from-webhook', gpuTypeId: 'NVIDIA RTX A5000', desiredStatus: 'RUNNING' });
});
