'use strict';
// The triggers in a running n8n (`n8n start`): a published workflow with the RunPod Trigger
// (polling every minute, n8n's shortest interval) fires when a pod is stopped in the sandbox, and the RunPod Job Trigger receives the sandbox's
// job webhook, refusing calls without its token. Each workflow hands its items to a small
// collector on 127.0.0.1 (an HTTP Request node), so the test sees exactly what n8n delivered.
const http = require('http');

const { createN8nInstance } = require('./helpers/instance');
const { n8nRestClient } = require('./helpers/rest');
const { createPod, sandboxGraphql } = require('./helpers/sandbox');
const { launchChromium, screenshot } = require('./helpers/browser');
const { example } = require('./helpers/workflows');
const { startSandbox } = require('../../sandbox');
const { DEMO_ENDPOINT_ID } = require('../../sandbox/serverless/endpoints');

const TOKEN = 'e2e-Token_5f8a2c9d1b7e4a60';
const JOB_WEBHOOK_ID = '4c0f9a3e-7d21-4b6a-9e55-2a8c1e0d7f13';
const CREDENTIALS = { runPodApi: { id: 'RunPodCredential', name: 'RunPod account' } };

let n8n;
let sandbox;
// The switching trigger's own RunPod: every pod list it receives comes from that trigger.
let switchSandbox;
const SWITCH_CREDENTIAL = { id: 'RunPodSwitchCred', name: 'RunPod switching' };
let server;
let rest;
let collector;
let browser;

