#!/usr/bin/env node
'use strict';
// `npm start`: real n8n on http://127.0.0.1:5678 with this package installed, a RunPod
// credential and the example workflows. It talks to the local RunPod sandbox, or to the
// real RunPod API when RUNPOD_API_KEY is set. Ctrl-C stops everything it started.
//
// Options:  --reimport-examples   replace the example workflows with the repository's copies
//           --fresh               delete the local n8n data (.n8n-local/) first
// Env:      N8N_PORT (5678), SANDBOX_PORT (8787), RUNPOD_API_KEY, N8N_RUNPOD_CACHE

const fs = require('fs');
const path = require('path');

const { ensureN8nInstalled } = require('./lib/n8n-install');
const { REPO_ROOT } = require('./lib/package-install');
const { assertPortFree, freePort, n8nEnv, startN8nServer } = require('./lib/n8n-process');
const {
	DEV_OWNER,
	ownerEnv,
	installPackageInto,
	importRunPodCredential,
	importWorkflows,
	loadExamples,
} = require('./lib/n8n-instance');
const { loadSandbox } = require('./lib/sandbox-loader');

const USER_FOLDER = path.join(REPO_ROOT, '.n8n-local');
const REAL_RUNPOD_URL = 'https://api.runpod.io';

function log(message) {
	console.log(`[start] ${message}`);
}

async function main() {
	const args = new Set(process.argv.slice(2));
	const cleanups = [];
	let stopping = false;
	const stopAll = async (exitCode) => {
		if (stopping) return;
		stopping = true;
		log('stopping...');
		for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log(`cleanup: ${error.message}`));
		process.exit(exitCode);
	};
	process.on('SIGINT', () => stopAll(0));
	process.on('SIGTERM', () => stopAll(0));

	try {
		const port = Number(process.env.N8N_PORT || 5678);
		await assertPortFree(port, 'N8N_PORT');
		const install = await ensureN8nInstalled();

		if (args.has('--fresh')) {
			log(`deleting ${USER_FOLDER}`);
			fs.rmSync(USER_FOLDER, { recursive: true, force: true });
		}
		const firstRun = !fs.existsSync(path.join(USER_FOLDER, '.n8n', 'database.sqlite'));

		log('building and installing the package into n8n\'s community nodes folder...');
		installPackageInto(USER_FOLDER);

		const { apiKey, baseUrl, description } = await runPodTarget(cleanups);

		const env = n8nEnv({ userFolder: USER_FOLDER, port, brokerPort: await freePort(), extra: ownerEnv() });

		log('importing the RunPod credential...');
		await importRunPodCredential(install, env, { apiKey, baseUrl });
		if (firstRun || args.has('--reimport-examples')) {
			const examples = loadExamples();
			log(`importing ${examples.length} example workflows...`);
			await importWorkflows(install, env, examples.map((example) => example.workflow));
		}

		log(`starting n8n on port ${port} (takes ~20 s)...`);
		const server = await startN8nServer(install, env, {
			onOutput: (text) => {
				if (process.env.N8N_START_VERBOSE) process.stdout.write(text);
			},
		});
		cleanups.push(() => server.stop());
		server.process.on('exit', (code) => {
			if (!stopping) {
				log(`n8n exited (${code}); last output:\n${server.output().slice(-3000)}`);
				stopAll(1);
			}
		});

		console.log(`
  n8n is running with the RunPod node:  ${server.url}
  Log in as:  ${DEV_OWNER.email}  /  ${DEV_OWNER.password}
  RunPod:     ${description}
  Data:       ${USER_FOLDER}  (npm start -- --fresh starts over)

  Press Ctrl-C to stop.
`);
	} catch (error) {
		console.error(`[start] ${process.env.DEBUG ? error.stack : error.message}`);
		await stopAll(1);
	}
}

/** The sandbox (default), or the real RunPod API when RUNPOD_API_KEY is set. */
async function runPodTarget(cleanups) {
	if (process.env.RUNPOD_API_KEY) {
		return {
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
		apiKey: sandbox.apiKey,
		baseUrl: sandbox.url,
		description: `local sandbox at ${sandbox.url} (no real pods, no cost); set RUNPOD_API_KEY to use real RunPod`,
	};
}

main();
