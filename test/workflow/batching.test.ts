/**
 * Many items at once: Get shares one list request, Stop and Terminate share aliased mutations
 * (up to 50 per request), and every item still gets its own output or error, in input order.
 */
import { createServer, request as httpRequest } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { byId, json, runRunPodNode, TEST_API } from './harness';
import type { RunOptions } from './harness';

let sandbox: Sandbox;

// Every test here chooses its API (GraphQL's aliases, REST v2's parallel requests), so the second
// pass of the workflow tests on REST v2 (jest.config.js) would only repeat them.
const describeOnce = TEST_API === 'graphql' ? describe : describe.skip;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 11 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.setStock(GPU, { secure: 1000 });
});

const GPU = 'NVIDIA GeForce RTX 4090';

async function sandboxGraphql(query: string, variables: IDataObject = {}): Promise<IDataObject> {
	const response = await fetch(`${sandbox.url}/graphql`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
		body: JSON.stringify({ query, variables }),
	});
	return ((await response.json()) as { data: IDataObject }).data;
}

/** Rents `count` pods directly in the sandbox (set-up, not measured), named pod-0, pod-1… */
async function rentPods(count: number): Promise<string[]> {
	const ids: string[] = [];
	for (let index = 0; index < count; index++) {
		const data = await sandboxGraphql(
			'mutation Create($input: PodFindAndDeployOnDemandInput) { podFindAndDeployOnDemand(input: $input) { id } }',
			{
				input: {
					name: `pod-${index}`,
					imageName: 'runpod/base:0.6.2',
					gpuTypeId: GPU,
					gpuCount: 1,
					cloudType: 'SECURE',
					containerDiskInGb: 10,
				},
			},
		);
		ids.push((data.podFindAndDeployOnDemand as { id: string }).id);
	}
	sandbox.requests.length = 0;
	return ids;
}

/** How many aliased fields one logged request carried (1 for a plain document). */
function aliasesIn(request: { query: string }): number {
	return (request.query.match(/\ba\d+: /g) ?? []).length || 1;
}

function statusOf(podId: string): string | undefined {
	return sandbox.state.pods.find((pod) => pod.id === podId)?.desiredStatus;
}

interface RunChoices {
	continueOnFail?: boolean;
	requestPolicy?: IDataObject;
	/** Talk REST v2 instead of GraphQL. */
	rest?: boolean;
	/** Another base URL (a proxy in front of the sandbox). */
	baseUrl?: string;
}

async function run(operation: string, podIds: string[], options: RunChoices = {}) {
	const credentials = {
		apiKey: sandbox.apiKey,
		baseUrl: options.baseUrl ?? sandbox.url,
		api: options.rest ? 'restV2' : 'graphql',
	};
	return await runRunPodNode({
		parameters: {
			resource: 'pod',
			operation,
			podId: byId('={{ $json.podId }}'),
			...(options.requestPolicy ? { requestPolicy: options.requestPolicy } : {}),
		},
		items: podIds.map((podId) => ({ podId })),
		credentials: credentials as RunOptions['credentials'],
		continueOnFail: options.continueOnFail,
	});
}

