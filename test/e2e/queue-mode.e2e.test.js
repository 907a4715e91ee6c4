'use strict';
// n8n's distributed setup: Redis, PostgreSQL, a main instance, one `n8n worker` and one
// `n8n webhook` process, each with its own user folder and its own copy of the package (as on
// separate machines). Production webhooks go to the webhook process only (the main one is told not
// to serve them), the executions run on the worker, and the results are checked in RunPod (the
// sandbox), in the webhook replies and in n8n's execution records.
const fs = require('fs');
const os = require('os');
const path = require('path');

const { layout } = require('../../scripts/lib/n8n-install');
const { installTarball } = require('../../scripts/lib/package-install');
const {
	freePort,
	n8nEnv,
	startN8nProcess,
	startN8nServer,
} = require('../../scripts/lib/n8n-process');
const {
	EXAMPLE_CREDENTIAL,
	DEV_OWNER,
	importRunPodCredential,
	importWorkflows,
	ownerEnv,
} = require('../../scripts/lib/n8n-instance');
const { startSandbox } = require('../../sandbox');
const { n8nRestClient } = require('./helpers/rest');
const { createPod } = require('./helpers/sandbox');
const { example } = require('./helpers/workflows');
const { startAll, startPostgres, startRedis } = require('./helpers/queue-mode-services');

const STOP_ALL_ID = 'RunPodQueueStopAll';
const STOP_ALL_PATH = 'runpod/stop-all';
const RUNPOD = 'n8n-nodes-runpod-cloud.runPod';
const credentials = { runPodApi: EXAMPLE_CREDENTIAL };

/** Webhook → every pod (Get Many) → Get each → Stop each; replies with every stopped pod. */
const stopAllWorkflow = {
	id: STOP_ALL_ID,
	name: 'Queue mode: get and stop every pod',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'b1f4c1d2-0000-4000-8000-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'b1f4c1d2-0000-4000-8000-0000000000ff',
			parameters: {
				httpMethod: 'POST',
				path: STOP_ALL_PATH,
				responseMode: 'lastNode',
				responseData: 'allEntries',
				options: {},
			},
		},
		{
			id: 'b1f4c1d2-0000-4000-8000-000000000002',
			name: 'All Pods',
			type: RUNPOD,
			typeVersion: 1,
			position: [220, 0],
			credentials,
			parameters: { resource: 'pod', operation: 'getAll', returnAll: true },
		},
		{
			id: 'b1f4c1d2-0000-4000-8000-000000000003',
			name: 'Get Pod',
			type: RUNPOD,
			typeVersion: 1,
			position: [440, 0],
			credentials,
			parameters: {
				resource: 'pod',
				operation: 'get',
				podId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
		},
		{
			id: 'b1f4c1d2-0000-4000-8000-000000000004',
			name: 'Stop Pod',
			type: RUNPOD,
			typeVersion: 1,
			position: [660, 0],
			credentials,
			parameters: {
				resource: 'pod',
				operation: 'stop',
				podId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'All Pods', type: 'main', index: 0 }]] },
		'All Pods': { main: [[{ node: 'Get Pod', type: 'main', index: 0 }]] },
		'Get Pod': { main: [[{ node: 'Stop Pod', type: 'main', index: 0 }]] },
	},
};

const install = layout();
const folders = [];
let sandbox;
let redis;
let postgres;
let main;
let worker;
let webhook;
let rest;

function userFolderWithPackage(role) {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), `runpod-e2e-queue-${role}-`));
	folders.push(folder);
	installTarball(process.env.RUNPOD_E2E_TARBALL, folder);
	return folder;
}

async function envFor(role, extra = {}) {
	return n8nEnv({
		userFolder: userFolderWithPackage(role),
		port: await freePort(),
		brokerPort: await freePort(),
		extra: {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			// Every process gets the same key from n8nEnv; it must be shared to read credentials.
			...extra,
		},
	});
}

async function waitUntilWebhookIsLive(baseUrl, webhookPath, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const probe = await fetch(`${baseUrl}/webhook/${webhookPath}`);
		if (/make a POST request/.test(await probe.text())) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(
		`POST /webhook/${webhookPath} was not registered on ${baseUrl} within ${timeoutMs} ms`,
	);
}

/** n8n's record of the executions of one workflow, newest first. */
function executionsOf(workflowId) {
	return postgres
		.query(
			`select id, status, mode from execution_entity where "workflowId" = '${workflowId}' order by id desc`,
		)
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [id, status, mode] = line.split('|');
			return { id, status, mode };
		});
}

