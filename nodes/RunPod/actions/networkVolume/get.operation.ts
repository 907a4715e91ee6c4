import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runpodApi } from '../../api';
import { getManyFromList, settle } from '../batch';
import type { ItemOutcome } from '../batch';
import { networkVolumeLocator, readVolumeId, volumeNotFound, volumeOutput } from './shared';

export const description = updateDisplayOptions(
	{ show: { resource: ['networkVolume'], operation: ['get'] } },
	[networkVolumeLocator],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const volumeId = readVolumeId.call(this, itemIndex);
	const volume = await (await runpodApi(this)).networkVolumes.get(volumeId, { itemIndex });
	if (!volume) throw volumeNotFound.call(this, itemIndex, volumeId);
	return volumeOutput(volume);
}

/** RunPod has no single-volume query on GraphQL: many items share one list instead of one each. */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
): Promise<ItemOutcome[]> {
	if (itemIndexes.length === 1)
		return [await settle(async () => await execute.call(this, itemIndexes[0]))];
	const api = await runpodApi(this);
	return await getManyFromList(
		this,
		itemIndexes,
		(itemIndex) => readVolumeId.call(this, itemIndex),
		async () => await api.networkVolumes.list({ itemIndex: itemIndexes[0] }),
		(itemIndex, volumeId) => volumeNotFound.call(this, itemIndex, volumeId),
		(_itemIndex, volume) => volumeOutput(volume),
	);
}
