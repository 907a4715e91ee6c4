/**
 * Wait checks once more at its deadline: a pod that becomes ready in the last stretch before the
 * timeout is returned (and, with On Timeout = Terminate, not destroyed). A timeout error says how
 * long the node really waited.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { json, runRunPodNode, speakTestApi, warmUpRest } from './harness';

const GPU = 'NVIDIA GeForce RTX 4090';
// Checks come 0.4 s after the create, then 1.0 s and 1.9 s; the next (3.25 s) would pass the 3 s
// deadline. The pod is ready at 2.4 s: only a check at the deadline sees it.
const BOOT_MS = 2400;
const TIMEOUT_SECONDS = 3;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 3, bootDelayMs: BOOT_MS });
	speakTestApi(sandbox);
	await warmUpRest(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

function createAndWait(waitOptions: IDataObject): IDataObject {
	return {
		resource: 'pod',
		operation: 'create',
		name: 'late-bloomer',
		imageName: 'ubuntu:22.04',
		gpuTypeId: GPU,
		gpuCount: 1,
		cloudType: 'SECURE',
		containerDiskInGb: 10,
		volumeInGb: 0,
		waitUntilReady: true,
		waitOptions,
	};
}

test('a pod that becomes ready between the last scheduled check and the deadline is returned, not terminated', async () => {
	const result = await runRunPodNode({
		parameters: createAndWait({
			timeoutMinutes: TIMEOUT_SECONDS / 60,
			pollIntervalSeconds: 0.4,
			onTimeout: 'terminate',
		}),
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
	expect(result.error).toBeUndefined();
	const [pod] = json(result);
	expect(pod).toMatchObject({ status: 'RUNNING', name: 'late-bloomer' });
	expect(pod.waitedSeconds).toBeGreaterThanOrEqual(BOOT_MS / 1000);
	expect(sandbox.state.pods).toHaveLength(1);
});

test('a timeout error says how long the node waited, and that was the whole timeout', async () => {
	const started = Date.now();
	const result = await runRunPodNode({
		parameters: createAndWait({ timeoutMinutes: 1.5 / 60, pollIntervalSeconds: 0.4 }),
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
	expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
	expect(result.error?.message).toMatch(/was not ready after (1\.[5-9]|2\.\d) seconds$/);
});

describe('the Wait operation', () => {
	async function waitFor(target: string, waitOptions: IDataObject) {
		const [pod] = json(
			await runRunPodNode({
				parameters: { ...createAndWait({}), waitUntilReady: false },
				credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
			}),
		);
		sandbox.requests.length = 0;
		return await runRunPodNode({
			parameters: {
				resource: 'pod',
				operation: 'wait',
				podId: { __rl: true, mode: 'id', value: pod.id },
				waitFor: target,
				waitOptions,
			},
			credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
		});
	}

	test('timing out while waiting for "stopped" does not advise On Timeout, which that target hides', async () => {
		const result = await waitFor('stopped', { timeoutMinutes: 0.3 / 60, pollIntervalSeconds: 0.1 });
		expect(result.error?.message).toMatch(/was not stopped after/);
		expect(result.error?.description).not.toMatch(/On Timeout/);
		expect(result.error?.description).toMatch(/Timeout \(Minutes\)/);
	});

	test('a wait longer than the cap is refused before any request: it would hold an n8n worker', async () => {
		const result = await waitFor('ready', { timeoutMinutes: 120 });
		expect(result.error?.message).toBe(
			'Timeout (Minutes): expected a number from 0.001 to 60, got 120',
		);
		expect(result.error?.description).toMatch(/Wait node/);
		expect(sandbox.requests).toHaveLength(0);
	});
});