/** Waits until the worker's log says it finished `executionId` (the reply may come first). */
async function workerFinished(executionId, timeoutMs = 30000) {
	const pattern = new RegExp(`Worker finished execution ${executionId}\\b`);
	const deadline = Date.now() + timeoutMs;
	while (!pattern.test(worker.output())) {
		if (Date.now() > deadline)
			throw new Error(`the worker never finished execution ${executionId}:\n${worker.output()}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 1 });
	[redis, postgres] = await startAll([startRedis, startPostgres]);

	const mainEnv = await envFor('main', {
		...ownerEnv(),
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
	});
	await importRunPodCredential(install, mainEnv, { apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	await importWorkflows(install, mainEnv, [example('04-'), stopAllWorkflow]);
	main = await startN8nServer(install, mainEnv);
	rest = n8nRestClient(main.url);
	await rest.login(DEV_OWNER);
	for (const id of ['RunPodExample004', STOP_ALL_ID]) {
		const workflow = await rest.request('GET', `/rest/workflows/${id}`);
		const published = await rest.request('POST', `/rest/workflows/${id}/activate`, {
			versionId: workflow.body.data.versionId,
		});
		if (published.status !== 200)
			throw new Error(
				`publishing ${id} failed: ${published.status} ${JSON.stringify(published.body)}`,
			);
	}

	worker = await startN8nProcess(install, ['worker', '--concurrency=5'], await envFor('worker'), {
		readyPattern: /n8n worker is now ready/,
	});
	webhook = await startN8nServer(install, await envFor('webhook'), { command: 'webhook' });
	await waitUntilWebhookIsLive(webhook.url, 'runpod/pod-on-demand');
	await waitUntilWebhookIsLive(webhook.url, STOP_ALL_PATH);
}, 600000);

afterAll(async () => {
	for (const process of [webhook, worker, main]) await process?.stop();
	await Promise.all([redis?.stop(), postgres?.stop(), sandbox?.close()]);
	for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
}, 120000);

beforeEach(() => sandbox.reset());

test('the package loads on every process, and the main instance warns of no unsupported setup', () => {
	for (const process of [main, worker, webhook]) {
		expect(process.output()).not.toMatch(
			/Skipping package|Unrecognized node type|n8n-nodes-runpod-cloud.*(could not|failed)/i,
		);
	}
	expect(main.output()).not.toMatch(/Scaling mode is not officially supported with sqlite/);
});

test('pod on demand through the webhook process: the worker rents the pod and the reply carries it', async () => {
	const response = await fetch(`${webhook.url}/webhook/runpod/pod-on-demand`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'queued-pod', gpuTypeId: 'NVIDIA RTX A5000' }),
	});

	expect(response.status).toBe(201);
	const reply = await response.json();
	expect(reply).toEqual({
		podId: expect.stringMatching(/^[a-z0-9]+$/),
		status: 'RUNNING',
		proxyUrl: `https://${reply.podId}-8888.proxy.runpod.net`,
	});
	expect(sandbox.state.pods).toEqual([
		expect.objectContaining({ id: reply.podId, name: 'queued-pod', gpuTypeId: 'NVIDIA RTX A5000' }),
	]);

	const [execution] = executionsOf('RunPodExample004');
	expect(execution).toMatchObject({ mode: 'webhook' });
	await workerFinished(execution.id);
	expect(executionsOf('RunPodExample004')[0].status).toBe('success');
	expect(worker.output()).toMatch(new RegExp(`Worker started execution ${execution.id}\\b`));
});

test('100 pods: Get Many, Get and Stop on the worker, every pod stopped and in the reply', async () => {
	sandbox.setStock('NVIDIA GeForce RTX 4090', { secure: 150 });
	const pods = [];
	for (let index = 0; index < 100; index++)
		pods.push(await createPod(sandbox, { name: `queue-${index}` }));
	sandbox.requests.length = 0;

	const response = await fetch(`${webhook.url}/webhook/${STOP_ALL_PATH}`, { method: 'POST' });

	expect(response.status).toBe(200);
	const stopped = await response.json();
	expect(stopped).toHaveLength(100);
	expect(stopped.map((pod) => pod.status)).toEqual(pods.map(() => 'EXITED'));
	expect(new Set(stopped.map((pod) => pod.id))).toEqual(new Set(pods.map((pod) => pod.id)));
	for (const pod of sandbox.state.pods) expect(pod.desiredStatus).toBe('EXITED');
	// Get Many and the batched Get are one list each; 100 stops are two aliased documents.
	expect(sandbox.requests.filter((request) => request.fields.includes('myself'))).toHaveLength(2);
	expect(sandbox.requests.filter((request) => request.fields.includes('podStop'))).toHaveLength(2);

	const [execution] = executionsOf(STOP_ALL_ID);
	await workerFinished(execution.id);
	expect(executionsOf(STOP_ALL_ID)[0]).toMatchObject({ status: 'success', mode: 'webhook' });
});
