'use strict';
// The RunPod sandbox is TypeScript; scripts run on plain Node, so compile it on the fly.
const path = require('path');

let registered = false;

function loadSandbox() {
	if (!registered) {
		require('ts-node').register({
			transpileOnly: true,
			compilerOptions: { module: 'commonjs' },
		});
		registered = true;
	}
	return require(path.join(__dirname, '..', '..', 'sandbox'));
}

module.exports = { loadSandbox };
