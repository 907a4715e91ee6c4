/**
 * Example 23 (examples/23-pod-fails-logs-and-cost.json): its two RunPod steps, with the example's
 * own parameters, through n8n's executor against the sandbox on REST v2 — a pod that failed gives
 * its last log lines, then what it cost this month.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import type { IDataObject } from 'n8n-workflow';

import { LOG_STREAM } from '../../nodes/RunPod/api/rest/pods';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { json, restOnly, runRunPodNode } from './harness';

const GPU = 'NVIDIA GeForce RTX 4090';
Object.assign(LOG_STREAM, { quietMs: 250, maxMs: 5000 });

interface ExampleNode {
	name: string;
	type: string;
	parameters: IDataObject;
	credentials?: { runPodApi?: { id: string } };
}
const example = JSON.parse(
	readFileSync(join(__dirname, '..', '..', 'examples', '23-pod-fails-logs-and-cost.json'), 'utf8'),
) as {
	nodes: ExampleNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
};
const step = (name: string) => example.nodes.find((node) => node.name === name)!;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 2323 });
});

afterAll(async () => {
	await sandbox.close();
});

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** A pod that runs briefly at $10 a second, prints a traceback and stops (the trigger's EXITED). */
async function failedPod(): Promise<string> {
	const headers = { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' };
	const answer = await fetch(`${sandbox.url}/v2/pods`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ name: 'trainer', image: 'ubuntu:22.04', gpu: { id: GPU, count: 1 } }),
	});
	const pod = (await answer.json()) as { id: string };
	await sleep(60);
	sandbox.writePodLog(pod.id, [
		'epoch 3/10',
		'Traceback (most recent call last):',
		'CUDA out of memory',
	]);
	await fetch(`${sandbox.url}/v2/pods/${pod.id}/action`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ action: 'stop' }),
	});
	return pod.id;
}

const run = async (name: string, items: IDataObject[]) =>
	await runRunPodNode({
		parameters: step(name).parameters,
		items,
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, api: 'restV2' },
	});

describe('example 23: when a pod fails, its last log lines and what it cost', () => {
	test('the trigger feeds Get Logs, Get Logs feeds Billing, and every RunPod node uses the REST v2 credential', () => {
		expect(example.connections['When a Pod Fails'].main[0][0].node).toBe('Last 50 Log Lines');
		expect(example.connections['Last 50 Log Lines'].main[0][0].node).toBe(
			'What It Cost This Month',
		);
		for (const node of example.nodes.filter((n) => n.type.startsWith('n8n-nodes-runpod-cloud.')))
			expect(node.credentials?.runPodApi?.id).toBe('RunPodCredentialRest');
	});

	restOnly(
		'a failed pod: its last lines with the traceback, then its cost this month',
		async () => {
			sandbox.reset();
			sandbox.setStock(GPU, { secure: 5 });
			sandbox.setPrice(GPU, { securePrice: 36000 });
			const podId = await failedPod();
			// What the trigger puts out for the pod (Pod Status Changed), as far as the next step reads it.
			const event = { event: 'podStatusChanged', id: podId, name: 'trainer', status: 'EXITED' };

			const logs = await run('Last 50 Log Lines', [event]);
			expect(logs.error).toBeUndefined();
			const [logItem] = json(logs);
			expect(logItem).toMatchObject({ podId });
			expect(logItem.text).toMatch(/Traceback \(most recent call last\):\nCUDA out of memory/);
			expect(logItem.lineCount as number).toBeLessThanOrEqual(50);

			const cost = await run('What It Cost This Month', [logItem]);
			expect(cost.error).toBeUndefined();
			const buckets = json(cost);
			expect(buckets).toHaveLength(1);
			expect(buckets[0]).toMatchObject({ podId });
			expect(buckets[0].totalAmount as number).toBeGreaterThan(0.1);
		},
	);
});
