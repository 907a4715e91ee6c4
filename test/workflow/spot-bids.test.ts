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

/**
 * Issue 18, item 7: spot pods get the same Max Cost Per Hour guard as on-demand ones (bid × GPU
 * count), and Bid Per GPU has a ceiling, so an expression that resolves to a whole-pod price is
 * not multiplied silently. An AI agent fills these fields too.
 */
describe('money guard on spot', () => {
	function createSpot(overrides: IDataObject = {}): IDataObject {
		return {
			resource: 'pod',
			operation: 'createSpot',
			name: 'guarded-spot',
			imageName: 'ubuntu:22.04',
			gpuTypeId: GPU,
			gpuCount: 4,
			cloudType: 'SECURE',
			containerDiskInGb: 20,
			volumeInGb: 0,
			bidPerGpu: 0,
			...overrides,
		};
	}

	const spotRentals = () =>
		sandbox.requests.filter((r) => r.fields.includes('podRentInterruptable')).length;

	test('Create Spot: a bid whose whole pod costs more than Max Cost Per Hour is refused before any request', async () => {
		const result = await run(createSpot({ bidPerGpu: 1.5, maxCostPerHour: 5 }));
		expect(result.error?.message).toBe(
			'Nothing was rented: a bid of $1.5 per GPU for 4 GPUs is $6/hour, above Max Cost Per Hour ($5)',
		);
		expect(result.error?.description).toMatch(/per GPU/);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(sandbox.requests).toHaveLength(0);
		expect(sandbox.state.pods).toHaveLength(0);
	});

	graphqlOnly('Create Spot: a bid within Max Cost Per Hour rents', async () => {
		const result = await run(createSpot({ bidPerGpu: 1.25, maxCostPerHour: 5 }));
		expect(result.error).toBeUndefined();
		expect(bidSent('podRentInterruptable')).toBe(1.25);
		expect(json(result)[0]).toMatchObject({ gpuCount: 4, costPerHr: 5 });
	});

	graphqlOnly(
		"Create Spot with bid 0: RunPod's minimum plus 10% is guarded too, after the price lookup and before the rent",
		async () => {
			// 4 × (0.35 × 1.1) = $1.54/hour for the whole pod.
			const result = await run(createSpot({ bidPerGpu: 0, maxCostPerHour: 1.5 }));
			expect(result.error?.message).toBe(
				'Nothing was rented: a bid of $0.385 per GPU for 4 GPUs is $1.54/hour, above Max Cost Per Hour ($1.5)',
			);
			expect(spotRentals()).toBe(0);
			expect(sandbox.state.pods).toHaveLength(0);
		},
	);

	test.each([
		['a whole-pod price', 12],
		['an absurd figure', 250],
	])(
		'Create Spot: Bid Per GPU above the ceiling (%s) is refused before any request',
		async (_label, bid) => {
			const result = await run(createSpot({ bidPerGpu: `={{ ${bid} }}` }));
			expect(result.error?.message).toBe(
				`Bid Per GPU (USD/hour): $${bid} per GPU is above the $8 ceiling`,
			);
			expect(result.error?.description).toMatch(/whole pod/);
			expect(sandbox.requests).toHaveLength(0);
		},
	);

	graphqlOnly(
		'Resume (spot): a bid over Max Cost Per Hour is refused, and the pod stays stopped',
		async () => {
			const created = await run(createSpot({ gpuCount: 2, bidPerGpu: 0.5 }));
			expect(created.error).toBeUndefined();
			const [pod] = json(created);
			sandbox.interruptSpotPod(pod.id as string);
			sandbox.requests.length = 0;

			const refused = await run({
				resource: 'pod',
				operation: 'resume',
				podId: byId(pod.id as string),
				bidPerGpu: 2,
				maxCostPerHour: 3,
			});
			expect(refused.error?.message).toBe(
				`Nothing was resumed: a bid of $2 per GPU for 2 GPUs is $4/hour, above Max Cost Per Hour ($3)`,
			);
			expect(sandbox.requests.some((r) => r.fields.includes('podBidResume'))).toBe(false);
			expect(sandbox.state.pods.find((p) => p.id === pod.id)?.desiredStatus).toBe('EXITED');

			// Bid 0: RunPod's floor to resume (0.35 per GPU here) is guarded the same way.
			const floorRefused = await run({
				resource: 'pod',
				operation: 'resume',
				podId: byId(pod.id as string),
				bidPerGpu: 0,
				maxCostPerHour: 0.5,
			});
			expect(floorRefused.error?.message).toBe(
				`Nothing was resumed: a bid of $${FLOOR_PER_GPU} per GPU for 2 GPUs is $0.7/hour, above Max Cost Per Hour ($0.5)`,
			);
			expect(sandbox.requests.some((r) => r.fields.includes('podBidResume'))).toBe(false);

			const resumed = await run({
				resource: 'pod',
				operation: 'resume',
				podId: byId(pod.id as string),
				bidPerGpu: 1.5,
				maxCostPerHour: 3,
			});
			expect(resumed.error).toBeUndefined();
			expect(bidSent('podBidResume')).toBe(1.5);
		},
	);

	test('Resume: Bid Per GPU above the ceiling is refused before the pod is even read', async () => {
		const result = await run({
			resource: 'pod',
			operation: 'resume',
			podId: byId('abcdefghijklmn'),
			bidPerGpu: 9.5,
		});
		expect(result.error?.message).toBe(
			'Bid Per GPU (USD/hour): $9.5 per GPU is above the $8 ceiling',
		);
		expect(sandbox.requests).toHaveLength(0);
	});
});
