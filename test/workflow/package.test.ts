/** The built package loads the way n8n loads an installed community package. */
import { existsSync, readFileSync } from 'fs';
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
		expect(Object.keys(loader.nodeTypes)).toEqual(['runPod', 'runPodTrigger', 'runPodJobTrigger']);
		expect(Object.keys(loader.credentialTypes)).toEqual(['runPodApi']);
		const description = loader.types.nodes.find((n) => n.name === 'runPod');
		expect(description?.usableAsTool).toBeTruthy();
		expect(description?.credentials).toEqual([{ name: 'runPodApi', required: true }]);
	});

	test('the triggers: n8n adds Poll Times to the polling one, the job trigger has its webhook', () => {
		const polling = loader.types.nodes.find((n) => n.name === 'runPodTrigger');
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

	test('the codex file travels with the node', () => {
		const codex = JSON.parse(
			readFileSync(join(root, 'dist/nodes/RunPod/RunPod.node.json'), 'utf8'),
		) as { node: string; categories: string[] };
		expect(codex.node).toBe('n8n-nodes-runpod-cloud.runPod');
		expect(codex.categories).toEqual(['Development']);
	});
});
