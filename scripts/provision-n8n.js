#!/usr/bin/env node
'use strict';
// Installs (once) the real n8n used by `npm start` and the end-to-end tests.
// Usage: node scripts/provision-n8n.js        (set N8N_RUNPOD_CACHE to use another cache folder)
const { ensureN8nInstalled } = require('./lib/n8n-install');

ensureN8nInstalled().then(
	(paths) => console.log(`n8n is ready: ${paths.n8nBin} (Node: ${paths.nodeBinary})`),
	(error) => {
		console.error(`n8n install failed: ${error.message}`);
		process.exit(1);
	},
);
