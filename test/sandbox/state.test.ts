/** Determinism from the seed, the state file round trip, reset, and the balance running down. */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { startSandbox } from '../../sandbox';
import type { Sandbox, SandboxOptions } from '../../sandbox';
import { DEPLOY, GET_POD, GPU, STOP, data, podInput, sleep } from './helpers';

const open: Sandbox[] = [];
async function start(options: SandboxOptions): Promise<Sandbox> {
	const sandbox = await startSandbox({ port: 0, ...options });
	open.push(sandbox);
	return sandbox;
}
afterEach(async () => {
	await Promise.all(open.splice(0).map((sandbox) => sandbox.close()));
});

/** The same calls, in the same order, on any sandbox. */
async function script(sandbox: Sandbox) {
	const pod = (await data(sandbox, DEPLOY, { input: podInput({ gpuCount: 2 }) }))
		.podFindAndDeployOnDemand;
	const template = (
		await data(
			sandbox,
			'mutation ($input: SaveTemplateInput) { saveTemplate(input: $input) { id } }',
			{
				input: { name: 't', imageName: 'i', containerDiskInGb: 5, volumeInGb: 0, dockerArgs: '' },
			},
		)
	).saveTemplate;
	const volume = (
		await data(
			sandbox,
			'mutation ($input: CreateNetworkVolumeInput) { createNetworkVolume(input: $input) { id } }',
			{
				input: { name: 'v', size: 10, dataCenterId: 'EU-SE-1' },
			},
		)
	).createNetworkVolume;
	await sleep(40);
	const booted = (await data(sandbox, GET_POD, { input: { podId: pod.id } })).pod;
	return {
		keys: [sandbox.apiKey, sandbox.readOnlyApiKey],
		ids: [pod.id, pod.machineId, pod.machine.podHostId, template.id, volume.id],
		dataCenter: booted.machine.dataCenterId,
		ips: booted.runtime.ports.map(
			(p: { ip: string; publicPort: number }) => `${p.ip}:${p.publicPort}`,
		),
		gpus: booted.runtime.gpus.map((g: { id: string }) => g.id),
	};
}

test('the same seed and the same calls give the same ids, IPs, GPU uuids and keys; another seed does not', async () => {
	const one = await script(await start({ seed: 42, bootDelayMs: 10 }));
	const two = await script(await start({ seed: 42, bootDelayMs: 10 }));
	const other = await script(await start({ seed: 43, bootDelayMs: 10 }));
	expect(two).toEqual(one);
	expect(other.ids).not.toEqual(one.ids);
	expect(other.keys).not.toEqual(one.keys);
	expect(one.keys[0]).toMatch(/^rpa_sandbox_/);
});

test('a state file carries pods, templates, volumes, keys and the id sequence across restarts', async () => {
	const folder = mkdtempSync(join(tmpdir(), 'runpod-sandbox-'));
	try {
		const stateFile = join(folder, 'state.json');
		const first = await start({ seed: 8, stateFile });
		const before = await script(first);
		await data(first, STOP, { input: { podId: before.ids[0] } });
		await first.close();
		expect(JSON.parse(readFileSync(stateFile, 'utf8')).pods).toHaveLength(1);

		const second = await start({ stateFile, seed: 999 });
		expect(second.apiKey).toBe(first.apiKey);
		const { myself } = await data(
			second,
			'{ myself { pods { id desiredStatus } podTemplates { id } networkVolumes { id } } }',
		);
		expect(myself).toEqual({
			pods: [{ id: before.ids[0], desiredStatus: 'EXITED' }],
			podTemplates: [{ id: before.ids[3] }],
			networkVolumes: [{ id: before.ids[4] }],
		});
		const nextAfterRestart = (await data(second, DEPLOY, { input: podInput() }))
			.podFindAndDeployOnDemand.id;

		// A sandbox that never restarted, given the same calls, rents the same next id.
		const straight = await start({ seed: 8 });
		await script(straight);
		await data(straight, STOP, { input: { podId: before.ids[0] } });
		expect((await data(straight, DEPLOY, { input: podInput() })).podFindAndDeployOnDemand.id).toBe(
			nextAfterRestart,
		);
	} finally {
		await Promise.all(open.splice(0).map((sandbox) => sandbox.close()));
		rmSync(folder, { recursive: true, force: true });
	}
});

test('reset() returns to the seeded state: no pods, log empty, stock as at start', async () => {
	const sandbox = await start({ seed: 4 });
	const initialStock = JSON.stringify(sandbox.state.stock);
	const stateObject = sandbox.state;
	await script(sandbox);
	sandbox.setStock(GPU, { secure: 0 });
	sandbox.reset();
	expect(sandbox.state).toBe(stateObject);
	expect(sandbox.state.pods).toEqual([]);
	expect(sandbox.state.templates).toEqual([]);
	expect(sandbox.requests).toEqual([]);
	expect(JSON.stringify(sandbox.state.stock)).toBe(initialStock);
	// And the id sequence starts over.
	const fresh = await start({ seed: 4 });
	expect((await script(sandbox)).ids).toEqual((await script(fresh)).ids);
});

test('the balance runs down at currentSpendPerHr while pods run', async () => {
	const sandbox = await start({});
	// $36,000/hr is $10 a second: visible within a test.
	sandbox.setPrice(GPU, { securePrice: 36000 });
	const before = (await data(sandbox, '{ myself { clientBalance currentSpendPerHr } }')).myself;
	expect(before).toEqual({ clientBalance: 100, currentSpendPerHr: 0 });
	const pod = (await data(sandbox, DEPLOY, { input: podInput() })).podFindAndDeployOnDemand;
	await sleep(200);
	const during = (await data(sandbox, '{ myself { clientBalance currentSpendPerHr } }')).myself;
	expect(during.currentSpendPerHr).toBe(36000);
	expect(during.clientBalance).toBeLessThan(99);
	await data(sandbox, STOP, { input: { podId: pod.id } });
	const afterStop = (await data(sandbox, '{ myself { clientBalance } }')).myself.clientBalance;
	await sleep(50);
	expect((await data(sandbox, '{ myself { clientBalance } }')).myself.clientBalance).toBe(
		afterStop,
	);
});
