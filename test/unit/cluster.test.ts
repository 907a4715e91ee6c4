/** The Cluster list search (From List) on both APIs, and what a lookup by create marker concludes. */
import type { IDataObject, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import { runpodApi } from '../../nodes/RunPod/api';
import { searchClusters } from '../../nodes/RunPod/methods/listSearch';
import type { RequestContext } from '../../nodes/RunPod/transport/request';

const node = {
	name: 'RunPod',
	type: 'n8n-nodes-runpod-cloud.runPod',
	typeVersion: 1,
	parameters: {},
};

let port = 21000;
/** A context on `api` that answers every request from `answer` (by path) and records it. */
function fakeContext(api: 'graphql' | 'restV2', answer: (path: string) => IDataObject) {
	const sent: IHttpRequestOptions[] = [];
	const base = `http://127.0.0.1:${port++}`;
	const ctx = {
		getNode: () => node,
		getCredentials: async () => ({ apiKey: 'k', baseUrl: base, api }),
		getNodeParameter: (_name: string, _i: number, fallback: unknown) => fallback,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				sent.push(options);
				return { statusCode: 200, headers: {}, body: answer(new URL(options.url).pathname) };
			},
		},
	} as unknown as RequestContext & ILoadOptionsFunctions;
	return { ctx, sent };
}

const cluster = (id: string, name: string, podCount: number) => ({
	id,
	name,
	type: 'TRAINING',
	compute: { gpuTypeId: 'NVIDIA H100 80GB HBM3', gpuCountPerPod: 8, podCount },
	pods: { total: podCount, byStatus: { RUNNING: podCount } },
	createdAt: '2026-12-01T00:00:00Z',
});

test('From List on REST v2: clusters by name, with their shape in the label, filtered by the search text', async () => {
	const { ctx } = fakeContext('restV2', () => ({
		clusters: [cluster('cluster_b', 'trainer', 4), cluster('cluster_a', 'inference', 2)],
	}));
	const all = await searchClusters.call(ctx);
	expect(all.results).toEqual([
		{ name: 'inference (2 pods × 8× NVIDIA H100 80GB HBM3)', value: 'cluster_a' },
		{ name: 'trainer (4 pods × 8× NVIDIA H100 80GB HBM3)', value: 'cluster_b' },
	]);
	const found = await searchClusters.call(ctx, 'TRAIN');
	expect(found.results.map((r) => r.value)).toEqual(['cluster_b']);
});

test('From List on GraphQL: says the Cluster resource needs REST v2, and sends nothing', async () => {
	const { ctx, sent } = fakeContext('graphql', () => ({}));
	await expect(searchClusters.call(ctx)).rejects.toThrow("Cluster needs RunPod's REST API v2");
	expect(sent).toHaveLength(0);
});

describe('finding a cluster by its create marker (one list of pods, members included)', () => {
	let podNumber = 0;
	const member = (clusterId: string | undefined, marker: string) => ({
		id: `pod_${++podNumber}`,
		env: { N8N_RUNPOD_CREATE_ID: marker },
		...(clusterId ? { cluster: { id: clusterId, rank: 0 } } : {}),
	});

	test('the cluster whose pods carry the marker; a standalone pod with the marker is not a cluster', async () => {
		const { ctx, sent } = fakeContext('restV2', (path) =>
			path === '/v2/pods'
				? { pods: [member(undefined, 'm1'), member('cluster_a', 'm1'), member('cluster_a', 'm1')] }
				: cluster('cluster_a', 'trainer', 2),
		);
		const found = await (await runpodApi(ctx)).clusters.findByCreateMarker('m1');
		expect(found?.id).toBe('cluster_a');
		expect(sent[0].qs).toEqual({ includeClusterPods: true });
		expect(sent.map((r) => new URL(r.url).pathname)).toEqual([
			'/v2/pods',
			'/v2/clusters/cluster_a',
		]);
	});

	test('pods of two clusters with one marker: both are named, neither returned', async () => {
		const { ctx } = fakeContext('restV2', () => ({
			pods: [member('cluster_a', 'm1'), member('cluster_b', 'm1'), member('cluster_c', 'other')],
		}));
		await expect((await runpodApi(ctx)).clusters.findByCreateMarker('m1')).rejects.toThrow(
			"2 clusters match this item's create: cluster_a, cluster_b",
		);
	});

	test('no pod with the marker: nothing found, and no cluster is read', async () => {
		const { ctx, sent } = fakeContext('restV2', () => ({ pods: [member('cluster_a', 'other')] }));
		expect(await (await runpodApi(ctx)).clusters.findByCreateMarker('m1')).toBeUndefined();
		expect(sent).toHaveLength(1);
	});
});
