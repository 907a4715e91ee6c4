#!/usr/bin/env node
// Starts the RunPod sandbox from its TypeScript sources, so it needs no build step.
'use strict';

const path = require('path');

require('ts-node').register({
	transpileOnly: true,
	// The sandbox is dev tooling: compile it on its own terms, whatever the package tsconfig says.
	skipProject: true,
	compilerOptions: { module: 'commonjs', target: 'es2022', esModuleInterop: true },
});

require(path.join(__dirname, '..', 'sandbox', 'cli.ts'))
	.main(process.argv.slice(2))
	.catch((error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
