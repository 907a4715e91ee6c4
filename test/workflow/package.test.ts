/** The built package loads the way n8n loads an installed community package. */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { PackageDirectoryLoader } from 'n8n-core';

const root = join(__dirname, '../..');

describe("the built package, loaded by n8n-core's PackageDirectoryLoader", () => {
	let loader: PackageDirectoryLoader;

	beforeAll(async () => {
		if (!existsSync(join(root, 'dist/nodes/RunPod/RunPod.node.js'))) {
			throw new Error('dist/ is missing: run `npm run build` (npm test does it for you)');
		}
		loader = new PackageDirectoryLoader(root);
		await loader.loadAll();
	});

	test('registers the node as n8n-nodes-runpod-cloud.runPod and the RunPod API credential', () => {
		expect(loader.packageName).toBe('n8n-nodes-runpod-cloud');
		expect(Object.keys(loader.nodeTypes)).toEqual([
			'runPod',
			'runPodEventTrigger',
			'runPodJobTrigger',
		]);
		expect(Object.keys(loader.credentialTypes)).toEqual(['runPodApi']);
		const description = loader.types.nodes.find((n) => n.name === 'runPod');
		expect(description?.usableAsTool).toBeTruthy();
		expect(description?.credentials).toEqual([{ name: 'runPodApi', required: true }]);
	});

	test('the triggers: n8n adds Poll Times to the polling one, the job trigger has its webhook', () => {
		const polling = loader.types.nodes.find((n) => n.name === 'runPodEventTrigger');
		expect(polling?.polling).toBe(true);
		expect(polling?.properties[0]?.name).toBe('pollTimes');
		expect(polling?.credentials).toEqual([{ name: 'runPodApi', required: true }]);
		const job = loader.types.nodes.find((n) => n.name === 'runPodJobTrigger');
		expect(job?.webhooks).toEqual([
			expect.objectContaining({ name: 'default', httpMethod: 'POST', responseMode: 'onReceived' }),
		]);
	});

	test('light and dark icons resolve to files that exist in dist', () => {
		const description = loader.types.nodes.find((n) => n.name === 'runPod');
		const icons = (description as { iconUrl?: { light: string; dark: string } } | undefined)
			?.iconUrl;
		expect(icons?.light).toMatch(/runpod\.svg$/);
		expect(icons?.dark).toMatch(/runpod\.dark\.svg$/);
		expect(existsSync(join(root, 'dist/nodes/RunPod/runpod.svg'))).toBe(true);
		expect(existsSync(join(root, 'dist/nodes/RunPod/runpod.dark.svg'))).toBe(true);
		expect(existsSync(join(root, 'dist/credentials/runpod.svg'))).toBe(true);
	});

	test("each node gets its own entry in n8n's node panel, with its own description and codex", () => {
		// n8n's editor (2.41, generateMergedNodesAndActions) folds a trigger into the node whose
		// name is the trigger's name without "Trigger", and the entry then shows the trigger's
		// description: "RunPod" read "Starts the workflow when pods change…" while runPodTrigger
		// was folded into runPod.
		const names = loader.types.nodes.map((n) => n.name);
		const folded = loader.types.nodes
			.filter((n) => n.group.includes('trigger'))
			.filter((n) => names.includes(n.name.replace('Trigger', '')))
			.map((n) => n.name);
		expect(folded).toEqual([]);
		for (const node of loader.types.nodes) {
			const codexFile = readdirSync(join(root, 'dist/nodes/RunPod'))
				.filter((file) => file.endsWith('.node.json'))
				.map((file) => JSON.parse(readFileSync(join(root, 'dist/nodes/RunPod', file), 'utf8')))
				.find((codex: { node: string }) => codex.node === `n8n-nodes-runpod-cloud.${node.name}`);
			expect(codexFile).toBeDefined();
			expect(node.codex?.categories).toEqual(codexFile.categories);
			expect(node.codex?.alias).toEqual(codexFile.alias);
		}
	});

	test('the codex file travels with the node', () => {
		const codex = JSON.parse(
			readFileSync(join(root, 'dist/nodes/RunPod/RunPod.node.json'), 'utf8'),
		) as { node: string; categories: string[] };
		expect(codex.node).toBe('n8n-nodes-runpod-cloud.runPod');
		expect(codex.categories).toEqual(['Development']);
	});
});
