import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runpodApi } from '../../api';
import { networkVolumeLocator, readVolumeId, volumeNotFound, volumeOutput } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['networkVolume'], operation: ['get'] } }, [
	networkVolumeLocator,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const volumeId = readVolumeId.call(this, itemIndex);
	const volume = await (await runpodApi(this)).networkVolumes.get(volumeId, { itemIndex });
	if (!volume) throw volumeNotFound.call(this, itemIndex, volumeId);
	return volumeOutput(volume);
}
