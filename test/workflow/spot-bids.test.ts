/**
 * Spot bids for multi-GPU pods. RunPod quotes spot floors for the whole pod (lowestPrice's
 * minimumBidPrice covers all requested GPUs, and so does the pod's lowestBidPriceToResume, like
 * every other price on a pod); bids are per GPU. A floor used as a per-GPU bid overpays gpuCount times.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { byId, graphqlOnly, json, runRunPodNode, speakTestApi } from './harness';

const GPU = 'NVIDIA GeForce RTX 4090';
/** The sandbox's Secure Cloud spot floor for one RTX 4090 (gpu-catalog.tsv). */
const FLOOR_PER_GPU = 0.35;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 9 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.setStock(GPU, { secure: 8 });
});

async function run(parameters: IDataObject) {
	return await runRunPodNode({
		parameters,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

function bidSent(field: string): number {
	const request = sandbox.requests.find((r) => r.fields.includes(field));
	return (request?.variables.input as IDataObject).bidPerGpu as number;
}

graphqlOnly(
	'2 GPUs: Create Spot with bid 0 bids the per-GPU floor plus 10%, and Resume with bid 0 bids the per-GPU floor',
	async () => {
		const created = await run({
			resource: 'pod',
			operation: 'createSpot',
			name: 'two-gpu-spot',
			imageName: 'ubuntu:22.04',
			gpuTypeId: GPU,
			gpuCount: 2,
			cloudType: 'SECURE',
			containerDiskInGb: 20,
			volumeInGb: 0,
			bidPerGpu: 0,
		});
		expect(created.error).toBeUndefined();
		const [pod] = json(created);
		expect(bidSent('podRentInterruptable')).toBe(0.385);
		expect(pod.costPerHr).toBe(0.77);

		sandbox.interruptSpotPod(pod.id as string);
		sandbox.requests.length = 0;
		const resumed = await run({
			resource: 'pod',
			operation: 'resume',
			podId: byId(pod.id as string),
			bidPerGpu: 0,
		});
		expect(resumed.error).toBeUndefined();
		expect(bidSent('podBidResume')).toBe(FLOOR_PER_GPU);
		expect(json(resumed)[0]).toMatchObject({
			status: 'RUNNING',
			gpuCount: 2,
			costPerHr: 2 * FLOOR_PER_GPU,
		});
	},
);
