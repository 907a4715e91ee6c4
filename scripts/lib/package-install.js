'use strict';
// Builds and packs this repository, then unpacks the tarball exactly where n8n puts an
// installed community package: <user folder>/.n8n/nodes/node_modules/<package name>.
// n8n's community-packages module scans that folder for `n8n-nodes-*` directories on start
// (n8n-core scanDirectoryForPackages), so no database entry or nodes/package.json is needed.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME = require(path.join(REPO_ROOT, 'package.json')).name;

function runQuiet(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
	}
	return result.stdout;
}

/** `npm run build` then `npm pack`; returns the path of the tarball (in a temp folder). */
function buildAndPack({ skipBuild = false } = {}) {
	if (!skipBuild) runQuiet('npm', ['run', 'build'], REPO_ROOT);
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'runpod-pack-'));
	const packed = JSON.parse(
		runQuiet('npm', ['pack', '--json', '--pack-destination', destination], REPO_ROOT),
	);
	return path.join(destination, packed[0].filename);
}

function packageDirIn(userFolder) {
	return path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
}

/** Replaces any earlier copy of the package in the user folder with the tarball's contents. */
function installTarball(tarball, userFolder) {
	const target = packageDirIn(userFolder);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	runQuiet('tar', ['-xzf', tarball, '--strip-components=1', '-C', target], REPO_ROOT);
	return target;
}

module.exports = { REPO_ROOT, PACKAGE_NAME, buildAndPack, installTarball, packageDirIn };
