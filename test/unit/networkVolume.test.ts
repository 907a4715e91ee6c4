import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { matchesVolumeFilters } from '../../nodes/RunPod/actions/networkVolume/getAll.operation';
import * as networkVolumes from '../../nodes/RunPod/api/graphql/networkVolumes';
import { searchNetworkVolumes } from '../../nodes/RunPod/methods/listSearch';
import type { RequestContext } from '../../nodes/RunPod/transport/graphql';
import { recordingContext, schemaErrors } from '../helpers/api';

const volume = { id: 'v1', name: 'models', size: 100, dataCenterId: 'EU-RO-1' };

describe('what the network volume mutations send', () => {
	test.each([
		[
			'create',
			(ctx: RequestContext) =>
				networkVolumes.create(
					ctx,
					{ name: 'm', size: 10, dataCenterId: 'EU-RO-1' },
					{ existingIds: [] },
				),
			{ createNetworkVolume: volume },
		],
		[
			'update',
			(ctx: RequestContext) => networkVolumes.update(ctx, { id: 'v1', size: 200 }),
			{ updateNetworkVolume: volume },
		],
		[
			'delete',
			(ctx: RequestContext) => networkVolumes.remove(ctx, 'v1'),
			{ deleteNetworkVolume: null },
		],
	])('%s is valid and its variables coerce against the schema', async (_name, call, answer) => {
		const { ctx, sent } = recordingContext(answer);
		await call(ctx);
		expect(sent).toHaveLength(1);
		expect(schemaErrors(sent[0].query, sent[0].variables)).toEqual([]);
	});

	test('an update sends only what changes', async () => {
		const { ctx, sent } = recordingContext({ updateNetworkVolume: volume });
		await networkVolumes.update(ctx, { id: 'v1', name: 'weights' });
		expect(sent[0].variables).toEqual({ input: { id: 'v1', name: 'weights' } });
	});
});

test('volume filters: name contains (not case-sensitive) and data center', () => {
	expect(matchesVolumeFilters(volume, { nameContains: 'MOD' })).toBe(true);
	expect(matchesVolumeFilters(volume, { nameContains: 'data' })).toBe(false);
	expect(matchesVolumeFilters(volume, { dataCenterId: 'US-TX-3' })).toBe(false);
	expect(matchesVolumeFilters(volume, { dataCenterId: '' })).toBe(true);
});

test('the From List search finds volumes by name, ID or data center and shows size and place', async () => {
	const { ctx } = recordingContext({
		myself: {
			id: 'u',
			networkVolumes: [volume, { id: 'v2', name: 'datasets', size: 500, dataCenterId: 'US-TX-3' }],
		},
	});
	const found = await searchNetworkVolumes.call(ctx as unknown as ILoadOptionsFunctions, 'tx-3');
	expect(found.results).toEqual([{ name: 'datasets (500 GB, US-TX-3)', value: 'v2' }]);
	const all = await searchNetworkVolumes.call(ctx as unknown as ILoadOptionsFunctions);
	expect(all.results.map((r) => r.value)).toEqual(['v2', 'v1']);
});
