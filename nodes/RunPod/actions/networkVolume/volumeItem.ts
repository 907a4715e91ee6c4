import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { NetworkVolume } from '../../api/types';
import { checkText } from '../../helpers/validation';

/** RunPod's ceiling without asking support (docs: storage/network-volumes). */
export const MAX_VOLUME_GB = 4000;

export const networkVolumeLocator: INodeProperties = {
	displayName: 'Network Volume',
	name: 'networkVolumeId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The network volume to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a network volume...',
			typeOptions: { searchListMethod: 'searchNetworkVolumes', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 0hk1169ryp',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[A-Za-z0-9]+\\s*$',
						errorMessage: 'A network volume ID has only letters and digits',
					},
				},
			],
		},
	],
};

export function readVolumeId(this: IExecuteFunctions, itemIndex: number): string {
	return checkText(
		this.getNode(),
		itemIndex,
		'Network Volume',
		this.getNodeParameter('networkVolumeId', itemIndex, '', { extractValue: true }),
		'Choose a network volume from the list, or enter its ID.',
	);
}

export function volumeNotFound(
	this: IExecuteFunctions,
	itemIndex: number,
	volumeId: string,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), `The network volume "${volumeId}" was not found`, {
		itemIndex,
		description:
			'Your RunPod account has no network volume with this ID. Check the ID, or list your volumes with Network Volume → Get Many.',
	});
}

/** RunPod's own four fields; `size` is in GB. */
export function volumeOutput(volume: NetworkVolume): IDataObject {
	return { id: volume.id, name: volume.name, size: volume.size, dataCenterId: volume.dataCenterId };
}
