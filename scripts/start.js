#!/usr/bin/env node
'use strict';
// `npm start`: real n8n on http://127.0.0.1:5678 with this package installed, a RunPod
// credential and the example workflows. It talks to the local RunPod sandbox, or to the
// real RunPod API when RUNPOD_API_KEY is set. Ctrl-C, SIGTERM, SIGHUP (terminal closed) or
// the death of npm stop everything it started: n8n, its task runners and the sandbox.

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const { ensureN8nInstalled, layout } = require('./lib/n8n-install');
const { REPO_ROOT, PACKAGE_NAME } = require('./lib/package-install');
const {
	assertPortFree,
	freePort,
	n8nEnv,
	runN8nCliOrThrow,
	startN8nServer,
	stopProcessGroup,
	STOP_GRACE_MS,
} = require('./lib/n8n-process');
const {
	DEV_OWNER,
	EXAMPLE_CREDENTIAL,
	ownerEnv,
	installPackageInto,
	importRunPodCredential,
	importWorkflows,
	loadExamples,
} = require('./lib/n8n-instance');
const {
	credentialExists,
	publishedWorkflowIds,
	registerCommunityPackage,
} = require('./lib/n8n-database');
const {
	findLeftovers,
	pidFile,
	stopGroups,
	writePidFile,
	removePidFile,
	watchParent,
} = require('./lib/start-session');
const { loadSandbox } = require('./lib/sandbox-loader');

const USAGE = `Usage: npm start [-- options]
  --reimport-examples   replace the example workflows with the repository's copies
                        (examples that were published are published again)
  --fresh               delete the local n8n data first (workflows, credentials, executions)
  --no-build            install dist/ as it is instead of running \`npm run build\` first
  --help                this text
Environment:
  N8N_PORT (5678), SANDBOX_PORT (8787)   ports on 127.0.0.1
  RUNPOD_API_KEY                         use the real RunPod API instead of the sandbox
  N8N_RUNPOD_USER_FOLDER                 n8n data folder (default: .n8n-local in the repository)
  N8N_RUNPOD_CACHE                       where n8n and Node 24 are installed
  N8N_START_VERBOSE=1                    pass n8n's own log through`;
const OPTIONS = new Set(['--reimport-examples', '--fresh', '--no-build', '--help']);

const USER_FOLDER = process.env.N8N_RUNPOD_USER_FOLDER
	? path.resolve(process.env.N8N_RUNPOD_USER_FOLDER)
	: path.join(REPO_ROOT, '.n8n-local');
/** The credential the REST-v2-only examples use, imported beside "RunPod account". */
const REST_CREDENTIAL = { id: 'RunPodCredentialRest', name: 'RunPod account (REST v2)' };

// Which API key and Base URL the "RunPod account" credential was last imported with.
const CREDENTIAL_SOURCE_FILE = path.join(USER_FOLDER, 'runpod-credential-source.json');
const REAL_RUNPOD_URL = 'https://api.runpod.io';

function log(message) {
	console.log(`[start] ${message}`);
}

