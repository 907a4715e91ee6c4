import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { NetworkVolume } from '../../api/types';
import { checkTextFilters, containsText, optionalText } from '../../helpers/validation';
import { limitOption, returnAllOption, readLimit } from '../common.descriptions';
import { volumeOutput } from './volumeItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['networkVolume'], operation: ['getAll'] } },
	[
		returnAllOption,
		limitOption,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Data Center Name or ID',
					name: 'dataCenterId',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getStorageDataCenters' },
					default: '',
					description:
						'Only volumes in this data center. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Name Contains',
					name: 'nameContains',
					type: 'string',
					default: '',
					placeholder: 'e.g. models',
					description: 'Only volumes whose name contains this text (not case-sensitive)',
				},
			],
		},
	],
);

export function matchesVolumeFilters(volume: NetworkVolume, filters: IDataObject): boolean {
	if (!containsText(volume.name, filters.nameContains)) return false;
	const dataCenterId = optionalText(filters.dataCenterId);
	if (dataCenterId && volume.dataCenterId !== dataCenterId) return false;
	return true;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	const limit = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	checkTextFilters(this.getNode(), itemIndex, filters, {
		nameContains: 'Name Contains',
		dataCenterId: 'Data Center Name or ID',
	});
	const all = await api.networkVolumes.list({ itemIndex });
	return all
		.filter((volume) => matchesVolumeFilters(volume, filters))
		.slice(0, limit)
		.map(volumeOutput);
}
