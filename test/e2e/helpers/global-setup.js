'use strict';
// Once per e2e run: make sure the cached n8n exists, then build and pack the package so each
// test file can unpack the same tarball into its own fresh n8n user folder.
const fs = require('fs');
const path = require('path');

const { ensureN8nInstalled } = require('../../../scripts/lib/n8n-install');
const { buildAndPack } = require('../../../scripts/lib/package-install');

module.exports = async function globalSetup() {
	const started = Date.now();
	await ensureN8nInstalled();
	const tarball = buildAndPack();
	// Environment variables set here reach the test files (same process with --runInBand).
	process.env.RUNPOD_E2E_TARBALL = tarball;
	process.stderr.write(
		`\n[e2e] n8n ready, package packed: ${path.basename(tarball)} (${Math.round((Date.now() - started) / 1000)} s)\n`,
	);
	if (!fs.existsSync(tarball)) throw new Error(`npm pack produced no ${tarball}`);
};
