'use strict';
// What a local n8n needs before it starts: the package in its user folder, a RunPod
// credential, the example workflows, and an owner account managed through the environment.

const fs = require('fs');
const os = require('os');
const path = require('path');

const { REPO_ROOT, buildAndPack, installTarball } = require('./package-install');
const { runN8nCliOrThrow } = require('./n8n-process');

/** The id and name every example workflow uses for its RunPod credential. */
const EXAMPLE_CREDENTIAL = { id: 'RunPodCredential', name: 'RunPod account' };
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** A dev-only login, printed by `npm start`; the instance listens on 127.0.0.1 only. */
const DEV_OWNER = {
	email: 'owner@example.com',
	password: 'RunPod-dev-2024',
	firstName: 'Dev',
	lastName: 'Owner',
};

function ownerEnv(owner = DEV_OWNER) {
	// bcryptjs is one of this repository's devDependencies (n8n ships it too).
	const bcrypt = require('bcryptjs');
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(owner.password, 10),
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
	};
}

/** Builds, packs and installs this package into `userFolder` as n8n would. */
function installPackageInto(userFolder, options) {
	const tarball = buildAndPack(options);
	try {
		return installTarball(tarball, userFolder);
	} finally {
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
}

/** Writes JSON to a private temp file for the length of `fn` (credential files hold the key). */
async function withTempJson(value, fn) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runpod-n8n-import-'));
	const file = path.join(dir, 'import.json');
	fs.writeFileSync(file, JSON.stringify(value, null, 2), { mode: 0o600 });
	try {
		return await fn(file);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * Imports (or replaces, same id) the RunPod credential. `data` is a plain object, which
 * `n8n import:credentials` encrypts with the instance key before storing it.
 */
function importRunPodCredential(
	install,
	env,
	{
		apiKey,
		baseUrl,
		api,
		serverlessBaseUrl,
		id = EXAMPLE_CREDENTIAL.id,
		name = EXAMPLE_CREDENTIAL.name,
	},
) {
	// `api`: 'graphql' (the credential's default) or 'restV2'. The sandbox serves the serverless job
	// API on its one URL too; real RunPod keeps api.runpod.ai.
	const jobsUrl =
		serverlessBaseUrl ?? (baseUrl && !/\.runpod\.io/.test(baseUrl) ? baseUrl : undefined);
	const credentials = [
		{
			id,
			name,
			type: 'runPodApi',
			data: {
				apiKey,
				baseUrl,
				...(api ? { api } : {}),
				...(jobsUrl ? { serverlessBaseUrl: jobsUrl } : {}),
			},
		},
	];
	return withTempJson(credentials, (file) =>
		runN8nCliOrThrow(install, ['import:credentials', `--input=${file}`], env),
	);
}

function importWorkflows(install, env, workflows) {
	return withTempJson(workflows, (file) =>
		runN8nCliOrThrow(install, ['import:workflow', `--input=${file}`], env),
	);
}

/** The example workflows in examples/, as parsed JSON, sorted by file name. */
function loadExamples() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')),
		}));
}

module.exports = {
	EXAMPLE_CREDENTIAL,
	EXAMPLES_DIR,
	DEV_OWNER,
	ownerEnv,
	installPackageInto,
	importRunPodCredential,
	importWorkflows,
	loadExamples,
};
