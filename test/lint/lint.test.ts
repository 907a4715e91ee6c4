/**
 * The gates n8n applies before it verifies a community package: both lint rule families with zero
 * errors and zero warnings, and n8n's own scanner on the source tree and on the packed tarball.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '../..');

/** Runs a gate in a plain Node process, as CI and n8n's scanner would (see gates.mjs for why). */
function gate<T>(...args: string[]): T {
	const env = { ...process.env, NODE_ENV: 'production' };
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
