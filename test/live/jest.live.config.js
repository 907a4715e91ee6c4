/** `npm run test:live`: read-only checks against real RunPod (opt-in; needs RUNPOD_API_KEY). Never run by .ci/run. */
const path = require('path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/live/**/*.live.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	setupFiles: ['<rootDir>/test/setup-env.js'],
	testTimeout: 120000,
	maxWorkers: 1,
	verbose: true,
};
