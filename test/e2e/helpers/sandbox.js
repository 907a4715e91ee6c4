'use strict';
// A fresh RunPod sandbox per test, always on the same port so that the credential
// imported once into n8n (its baseUrl and key) stays valid from test to test.
const http = require('http');

const { startSandbox } = require('../../../sandbox');

function sandboxOnPort(port) {
	let current;
	return {
		async start(options = {}) {
			current = await startSandbox({ port, seed: 1, ...options });
			return current;
		},
		async stop() {
			if (current) await current.close();
			current = undefined;
		},
	};
}

/**
 * Sends GraphQL to the sandbox with its full-access key, as RunPod's API would be called.
 * A new connection each time (no keep-alive): every test runs a new sandbox on the same port,
 * and a pooled socket to the previous one would be dead.
 */
function sandboxGraphql(sandbox, query, variables = {}) {
	const body = JSON.stringify({ query, variables });
	return new Promise((resolve, reject) => {
		const request = http.request(
			`${sandbox.url}/graphql`,
			{
				method: 'POST',
				agent: false,
				headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => {
					const parsed = JSON.parse(text);
					if (parsed.errors) reject(new Error(`sandbox GraphQL: ${JSON.stringify(parsed.errors)}`));
					else resolve(parsed.data);
				});
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

/** Rents a pod in the sandbox directly (test set-up, not through n8n). */
async function createPod(
	sandbox,
	{ name, gpuTypeId = 'NVIDIA GeForce RTX 4090', ports = '8888/http' },
) {
	const data = await sandboxGraphql(
		sandbox,
		`mutation Create($input: PodFindAndDeployOnDemandInput) {
			podFindAndDeployOnDemand(input: $input) { id name desiredStatus }
		}`,
		{
			input: {
				name,
				imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
				gpuTypeId,
				gpuCount: 1,
				cloudType: 'SECURE',
				containerDiskInGb: 20,
				volumeInGb: 0,
				ports,
			},
		},
	);
	return data.podFindAndDeployOnDemand;
}

module.exports = { sandboxOnPort, sandboxGraphql, createPod };
