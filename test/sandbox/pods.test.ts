/** Pods move through RunPod's states: boot, stop, resume, terminate; spot bids and interruptions; capacity. */
import { RunPodMessages, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import {
	BID_RESUME,
	DEPLOY,
	GET_POD,
	GPU,
	RENT_SPOT,
	RESUME,
	STOP,
	TERMINATE,
	ask,
	data,
	podInput,
	sleep,
} from './helpers';

const BOOT_MS = 120;
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 3, bootDelayMs: BOOT_MS });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

async function deploy(overrides: Record<string, unknown> = {}) {
	return (await data(sandbox, DEPLOY, { input: podInput(overrides) })).podFindAndDeployOnDemand;
}
async function getPod(podId: string) {
	return (await data(sandbox, GET_POD, { input: { podId } })).pod;
}
async function errorOf(query: string, variables: Record<string, unknown>) {
	const answer = await ask(sandbox, query, variables);
	expect(answer.status).toBe(200);
	return answer.body.errors?.[0];
}

describe('on-demand pod lifecycle', () => {
	test('a created pod is RUNNING with runtime null until it has booted, then shows ports, GPUs and container', async () => {
		const pod = await deploy({ gpuCount: 2 });
		expect(pod).toMatchObject({
			id: expect.stringMatching(/^[a-z0-9]{14}$/),
			name: 'test-pod',
			desiredStatus: 'RUNNING',
			podType: 'RESERVED',
			gpuCount: 2,
			costPerHr: 1.38,
			env: ['JUPYTER_PASSWORD=secret'],
			ports: '8888/http,22/tcp',
			machineId: expect.stringMatching(/^[a-z0-9]{12}$/),
			lastStatusChange: expect.stringMatching(
				/^Rented by User: \w{3} \w{3} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT\+0000/,
			),
			runtime: null,
		});
		expect(pod.machine).toMatchObject({
			gpuTypeId: GPU,
			gpuDisplayName: 'RTX 4090',
			secureCloud: true,
			location: expect.stringMatching(/^[A-Z]{2}$/),
		});
		expect(pod.machine.podHostId).toMatch(new RegExp(`^${pod.id}-[0-9a-f]{8}$`));

		await sleep(BOOT_MS + 30);
		const booted = await getPod(pod.id);
		expect(booted.runtime.uptimeInSeconds).toBeGreaterThanOrEqual(0);
		expect(booted.runtime.gpus).toHaveLength(2);
		expect(booted.runtime.gpus[0].id).toMatch(
			/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
		);
		expect(booted.runtime.container).toEqual({
			cpuPercent: expect.any(Number),
			memoryPercent: expect.any(Number),
		});
		const [http, tcp] = booted.runtime.ports;
		expect(http).toMatchObject({
			ip: expect.stringMatching(/^100\.65\.\d+\.\d+$/),
			isIpPublic: false,
			privatePort: 8888,
			type: 'http',
		});
		expect(tcp).toMatchObject({
			ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
			isIpPublic: true,
			privatePort: 22,
			type: 'tcp',
		});
		expect(tcp.publicPort).toBeGreaterThanOrEqual(10000);
		expect(tcp.publicPort).toBeLessThanOrEqual(65000);
	});

	test('without a public IP, TCP ports stay on the private network', async () => {
		const pod = await deploy({ cloudType: 'COMMUNITY', supportPublicIp: false });
		await sleep(BOOT_MS + 30);
		const tcp = (await getPod(pod.id)).runtime.ports.find(
			(p: { type: string }) => p.type === 'tcp',
		);
		expect(tcp).toMatchObject({ isIpPublic: false, ip: expect.stringMatching(/^100\.65\./) });
	});

	test('stop gives the GPUs back; resume takes them again and boots anew; terminate removes the pod', async () => {
		sandbox.setStock(GPU, { secure: 1 });
		const pod = await deploy();
		expect((await ask(sandbox, DEPLOY, { input: podInput() })).body.errors[0].message).toBe(
			RunPodMessages.noInstances,
		);

		const stopped = (await data(sandbox, STOP, { input: { podId: pod.id } })).podStop;
		expect(stopped).toMatchObject({
			desiredStatus: 'EXITED',
			runtime: null,
			lastStatusChange: expect.stringMatching(/^Exited by User: /),
		});
		expect((await data(sandbox, '{ myself { currentSpendPerHr } }')).myself.currentSpendPerHr).toBe(
			0,
		);

		const resumed = (await data(sandbox, RESUME, { input: { podId: pod.id } })).podResume;
		expect(resumed).toMatchObject({
			desiredStatus: 'RUNNING',
			gpuCount: 1,
			costPerHr: 0.69,
			runtime: null,
		});
		await sleep(BOOT_MS + 30);
		expect((await getPod(pod.id)).runtime).not.toBeNull();
		expect((await data(sandbox, '{ myself { currentSpendPerHr } }')).myself.currentSpendPerHr).toBe(
			0.69,
		);

		expect((await ask(sandbox, TERMINATE, { input: { podId: pod.id } })).body).toEqual({
			data: { podTerminate: null },
		});
		expect(await getPod(pod.id)).toBeNull();
		expect((await data(sandbox, '{ myself { pods { id } } }')).myself.pods).toEqual([]);
		// The GPU is free again.
		await deploy();
	});

	test('resume with another gpuCount rents that many GPUs at the current price', async () => {
		const pod = await deploy();
		await data(sandbox, STOP, { input: { podId: pod.id } });
		sandbox.setPrice(GPU, { securePrice: 0.8 });
		const resumed = (await data(sandbox, RESUME, { input: { podId: pod.id, gpuCount: 2 } }))
			.podResume;
		expect(resumed).toMatchObject({ gpuCount: 2, costPerHr: 1.6 });
		await sleep(BOOT_MS + 30);
		expect((await getPod(pod.id)).runtime.gpus).toHaveLength(2);
	});

	test('a second terminate, and stop or resume of an unknown pod, fail with the mutation as path', async () => {
		const pod = await deploy();
		await data(sandbox, TERMINATE, { input: { podId: pod.id } });
		expect(await errorOf(TERMINATE, { input: { podId: pod.id } })).toMatchObject({
			message: 'Pod not found',
			path: ['podTerminate'],
		});
		expect(await errorOf(STOP, { input: { podId: pod.id } })).toMatchObject({ path: ['podStop'] });
		expect(await errorOf(RESUME, { input: { podId: pod.id, gpuCount: 1 } })).toMatchObject({
			path: ['podResume'],
		});
	});

	test("resume when the host has no free GPU left: RunPod's message", async () => {
		const pod = await deploy();
		await data(sandbox, STOP, { input: { podId: pod.id } });
		sandbox.setStock(GPU, { secure: 0 });
		expect((await errorOf(RESUME, { input: { podId: pod.id, gpuCount: 1 } })).message).toBe(
			RunPodMessages.notEnoughFreeGpus,
		);
		expect((await getPod(pod.id)).desiredStatus).toBe('EXITED');
	});

	test('a template fills in the image, and an unknown pod reads as null', async () => {
		const template = (
			await data(
				sandbox,
				'mutation ($input: SaveTemplateInput) { saveTemplate(input: $input) { id } }',
				{
					input: {
						name: 'base',
						imageName: 'ubuntu:22.04',
						containerDiskInGb: 5,
						volumeInGb: 0,
						dockerArgs: '',
					},
				},
			)
		).saveTemplate;
		const pod = await deploy({ imageName: undefined, templateId: template.id });
		expect(pod).toMatchObject({ imageName: 'ubuntu:22.04', templateId: template.id });
		expect(await getPod('zzzzzzzzzzzzzz')).toBeNull();
	});

	test('required inputs: no image and no template, or no input at all, are 200 resolver errors', async () => {
		expect((await errorOf(DEPLOY, { input: podInput({ imageName: null }) })).message).toBe(
			'Either imageName or templateId is required.',
		);
		expect(await errorOf(DEPLOY, {})).toMatchObject({ path: ['podFindAndDeployOnDemand'] });
		expect(sandbox.state.pods).toHaveLength(0);
	});
});

