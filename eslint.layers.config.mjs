/**
 * Layer rules that imports do not show (dependency-cruiser checks the imports): HTTP is sent only
 * by nodes/RunPod/transport/. Run by `npm run lint:layers`; n8n's own lint config stays untouched
 * (n8n-node lint's strict mode requires it).
 */
import tsParser from '@typescript-eslint/parser';

const onlyInTransport = (property) => ({
	property,
	message: 'HTTP goes through nodes/RunPod/transport/ (see docs/ARCHITECTURE.md).',
});

export default [
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		ignores: ['nodes/RunPod/transport/**'],
		languageOptions: { parser: tsParser },
		linterOptions: { reportUnusedDisableDirectives: 'off' },
		rules: {
			'no-restricted-properties': [
				'error',
				onlyInTransport('httpRequest'),
				onlyInTransport('httpRequestWithAuthentication'),
				onlyInTransport('requestWithAuthentication'),
			],
		},
	},
];
