import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { checkTextFilters, containsText } from '../../helpers/validation';
import { limitOption, readLimit, returnAllOption } from '../common.descriptions';
import { endpointOutput } from './endpointFields';

export const description = updateDisplayOptions(
	{ show: { resource: ['endpoint'], operation: ['getAll'] } },
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
					placeholder: 'e.g. sdxl',
					description: 'Only endpoints whose name contains this text (not case-sensitive)',
				},
			],
		},
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
	const all = await api.endpoints.list({ itemIndex });
	const chosen = all
		.filter((endpoint) => containsText(endpoint.name, filters.nameContains))
		.slice(0, limit);
	return await Promise.all(
		chosen.map(async (endpoint) => await endpointOutput.call(this, endpoint)),
	);
}