describe('capacity and placement', () => {
	test('beyond the stock, and for an unknown GPU type, RunPod answers the same capacity message', async () => {
		sandbox.setStock(GPU, { secure: 2, community: 0 });
		expect((await errorOf(DEPLOY, { input: podInput({ gpuCount: 3 }) })).message).toBe(
			RunPodMessages.noInstances,
		);
		expect(
			(await errorOf(DEPLOY, { input: podInput({ gpuTypeId: 'NVIDIA GeForce RTX 9999' }) }))
				.message,
		).toBe(RunPodMessages.noInstances);
		expect((await errorOf(DEPLOY, { input: podInput({ cloudType: 'COMMUNITY' }) })).message).toBe(
			RunPodMessages.noInstances,
		);
		await deploy({ gpuCount: 2 });
	});

	test('Cloud Type ALL takes the cheaper cloud that has stock', async () => {
		expect((await deploy({ cloudType: 'ALL' })).machine.secureCloud).toBe(false);
		sandbox.setStock(GPU, { community: 0 });
		const secure = await deploy({ cloudType: 'ALL' });
		expect(secure).toMatchObject({ costPerHr: 0.69, machine: { secureCloud: true } });
	});

	test('a data center pins the pod there, and one without that GPU in stock gives the capacity error', async () => {
		sandbox.setStock(GPU, { secure: 4 }, 'EU-SE-1');
		sandbox.setStock(GPU, { secure: 0 }, 'US-TX-3');
		expect((await deploy({ dataCenterId: 'EU-SE-1' })).machine).toMatchObject({
			dataCenterId: 'EU-SE-1',
			location: 'SE',
		});
		expect((await errorOf(DEPLOY, { input: podInput({ dataCenterId: 'US-TX-3' }) })).message).toBe(
			RunPodMessages.noInstances,
		);
		expect(
			(await errorOf(DEPLOY, { input: podInput({ dataCenterId: 'XX-NOPE-1' }) })).message,
		).toBe(RunPodMessages.noInstances);
	});
});

