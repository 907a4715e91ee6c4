import { readFileSync } from 'fs';
import { join } from 'path';
import { buildSchema, getOperationAST, parse, validate } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import type { IDataObject } from 'n8n-workflow';

import { dataCenterOutput, matchesDataCenterFilters } from '../../nodes/RunPod/actions/dataCenter/getAll.operation';
import * as dataCenters from '../../nodes/RunPod/api/dataCenters';
import type { RequestContext } from '../../nodes/RunPod/transport/graphql';

const schema = buildSchema(readFileSync(join(__dirname, '../../sandbox/schema.graphql'), 'utf8'));

function recordingContext(answer: IDataObject) {
	const sent: Array<{ query: string; variables: IDataObject }> = [];
	const ctx = {
		getNode: () => ({ name: 'RunPod', type: 'n8n-nodes-runpod-cloud.runPod', typeVersion: 1, parameters: {} }),
		getCredentials: async () => ({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: { body: { query: string; variables: IDataObject } }) => {
				sent.push(request.body);
				return { statusCode: 200, headers: {}, body: { data: answer } };
			},
		},
	} as unknown as RequestContext;
	return { ctx, sent };
}

function schemaErrors(query: string, variables: IDataObject): string[] {
	const document = parse(query);
	const operation = getOperationAST(document);
	return [
		...validate(schema, document).map((e) => e.message),
		...(getVariableValues(schema, operation?.variableDefinitions ?? [], variables).errors ?? []).map((e) => e.message),
	];
}

describe('data centers', () => {
	const dc = {
		id: 'EU-RO-1',
		name: 'EU-RO-1',
		location: 'Romania',
		storageSupport: true,
		gpuAvailability: [
			{ gpuTypeId: 'NVIDIA GeForce RTX 4090', displayName: 'RTX 4090', stockStatus: 'High', available: true },
			{ gpuTypeId: 'NVIDIA A40', displayName: 'A40', stockStatus: null, available: false },
		],
	};

	test('a GPU type filter matches an available GPU by ID or display name', () => {
		expect(matchesDataCenterFilters(dc, { gpuTypeId: 'rtx 4090' })).toBe(true);
		expect(matchesDataCenterFilters(dc, { gpuTypeId: 'NVIDIA GeForce RTX 4090' })).toBe(true);
		expect(matchesDataCenterFilters(dc, { gpuTypeId: 'NVIDIA A40' })).toBe(false);
		expect(matchesDataCenterFilters({ ...dc, storageSupport: false }, { storageSupportOnly: true })).toBe(false);
	});

	test('the output lists the available GPU type IDs', () => {
		expect(dataCenterOutput(dc).availableGpuTypes).toEqual(['NVIDIA GeForce RTX 4090']);
	});

	test('RunPod\'s "unknown" GPU entry is left out of availability', async () => {
		const { ctx, sent } = recordingContext({
			dataCenters: [{ ...dc, gpuAvailability: [...dc.gpuAvailability, { gpuTypeId: 'unknown', displayName: 'unknown', stockStatus: 'High', available: true }] }, null],
		});
		const [only] = await dataCenters.listWithAvailability(ctx);
		expect(only.gpuAvailability?.map((g) => g.gpuTypeId)).toEqual(['NVIDIA GeForce RTX 4090', 'NVIDIA A40']);
		expect(schemaErrors(sent[0].query, sent[0].variables)).toEqual([]);
	});
});
