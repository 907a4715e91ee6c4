// ESLint for the tests (and, through sandbox/eslint.config.mjs, the sandbox): n8n-node's own
// config, with the @n8n/community-nodes rules switched off. Those rules say what code may run
// inside n8n (no fs, http, process or timers; no secrets in source); tests and the sandbox are
// not shipped and need exactly those. TypeScript, import and no-console rules stay on.
// ESLint uses this file for test/ because `npm run lint` runs it with the nearest-config lookup
// (ESLINT_FLAGS=unstable_config_lookup_from_file; ESLint 10's default). The project's root
// eslint.config.mjs stays n8n-node's default, as its strict mode requires.
import { config } from '@n8n/node-cli/eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const communityRulesOff = Object.fromEntries(
	Object.keys(n8nCommunityNodesPlugin.rules).map((rule) => [`@n8n/community-nodes/${rule}`, 'off']),
);

export default [...config, { files: ['**/*.ts'], rules: communityRulesOff }];
