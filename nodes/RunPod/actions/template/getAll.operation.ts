import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { PodTemplate, PublicTemplateSource } from '../../api/types';
import { checkTextFilters, containsText } from '../../helpers/validation';
import { limitOption, returnAllOption, simplifyOption, readLimit } from '../common.descriptions';
import { templateOutput } from './templateItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['getAll'] } },
	[
		{
			displayName: 'Source',
			name: 'source',
			type: 'options',
			default: 'mine',
			options: [
				{
					name: 'My Templates',
					value: 'mine',
					description: 'The templates of your RunPod account',
				},
				{
					name: 'RunPod Public Catalog',
					value: 'public',
					description: "RunPod's public templates, ready to use in Pod → Create (needs REST v2)",
				},
			],
			description: 'Whose templates to list',
		},
		{
			displayName: 'Catalog',
			name: 'catalog',
			type: 'options',
			default: 'official',
			displayOptions: { show: { source: ['public'] } },
			options: [
				{
					name: 'Official',
					value: 'official',
					description: 'Templates RunPod curates',
				},
				{
					name: 'Verified',
					value: 'verified',
					description: 'Community templates RunPod has verified',
				},
				{
					name: 'Community',
					value: 'community',
					description: 'Every other template RunPod users shared publicly',
				},
			],
			description: 'Which part of the public catalog to list (RunPod returns at most 100 of each)',
		},
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

const CATALOGS: PublicTemplateSource[] = ['official', 'verified', 'community'];

/** Source and Catalog, checked before anything is sent (an expression may give anything). */
function readSource(
	this: IExecuteFunctions,
	itemIndex: number,
): { mine: true } | { mine: false; catalog: PublicTemplateSource } {
	const source = this.getNodeParameter('source', itemIndex, 'mine') as string;
	if (source === 'mine') return { mine: true };
	if (source !== 'public') {
		throw new NodeOperationError(this.getNode(), `Source: "${String(source)}" is not a source`, {
			itemIndex,
			description: 'Choose My Templates or RunPod Public Catalog.',
		});
	}
	const catalog = this.getNodeParameter('catalog', itemIndex, 'official') as PublicTemplateSource;
	if (!CATALOGS.includes(catalog)) {
		throw new NodeOperationError(this.getNode(), `Catalog: "${String(catalog)}" is not a catalog`, {
			itemIndex,
			description: 'Choose Official, Verified or Community.',
		});
	}
	return { mine: false, catalog };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	const limit = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	checkTextFilters(this.getNode(), itemIndex, filters, { nameContains: 'Name Contains' });
	const source = readSource.call(this, itemIndex);
	const all = source.mine
		? await api.templates.list({ itemIndex })
		: await api.templates.listPublic(source.catalog, { itemIndex });
	return all
		.filter((template) => matchesTemplateFilters(template, filters))
		.slice(0, limit)
		.map((template) => templateOutput.call(this, itemIndex, template));
}