describe('spot pods', () => {
	test('a bid below the spot price is refused clearly; at the price the pod costs the bid', async () => {
		// RTX 4090 secure spot: $0.35 per GPU.
		const low = await errorOf(RENT_SPOT, { input: podInput({ bidPerGpu: 0.2, gpuCount: 2 }) });
		expect(low.message).toMatch(
			/bid of \$0\.2\/hr per GPU is below the current minimum bid of \$0\.35\/hr/,
		);
		const pod = (
			await data(sandbox, RENT_SPOT, { input: podInput({ bidPerGpu: 0.4, gpuCount: 2 }) })
		).podRentInterruptable;
		expect(pod).toMatchObject({
			podType: 'INTERRUPTABLE',
			desiredStatus: 'RUNNING',
			costPerHr: 0.8,
			lowestBidPriceToResume: 0.7,
		});
	});

	test('interruption exits the pod "by Runpod"; podResume refuses it, podBidResume brings it back', async () => {
		const pod = (await data(sandbox, RENT_SPOT, { input: podInput({ bidPerGpu: 0.5 }) }))
			.podRentInterruptable;
		await sleep(BOOT_MS + 30);
		sandbox.interruptSpotPod(pod.id);
		expect(await getPod(pod.id)).toMatchObject({
			desiredStatus: 'EXITED',
			runtime: null,
			lastStatusChange: expect.stringMatching(/^Exited by Runpod: /),
		});

		expect((await errorOf(RESUME, { input: { podId: pod.id, gpuCount: 1 } })).message).toBe(
			RunPodMessages.spotResumedAsOnDemand,
		);
		expect(
			(await errorOf(BID_RESUME, { input: { podId: pod.id, gpuCount: 1, bidPerGpu: 0.1 } }))
				.message,
		).toMatch(/below the current minimum bid/);
		const resumed = (
			await data(sandbox, BID_RESUME, { input: { podId: pod.id, gpuCount: 1, bidPerGpu: 0.6 } })
		).podBidResume;
		expect(resumed).toEqual({ id: pod.id, desiredStatus: 'RUNNING', costPerHr: 0.6 });
	});
});

describe('network volumes and pods', () => {
	async function volumeIn(dataCenterId: string): Promise<string> {
		const created = await data(
			sandbox,
			'mutation ($input: CreateNetworkVolumeInput) { createNetworkVolume(input: $input) { id } }',
			{
				input: { name: 'models', size: 50, dataCenterId },
			},
		);
		return created.createNetworkVolume.id;
	}

	test("a pod with a volume lands in the volume's data center on Secure Cloud, even with Cloud Type ALL", async () => {
		const volumeId = await volumeIn('CA-MTL-1');
		sandbox.setStock(GPU, { secure: 2 }, 'CA-MTL-1');
		const pod = await deploy({ cloudType: 'ALL', networkVolumeId: volumeId });
		expect(pod).toMatchObject({
			networkVolumeId: volumeId,
			networkVolume: { id: volumeId, dataCenterId: 'CA-MTL-1' },
		});
		expect(pod.machine).toMatchObject({ dataCenterId: 'CA-MTL-1', secureCloud: true });
	});

	test('Community Cloud or another data center with a volume is refused, and nothing is rented', async () => {
		const volumeId = await volumeIn('EU-RO-1');
		expect(
			(
				await errorOf(DEPLOY, {
					input: podInput({ cloudType: 'COMMUNITY', networkVolumeId: volumeId }),
				})
			).message,
		).toBe('Network volumes can only be attached to Secure Cloud pods.');
		expect(
			(
				await errorOf(DEPLOY, {
					input: podInput({ dataCenterId: 'US-TX-3', networkVolumeId: volumeId }),
				})
			).message,
		).toMatch(/in EU-RO-1/);
		expect(sandbox.state.pods).toHaveLength(0);
	});
});
