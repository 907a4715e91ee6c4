import { updateDisplayOptions } from 'n8n-workflow';

import { getOperation } from '../batch';
import { simplifyOption } from '../common.descriptions';
import { readTemplateId, templateLocator, templateNotFound, templateOutput } from './templateItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['get'] } },
	[templateLocator, simplifyOption],
);

/** RunPod has no single-template query on GraphQL: many items share one list instead of one each. */
export const { execute, executeBatch } = getOperation({
	readId: (ctx, itemIndex) => readTemplateId.call(ctx, itemIndex),
	get: async (api, id, itemIndex) => await api.templates.get(id, { itemIndex }),
	list: async (api, itemIndex) => await api.templates.list({ itemIndex }),
	notFound: (ctx, itemIndex, id) => templateNotFound.call(ctx, itemIndex, id),
	output: (ctx, itemIndex, entry) => templateOutput.call(ctx, itemIndex, entry),
});
