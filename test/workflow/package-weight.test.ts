/**
 * What npm publishes: compiled code, icons and n8n's lazy-loading manifests, no source maps or
 * type declarations. n8n 2.41 loads community packages with LazyPackageDirectoryLoader, which
 * reads dist/known/*.json and dist/types/*.json and loads the node's code only when it runs.
 */
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { LazyPackageDirectoryLoader, PackageDirectoryLoader } from 'n8n-core';

const root = join(__dirname, '../..');

function publishedFiles(): string[] {
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
	});
	return (JSON.parse(output) as Array<{ files: Array<{ path: string }> }>)[0].files.map(
		(file) => file.path,
	);
}

/** Descriptions as n8n would send them to the editor (functions dropped, key order ignored). */
function normalized(value: unknown): unknown {
	return JSON.parse(JSON.stringify(value));
}

beforeAll(() => {
	if (!existsSync(join(root, 'dist/nodes/RunPod/RunPod.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` (npm test does it for you)');
	}
});

test('the published package has no source maps or .d.ts files, and has the lazy-loading manifests', () => {
	const files = publishedFiles();
	expect(files.filter((file) => file.endsWith('.map') || file.endsWith('.d.ts'))).toEqual([]);
	for (const manifest of [
		'known/nodes.json',
		'known/credentials.json',
		'types/nodes.json',
		'types/credentials.json',
	]) {
		expect(files).toContain(`dist/${manifest}`);
	}
	expect(files).toContain('dist/nodes/RunPod/RunPod.node.js');
});

describe("n8n's community-package loader (LazyPackageDirectoryLoader) on the built package", () => {
	let lazy: LazyPackageDirectoryLoader;
	let full: PackageDirectoryLoader;

	beforeAll(async () => {
		lazy = new LazyPackageDirectoryLoader(root);
		await lazy.loadAll();
		full = new PackageDirectoryLoader(root);
		await full.loadAll();
	});

	test('lists the nodes and credentials without loading their code', () => {
		expect(lazy.isLazyLoaded).toBe(true);
		expect(Object.keys(lazy.nodeTypes)).toEqual([]);
		expect(Object.keys(lazy.known.nodes).sort()).toEqual(Object.keys(full.nodeTypes).sort());
		expect(Object.keys(lazy.known.credentials).sort()).toEqual(
			Object.keys(full.credentialTypes).sort(),
		);
	});

	test('the manifests describe exactly what the code does (rebuilt with every build, never stale)', () => {
		// The generator leaves out only the loader's own bookkeeping.
		const described = full.types.nodes.map(
			// eslint-disable-next-line @typescript-eslint/no-unused-vars -- left out on purpose
			({ __loadOptionsMethods, ...description }) => description,
		);
		expect(normalized(lazy.types.nodes)).toEqual(normalized(described));
		expect(normalized(lazy.types.credentials)).toEqual(normalized(full.types.credentials));
	});

	test("loads a node's code when a workflow needs it", () => {
		for (const name of Object.keys(lazy.known.nodes)) {
			expect(lazy.getNode(name).type.description.name).toBe(name);
		}
		expect(lazy.getCredential('runPodApi').type.name).toBe('runPodApi');
	});
});
