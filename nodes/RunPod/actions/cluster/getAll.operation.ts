import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { checkTextFilters, containsText } from '../../helpers/validation';
import { limitOption, readLimit, returnAllOption, simplifyOption } from '../common.descriptions';
import { clusterOutput } from './clusterItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['cluster'], operation: ['getAll'] } },
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
					displayName: 'Name Contains',
					name: 'nameContains',
					type: 'string',
					default: '',
					placeholder: 'e.g. trainer',
					description: 'Only clusters whose name contains this text (not case-sensitive)',
				},
			],
		},
		simplifyOption,
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	const limit = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	checkTextFilters(this.getNode(), itemIndex, filters, { nameContains: 'Name Contains' });
	const all = await api.clusters.list({ itemIndex });
	return all
		.filter((cluster) => containsText(cluster.name, filters.nameContains))
		.slice(0, limit)
		.map((cluster) => clusterOutput.call(this, itemIndex, cluster));
}
