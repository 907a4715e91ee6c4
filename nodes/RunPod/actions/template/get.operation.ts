import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runpodApi } from '../../api';
import { getManyFromList, settle } from '../batch';
import type { ItemOutcome } from '../batch';
import { simplifyOption } from '../common.descriptions';
import { readTemplateId, templateLocator, templateNotFound, templateOutput } from './shared';

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['get'] } },
	[templateLocator, simplifyOption],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const templateId = readTemplateId.call(this, itemIndex);
	const template = await (await runpodApi(this)).templates.get(templateId, { itemIndex });
	if (!template) throw templateNotFound.call(this, itemIndex, templateId);
	return templateOutput.call(this, itemIndex, template);
}

/** RunPod has no single-template query on GraphQL: many items share one list instead of one each. */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
): Promise<ItemOutcome[]> {
	if (itemIndexes.length === 1)
		return [await settle(async () => await execute.call(this, itemIndexes[0]))];
	const api = await runpodApi(this);
	return await getManyFromList(
		this,
		itemIndexes,
		(itemIndex) => readTemplateId.call(this, itemIndex),
		async () => await api.templates.list({ itemIndex: itemIndexes[0] }),
		(itemIndex, templateId) => templateNotFound.call(this, itemIndex, templateId),
		(itemIndex, template) => templateOutput.call(this, itemIndex, template),
	);
}
