/**
 * Unit, contract, workflow, sandbox and lint tests. End-to-end tests in real n8n have their own config.
 * The workflow tests run twice: on RunPod's GraphQL API and on REST v2 (test/workflow/harness.ts).
 */
const shared = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json'}],
	},
};

module.exports = {
	testTimeout: 30000,
	projects: [
		{
			...shared,
			displayName: 'graphql',
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/live/'],
			setupFiles: ['<rootDir>/test/setup-env.js'],
		},
		{
			...shared,
			displayName: 'rest-v2',
			testMatch: ['<rootDir>/test/workflow/**/*.test.ts'],
			// The credential test covers both APIs itself; the package test does not depend on the API.
			testPathIgnorePatterns: ['/node_modules/', 'credential\\.test\\.ts$', 'package\\.test\\.ts$'],
			setupFiles: ['<rootDir>/test/setup-env.js', '<rootDir>/test/setup-rest.js'],
		},
	],
};
