// The same two rule families n8n's verification uses (`n8n-node lint` and @n8n/scan-community-package):
// @n8n/eslint-plugin-community-nodes "recommended" everywhere, plus eslint-plugin-n8n-nodes-base's
// community / credentials / nodes sets, with the off-switches n8n itself applies for community nodes.
import { defineConfig } from 'eslint/config';
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

export default defineConfig(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tsParser },
	},
	{
		files: ['**/*.json'],
		languageOptions: { parser: tsParser },
	},
	n8nCommunityNodesPlugin.configs.recommended,
	{ rules: { 'no-console': 'error' } },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['package.json'],
		rules: { ...n8nNodesBase.configs.community.rules },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
