#!/usr/bin/env node
'use strict';
// Installs (once) the real n8n used by `npm start` and the end-to-end tests.
// Usage: node scripts/provision-n8n.js   (N8N_VERSION=x.y.z for another n8n than the default;
//        N8N_RUNPOD_CACHE for another cache folder)
let install;
try {
	install = require('./lib/n8n-install');
} catch (error) {
	console.error(error.message);
	process.exit(1);
}

install.ensureN8nInstalled().then(
	(paths) =>
		console.log(`n8n ${install.N8N_VERSION} is ready: ${paths.n8nBin} (Node: ${paths.nodeBinary})`),
	(error) => {
		console.error(`n8n install failed: ${error.message}`);
		process.exit(1);
	},
);