/** Receives what the workflows post; `received` keeps every body, oldest first. */
async function startCollector() {
	const received = [];
	const listener = http.createServer((request, response) => {
		let text = '';
		request.on('data', (chunk) => (text += chunk));
		request.on('end', () => {
			received.push({ path: request.url, body: JSON.parse(text || '{}') });
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{}');
		});
	});
	await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${listener.address().port}`,
		received,
		close: () => new Promise((resolve) => listener.close(resolve)),
	};
}

function deliverTo(name, path, position) {
	return {
		id: `deliver-${path}`,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		parameters: {
			method: 'POST',
			url: `${collector.url}/${path}`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		},
	};
}

function podTriggerWorkflow() {
	return {
		id: 'RunPodTriggerE2E01',
		name: 'e2e: pod status changed',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'pod-trigger',
				name: 'RunPod Trigger',
				type: 'n8n-nodes-runpod-cloud.runPodEventTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					// n8n 2.41 refuses poll intervals under a minute ("The polling interval is too short").
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					event: 'podStatusChanged',
					podFilters: { statuses: ['EXITED'] },
				},
				credentials: CREDENTIALS,
			},
			deliverTo('Deliver', 'pod-events', [240, 0]),
		],
		connections: { 'RunPod Trigger': { main: [[{ node: 'Deliver', type: 'main', index: 0 }]] } },
	};
}

function jobTriggerWorkflow() {
	return {
		id: 'RunPodTriggerE2E02',
		name: 'e2e: job finished',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'job-trigger',
				name: 'RunPod Job Trigger',
				type: 'n8n-nodes-runpod-cloud.runPodJobTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: JOB_WEBHOOK_ID,
				parameters: { secretToken: TOKEN, statuses: ['COMPLETED', 'FAILED'] },
			},
			deliverTo('Deliver', 'job-events', [240, 0]),
		],
		connections: {
			'RunPod Job Trigger': { main: [[{ node: 'Deliver', type: 'main', index: 0 }]] },
		},
	};
}

function switchingTriggerWorkflow() {
	return {
		...podTriggerWorkflow(),
		id: 'RunPodTriggerE2E03',
		name: 'e2e: pod status changed, credential switched while published',
		nodes: [
			{
				...podTriggerWorkflow().nodes[0],
				id: 'switch-trigger',
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					event: 'podStatusChanged',
				},
				credentials: { runPodApi: SWITCH_CREDENTIAL },
			},
			{ ...deliverTo('Deliver', 'switch-events', [240, 0]), id: 'deliver-switch' },
		],
	};
}

async function publish(workflowId) {
	const workflow = await rest.request('GET', `/rest/workflows/${workflowId}`);
	const published = await rest.request('POST', `/rest/workflows/${workflowId}/activate`, {
		versionId: workflow.body.data.versionId,
	});
	expect(published.status).toBe(200);
}

async function waitFor(what, check, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await check();
		if (value) return value;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`timed out waiting for ${what}`);
}

async function stopPod(podId) {
	await sandboxGraphql(
		sandbox,
		'mutation Stop($input: PodStopInput) { podStop(input: $input) { id desiredStatus } }',
		{ input: { podId } },
	);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const delivered = (path) =>
	collector.received.filter((entry) => entry.path === `/${path}`).map((entry) => entry.body);
const listPodsRequests = () =>
	sandbox.requests.filter((request) => /query ListPods/.test(request.query)).length;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 5, serverless: { webhookRetryDelayMs: 200 } });
	switchSandbox = await startSandbox({ port: 0, seed: 6 });
	collector = await startCollector();
	n8n = await createN8nInstance();
	await n8n.importCredential({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	await n8n.importCredential({
		...SWITCH_CREDENTIAL,
		apiKey: switchSandbox.apiKey,
		baseUrl: switchSandbox.url,
		api: 'graphql',
	});
	await n8n.importWorkflows([
		podTriggerWorkflow(),
		jobTriggerWorkflow(),
		switchingTriggerWorkflow(),
		example('21-'),
	]);
	server = await n8n.startServer();
	rest = n8nRestClient(server.url);
	await rest.login(n8n.owner);
});

afterAll(async () => {
	await browser?.close();
	await n8n?.dispose();
	await collector?.close();
	await sandbox?.close();
	await switchSandbox?.close();
});

test('the trigger node types are loaded with the package', async () => {
	const nodeTypes = (await rest.request('GET', '/types/nodes.json')).body.map((type) => type.name);
	expect(nodeTypes).toEqual(
		expect.arrayContaining([
			'n8n-nodes-runpod-cloud.runPodEventTrigger',
			'n8n-nodes-runpod-cloud.runPodJobTrigger',
		]),
	);
});

test('published RunPod Trigger (Pod Status Changed) fires once when a pod is stopped, and not for what was there before', async () => {
	const alreadyStopped = await createPod(sandbox, { name: 'e2e-stopped-before' });
	await stopPod(alreadyStopped.id);
	const pod = await createPod(sandbox, { name: 'e2e-watched' });
	await publish('RunPodTriggerE2E01');

	// Publishing runs the first poll at once: it records the pods and starts nothing.
	await waitFor('the first poll', () => listPodsRequests() >= 1, 30000);
	await stopPod(pod.id);

	// n8n polls at most once a minute: the next scheduled poll reports the stop.
	const [event] = await waitFor(
		'the pod event',
		() => delivered('pod-events').length > 0 && delivered('pod-events'),
		150000,
	);
	expect(event).toMatchObject({
		event: 'podStatusChanged',
		id: pod.id,
		name: 'e2e-watched',
		previousStatus: 'RUNNING',
		status: 'EXITED',
		gpuType: 'NVIDIA GeForce RTX 4090',
	});
	expect(event.costPerHr).toBeGreaterThan(0);

	// The next poll sees nothing new: still one delivery, and never one for the pod stopped before.
	const pollsSoFar = listPodsRequests();
	await waitFor('one more poll', () => listPodsRequests() > pollsSoFar, 90000);
	await sleep(2000);
	expect(delivered('pod-events')).toHaveLength(1);
}, 300000);

test("RunPod Job Trigger: the sandbox's job webhook starts the workflow; calls without the token are refused", async () => {
	await publish('RunPodTriggerE2E02');
	const jobUrl = `${server.url}/webhook/${JOB_WEBHOOK_ID}/job/${TOKEN}`;
	// Publishing registers the webhook asynchronously; a GET tells when it is there without running anything.
	await waitFor(
		'the webhook',
		async () => /make a POST request/.test(await (await fetch(jobUrl)).text()),
		30000,
	);

	// Without the token, or with a wrong one: refused, nothing runs.
	for (const url of [
		`${server.url}/webhook/${JOB_WEBHOOK_ID}/job`,
		`${server.url}/webhook/${JOB_WEBHOOK_ID}/job/wrong-token-0000000000`,
	]) {
		const refused = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ id: 'forged-job', status: 'COMPLETED', output: { forged: true } }),
		});
		expect(refused.status).toBe(404);
	}

	// A real job on the sandbox's demo endpoint, with the trigger's URL as its webhook.
	const run = await fetch(`${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/run`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ input: { prompt: 'e2e' }, webhook: jobUrl }),
	});
	const job = await run.json();
	const [event] = await waitFor(
		'the job event',
		() => delivered('job-events').length > 0 && delivered('job-events'),
		30000,
	);
	expect(event).toMatchObject({
		id: job.id,
		status: 'COMPLETED',
		input: { prompt: 'e2e' },
		verified: false,
	});
	expect(
		sandbox.jobs.webhookDeliveries.filter((d) => d.jobId === job.id).map((d) => d.status),
	).toEqual([200]);

	// RunPod retrying the same job: answered 200, nothing runs again.
	const retry = await fetch(jobUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ id: job.id, status: 'COMPLETED', output: event.output }),
	});
	expect(retry.status).toBe(200);
	expect(await retry.json()).toMatchObject({ duplicate: true, jobId: job.id });
	await sleep(2000);
	expect(delivered('job-events')).toHaveLength(1);
	expect(delivered('job-events').some((body) => body.id === 'forged-job')).toBe(false);
});

test('RunPod Job Trigger in real n8n remembers every job, not only the first: resends start nothing, a retried job counts again', async () => {
	// Published by the test above.
	const jobUrl = `${server.url}/webhook/${JOB_WEBHOOK_ID}/job/${TOKEN}`;
	const runJob = async (input) =>
		await (
			await fetch(`${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/run`, {
				method: 'POST',
				headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({ input, webhook: jobUrl }),
			})
		).json();
	const before = delivered('job-events').length;
	const ids = [];
	for (const prompt of ['j1', 'j2', 'j3']) {
		const job = await runJob({ prompt });
		ids.push(job.id);
		// One at a time: each delivery is answered (and its state saved) before the next.
		await waitFor(`the delivery of ${prompt}`, () =>
			delivered('job-events').some((body) => body.id === job.id),
		);
	}
	expect(delivered('job-events')).toHaveLength(before + 3);

	// RunPod sending each of them again: every one is recognised (before the fix, only the first).
	for (const id of ids) {
		const again = await fetch(jobUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ id, status: 'COMPLETED' }),
		});
		expect(again.status).toBe(200);
		expect(await again.json()).toMatchObject({ received: true, duplicate: true, jobId: id });
	}
	// The secret token is not in what the workflow received (RunPod echoes the webhook URL).
	expect(delivered('job-events').some((body) => JSON.stringify(body).includes(TOKEN))).toBe(false);

	// A job that FAILED and was retried with /retry (same ID) ends anew: it starts the workflow again.
	const failing = await runJob({ fail: 'CUDA out of memory' });
	await waitFor('the FAILED delivery', () =>
		delivered('job-events').some((body) => body.id === failing.id),
	);
	const retried = await fetch(`${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/retry/${failing.id}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sandbox.apiKey}` },
	});
	expect(retried.status).toBe(200);
	await waitFor(
		'the delivery of the retried job',
		() => delivered('job-events').filter((body) => body.id === failing.id).length === 2,
	);
	await sleep(2000);
	expect(
		delivered('job-events')
			.filter((body) => body.id === failing.id)
			.map((body) => [body.status, body.retries ?? 0]),
	).toEqual([
		['FAILED', 0],
		['FAILED', 1],
	]);
	expect(delivered('job-events')).toHaveLength(before + 5);
}, 120000);

test('published RunPod Trigger follows credential edits: a switch to REST v2 reaches the next poll, records anew silently, then reports changes', async () => {
	const switchRest = () =>
		// Pod lists on REST v2 include cluster pods (`?includeClusterPods=true`).
		switchSandbox.requests.filter((r) => r.method === 'GET' && r.path?.split('?')[0] === '/v2/pods')
			.length;
	const switchGraphql = () =>
		switchSandbox.requests.filter((r) => /query ListPods/.test(r.query ?? '')).length;
	const stopped = await createPod(switchSandbox, { name: 'e2e-stopped-before-switch' });
	await sandboxGraphql(
		switchSandbox,
		'mutation Stop($input: PodStopInput) { podStop(input: $input) { id desiredStatus } }',
		{ input: { podId: stopped.id } },
	);
	const watched = await createPod(switchSandbox, { name: 'e2e-watched-after-switch' });
	await publish('RunPodTriggerE2E03');
	await waitFor('the first poll, on GraphQL', () => switchGraphql() >= 1, 30000);

	// The user edits the credential while the workflow stays published.
	const saved = await rest.request(
		'GET',
		`/rest/credentials/${SWITCH_CREDENTIAL.id}?includeData=true`,
	);
	expect(saved.status).toBe(200);
	const edited = await rest.request('PATCH', `/rest/credentials/${SWITCH_CREDENTIAL.id}`, {
		name: SWITCH_CREDENTIAL.name,
		type: 'runPodApi',
		data: { ...saved.body.data.data, apiKey: switchSandbox.apiKey, api: 'restV2' },
	});
	expect(edited.status).toBe(200);

	// The next poll asks REST v2 and fires nothing (no EXITED → EXITED burst).
	await waitFor('a poll on REST v2', () => switchRest() >= 1, 150000);
	const graphqlPolls = switchGraphql();
	await sleep(3000);
	expect(delivered('switch-events')).toEqual([]);

	await sandboxGraphql(
		switchSandbox,
		'mutation Stop($input: PodStopInput) { podStop(input: $input) { id desiredStatus } }',
		{ input: { podId: watched.id } },
	);
	const [event] = await waitFor(
		'the pod event',
		() => delivered('switch-events').length > 0 && delivered('switch-events'),
		150000,
	);
	expect(event).toMatchObject({
		event: 'podStatusChanged',
		id: watched.id,
		previousStatus: 'RUNNING',
		status: 'EXITED',
		lastStatusChange: null,
	});
	expect(delivered('switch-events')).toHaveLength(1);
	expect(switchGraphql()).toBe(graphqlPolls);
}, 400000);

test('example "Rent an H100 the moment one is in stock under your price" rents one H100 when stock appears, once', async () => {
	const H100 = 'NVIDIA H100 80GB HBM3';
	for (const dataCenterId of sandbox.state.gpuHosts[H100])
		sandbox.setStock(H100, { secure: 0, community: 0 }, dataCenterId);
	const gpuPolls = () =>
		sandbox.requests.filter((request) => /query GpuTypePrices/.test(request.query)).length;
	const h100Pods = () => sandbox.state.pods.filter((pod) => pod.gpuTypeId === H100);
	await publish('RunPodExample021');
	await waitFor('the first poll', () => gpuPolls() >= 1, 30000);
	expect(h100Pods()).toHaveLength(0);

	sandbox.setStock(H100, { secure: 2 });
	await waitFor('the H100 pod', () => h100Pods().length > 0, 150000);
	expect(h100Pods()).toEqual([
		expect.objectContaining({
			name: 'h100-from-trigger',
			cloud: 'SECURE',
			desiredStatus: 'RUNNING',
			gpuCount: 1,
		}),
	]);

	// Still in stock at the next poll: nothing more is rented.
	const pollsSoFar = gpuPolls();
	await waitFor('one more poll', () => gpuPolls() > pollsSoFar, 90000);
	await sleep(3000);
	expect(h100Pods()).toHaveLength(1);
}, 300000);

test('in the browser: the Job Trigger shows its URL with the token, ready to copy', async () => {
	browser = await launchChromium();
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	try {
		await page.goto(`${server.url}/signin`);
		await page.fill('#emailOrLdapLoginId', n8n.owner.email);
		await page.fill('#password', n8n.owner.password);
		await page.click('[data-test-id="form-submit-button"]');
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

		await page.goto(`${server.url}/workflow/RunPodTriggerE2E02`);
		const node = page.locator('[data-test-id="canvas-node"][data-node-name="RunPod Job Trigger"]');
		await node.dblclick();
		await page
			.locator('[data-test-id="parameter-input-secretToken"]')
			.waitFor({ state: 'visible' });
		const urls = page.getByText('Webhook URLs');
		if (await urls.count()) await urls.first().click();
		await page
			.getByText(`${server.url}/webhook-test/${JOB_WEBHOOK_ID}/job/${TOKEN}`)
			.waitFor({ state: 'visible', timeout: 15000 });
		await page.locator('[data-test-id="radio-button-production"]').click();
		await page
			.getByText(`${server.url}/webhook/${JOB_WEBHOOK_ID}/job/${TOKEN}`)
			.waitFor({ state: 'visible', timeout: 15000 });
		await screenshot(page, 'e2e-job-trigger-url');
	} catch (error) {
		await screenshot(page, 'e2e-job-trigger-failure').catch(() => undefined);
		throw error;
	}
});
