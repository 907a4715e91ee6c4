// The lint gates, run outside jest: ESLint's flat config loads through dynamic import, and
// eslint-plugin-n8n-nodes-base changes its behaviour when NODE_ENV is "test" (as jest sets it).
// Usage: node gates.mjs lint | config <file> | active-rules <file> | lint-text <file> <text>
//        | scan <dir> source|tarball
import { ESLint } from 'eslint';
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const [command, ...args] = process.argv.slice(2);
const eslint = new ESLint({ cwd: process.cwd() });
let result;

if (command === 'lint') {
	const results = await eslint.lintFiles(['nodes', 'credentials', 'package.json']);
	result = {
		files: results.length,
		problems: results.flatMap((r) =>
			r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId} ${m.message}`),
		),
	};
} else if (command === 'config') {
	const config = await eslint.calculateConfigForFile(args[0]);
	result = { rules: Object.keys(config.rules ?? {}) };
} else if (command === 'active-rules') {
	const config = await eslint.calculateConfigForFile(args[0]);
	const active = Object.entries(config.rules ?? {}).filter(([, value]) => {
		const level = Array.isArray(value) ? value[0] : value;
		return level !== 0 && level !== 'off';
	});
	result = { active: active.map(([rule]) => rule) };
} else if (command === 'lint-text') {
	const [lint] = await eslint.lintText(args[1], { filePath: args[0] });
	result = { ruleIds: lint.messages.map((m) => m.ruleId) };
} else if (command === 'scan') {
	const patterns = args[1] === 'tarball' ? ['**/*.js', 'package.json'] : SOURCE_FILE_PATTERNS;
	const scan = await analyzePackage(args[0], patterns);
	result = { passed: scan.passed, message: scan.message ?? '', details: scan.details ?? '' };
} else {
	throw new Error(`unknown command ${command}`);
}
process.stdout.write(JSON.stringify(result));
