'use strict';
// Runs the cached n8n (on its own Node 24) as a CLI command or as a server, on 127.0.0.1 only.

const http = require('http');
const net = require('net');
const { spawn } = require('child_process');

// Fixed so that a dev user folder stays readable across runs; never use it for real data.
const DEV_ENCRYPTION_KEY = 'runpod-nodes-dev-only-encryption-key';
// How long n8n gets to shut down on its own before its process group is killed.
const STOP_GRACE_MS = 4000;

// n8n runs in its own process group (so that its task runners stop with it), which also means
// a Ctrl-C to our process never reaches it: whatever is still running when we exit is killed.
const liveGroups = new Set();
process.on('exit', () => {
	for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});

function spawnN8n(install, args, env) {
	const child = spawn(install.nodeBinary, [install.n8nBin, ...args], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	liveGroups.add(child.pid);
	child.on('exit', () => {
		killGroup(child.pid, 'SIGKILL'); // task runners it may have left behind
		liveGroups.delete(child.pid);
	});
	return child;
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** The environment for a quiet, local n8n that uses `userFolder` and nothing of the user's own. */
function n8nEnv({ userFolder, port, brokerPort, extra = {} }) {
	return {
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		TZ: process.env.TZ || 'UTC',
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: DEV_ENCRYPTION_KEY,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_LEVEL: 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_ENABLED: 'true',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		// The MCP server registry is fetched from api.n8n.io; nothing here needs it.
		N8N_DISABLED_MODULES: 'mcp-registry',
		// Publishing a workflow goes through an outbox polled every 15 s by default; 1 s makes a
		// just-published webhook answer at once.
		N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '1000',
		...extra,
	};
}

/** Runs `n8n <args>` to completion; resolves with its exit code and captured output. */
function runN8nCli(install, args, env, { timeoutMs = 180000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawnN8n(install, args, env);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			killGroup(child.pid, 'SIGKILL');
			reject(new Error(`n8n ${args[0]} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
		}, timeoutMs);
		child.on('error', reject);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** Like runN8nCli, but rejects with n8n's output when the command fails. */
async function runN8nCliOrThrow(install, args, env, options) {
	const result = await runN8nCli(install, args, env, options);
	if (result.code !== 0) {
		throw new Error(
			`n8n ${args.join(' ')} exited with ${result.code}\n${result.stdout}\n${result.stderr}`,
		);
	}
	return result;
}

/**
 * `n8n execute` prints the run's JSON through the logger: it starts at the first line that
 * begins with `{` and ends at a line `}`; after a failed run more log lines may follow it.
 */
function parseExecuteOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start === -1) throw new Error(`no JSON in n8n execute output:\n${stdout}`);
	for (let end = start; end < lines.length; end++) {
		if (lines[end] !== '}') continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			// a nested "}" line: keep looking for the closing one
		}
	}
	throw new Error(`unterminated JSON in n8n execute output:\n${stdout}`);
}

/**
 * Starts `n8n start` in its own process group and waits until it answers HTTP; `onSpawn` gets
 * the child process at once (its pid is the group's id). Returns { url, process, output(), stop() }.
 */
async function startN8nServer(
	install,
	env,
	{ onOutput, onSpawn, readyTimeoutMs = 180000, command = 'start' } = {},
) {
	const child = spawnN8n(install, [command], env);
	if (onSpawn) onSpawn(child);
	let output = '';
	const collect = (chunk) => {
		output += chunk;
		if (onOutput) onOutput(chunk.toString());
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	let exited = null;
	child.on('exit', (code, signal) => (exited = { code, signal }));

	const url = `http://127.0.0.1:${env.N8N_PORT}`;
	const server = {
		url,
		process: child,
		output: () => output,
		stop: () => stopProcessGroup(child),
	};
	const deadline = Date.now() + readyTimeoutMs;
	while (Date.now() < deadline) {
		if (exited) throw new Error(`n8n exited early (${JSON.stringify(exited)}):\n${output}`);
		// /healthz/readiness answers 200 once the database is migrated and n8n serves requests.
		if ((await httpStatus(`${url}/healthz/readiness`)) === 200) return server;
		await sleep(500);
	}
	await server.stop();
	throw new Error(`n8n did not become ready within ${readyTimeoutMs} ms:\n${output}`);
}

/**
 * Starts a long-running n8n command that serves no HTTP (e.g. `n8n worker`) in its own process
 * group and waits until its output matches `readyPattern`. Returns { process, output(), stop() }.
 */
async function startN8nProcess(install, args, env, { readyPattern, readyTimeoutMs = 180000 } = {}) {
	const child = spawnN8n(install, args, env);
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	let exited = null;
	child.on('exit', (code, signal) => (exited = { code, signal }));
	const handle = { process: child, output: () => output, stop: () => stopProcessGroup(child) };
	const deadline = Date.now() + readyTimeoutMs;
	while (Date.now() < deadline) {
		if (exited)
			throw new Error(`n8n ${args.join(' ')} exited early (${JSON.stringify(exited)}):\n${output}`);
		if (readyPattern.test(output)) return handle;
		await sleep(250);
	}
	await handle.stop();
	throw new Error(`n8n ${args.join(' ')} was not ready within ${readyTimeoutMs} ms:\n${output}`);
}

function httpStatus(url) {
	return new Promise((resolve) => {
		const request = http.get(url, (response) => {
			response.resume();
			resolve(response.statusCode);
		});
		request.on('error', () => resolve(0));
		request.setTimeout(2000, () => request.destroy());
	});
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

/** Resolves when nothing listens on 127.0.0.1:port; otherwise says which setting to change. */
function assertPortFree(port, setting) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', (error) =>
			reject(
				new Error(
					`port ${port} on 127.0.0.1 is in use (${error.code}); set ${setting} to another port`,
				),
			),
		);
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
	});
}

/**
 * SIGTERM to the whole group (n8n and its task runners), then SIGKILL to the group once
 * `graceMs` has passed: n8n has been seen ignoring SIGTERM for 38 s. Resolves with
 * `{ killed }`, true when the grace ran out.
 */
async function stopProcessGroup(child, graceMs = STOP_GRACE_MS) {
	if (child.exitCode !== null || child.signalCode !== null) {
		killGroup(child.pid, 'SIGKILL');
		return { killed: false };
	}
	const exited = new Promise((resolve) => child.once('exit', resolve));
	killGroup(child.pid, 'SIGTERM');
	let graceTimer;
	const graceOver = new Promise(
		(resolve) => (graceTimer = setTimeout(() => resolve('grace over'), graceMs)),
	);
	const first = await Promise.race([exited.then(() => 'exited'), graceOver]);
	clearTimeout(graceTimer);
	killGroup(child.pid, 'SIGKILL');
	await exited;
	return { killed: first === 'grace over' };
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = {
	DEV_ENCRYPTION_KEY,
	STOP_GRACE_MS,
	freePort,
	assertPortFree,
	n8nEnv,
	runN8nCli,
	runN8nCliOrThrow,
	parseExecuteOutput,
	startN8nServer,
	startN8nProcess,
	stopProcessGroup,
	httpStatus,
	sleep,
};
