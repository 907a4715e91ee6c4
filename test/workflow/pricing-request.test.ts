/**
 * The cost guard and Cheapest in Stock must price and check stock for the very request the node
 * then rents: same data center (also the one a network volume forces), minimum vCPUs and memory,
 * allowed CUDA versions.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { ON_REST, graphqlOnly, json, restOnly, runRunPodNode, speakTestApi } from './harness';

const H100 = 'NVIDIA H100 80GB HBM3';
const DC = 'EU-RO-1';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 5 });
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
		parameters: {
			resource: 'pod',
			operation: 'create',
			name: 'priced',
			imageName: 'ubuntu:22.04',
			gpuCount: 1,
			cloudType: 'SECURE',
			containerDiskInGb: 20,
			volumeInGb: 0,
			...parameters,
		},
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

/** Only the H100 has free Secure Cloud GPUs in EU-RO-1; every other type is in stock elsewhere only. */
function onlyH100InDataCenter(): void {
	for (const level of Object.values(sandbox.state.stock[DC])) level.SECURE = 0;
	sandbox.setStock(H100, { secure: 4 }, DC);
}

function priceLookups(): IDataObject[] {
	return sandbox.requests
		.filter((r) => r.fields.includes('gpuTypes'))
		.map((r) => r.variables.secure as IDataObject);
}

test("Cheapest in Stock with a network volume looks for stock in the volume's data center, and rents what is there", async () => {
	sandbox.state.networkVolumes.push({
		id: 'vol1234567',
		name: 'models',
		size: 50,
		dataCenterId: DC,
	});
	onlyH100InDataCenter();
	const result = await run({
		gpuSelection: 'cheapest',
		minVramGb: 16,
		additionalFields: { networkVolumeId: 'vol1234567' },
	});
	expect(result.error).toBeUndefined();
	const [pod] = json(result);
	expect(pod).toMatchObject({ gpuType: H100, dataCenterId: DC });
	// REST v2 reads stock per data center from the catalog answer itself; GraphQL asks for the data center.
	if (!ON_REST) expect(priceLookups()).toEqual([expect.objectContaining({ dataCenterId: DC })]);
});

restOnly(
	'the cost guard prices the same data center and CUDA versions as the create asks for',
	async () => {
		onlyH100InDataCenter();
		const result = await run({
			gpuTypeId: H100,
			maxCostPerHour: 100,
			additionalFields: { dataCenterId: DC, allowedCudaVersions: ['12.4', '12.8'] },
		});
		expect(result.error).toBeUndefined();
		expect(json(result)[0]).toMatchObject({ gpuType: H100, dataCenterId: DC });
		const lookups = sandbox.requests
			.filter((r) => r.fields.includes('getGpuType'))
			.map((r) => r.path);
		expect(lookups.length).toBe(2);
		for (const path of lookups) expect(path).toMatch(/cudaVersions=12\.4%2C12\.8/);
		const create = sandbox.requests.find((r) => r.fields.includes('createPod'))
			?.body as IDataObject;
		expect(create).toMatchObject({
			dataCenterIds: [DC],
			gpu: { id: H100, allowedCudaVersions: ['12.4', '12.8'] },
		});
	},
);

test('Cheapest in Stock with a pinned data center says nothing is in stock there instead of trying GPUs from elsewhere', async () => {
	for (const level of Object.values(sandbox.state.stock[DC])) level.SECURE = 0;
	const result = await run({
		gpuSelection: 'cheapest',
		minVramGb: 16,
		additionalFields: { dataCenterId: DC },
	});
	expect(result.error?.message).toMatch(
		/Nothing was rented: no GPU type with 16 GB or more is in stock/,
	);
	expect(result.error?.description).toMatch(/EU-RO-1/);
	expect(
		sandbox.requests.filter((r) => r.fields.includes('podFindAndDeployOnDemand')),
	).toHaveLength(0);
});

// Minimum vCPUs and memory do not exist on REST v2 (a clear error, tested in test/contract/rest-requests.test.ts).
graphqlOnly('the cost guard prices the same machine as the create asks for', async () => {
	onlyH100InDataCenter();
	const result = await run({
		gpuTypeId: H100,
		maxCostPerHour: 100,
		additionalFields: {
			dataCenterId: DC,
			minVcpuCount: 8,
			minMemoryInGb: 64,
			allowedCudaVersions: ['12.4', '12.8'],
		},
	});
	expect(result.error).toBeUndefined();
	const create = sandbox.requests.find((r) => r.fields.includes('podFindAndDeployOnDemand'))
		?.variables.input as IDataObject;
	const [lookup] = priceLookups();
	for (const key of ['dataCenterId', 'minVcpuCount', 'minMemoryInGb', 'allowedCudaVersions']) {
		expect({ [key]: lookup[key] }).toEqual({ [key]: create[key] });
	}
});