describeOnce('Pod → Get with many items', () => {
	test('120 items: one request, each item gets its own pod, paired in input order', async () => {
		const ids = await rentPods(120);
		const shuffled = [...ids].reverse();

		const result = await run('get', shuffled);

		expect(result.error).toBeUndefined();
		expect(sandbox.requests.length).toBeLessThanOrEqual(2);
		expect(json(result).map((pod) => pod.id)).toEqual(shuffled);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			shuffled.map((_, item) => ({ item })),
		);
		expect(json(result)[0]).toMatchObject({ name: 'pod-119', status: 'RUNNING', gpuType: GPU });
	});

	test('an ID missing from the account fails only its own item (Continue On Fail)', async () => {
		const ids = await rentPods(3);

		const result = await run('get', [ids[0], 'nosuchpod', ids[2]], { continueOnFail: true });

		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(1);
		expect(json(result).map((item) => item.id ?? item.error)).toEqual([
			ids[0],
			'The pod "nosuchpod" was not found',
			ids[2],
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});

	test('without Continue On Fail, the missing pod stops the node and names its item', async () => {
		const ids = await rentPods(2);

		const result = await run('get', [ids[0], ids[1], 'nosuchpod']);

		expect(result.error?.message).toBe('The pod "nosuchpod" was not found');
		expect(result.error?.context?.itemIndex).toBe(2);
	});

	test('an empty ID is refused before any request; with Continue On Fail only that item fails', async () => {
		const ids = await rentPods(2);

		const stopped = await run('get', [ids[0], ' ', ids[1]]);
		expect(stopped.error?.message).toMatch(/^Pod: /);
		expect(stopped.error?.context?.itemIndex).toBe(1);
		expect(sandbox.requests).toHaveLength(0);

		const continued = await run('get', [ids[0], ' ', ids[1]], { continueOnFail: true });
		expect(json(continued).map((item) => item.id ?? 'error')).toEqual([ids[0], 'error', ids[1]]);
	});
});

describeOnce('Pod → Stop with many items', () => {
	test('120 pods stop with ⌈120/50⌉ aliased requests; outputs follow the input order', async () => {
		const ids = await rentPods(120);

		const result = await run('stop', ids);

		expect(result.error).toBeUndefined();
		expect(sandbox.requests.length).toBeLessThanOrEqual(Math.ceil(120 / 50) + 1);
		expect(
			sandbox.requests.every((request) => request.fields.every((field) => field === 'podStop')),
		).toBe(true);
		expect(sandbox.requests.map(aliasesIn)).toEqual([50, 50, 20]);
		expect(json(result).map((pod) => [pod.id, pod.status])).toEqual(
			ids.map((id) => [id, 'EXITED']),
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		for (const id of ids) expect(statusOf(id)).toBe('EXITED');
	});

	test('a pod RunPod refuses fails only its own item; only its alias is sent again', async () => {
		const ids = await rentPods(60);
		const items = [...ids.slice(0, 30), 'nosuchpod', ...ids.slice(30)];

		const result = await run('stop', items, { continueOnFail: true });

		expect(result.error).toBeUndefined();
		const out = json(result);
		expect(out).toHaveLength(61);
		expect(out[30]).toMatchObject({ error: expect.any(String) });
		expect(out.filter((item) => item.error)).toHaveLength(1);
		expect(out.filter((_, position) => position !== 30).map((pod) => pod.id)).toEqual(ids);
		for (const id of ids) expect(statusOf(id)).toBe('EXITED');
		// Two aliased documents, then the refused alias alone.
		expect(sandbox.requests.map(aliasesIn)).toEqual([50, 11, 1]);
		expect(sandbox.requests[2].variables).toEqual({ input: { podId: 'nosuchpod' } });
	});

	test('a request that fails as a whole fails only the items it carried, and names the first of them', async () => {
		const ids = await rentPods(60);
		// The first document is answered; the second gets a 503 (retries off).
		sandbox.faults.next({ kind: 'latency', ms: 0 }, { field: 'podStop' });
		sandbox.faults.next({ kind: 'http5xx', status: 503, body: 'json' }, { field: 'podStop' });
		const requestPolicy = { retryEnabled: false, maxParallelRequests: 1 };

		const continued = await run('stop', ids, { continueOnFail: true, requestPolicy });

		const out = json(continued);
		expect(out.slice(0, 50).map((pod) => pod.status)).toEqual(ids.slice(0, 50).map(() => 'EXITED'));
		expect(out.slice(50).map((item) => item.error)).toEqual(
			ids.slice(50).map(() => expect.stringMatching(/HTTP 503/)),
		);

		sandbox.faults.next({ kind: 'latency', ms: 0 }, { field: 'podStop' });
		sandbox.faults.next({ kind: 'http5xx', status: 503, body: 'json' }, { field: 'podStop' });
		const stopped = await run('stop', ids, { requestPolicy });
		expect(stopped.error?.context?.itemIndex).toBe(50);
	});

	test('without Continue On Fail the refused pod stops the workflow with its item named', async () => {
		const ids = await rentPods(3);

		const result = await run('stop', [ids[0], 'nosuchpod', ids[1]]);

		expect(result.error?.context?.itemIndex).toBe(1);
	});
});

describeOnce('Pod → Terminate with many items', () => {
	test('terminates every pod with aliased requests; an unknown pod says it may already be terminated', async () => {
		const ids = await rentPods(55);

		const result = await run('terminate', [...ids, 'nosuchpod'], { continueOnFail: true });

		expect(result.error).toBeUndefined();
		const out = json(result);
		expect(out.slice(0, 55)).toEqual(ids.map((id) => ({ id, terminated: true })));
		expect(out[55].error).toBe('The pod "nosuchpod" does not exist: it may already be terminated');
		expect(sandbox.state.pods).toHaveLength(0);
		// Two aliased documents, the refused alias on its own, and the check that it is gone.
		expect(
			sandbox.requests.filter((request) => request.fields.includes('podTerminate')).map(aliasesIn),
		).toEqual([50, 6, 1]);
	});

	test("when the answer is lost after RunPod terminated them, the resend's refusals are checked, not reported", async () => {
		const ids = await rentPods(4);
		sandbox.faults.next({ kind: 'dropAfterApply', mode: 'reset' }, { field: 'podTerminate' });

		const result = await run('terminate', ids, { requestPolicy: { timeoutSeconds: 2 } });

		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual(ids.map((id) => ({ id, terminated: true })));
		expect(sandbox.state.pods).toHaveLength(0);
	});
});

describeOnce('rate limits', () => {
	test('a 429 with Retry-After on a batch is waited out and every item still succeeds', async () => {
		const ids = await rentPods(60);
		sandbox.faults.next({ kind: 'http429', retryAfterSeconds: 1 }, { field: 'podStop' });

		const started = Date.now();
		const result = await run('stop', ids);

		expect(result.error).toBeUndefined();
		expect(json(result).map((pod) => pod.status)).toEqual(ids.map(() => 'EXITED'));
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	test.each([0, 101])(
		'Max Parallel Requests outside 1–100 (%s) is refused before anything is sent',
		async (maxParallelRequests) => {
			const ids = await rentPods(2);

			const result = await run('stop', ids, { requestPolicy: { maxParallelRequests } });

			expect(result.error?.message).toMatch(
				`Max Parallel Requests: expected a whole number from 1 to 100, got ${maxParallelRequests}`,
			);
			expect(sandbox.requests).toHaveLength(0);
		},
	);
});

describeOnce('Gets without a single-item query share one list', () => {
	test('Template → Get and Network Volume → Get for many items send one request each', async () => {
		const templateIds: string[] = [];
		for (let index = 0; index < 5; index++) {
			const data = await sandboxGraphql(
				'mutation Save($input: SaveTemplateInput) { saveTemplate(input: $input) { id } }',
				{
					input: {
						name: `template-${index}`,
						imageName: 'runpod/base:0.6.2',
						containerDiskInGb: 10,
						volumeInGb: 0,
						dockerArgs: '',
						env: [],
					},
				},
			);
			templateIds.push((data.saveTemplate as { id: string }).id);
		}
		sandbox.requests.length = 0;
		const templates = await runRunPodNode({
			parameters: { resource: 'template', operation: 'get', templateId: byId('={{ $json.id }}') },
			items: [...templateIds].reverse().map((id) => ({ id })),
			credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, api: 'graphql' },
		});
		expect(templates.error).toBeUndefined();
		expect(json(templates).map((template) => template.id)).toEqual([...templateIds].reverse());
		expect(sandbox.requests).toHaveLength(1);

		const volumes = await runRunPodNode({
			parameters: {
				resource: 'networkVolume',
				operation: 'get',
				networkVolumeId: byId('={{ $json.id }}'),
			},
			items: [{ id: 'nope-1' }, { id: 'nope-2' }],
			credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, api: 'graphql' },
			continueOnFail: true,
		});
		expect(json(volumes).map((item) => item.error)).toEqual([
			expect.stringContaining('nope-1'),
			expect.stringContaining('nope-2'),
		]);
		expect(sandbox.requests).toHaveLength(2);
	});
});

/** A proxy on 127.0.0.1 in front of the sandbox that records the most requests it had open at once. */
async function countingProxy(): Promise<{
	url: string;
	mostInFlight: () => number;
	close: () => Promise<void>;
}> {
	const target = new URL(sandbox.url);
	let inFlight = 0;
	let most = 0;
	const server = createServer((incoming, outgoing) => {
		most = Math.max(most, ++inFlight);
		const forwarded = httpRequest(
			{
				host: target.hostname,
				port: target.port,
				method: incoming.method,
				path: incoming.url,
				headers: incoming.headers,
			},
			(answer) => {
				outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(outgoing);
				answer.on('end', () => inFlight--);
			},
		);
		forwarded.on('error', () => {
			inFlight--;
			outgoing.destroy();
		});
		incoming.pipe(forwarded);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		mostInFlight: () => most,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describeOnce(
	'REST v2 (no batch endpoint): one request per pod, never more in flight than Max Parallel Requests',
	() => {
		test('Get of many pods is one list request; Stop of 40 pods keeps at most 4 requests open', async () => {
			const ids = await rentPods(40);
			sandbox.faults.set({ latencyMs: 30 });
			const proxy = await countingProxy();
			try {
				const got = await run('get', [...ids].reverse(), { rest: true, baseUrl: proxy.url });
				expect(got.error).toBeUndefined();
				expect(json(got).map((pod) => pod.id)).toEqual([...ids].reverse());
				expect(sandbox.requests.filter((request) => request.api === 'rest')).toHaveLength(1);

				sandbox.requests.length = 0;
				const stopped = await run('stop', ids, {
					rest: true,
					baseUrl: proxy.url,
					requestPolicy: { maxParallelRequests: 4 },
				});
				expect(stopped.error).toBeUndefined();
				expect(json(stopped).map((pod) => [pod.id, pod.status])).toEqual(
					ids.map((id) => [id, 'EXITED']),
				);
				expect(stopped.items.map((item) => item.pairedItem)).toEqual(
					ids.map((_, item) => ({ item })),
				);
				expect(proxy.mostInFlight()).toBeGreaterThan(1);
				expect(proxy.mostInFlight()).toBeLessThanOrEqual(4);
			} finally {
				await proxy.close();
			}
		});

		test('the credential is read and decrypted once per run, not once per pod', async () => {
			const ids = await rentPods(40);

			const stopped = await run('stop', ids, { rest: true });

			expect(stopped.error).toBeUndefined();
			expect(json(stopped).map((pod) => pod.status)).toEqual(ids.map(() => 'EXITED'));
			expect(sandbox.requests.filter((request) => request.api === 'rest')).toHaveLength(40);
			// Every request still carried the key (the sandbox refuses requests without it).
			expect(stopped.credentialDecryptions).toBe(1);
		});

		test('an unknown pod fails only its own item, with the single-item error', async () => {
			const ids = await rentPods(3);

			const result = await run('terminate', [ids[0], 'nosuchpod', ids[1], ids[2]], {
				rest: true,
				continueOnFail: true,
			});

			expect(json(result).map((item) => item.error ?? item.id)).toEqual([
				ids[0],
				'The pod "nosuchpod" does not exist: it may already be terminated',
				ids[1],
				ids[2],
			]);
			expect(sandbox.state.pods).toHaveLength(0);
		});

		/** A sandbox that allows 10 REST requests per second, with `count` running pods. */
		async function limitedSandbox(count: number): Promise<{ limited: Sandbox; ids: string[] }> {
			const limited = await startSandbox({
				port: 0,
				seed: 11,
				rateLimits: [{ name: 'second', quota: 10, windowSeconds: 1 }],
			});
			limited.setStock(GPU, { secure: 50 });
			const ids: string[] = [];
			for (let index = 0; index < count; index++) {
				const response = await fetch(`${limited.url}/graphql`, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						authorization: `Bearer ${limited.apiKey}`,
					},
					body: JSON.stringify({
						query:
							'mutation Create($input: PodFindAndDeployOnDemandInput) { podFindAndDeployOnDemand(input: $input) { id } }',
						variables: {
							input: {
								name: `limited-${index}`,
								imageName: 'runpod/base:0.6.2',
								gpuTypeId: GPU,
								gpuCount: 1,
								cloudType: 'SECURE',
								containerDiskInGb: 10,
							},
						},
					}),
				});
				ids.push(
					((await response.json()) as { data: { podFindAndDeployOnDemand: { id: string } } }).data
						.podFindAndDeployOnDemand.id,
				);
			}
			return { limited, ids };
		}

		test("RunPod's RateLimit quota is respected: 30 stops against 10 requests per second all succeed", async () => {
			const { limited, ids } = await limitedSandbox(30);
			try {
				const result = await runRunPodNode({
					parameters: { resource: 'pod', operation: 'stop', podId: byId('={{ $json.podId }}') },
					items: ids.map((podId) => ({ podId })),
					credentials: {
						apiKey: limited.apiKey,
						baseUrl: limited.url,
						api: 'restV2',
					} as RunOptions['credentials'],
				});

				expect(result.error).toBeUndefined();
				expect(json(result).map((pod) => pod.status)).toEqual(ids.map(() => 'EXITED'));
				const stops = limited.requests.filter(
					(request) => request.api === 'rest' && request.method === 'POST',
				);
				expect(stops.filter((request) => request.status === 200)).toHaveLength(30);
			} finally {
				await limited.close();
			}
		});

		test('requests in flight never outnumber what the RateLimit header says is left: no request is refused', async () => {
			const { limited, ids } = await limitedSandbox(40);
			try {
				const result = await runRunPodNode({
					parameters: {
						resource: 'pod',
						operation: 'stop',
						podId: byId('={{ $json.podId }}'),
						requestPolicy: { maxParallelRequests: 6 },
					},
					items: ids.map((podId) => ({ podId })),
					credentials: {
						apiKey: limited.apiKey,
						baseUrl: limited.url,
						api: 'restV2',
					} as RunOptions['credentials'],
				});

				expect(result.error).toBeUndefined();
				expect(json(result).map((pod) => pod.status)).toEqual(ids.map(() => 'EXITED'));
				const statuses = limited.requests
					.filter((request) => request.api === 'rest')
					.map((request) => request.status);
				expect(statuses.filter((status) => status === 429)).toEqual([]);
				expect(statuses).toHaveLength(40);
			} finally {
				await limited.close();
			}
		});
	},
);
