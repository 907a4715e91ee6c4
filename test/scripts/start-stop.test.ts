/**
 * `npm start` stops everything it started, however a user stops it. Real processes: `npm start`
 * with the repository's start script, on free ports and a temporary user folder, with a fake
 * n8n binary (test/scripts/fixtures/fake-n8n.js) in a temporary install cache so that a start
 * takes seconds. test/e2e/start.e2e.test.js does the same against real n8n.
 */
import { ChildProcess, spawn } from 'child_process';
import {
	chmodSync,
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

// Plain-JS helpers from scripts/: required, as the start script itself requires them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const install = require('../../scripts/lib/n8n-install') as {
	N8N_VERSION: string;
	NODE_VERSION: string;
	layout(dir: string): { dir: string; marker: string; nodeBinary: string; n8nBin: string };
};

const REPO_ROOT = join(__dirname, '..', '..');
const FAKE_N8N = join(__dirname, 'fixtures', 'fake-n8n.js');

jest.setTimeout(150000);

let workDir: string;
let cache: string;
const started: Array<{ npm: ChildProcess }> = [];

beforeAll(() => {
	workDir = mkdtempSync(join(tmpdir(), 'runpod-start-test-'));
	cache = join(workDir, 'cache');
	const paths = install.layout(
		join(cache, `n8n-${install.N8N_VERSION}-node-${install.NODE_VERSION}`),
	);
	mkdirSync(dirname(paths.nodeBinary), { recursive: true });
	symlinkSync(process.execPath, paths.nodeBinary);
	mkdirSync(dirname(paths.n8nBin), { recursive: true });
	copyFileSync(FAKE_N8N, paths.n8nBin);
	chmodSync(paths.n8nBin, 0o755);
	writeFileSync(
		paths.marker,
		JSON.stringify({ n8n: install.N8N_VERSION, node: install.NODE_VERSION }),
	);
});

