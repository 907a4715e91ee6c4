'use strict';
// `npm start` with real n8n, as a user runs it: on free ports and a temporary data folder. The
// first start lists the package in Settings → Community Nodes; a credential edit and a published
// webhook example survive `kill -TERM` and a restart with --reimport-examples; Ctrl-C stops it.
// test/scripts/start-stop.test.ts covers every way of stopping with a fake n8n.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const { freePort } = require('../../scripts/lib/n8n-process');
const { DEV_OWNER, EXAMPLE_CREDENTIAL } = require('../../scripts/lib/n8n-instance');
const { groupIsAlive, isAlive } = require('../../scripts/lib/start-session');
const { n8nRestClient } = require('./helpers/rest');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const WEBHOOK_EXAMPLE = 'RunPodExample004';
const EDITED_NAME = 'RunPod account (my key)';

let userFolder;
let ports;
const sessions = [];

beforeAll(async () => {
	userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'runpod-e2e-start-'));
	ports = { n8n: await freePort(), sandbox: await freePort() };
});

afterAll(() => {
	for (const session of sessions) {
		for (const pid of [session.npm.pid, session.n8nPgid]) {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// already stopped
			}
		}
	}
	fs.rmSync(userFolder, { recursive: true, force: true });
});

async function waitFor(what, check, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** `npm start` in its own process group, as in a terminal; resolves once the banner is printed. */
async function npmStart(...args) {
	const npm = spawn('npm', ['start', '--', '--no-build', ...args], {
		cwd: REPO_ROOT,
		env: {
			...process.env,
			N8N_RUNPOD_USER_FOLDER: userFolder,
			N8N_PORT: String(ports.n8n),
			SANDBOX_PORT: String(ports.sandbox),
			RUNPOD_API_KEY: '',
		},
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	let exited = false;
	npm.stdout.on('data', (chunk) => (output += chunk));
	npm.stderr.on('data', (chunk) => (output += chunk));
	npm.on('exit', () => (exited = true));
	const session = { npm, output: () => output, exited: () => exited };
	sessions.push(session);
	await waitFor(
		'the npm start banner',
		() => exited || output.includes('Press Ctrl-C to stop'),
		200000,
	).catch((error) => {
		throw new Error(`${error.message}\n${output}`);
	});
	if (exited) throw new Error(`npm start exited early:\n${output}`);
	const record = JSON.parse(fs.readFileSync(path.join(userFolder, 'npm-start.pid.json'), 'utf8'));
	Object.assign(session, {
		startPid: record.pid,
		n8nPgid: record.n8nPgid,
		url: `http://127.0.0.1:${ports.n8n}`,
	});
	session.rest = n8nRestClient(session.url);
	await session.rest.login(DEV_OWNER);
	return session;
}

async function expectStopped(session) {
	await waitFor(
		"npm, the start script and n8n's process group to stop",
		() => !isAlive(session.npm.pid) && !isAlive(session.startPid) && !groupIsAlive(session.n8nPgid),
		20000,
	).catch((error) => {
		throw new Error(`${error.message}\n${session.output()}`);
	});
	const probe = await fetch(`${session.url}/healthz`).then(
		() => 'answered',
		() => 'refused',
	);
	expect(probe).toBe('refused');
}

async function credentialData(rest) {
	const saved = await rest.request(
		'GET',
		`/rest/credentials/${EXAMPLE_CREDENTIAL.id}?includeData=true`,
	);
	expect(saved.status).toBe(200);
	return saved.body.data;
}

async function callWebhook(url) {
	const response = await fetch(`${url}/webhook/runpod/pod-on-demand`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'after-restart', gpuTypeId: 'NVIDIA RTX A5000' }),
	});
	const text = await response.text();
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = text;
	}
	return { status: response.status, body };
}

let readOnlyKey;

test('first start: the banner prints both sandbox keys and Settings → Community Nodes lists the package', async () => {
	const session = await npmStart();

	const keys = /read\/write\s+(rpa_\S+)\s+read-only\s+(rpa_\S+)/.exec(session.output());
	expect(keys).not.toBeNull();
	readOnlyKey = keys[2];
	expect(session.output()).toContain(`"${EXAMPLE_CREDENTIAL.name}" created`);
	const listed = await session.rest.request('GET', '/rest/community-packages');
	expect(listed.status).toBe(200);
	expect(listed.body.data).toEqual([
		expect.objectContaining({
			packageName: 'n8n-nodes-runpod-cloud',
			installedVersion: require('../../package.json').version,
			failedLoading: false,
			installedNodes: expect.arrayContaining([
				expect.objectContaining({ type: 'n8n-nodes-runpod-cloud.runPod' }),
			]),
		}),
	]);

	// What a user does next: rename the credential and give it another key, publish the webhook example.
	const data = await credentialData(session.rest);
	const edited = await session.rest.request('PATCH', `/rest/credentials/${EXAMPLE_CREDENTIAL.id}`, {
		name: EDITED_NAME,
		type: data.type,
		data: { ...data.data, apiKey: readOnlyKey },
	});
	expect(edited.status).toBe(200);
	const workflow = await session.rest.request('GET', `/rest/workflows/${WEBHOOK_EXAMPLE}`);
	const published = await session.rest.request(
		'POST',
		`/rest/workflows/${WEBHOOK_EXAMPLE}/activate`,
		{
			versionId: workflow.body.data.versionId,
		},
	);
	expect(published.status).toBe(200);

	process.kill(session.npm.pid, 'SIGTERM'); // kill -TERM on the npm process alone
	await expectStopped(session);
});

test('restart with --reimport-examples: the credential edit is kept and the webhook example is still published', async () => {
	const session = await npmStart('--reimport-examples');

	expect(session.output()).toContain(`"${EXAMPLE_CREDENTIAL.name}" kept`);
	expect((await credentialData(session.rest)).name).toBe(EDITED_NAME);
	const workflow = await session.rest.request('GET', `/rest/workflows/${WEBHOOK_EXAMPLE}`);
	expect(workflow.body.data.activeVersionId).toEqual(expect.any(String));
	// The webhook is live, and it rents with the edited (read-only) key: RunPod refuses, and the
	// error branch answers 502 with the reason. The original read/write key would have rented a pod.
	let reply;
	await waitFor(
		'the webhook to answer',
		async () => {
			reply = await callWebhook(session.url);
			return reply.status !== 404;
		},
		30000,
	);
	expect(reply.status).toBe(502);
	expect(JSON.stringify(reply.body)).toMatch(/read-only|read\/write|unauthorized/i);

	signalGroupAsCtrlC(session.npm.pid);
	await expectStopped(session);
});

function signalGroupAsCtrlC(pgid) {
	process.kill(-pgid, 'SIGINT');
}
