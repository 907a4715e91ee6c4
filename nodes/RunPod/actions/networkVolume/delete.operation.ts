import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { isDomainError, asNodeError } from '../../api/errors';
import { networkVolumeLocator, readVolumeId, volumeNotFound } from './volumeItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['networkVolume'], operation: ['delete'] } },
	[
		{
			displayName: 'Deleting a network volume erases every file on it for good',
			name: 'deleteNotice',
			type: 'notice',
			default: '',
		},
		networkVolumeLocator,
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const volumeId = readVolumeId.call(this, itemIndex);
	try {
		await api.networkVolumes.remove(volumeId, { itemIndex });
	} catch (error) {
		// A volume that is already gone, told apart from one RunPod refuses to delete (e.g. still attached).
		if (isDomainError(error, 'NotFound')) throw volumeNotFound.call(this, itemIndex, volumeId);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
	return { id: volumeId, deleted: true };
}
