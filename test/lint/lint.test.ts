/**
 * The gates n8n applies before it verifies a community package: `n8n-node lint` in strict mode
 * (n8n-node's own ESLint config, both rule families, zero errors and zero warnings on node code),
 * and n8n's own scanner on the source tree and on the packed tarball.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '../..');

/** Runs a gate in a plain Node process, as CI and n8n's scanner would (see gates.mjs for why). */
function gate<T>(...args: string[]): T {
	// The same ESLint flag as `npm run lint`: each file gets its nearest eslint.config.mjs.
	const env = {
		...process.env,
		NODE_ENV: 'production',
		ESLINT_FLAGS: 'unstable_config_lookup_from_file',
	};
	const out = execFileSync(process.execPath, [join(__dirname, 'gates.mjs'), ...args], {
		cwd: root,
		env,
		encoding: 'utf8',
	});
	return JSON.parse(out) as T;
}

function scan(dir: string, leg: 'source' | 'tarball') {
	return gate<{ passed: boolean; message: string; details: string }>('scan', dir, leg);
}

describe("n8n-node's strict mode", () => {
	const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
		n8n: { strict?: boolean };
		scripts: Record<string, string>;
	};

	test('package.json asks for strict mode and `npm run lint` is `n8n-node lint`', () => {
		expect(packageJson.n8n.strict).toBe(true);
		expect(packageJson.scripts.lint).toMatch(/(^|\s)n8n-node lint$/);
	});

	test("eslint.config.mjs is n8n-node's default, compared the way `n8n-node lint` compares it", () => {
		// n8n-node reads this template and compares with whitespace collapsed (dist/commands/lint.js).
		const template = join(
			root,
			'node_modules/@n8n/node-cli/dist/template/templates/shared/default/eslint.config.mjs',
		);
		const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
		expect(collapse(readFileSync(join(root, 'eslint.config.mjs'), 'utf8'))).toBe(
			collapse(readFileSync(template, 'utf8')),
		);
	});

	test('tests and the sandbox keep the TypeScript rules, without the rules for code run by n8n', () => {
		for (const file of ['test/workflow/pod.test.ts', 'sandbox/server.ts']) {
			const { rules } = gate<{ rules: string[] }>('config', join(root, file));
			expect(rules).toEqual(
				expect.arrayContaining(['@typescript-eslint/no-explicit-any', 'no-console']),
			);
			const active = gate<{ active: string[] }>('active-rules', join(root, file)).active;
			expect(active).toContain('@typescript-eslint/no-explicit-any');
			expect(active.filter((r) => r.startsWith('@n8n/community-nodes/'))).toEqual([]);
		}
	});
});

describe('lint: both n8n rule families', () => {
	test('nodes/, credentials/ and package.json have zero errors and zero warnings', () => {
		const { files, problems } = gate<{ files: number; problems: string[] }>('lint');
		expect(problems).toEqual([]);
		expect(files).toBeGreaterThan(20);
	});

	test('the configuration really applies both families to node code', () => {
		const { rules } = gate<{ rules: string[] }>(
			'config',
			join(root, 'nodes/RunPod/RunPod.node.ts'),
		);
		expect(rules.filter((r) => r.startsWith('n8n-nodes-base/')).length).toBeGreaterThan(50);
		expect(rules).toEqual(
			expect.arrayContaining([
				'@n8n/community-nodes/no-restricted-globals',
				'@n8n/community-nodes/require-node-api-error',
			]),
		);
	});

	test('the gate fails on what n8n rejects (timers, process, raw rethrows)', () => {
		const { ruleIds } = gate<{ ruleIds: string[] }>(
			'lint-text',
			join(root, 'nodes/RunPod/helpers/probe.ts'),
			[
				"import { NodeOperationError } from 'n8n-workflow';",
				'export async function wait(): Promise<void> {',
				'\ttry {',
				'\t\tawait new Promise((resolve) => setTimeout(resolve, Number(process.env.DELAY)));',
				'\t} catch (error) {',
				'\t\tthrow error;',
				'\t}',
				'\tthrow new NodeOperationError({} as never, "x");',
				'}',
			].join('\n'),
		);
		expect(ruleIds).toEqual(
			expect.arrayContaining([
				'@n8n/community-nodes/no-restricted-globals',
				'@n8n/community-nodes/require-node-api-error',
			]),
		);
	});
});

describe("n8n's community-package scanner", () => {
	test('passes on the source tree', () => {
		const result = scan(root, 'source');
		expect(result.details).toBe('');
		expect(result.passed).toBe(true);
	});

	test('passes on the packed tarball (what npm publishes)', () => {
		const dir = mkdtempSync(join(tmpdir(), 'runpod-pack-'));
		try {
			execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
				cwd: root,
				stdio: 'pipe',
			});
			const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
			expect(tarball).toBeDefined();
			execFileSync('tar', ['-xzf', join(dir, tarball as string), '-C', dir]);
			const files = readdirSync(join(dir, 'package', 'dist', 'nodes', 'RunPod'));
			expect(files).toEqual(
				expect.arrayContaining([
					'RunPod.node.js',
					'RunPod.node.json',
					'runpod.svg',
					'runpod.dark.svg',
				]),
			);
			const result = scan(join(dir, 'package'), 'tarball');
			expect(result.details).toBe('');
			expect(result.passed).toBe(true);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
