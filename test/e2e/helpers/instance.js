'use strict';
// A throw-away n8n for one test file: a fresh user folder with the packed package installed,
// free ports, and helpers for the n8n CLI. Everything is removed by `dispose()`.
const fs = require('fs');
const os = require('os');
const path = require('path');

const { layout } = require('../../../scripts/lib/n8n-install');
const { installTarball } = require('../../../scripts/lib/package-install');
const {
	freePort,
	n8nEnv,
	parseExecuteOutput,
	runN8nCli,
	runN8nCliOrThrow,
	startN8nServer,
} = require('../../../scripts/lib/n8n-process');
const {
	importRunPodCredential,
	importWorkflows,
	ownerEnv,
	DEV_OWNER,
} = require('../../../scripts/lib/n8n-instance');

async function createN8nInstance() {
	const tarball = process.env.RUNPOD_E2E_TARBALL;
	if (!tarball)
		throw new Error('RUNPOD_E2E_TARBALL is not set: run through test/e2e/jest.e2e.config.js');
	const install = layout();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'runpod-e2e-n8n-'));
	installTarball(tarball, userFolder);
	const env = n8nEnv({
		userFolder,
		port: await freePort(),
		brokerPort: await freePort(),
		extra: ownerEnv(),
	});
	let server;

	return {
		userFolder,
		env,
		owner: DEV_OWNER,
		cli: (args) => runN8nCliOrThrow(install, args, env),
		importCredential: (credential) => importRunPodCredential(install, env, credential),
		importWorkflows: (workflows) => importWorkflows(install, env, workflows),
		/** Runs a saved workflow with `n8n execute`; returns the exit code and the run's JSON. */
		async execute(workflowId) {
			const { code, stdout, stderr } = await runN8nCli(
				install,
				['execute', `--id=${workflowId}`],
				env,
			);
			let run;
			try {
				run = parseExecuteOutput(stdout);
			} catch (error) {
				throw new Error(`${error.message}\nexit code ${code}\nstderr:\n${stderr}`);
			}
			return { code, run, stdout, stderr };
		},
		async startServer() {
			server = await startN8nServer(install, env);
			return server;
		},
		async dispose() {
			if (server) await server.stop();
			fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

/** The items a node put out in a `n8n execute` run (its first run, first output). */
function itemsOf(run, nodeName) {
	const nodeRuns = run.data.resultData.runData[nodeName];
	if (!nodeRuns) return undefined;
	return (nodeRuns[0].data?.main?.[0] ?? []).map((item) => item.json);
}

function errorOf(run) {
	return run.data.resultData.error;
}

module.exports = { createN8nInstance, itemsOf, errorOf };
