'use strict';
// A running n8n (`n8n start`) with the package installed: the credential test n8n runs from
// the credential dialog, and a published webhook workflow that rents a pod.
const { createN8nInstance } = require('./helpers/instance');
const { n8nRestClient } = require('./helpers/rest');
const { startSandbox } = require('../../sandbox');
const { example } = require('./helpers/workflows');
const { launchChromium, screenshot } = require('./helpers/browser');

const WRONG_KEY_CREDENTIAL = { id: 'RunPodWrongKey01', name: 'RunPod wrong key' };
const REST_CREDENTIAL = { id: 'RunPodRestV2Key01', name: 'RunPod REST v2' };
const REST_WRONG_KEY_CREDENTIAL = { id: 'RunPodRestWrong01', name: 'RunPod REST v2 wrong key' };

let n8n;
let sandbox;
let server;
let rest;
let browser;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 1 });
	n8n = await createN8nInstance();
	await n8n.importCredential({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	await n8n.importCredential({
		...WRONG_KEY_CREDENTIAL,
		apiKey: 'rpa_not_a_real_key',
		baseUrl: sandbox.url,
	});
	await n8n.importCredential({
		...REST_CREDENTIAL,
		apiKey: sandbox.apiKey,
		baseUrl: sandbox.url,
		api: 'restV2',
	});
	await n8n.importCredential({
		...REST_WRONG_KEY_CREDENTIAL,
		apiKey: 'rpa_not_a_real_key',
		baseUrl: sandbox.url,
		api: 'restV2',
	});
	await n8n.importWorkflows([example('02-'), example('04-')]);
	server = await n8n.startServer();
	rest = n8nRestClient(server.url);
	await rest.login(n8n.owner);
});

beforeEach(() => sandbox.reset());

afterAll(async () => {
	await browser?.close();
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
	const tested = await rest.request('POST', '/rest/credentials/test', {
		credentials: { id, name, type, data },
	});
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
	expect(sandbox.requests).toContainEqual(
		expect.objectContaining({ fields: ['myself'], status: 200 }),
	);
});

test('credential test: a wrong API key fails with a message, not the key', async () => {
	const result = await testSavedCredential(WRONG_KEY_CREDENTIAL.id);

	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/RunPod rejected the API key \(HTTP 401\)/);
	expect(result.message).not.toContain('rpa_not_a_real_key');
});

test('credential test on REST v2: the right key passes with one network volume read; a wrong key says 401', async () => {
	const passed = await testSavedCredential(REST_CREDENTIAL.id);
	expect(passed).toEqual(expect.objectContaining({ status: 'OK' }));
	expect(sandbox.requests).toContainEqual(
		expect.objectContaining({ api: 'rest', operationName: 'listNetworkVolumes', status: 200 }),
	);

	const failed = await testSavedCredential(REST_WRONG_KEY_CREDENTIAL.id);
	expect(failed.status).toBe('Error');
	expect(failed.message).toMatch(/RunPod rejected the API key \(HTTP 401\)/);
	expect(failed.message).not.toContain('rpa_not_a_real_key');
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
	expect(pod).toMatchObject({
		name: 'from-webhook',
		gpuTypeId: 'NVIDIA RTX A5000',
		desiredStatus: 'RUNNING',
	});
});

test("pod on demand: when RunPod cannot rent the pod, the webhook answers 502 with the reason, not n8n's bare 500", async () => {
	await waitUntilWebhookIsLive('runpod/pod-on-demand', 'POST'); // published by the test above
	sandbox.setStock('NVIDIA RTX A5000', { secure: 0, community: 0 });

	const response = await fetch(`${server.url}/webhook/runpod/pod-on-demand`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'no-stock', gpuTypeId: 'NVIDIA RTX A5000' }),
	});

	expect(response.status).toBe(502);
	const reply = await response.json();
	// RunPod's capacity message, passed on by the node (wording may vary: match its meaning).
	expect(reply.error).toMatch(/instances available|capacity|in stock/i);
	expect(reply).toHaveProperty('description');
	expect(JSON.stringify(reply)).not.toContain(sandbox.apiKey);
	expect(sandbox.state.pods.filter((pod) => pod.name === 'no-stock')).toEqual([]);
});

test('in the browser: log in, open Pod → Create, see its fields and GPU types loaded from RunPod', async () => {
	// A price only this run's sandbox has, to tell its answer from anything cached or built in.
	sandbox.setPrice('NVIDIA RTX A5000', { securePrice: 0.12 });
	browser = await launchChromium();
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	try {
		await page.goto(`${server.url}/signin`);
		await page.fill('#emailOrLdapLoginId', n8n.owner.email);
		await page.fill('#password', n8n.owner.password);
		await page.click('[data-test-id="form-submit-button"]');
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

		await page.goto(`${server.url}/workflow/RunPodExample002`);
		const createNode = page.locator('[data-test-id="canvas-node"][data-node-name="Create Pod"]');
		await expect(createNode.getAttribute('data-node-type')).resolves.toBe(
			'n8n-nodes-runpod-cloud.runPod',
		);
		sandbox.requests.length = 0;
		await createNode.dblclick();

		const operation = page.locator('[data-test-id="parameter-input-operation"] input');
		await operation.waitFor();
		expect(await operation.inputValue()).toBe('Create');
		for (const field of ['imageName', 'gpuCount', 'cloudType', 'containerDiskInGb', 'volumeInGb']) {
			await page.locator(`[data-test-id="parameter-input-${field}"]`).waitFor({ state: 'visible' });
		}
		// GPU Type is a resource locator (From List / By ID): its value survives a list that fails to load.
		const gpuType = page.locator('[data-test-id="resource-locator-gpuTypeId"]');
		await gpuType.waitFor({ state: 'visible' });
		await screenshot(page, 'e2e-pod-create-fields');

		await gpuType.locator('[data-test-id="rlc-input"]').click();
		// The list loads from RunPod after the dropdown opens.
		await page.waitForFunction(
			() => document.querySelectorAll('[data-test-id="rlc-item"]').length > 5,
		);
		await page
			.locator('input[data-test-id="rlc-search"], [data-test-id="rlc-search"] input')
			.first()
			.fill('A5000');
		const a5000 = page.locator('[data-test-id="rlc-item"]', { hasText: 'RTX A5000' });
		await a5000.waitFor({ state: 'visible' });
		expect(await a5000.innerText()).toMatch(/RTX A5000[\s\S]*0\.12/);
		await screenshot(page, 'e2e-gpu-type-dropdown');
		expect(sandbox.requests.some((request) => request.fields.includes('gpuTypes'))).toBe(true);
	} catch (error) {
		await screenshot(page, 'e2e-browser-failure').catch(() => undefined);
		throw error;
	}
});
