import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { PodTemplate } from '../../api/types';
import { checkTextFilters, containsText } from '../../helpers/validation';
import { limitOption, returnAllOption, simplifyOption, readLimit } from '../common.descriptions';
import { templateOutput } from './templateItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['getAll'] } },
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
					placeholder: 'e.g. comfy',
					description: 'Only templates whose name contains this text (not case-sensitive)',
				},
				{
					displayName: 'Type',
					name: 'type',
					type: 'options',
					default: 'all',
					options: [
						{ name: 'All', value: 'all' },
						{ name: 'Pod', value: 'pod' },
						{ name: 'Serverless', value: 'serverless' },
					],
					description: 'Only pod templates or only serverless templates',
				},
			],
		},
		simplifyOption,
	],
);

export function matchesTemplateFilters(template: PodTemplate, filters: IDataObject): boolean {
	if (!containsText(template.name, filters.nameContains)) return false;
	if (filters.type === 'pod' && template.isServerless) return false;
	if (filters.type === 'serverless' && !template.isServerless) return false;
	return true;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	const limit = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	checkTextFilters(this.getNode(), itemIndex, filters, { nameContains: 'Name Contains' });
	const all = await api.templates.list({ itemIndex });
	return all
		.filter((template) => matchesTemplateFilters(template, filters))
		.slice(0, limit)
		.map((template) => templateOutput.call(this, itemIndex, template));
}
