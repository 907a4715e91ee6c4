import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as networkVolumes from '../../api/networkVolumes';
import { asNodeError, failureOf } from '../../transport/errors';
import { networkVolumeLocator, readVolumeId, volumeNotFound } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['networkVolume'], operation: ['delete'] } }, [
	{
		displayName: 'Deleting a network volume erases every file on it for good',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	networkVolumeLocator,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const volumeId = readVolumeId.call(this, itemIndex);
	try {
		await networkVolumes.remove(this, volumeId, { itemIndex });
	} catch (error) {
		// Tell a volume that is already gone apart from one RunPod refuses to delete (e.g. still attached).
		if (failureOf(error)?.kind === 'graphql' && (await networkVolumes.get(this, volumeId, { itemIndex })) === null) {
			throw volumeNotFound.call(this, itemIndex, volumeId);
		}
		throw asNodeError(this.getNode(), error, itemIndex);
	}
	return { id: volumeId, deleted: true };
}