async function main() {
	// Once the terminal is gone (SIGHUP) writing to it fails; that must not stop the cleanup.
	process.stdout.on('error', () => undefined);
	process.stderr.on('error', () => undefined);

	const args = process.argv.slice(2);
	const unknown = args.filter((arg) => !OPTIONS.has(arg));
	if (args.includes('--help') || unknown.length) {
		if (unknown.length) console.error(`[start] unknown option ${unknown.join(' ')}`);
		console.log(USAGE);
		process.exit(unknown.length ? 2 : 0);
	}

	const cleanups = [];
	let stopping = false;
	const stopAll = async (exitCode, reason) => {
		if (stopping) return;
		stopping = true;
		log(`${reason ? `${reason}: ` : ''}stopping n8n, its task runners and the sandbox...`);
		for (const cleanup of cleanups.reverse())
			await cleanup().catch((error) => log(`cleanup: ${error.message}`));
		removePidFile(USER_FOLDER);
		log('stopped');
		process.exit(exitCode);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
		process.on(signal, () => stopAll(0, signal));
	watchParent((parent) => stopAll(0, `the process that started us (pid ${parent}) is gone`));

	try {
		await stopLeftovers();
		const port = Number(process.env.N8N_PORT || 5678);
		await assertPortFree(port, 'N8N_PORT');
		writePidFile(USER_FOLDER, { port, startedAt: new Date().toISOString() });
		const install = await ensureN8nInstalled();

		if (args.includes('--fresh')) {
			log(`deleting everything in ${USER_FOLDER}`);
			for (const entry of fs.readdirSync(USER_FOLDER)) {
				if (entry === path.basename(pidFile(USER_FOLDER))) continue; // this session's own record
				fs.rmSync(path.join(USER_FOLDER, entry), { recursive: true, force: true });
			}
		}
		const firstRun = !fs.existsSync(path.join(USER_FOLDER, '.n8n', 'database.sqlite'));

		const noBuild = args.includes('--no-build');
		log(
			`${noBuild ? 'packing dist/' : 'building and packing the package'} and installing it into n8n's community nodes folder...`,
		);
		installPackageInto(USER_FOLDER, { skipBuild: noBuild });

		const target = await runPodTarget(cleanups);
		const env = n8nEnv({
			userFolder: USER_FOLDER,
			port,
			brokerPort: await freePort(),
			// n8n waits up to 30 s for running executions on shutdown; we kill it after STOP_GRACE_MS anyway.
			extra: {
				...ownerEnv(),
				N8N_GRACEFUL_SHUTDOWN_TIMEOUT: String(Math.ceil(STOP_GRACE_MS / 1000)),
			},
		});

		const credentialNote = await ensureCredential(install, env, target);
		if (firstRun || args.includes('--reimport-examples')) await reimportExamples(install, env);
		const listed = registerPackage(install);

		log(`starting n8n on port ${port} (takes ~20 s)...`);
		const server = await startN8nServer(install, env, {
			onSpawn: (child) => {
				writePidFile(USER_FOLDER, {
					port,
					n8nPgid: child.pid,
					startedAt: new Date().toISOString(),
				});
				cleanups.push(async () => {
					const { killed } = await stopProcessGroup(child);
					if (killed)
						log(`n8n did not stop within ${STOP_GRACE_MS / 1000} s of SIGTERM: killed it`);
				});
			},
			onOutput: (text) => {
				if (process.env.N8N_START_VERBOSE) process.stdout.write(text);
			},
		});
		server.process.on('exit', (code) => {
			if (!stopping) {
				log(`n8n exited (${code}); last output:\n${server.output().slice(-3000)}`);
				stopAll(1);
			}
		});

		console.log(`
  n8n is running with the RunPod node:  ${server.url}
  Log in as:   ${DEV_OWNER.email}  /  ${DEV_OWNER.password}
  RunPod:      ${target.description}${target.keys ? `\n${target.keys}` : ''}
  Credential:  "${EXAMPLE_CREDENTIAL.name}" ${credentialNote}
  Community:   ${listed ? `Settings → Community Nodes lists ${PACKAGE_NAME}` : 'not registered in Settings → Community Nodes (see above)'}
  Data:        ${USER_FOLDER}  (npm start -- --fresh starts over)

  Press Ctrl-C to stop.
`);
	} catch (error) {
		console.error(`[start] ${process.env.DEBUG ? error.stack : error.message}`);
		await stopAll(1);
	}
}

/** Stops n8n processes an earlier `npm start` on this folder left running; refuses to run twice. */
async function stopLeftovers() {
	const { running, groups } = findLeftovers(USER_FOLDER, layout().dir);
	if (running) {
		throw new Error(
			`npm start is already running on ${USER_FOLDER} (pid ${running.pid}${running.port ? `, n8n on port ${running.port}` : ''}). ` +
				`Stop it first (Ctrl-C in its terminal, or kill ${running.pid}), or set N8N_RUNPOD_USER_FOLDER to another folder.`,
		);
	}
	if (!groups.length) return;
	log(
		`found n8n left over from an earlier npm start (process group ${groups.join(', ')}); stopping it...`,
	);
	const remaining = await stopGroups(groups);
	if (remaining.length)
		throw new Error(
			`could not stop the leftover n8n (process group ${remaining.join(', ')}): stop it by hand`,
		);
}

/**
 * Imports the "RunPod account" credential only when it is missing or was imported for another
 * target (the sandbox at another port, or real RunPod), so that edits made in n8n survive.
 */
async function ensureCredential(install, env, { apiKey, baseUrl, name }) {
	const fingerprint = crypto.createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
	let previous;
	try {
		previous = JSON.parse(fs.readFileSync(CREDENTIAL_SOURCE_FILE, 'utf8'));
	} catch {
		previous = undefined;
	}
	const exists = credentialExists(install, USER_FOLDER, EXAMPLE_CREDENTIAL.id);
	const restExists = credentialExists(install, USER_FOLDER, REST_CREDENTIAL.id);
	const sameTarget = previous?.fingerprint === fingerprint;
	// The REST v2 twin, for the examples that use what only REST v2 offers (logs, billing).
	if (!restExists || !sameTarget)
		await importRunPodCredential(install, env, {
			apiKey,
			baseUrl,
			api: 'restV2',
			...REST_CREDENTIAL,
		});
	if (exists && sameTarget) return 'kept as it is (your edits in n8n are kept)';

	log(`${exists ? 'resetting' : 'importing'} the RunPod credential...`);
	await importRunPodCredential(install, env, { apiKey, baseUrl });
	fs.writeFileSync(
		CREDENTIAL_SOURCE_FILE,
		JSON.stringify({ fingerprint, target: name, baseUrl }, null, 2),
	);
	if (!exists) return `created for ${name}`;
	return `RESET to ${name}: it had been imported for ${previous?.target ?? 'an earlier npm start'}, so edits made in n8n were replaced`;
}

/** Replaces the examples with the repository's copies and publishes again those that were published. */
async function reimportExamples(install, env) {
	const examples = loadExamples();
	const ids = examples.map((example) => example.workflow.id);
	const published = publishedWorkflowIds(install, USER_FOLDER, ids);
	log(`importing ${examples.length} example workflows...`);
	await importWorkflows(
		install,
		env,
		examples.map((example) => example.workflow),
	);
	for (const id of published) {
		const { workflow } = examples.find((example) => example.workflow.id === id);
		log(`publishing "${workflow.name}" again (it was published before the import)...`);
		await runN8nCliOrThrow(install, ['publish:workflow', `--id=${id}`], env);
	}
}

/** Records the package in n8n's database so that Settings → Community Nodes lists it. */
function registerPackage(install) {
	try {
		const packageJson = require(path.join(REPO_ROOT, 'package.json'));
		const nodes = packageJson.n8n.nodes.map((file) => {
			const NodeClass = Object.values(require(path.join(REPO_ROOT, file)))[0];
			const { description } = new NodeClass();
			const version = description.defaultVersion ?? Math.max(...[description.version].flat());
			return { name: description.name, displayName: description.displayName, version };
		});
		return registerCommunityPackage(install, USER_FOLDER, { packageJson, nodes });
	} catch (error) {
		log(`could not register the package for Settings → Community Nodes: ${error.message}`);
		return false;
	}
}

/** The sandbox (default), or the real RunPod API when RUNPOD_API_KEY is set. */
async function runPodTarget(cleanups) {
	if (process.env.RUNPOD_API_KEY) {
		return {
			name: 'the real RunPod API',
			apiKey: process.env.RUNPOD_API_KEY,
			baseUrl: REAL_RUNPOD_URL,
			description: `the REAL RunPod API (${REAL_RUNPOD_URL}) with your RUNPOD_API_KEY: creating pods costs money`,
		};
	}
	const { startSandbox } = loadSandbox();
	const sandboxPort = Number(process.env.SANDBOX_PORT || 8787);
	await assertPortFree(sandboxPort, 'SANDBOX_PORT');
	const sandbox = await startSandbox({
		port: sandboxPort,
		stateFile: path.join(USER_FOLDER, 'sandbox-state.json'),
	});
	cleanups.push(() => sandbox.close());
	return {
		name: `the sandbox at ${sandbox.url}`,
		apiKey: sandbox.apiKey,
		baseUrl: sandbox.url,
		description: `local sandbox at ${sandbox.url} (no real pods, no cost); set RUNPOD_API_KEY to use real RunPod`,
		keys: `  Sandbox keys for a RunPod API credential (Base URL ${sandbox.url}):\n    read/write  ${sandbox.apiKey}\n    read-only   ${sandbox.readOnlyApiKey}`,
	};
}

main();