afterEach(() => {
	// A failed test must not leave processes behind.
	for (const { npm } of started.splice(0)) signalGroup(npm.pid!, 'SIGKILL');
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		// gone
	}
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

interface Session {
	npm: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
	/** npm, the start script, fake n8n and its task runner. */
	pids: { npm: number; start: number; n8n: number; runner: number };
	ports: { n8n: number; sandbox: number };
}

/** Runs `npm start` as a terminal would: in its own process group, which Ctrl-C signals as a whole. */
async function startSession(
	userFolder: string,
	options: { ignoreSigterm?: boolean } = {},
): Promise<Session> {
	mkdirSync(userFolder, { recursive: true });
	rmSync(join(userFolder, 'fake-n8n.json'), { force: true });
	writeFileSync(join(userFolder, 'fake-n8n-options.json'), JSON.stringify(options));
	const ports = { n8n: await freePort(), sandbox: await freePort() };
	const npm = spawn('npm', ['start', '--', '--no-build'], {
		cwd: REPO_ROOT,
		env: {
			...process.env,
			N8N_RUNPOD_CACHE: cache,
			N8N_RUNPOD_USER_FOLDER: userFolder,
			N8N_PORT: String(ports.n8n),
			SANDBOX_PORT: String(ports.sandbox),
			RUNPOD_API_KEY: '',
		},
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	started.push({ npm });
	let output = '';
	npm.stdout!.on('data', (chunk) => (output += chunk));
	npm.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
	let done = false;
	exited.then(() => (done = true));
	await waitFor(
		'the npm start banner',
		() => done || output.includes('Press Ctrl-C to stop'),
		60000,
	).catch((error) => {
		throw new Error(`${error.message}\n${output}`);
	});
	if (done) throw new Error(`npm start exited before it was ready:\n${output}`);
	const fake = JSON.parse(readFileSync(join(userFolder, 'fake-n8n.json'), 'utf8'));
	const record = JSON.parse(readFileSync(join(userFolder, 'npm-start.pid.json'), 'utf8'));
	return {
		npm,
		output: () => output,
		exited,
		pids: { npm: npm.pid!, start: record.pid, n8n: fake.n8nPid, runner: fake.runnerPid },
		ports,
	};
}

function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

/** Everything `npm start` started is gone and both ports are free again. */
async function expectAllStopped(session: Session): Promise<void> {
	const alive = () => Object.entries(session.pids).filter(([, pid]) => isAlive(pid));
	await waitFor('every process to stop', () => alive().length === 0, 20000).catch((error) => {
		throw new Error(
			`${error.message}; still alive: ${JSON.stringify(alive())}\n${session.output()}`,
		);
	});
	expect(await portIsFree(session.ports.n8n)).toBe(true);
	expect(await portIsFree(session.ports.sandbox)).toBe(true);
}

test('Ctrl-C in the terminal (SIGINT to the whole process group) stops n8n, its task runner and the sandbox', async () => {
	const session = await startSession(join(workDir, 'ctrl-c'));
	expect(Object.values(session.pids).every(isAlive)).toBe(true);

	signalGroup(session.pids.npm, 'SIGINT');

	await expectAllStopped(session);
	expect(session.output()).toContain('[start] stopped');
});

test('kill -TERM on the npm process alone stops everything', async () => {
	const session = await startSession(join(workDir, 'sigterm'));

	process.kill(session.pids.npm, 'SIGTERM');

	await expectAllStopped(session);
});

test('SIGINT to the npm process alone stops everything', async () => {
	const session = await startSession(join(workDir, 'sigint-npm'));

	process.kill(session.pids.npm, 'SIGINT');

	await expectAllStopped(session);
});

test('closing the terminal (SIGHUP to the process group) stops everything', async () => {
	const session = await startSession(join(workDir, 'sighup'));

	signalGroup(session.pids.npm, 'SIGHUP');

	await expectAllStopped(session);
	expect(existsSync(join(workDir, 'sighup', 'npm-start.pid.json'))).toBe(false);
});

test('an n8n that ignores SIGTERM is killed after a short grace, with its task runner', async () => {
	const session = await startSession(join(workDir, 'stubborn'), { ignoreSigterm: true });

	process.kill(session.pids.npm, 'SIGTERM');

	await expectAllStopped(session);
	expect(session.output()).toMatch(/n8n did not stop within \d+ s of SIGTERM: killed it/);
});

test('npm killed outright (SIGKILL): the start script notices and stops everything', async () => {
	const session = await startSession(join(workDir, 'npm-killed'));

	process.kill(session.pids.npm, 'SIGKILL');

	await expectAllStopped(session);
});

test('a leftover n8n from a start script killed with SIGKILL is stopped by the next start', async () => {
	const folder = join(workDir, 'leftover');
	const first = await startSession(folder);
	process.kill(first.pids.start, 'SIGKILL');
	process.kill(first.pids.npm, 'SIGKILL');
	await waitFor('the first start script to die', () => !isAlive(first.pids.start), 5000);
	expect(isAlive(first.pids.n8n)).toBe(true); // nothing was left to stop it

	const second = await startSession(folder);

	expect(second.output()).toMatch(/found n8n left over from an earlier npm start .*stopping it/);
	expect(isAlive(first.pids.n8n)).toBe(false);
	expect(isAlive(first.pids.runner)).toBe(false);
	process.kill(second.pids.npm, 'SIGTERM');
	await expectAllStopped(second);
});

test('a second npm start on the same folder says one is running and leaves it alone', async () => {
	const folder = join(workDir, 'twice');
	const first = await startSession(folder);
	const secondPort = await freePort();

	const second = spawn('npm', ['start', '--', '--no-build'], {
		cwd: REPO_ROOT,
		env: {
			...process.env,
			N8N_RUNPOD_CACHE: cache,
			N8N_RUNPOD_USER_FOLDER: folder,
			N8N_PORT: String(secondPort),
			SANDBOX_PORT: String(await freePort()),
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	second.stdout!.on('data', (chunk) => (output += chunk));
	second.stderr!.on('data', (chunk) => (output += chunk));
	const code = await new Promise((resolve) => second.on('exit', resolve));

	expect(code).not.toBe(0);
	expect(output).toContain(
		`npm start is already running on ${folder} (pid ${first.pids.start}, n8n on port ${first.ports.n8n})`,
	);
	expect(Object.values(first.pids).every(isAlive)).toBe(true);
	process.kill(first.pids.npm, 'SIGTERM');
	await expectAllStopped(first);
});
