/** Pod → Create with Compute Type CPU (REST v2): a CPU type and vCPUs instead of GPUs, with the same money safety. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { byId, graphqlOnly, json, restOnly, runRunPodNode, speakTestApi } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 19 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function run(parameters: IDataObject) {
	return await runRunPodNode({
		parameters,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

function createCpu(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'pod',
		operation: 'create',
		name: 'cpu-worker',
		imageName: 'ubuntu:22.04',
		computeType: 'CPU',
		cpuTypeId: byId('cpu3m'),
		vcpuCount: 8,
		containerDiskInGb: 10,
		volumeInGb: 0,
		...overrides,
	};
}

const creates = () => sandbox.requests.filter((r) => r.operationName === 'createPod');

describe('Pod → Create, Compute Type CPU', () => {
	restOnly(
		'rents a CPU pod of that type and size, billed per vCPU, listed with the other pods',
		async () => {
			const result = await run(createCpu({ maxCostPerHour: 1 }));
			expect(result.error).toBeUndefined();
			const [pod] = json(result);
			expect(pod).toMatchObject({
				name: 'cpu-worker',
				cpuType: 'cpu3m',
				vcpuCount: 8,
				memoryInGb: 64,
				gpuType: null,
				gpuCount: 0,
				costPerHr: 0.4,
				dataCenterId: 'US-TX-3',
			});
			// One create: a CPU type and its vCPUs, Secure Cloud, with the create marker.
			expect(creates()).toHaveLength(1);
			const body = creates()[0].body as IDataObject;
			expect(body).toMatchObject({ cpu: { id: 'cpu3m', vcpuCount: 8 }, cloud: 'SECURE' });
			expect(body.gpu).toBeUndefined();
			expect(Object.keys(body.env as IDataObject)).toContain('N8N_RUNPOD_CREATE_ID');

			const listed = json(await run({ resource: 'pod', operation: 'getAll', returnAll: true }));
			expect(listed.map((p) => [p.id, p.cpuType, p.costPerHr])).toEqual([[pod.id, 'cpu3m', 0.4]]);
		},
	);

	restOnly('after a lost answer the pod is found by its marker and not rented twice', async () => {
		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'createPod' });
		const result = await run(createCpu());
		expect(result.error).toBeUndefined();
		expect(json(result)[0]).toMatchObject({ cpuType: 'cpu3m', recovered: true });
		expect(creates()).toHaveLength(1);
		expect(sandbox.state.pods).toHaveLength(1);
	});

	restOnly('over Max Cost Per Hour nothing is sent to rent', async () => {
		const result = await run(createCpu({ maxCostPerHour: 0.3 }));
		expect(result.error?.message).toBe(
			'Nothing was rented: the CPU pod would cost $0.4/hour, over Max Cost Per Hour ($0.3)',
		);
		expect(creates()).toHaveLength(0);
	});

	restOnly(
		"a size outside the CPU type's range, or an unknown CPU type, is named before renting",
		async () => {
			const tooBig = await run(createCpu({ vcpuCount: 32 }));
			expect(tooBig.error?.message).toMatch(/vCPU Count.*cpu3m comes with 2 to 16 vCPUs, not 32/);
			const unknown = await run(createCpu({ cpuTypeId: byId('cpu9z') }));
			expect(unknown.error?.message).toBe('RunPod does not know the CPU type "cpu9z"');
			expect(creates()).toHaveLength(0);
		},
	);

	restOnly('a sold-out CPU type says what to do', async () => {
		const result = await run(createCpu({ cpuTypeId: byId('cpu5m'), vcpuCount: 2 }));
		expect(result.error?.message).toBe(
			'Nothing was rented: RunPod has no cpu5m pod with 2 vCPUs free',
		);
		expect(result.error?.description).toMatch(/In Stock Only/);
		expect(sandbox.state.pods).toHaveLength(0);
	});

	test('GPU-only settings and a vCPU count that is not a power of two are refused before any request', async () => {
		const odd = await run(createCpu({ vcpuCount: 6 }));
		expect(odd.error?.message).toMatch(/vCPU Count/);
		const cuda = await run(createCpu({ additionalFields: { minVcpuCount: 4 } }));
		expect(cuda.error?.message).toMatch(/Minimum vCPUs/);
		expect(cuda.error?.description).toMatch(/vCPU Count/);
		const volume = await run(createCpu({ volumeInGb: 20 }));
		expect(volume.error?.message).toMatch(/Pod Volume/);
		expect(sandbox.requests).toHaveLength(0);
	});

	graphqlOnly("on GraphQL: needs RunPod's REST API v2, and nothing is sent", async () => {
		const result = await run(createCpu());
		expect(result.error?.message).toBe("A CPU pod (Compute Type CPU) needs RunPod's REST API v2");
		expect(result.error?.description).toMatch(/Nothing was sent to RunPod/);
		expect(sandbox.requests).toHaveLength(0);
	});
});
