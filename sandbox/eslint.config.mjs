// The sandbox is test infrastructure, linted like the tests (see test/eslint.config.mjs);
// its command line prints to the terminal.
import testConfig from '../test/eslint.config.mjs';

export default [...testConfig, { files: ['cli.ts'], rules: { 'no-console': 'off' } }];
