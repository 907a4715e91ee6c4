'use strict';
// Redis and PostgreSQL for n8n's queue mode, from Debian's packages: each on 127.0.0.1, on a port
// the test picks, with its data in a temporary folder, in its own process group, and stopped
// (data removed) by `stop()`. PostgreSQL refuses to run as root, so as root it runs as the
// `postgres` user the Debian package creates.
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const { freePort, sleep } = require('../../../scripts/lib/n8n-process');

const REDIS_SERVER = '/usr/bin/redis-server';
const POSTGRES_ROOT = '/usr/lib/postgresql';

function postgresBin() {
	const versions = fs.existsSync(POSTGRES_ROOT)
		? fs.readdirSync(POSTGRES_ROOT).sort((a, b) => Number(b) - Number(a))
		: [];
	const found = versions
		.map((version) => path.join(POSTGRES_ROOT, version, 'bin'))
		.find((bin) => fs.existsSync(path.join(bin, 'initdb')));
	if (!found)
		throw new Error(
			`PostgreSQL is missing (no ${POSTGRES_ROOT}/*/bin/initdb): install it with "apt-get install -y postgresql" (.ci/run does)`,
		);
	return found;
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** argv that runs `command` as the postgres user when we are root. */
function asPostgresUser(command, args) {
	return asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function runOrThrow(command, args, options = {}) {
	const result = spawnSync(command, args, { encoding: 'utf8', ...options });
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
	return result.stdout;
}

function spawnGroup(command, args) {
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => child.once('exit', resolve));
	return {
		child,
		output: () => output,
		running: () => child.exitCode === null && child.signalCode === null,
		async stop(signal) {
			if (child.exitCode !== null || child.signalCode !== null) return;
			try {
				process.kill(-child.pid, signal);
			} catch {
				// already gone
			}
			const grace = new Promise((resolve) => setTimeout(resolve, 10000).unref());
			await Promise.race([exited, grace]);
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		},
	};
}

function canConnect(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

async function waitFor(what, check, proc, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!proc.running()) throw new Error(`${what} exited early:\n${proc.output()}`);
		if (await check()) return;
		await sleep(200);
	}
	throw new Error(`${what} was not ready within ${timeoutMs} ms:\n${proc.output()}`);
}

async function startRedis() {
	if (!fs.existsSync(REDIS_SERVER))
		throw new Error(
			`${REDIS_SERVER} is missing: install it with "apt-get install -y redis-server" (.ci/run does)`,
		);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runpod-e2e-redis-'));
	const port = await freePort();
	const proc = spawnGroup(REDIS_SERVER, [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--dir',
		dir,
		'--save',
		'',
		'--appendonly',
		'no',
		'--daemonize',
		'no',
		'--protected-mode',
		'yes',
	]);
	await waitFor('redis-server', () => canConnect(port), proc);
	return {
		host: '127.0.0.1',
		port,
		async stop() {
			await proc.stop('SIGTERM');
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

async function startPostgres({ database = 'n8n', user = 'n8n' } = {}) {
	const bin = postgresBin();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runpod-e2e-postgres-'));
	if (asRoot) runOrThrow('chown', ['postgres', dir]);
	const dataDir = path.join(dir, 'data');
	const port = await freePort();
	// Local trust authentication: the server only listens on 127.0.0.1 and a private socket folder.
	runOrThrow(
		...asPostgresUser(path.join(bin, 'initdb'), [
			'-D',
			dataDir,
			'-U',
			user,
			'--auth=trust',
			'-E',
			'UTF8',
			'--no-sync',
		]),
	);
	const proc = spawnGroup(
		...asPostgresUser(path.join(bin, 'postgres'), [
			'-D',
			dataDir,
			'-p',
			String(port),
			'-k',
			dir,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'fsync=off',
		]),
	);
	const ready = () =>
		spawnSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]).status === 0;
	await waitFor('postgres', async () => ready(), proc);
	runOrThrow(path.join(bin, 'createdb'), [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		user,
		database,
	]);
	return {
		host: '127.0.0.1',
		port,
		database,
		user,
		/** Runs SQL with psql and returns its unaligned, tuples-only output. */
		query(sql) {
			return runOrThrow(path.join(bin, 'psql'), [
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				user,
				'-d',
				database,
				'-At',
				'-c',
				sql,
			]);
		},
		async stop() {
			// SIGINT is PostgreSQL's fast shutdown: open connections are closed, not waited for.
			await proc.stop('SIGINT');
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * Starts services side by side. If any fails to start, the others that did start are stopped
 * before the failure is thrown: a PostgreSQL left running after Redis failed kept jest from exiting.
 */
async function startAll(starters) {
	const started = await Promise.allSettled(starters.map((start) => start()));
	const failed = started.find((result) => result.status === 'rejected');
	if (!failed) return started.map((result) => result.value);
	await Promise.allSettled(
		started.filter((result) => result.status === 'fulfilled').map((result) => result.value.stop()),
	);
	throw failed.reason;
}

module.exports = { startAll, startRedis, startPostgres };
