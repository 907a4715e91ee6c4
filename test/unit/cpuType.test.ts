/** The CPU type list search (From List): what each entry says, and GraphQL's refusal before any request. */
import type { IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import { searchCpuTypes } from '../../nodes/RunPod/methods/listSearch';

function context(api: 'restV2' | 'graphql') {
	const sent: string[] = [];
	const ctx = {
		getNode: () => ({
			name: 'RunPod',
			type: 'n8n-nodes-runpod-cloud.runPod',
			typeVersion: 1,
			parameters: {},
		}),
		getCredentials: async () => ({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1', api }),
		getNodeParameter: (_name: string, _itemIndex: number, fallback: unknown) => fallback,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				sent.push(request.url);
				return {
					statusCode: 200,
					headers: {},
					body: {
						cpus: [
							{
								id: 'cpu3c',
								name: 'Compute-Optimized',
								group: 'Gen 3',
								vcpu: { min: 2, max: 32 },
								ramGbPerVcpu: 2,
								price: { securePerVcpu: 0.03, serverlessPerVcpu: 0.025 },
							},
							{
								id: 'cpu3m',
								name: 'Memory-Optimized',
								group: 'Gen 3',
								vcpu: { min: 2, max: 16 },
								ramGbPerVcpu: 8,
								price: { securePerVcpu: 0.05, serverlessPerVcpu: 0.04 },
							},
						],
					},
				};
			},
		},
	} as unknown as ILoadOptionsFunctions;
	return { ctx, sent };
}

test('the From List search names each CPU type with its RAM and price per vCPU, and filters by name', async () => {
	const { ctx } = context('restV2');
	expect((await searchCpuTypes.call(ctx)).results).toEqual([
		{
			name: 'cpu3c — Gen 3 Compute-Optimized — 2 GB RAM per vCPU — $0.03/hr per vCPU',
			value: 'cpu3c',
		},
		{
			name: 'cpu3m — Gen 3 Memory-Optimized — 8 GB RAM per vCPU — $0.05/hr per vCPU',
			value: 'cpu3m',
		},
	]);
	expect((await searchCpuTypes.call(ctx, 'memory')).results.map((r) => r.value)).toEqual(['cpu3m']);
});

test('on GraphQL the list says CPU types need REST v2, and nothing is sent', async () => {
	const { ctx, sent } = context('graphql');
	await expect(searchCpuTypes.call(ctx)).rejects.toThrow("CPU Type needs RunPod's REST API v2");
	expect(sent).toEqual([]);
});
