import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { UpdateNetworkVolumeInput } from '../../api/types';
import { checkNumber, checkText } from '../../helpers/validation';
import {
	MAX_VOLUME_GB,
	networkVolumeLocator,
	readVolumeId,
	volumeNotFound,
	volumeOutput,
} from './volumeItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['networkVolume'], operation: ['update'] } },
	[
		networkVolumeLocator,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. models',
					description: 'The new name',
				},
				{
					displayName: 'Size (GB)',
					name: 'size',
					type: 'number',
					default: 100,
					typeOptions: { minValue: 1, maxValue: MAX_VOLUME_GB },
					description: 'The new size. A volume can only grow; the extra GB are billed from now on.',
				},
			],
		},
	],
);

/** Reads the volume first: a shrink is refused here, before RunPod is asked. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const node = this.getNode();
	const volumeId = readVolumeId.call(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const input: UpdateNetworkVolumeInput = { id: volumeId };
	if ('name' in fields) {
		input.name = checkText(
			node,
			itemIndex,
			'Name',
			fields.name,
			'Enter the new name, or remove the Name field.',
		);
	}
	if ('size' in fields) {
		input.size = checkNumber(node, itemIndex, 'Size (GB)', fields.size, {
			min: 1,
			max: MAX_VOLUME_GB,
			integer: true,
		});
	}
	if (input.name === undefined && input.size === undefined) {
		throw new NodeOperationError(node, 'Update Fields: nothing to change', {
			itemIndex,
			description: 'Add Name or Size (GB) under Update Fields with the new value.',
		});
	}

	const current = await api.networkVolumes.get(volumeId, { itemIndex });
	if (!current) throw volumeNotFound.call(this, itemIndex, volumeId);
	if (input.size !== undefined && typeof current.size === 'number' && input.size < current.size) {
		throw new NodeOperationError(
			node,
			`Size (GB): a network volume can only grow, and "${current.name ?? volumeId}" is ${current.size} GB`,
			{
				itemIndex,
				description: `Set Size (GB) to ${current.size} or more. To use less storage, create a smaller volume, copy the data over and delete this one.`,
			},
		);
	}
	return volumeOutput(await api.networkVolumes.update(input, { itemIndex }));
}
