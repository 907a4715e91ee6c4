import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api/contract';
import { checkTextFilters, containsText } from '../../helpers/validation';
import { limitOption, readLimit, returnAllOption } from '../common.descriptions';
import { registryAuthOutput } from './registryAuthItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['containerRegistryAuth'], operation: ['getAll'] } },
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
					placeholder: 'e.g. dockerhub',
					description: 'Only credentials whose name contains this text (not case-sensitive)',
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
	const all = await api.containerRegistryAuths.list({ itemIndex });
	return all
		.filter((registry) => containsText(registry.name, filters.nameContains))
		.slice(0, limit)
		.map(registryAuthOutput);
}
