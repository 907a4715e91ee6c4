import { updateDisplayOptions } from 'n8n-workflow';

import { getOperation } from '../batch';
import { networkVolumeLocator, readVolumeId, volumeNotFound, volumeOutput } from './volumeItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['networkVolume'], operation: ['get'] } },
	[networkVolumeLocator],
);

/** RunPod has no single-volume query on GraphQL: many items share one list instead of one each. */
export const { execute, executeBatch } = getOperation({
	readId: (ctx, itemIndex) => readVolumeId.call(ctx, itemIndex),
	get: async (api, id, itemIndex) => await api.networkVolumes.get(id, { itemIndex }),
	list: async (api, itemIndex) => await api.networkVolumes.list({ itemIndex }),
	notFound: (ctx, itemIndex, id) => volumeNotFound.call(ctx, itemIndex, id),
	output: (_ctx, _itemIndex, entry) => volumeOutput(entry),
});
