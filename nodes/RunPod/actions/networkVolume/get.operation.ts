import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as networkVolumes from '../../api/networkVolumes';
import { getManyFromList, settle } from '../batch';
import type { ItemOutcome } from '../batch';
import { networkVolumeLocator, readVolumeId, volumeNotFound, volumeOutput } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['networkVolume'], operation: ['get'] } }, [
	networkVolumeLocator,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const volumeId = readVolumeId.call(this, itemIndex);
	const volume = await networkVolumes.get(this, volumeId, { itemIndex });
	if (!volume) throw volumeNotFound.call(this, itemIndex, volumeId);
	return volumeOutput(volume);
}

/** RunPod has no single-volume query: many items share one list instead of one list each. */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]> {
	if (itemIndexes.length === 1) return [await settle(async () => await execute.call(this, itemIndexes[0]))];
	return await getManyFromList(
		this,
		itemIndexes,
		(itemIndex) => readVolumeId.call(this, itemIndex),
		async () => await networkVolumes.list(this, { itemIndex: itemIndexes[0] }),
		(itemIndex, volumeId) => volumeNotFound.call(this, itemIndex, volumeId),
		(_itemIndex, volume) => volumeOutput(volume),
	);
}
