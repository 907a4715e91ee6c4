import {
	dataCenterOutput,
	matchesDataCenterFilters,
} from '../../nodes/RunPod/actions/dataCenter/getAll.operation';
import * as dataCenters from '../../nodes/RunPod/api/graphql/dataCenters';
import { recordingContext, schemaErrors } from '../helpers/api';

describe('data centers', () => {
	const dc = {
		id: 'EU-RO-1',
		name: 'EU-RO-1',
		location: 'Romania',
		storageSupport: true,
		gpuAvailability: [
			{
				gpuTypeId: 'NVIDIA GeForce RTX 4090',
				displayName: 'RTX 4090',
				stockStatus: 'High',
				available: true,
			},
			{ gpuTypeId: 'NVIDIA A40', displayName: 'A40', stockStatus: null, available: false },
		],
	};

	test('a GPU type filter matches an available GPU by ID or display name', () => {
		expect(matchesDataCenterFilters(dc, { gpuTypeId: 'rtx 4090' })).toBe(true);
		expect(matchesDataCenterFilters(dc, { gpuTypeId: 'NVIDIA GeForce RTX 4090' })).toBe(true);
		expect(matchesDataCenterFilters(dc, { gpuTypeId: 'NVIDIA A40' })).toBe(false);
		expect(
			matchesDataCenterFilters({ ...dc, storageSupport: false }, { storageSupportOnly: true }),
		).toBe(false);
	});

	test('the output lists the available GPU type IDs', () => {
		expect(dataCenterOutput(dc).availableGpuTypes).toEqual(['NVIDIA GeForce RTX 4090']);
	});

	test('RunPod\'s "unknown" GPU entry is left out of availability', async () => {
		const { ctx, sent } = recordingContext({
			dataCenters: [
				{
					...dc,
					gpuAvailability: [
						...dc.gpuAvailability,
						{ gpuTypeId: 'unknown', displayName: 'unknown', stockStatus: 'High', available: true },
					],
				},
				null,
			],
		});
		const [only] = await dataCenters.listWithAvailability(ctx);
		expect(only.gpuAvailability?.map((g) => g.gpuTypeId)).toEqual([
			'NVIDIA GeForce RTX 4090',
			'NVIDIA A40',
		]);
		expect(schemaErrors(sent[0].query, sent[0].variables)).toEqual([]);
	});
});
