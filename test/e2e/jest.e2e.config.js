/** End-to-end tests in a real n8n (see "End-to-end tests in real n8n" in CONTRIBUTING.md). */
const path = require('path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.js'],
	// The sandbox is TypeScript; compile it without type checks (its own tests do those).
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{
				diagnostics: false,
				tsconfig: {
					module: 'commonjs',
					target: 'es2022',
					esModuleInterop: true,
					isolatedModules: true,
				},
			},
		],
	},
	// dist/package.json has the package's name too; keep jest's module map unambiguous.
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	globalSetup: '<rootDir>/test/e2e/helpers/global-setup.js',
	// Booting n8n takes seconds and a first run installs it (minutes, done in globalSetup).
	testTimeout: 240000,
	slowTestThreshold: 60,
	verbose: true,
	maxWorkers: 1,
};
