// n8n's formatting for community nodes (the same settings as n8n-nodes-starter): tabs, single
// quotes, trailing commas, 100 columns. `npm run format:check` reports files that differ.
module.exports = {
	useTabs: true,
	tabWidth: 2,
	printWidth: 100,
	semi: true,
	singleQuote: true,
	quoteProps: 'as-needed',
	trailingComma: 'all',
	bracketSpacing: true,
	arrowParens: 'always',
	endOfLine: 'lf',
};
