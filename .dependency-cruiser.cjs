/**
 * The house's layer rules (../shared/ARCHITECTURE.md "Rules of the house", docs/ARCHITECTURE.md),
 * checked in `npm test` by `npm run lint:layers`: any violation fails the build.
 */
const NODE = '^nodes/RunPod/';
const ABOVE_API = `${NODE}(actions|trigger|methods)/|${NODE}[^/]+\\.node\\.ts$`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'no-cycles',
			severity: 'error',
			comment: 'Modules never import each other in a circle, directly or through others.',
			from: { path: '^(nodes|credentials)/' },
			to: { circular: true },
		},
		{
			name: 'actions-trigger-not-transport',
			severity: 'error',
			comment:
				'actions/, trigger/, methods/ and the node files talk to RunPod through api/, never through transport/.',
			from: { path: ABOVE_API },
			to: { path: `${NODE}transport/` },
		},
		{
			name: 'trigger-not-actions',
			severity: 'error',
			comment: 'trigger/ never imports actions/: what both need lives below them.',
			from: { path: `${NODE}trigger/` },
			to: { path: `${NODE}actions/` },
		},
		{
			name: 'rest-not-graphql',
			severity: 'error',
			comment: 'api/rest/ never imports api/graphql/: retiring GraphQL is deleting its folder.',
			from: { path: `${NODE}api/rest/` },
			to: { path: `${NODE}api/graphql/` },
		},
		{
			name: 'graphql-not-rest',
			severity: 'error',
			comment: 'api/graphql/ never imports api/rest/.',
			from: { path: `${NODE}api/graphql/` },
			to: { path: `${NODE}api/rest/` },
		},
		{
			name: 'api-transport-not-upwards',
			severity: 'error',
			comment:
				'api/ and transport/ never import anything above them (actions/, trigger/, methods/, node files).',
			from: { path: `${NODE}(api|transport)/` },
			to: { path: ABOVE_API },
		},
		{
			name: 'transport-not-api',
			severity: 'error',
			comment: 'transport/ is below api/: it never imports api/.',
			from: { path: `${NODE}transport/` },
			to: { path: `${NODE}api/` },
		},
		{
			name: 'api-requests-advised',
			severity: 'error',
			comment:
				'api/ sends requests through api/requests.ts only, which adds the advice to failures (api/failureAdvice.ts): no failure reaches the user without it.',
			from: { path: `${NODE}api/`, pathNot: `${NODE}api/requests\\.ts$` },
			to: {
				path: `${NODE}transport/(graphql|rest|jobRequest|request|sse)\\.ts$`,
				dependencyTypesNot: ['type-only'],
			},
		},
		{
			name: 'credentials-not-nodes',
			severity: 'error',
			comment: 'The credential imports nothing from nodes/.',
			from: { path: '^credentials/' },
			to: { path: '^nodes/' },
		},
		{
			name: 'nodes-only-n8n-workflow',
			severity: 'error',
			comment:
				'Code shipped to n8n (nodes/, credentials/) imports only n8n-workflow and relative files.',
			from: { path: '^(nodes|credentials)/' },
			to: {
				dependencyTypesNot: ['local'],
				pathNot: '^node_modules/n8n-workflow/',
			},
		},
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		exclude: { path: '\\.(json|svg|png)$' },
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default', 'types'],
			extensions: ['.ts', '.js', '.d.ts'],
		},
	},
};
