import { updateDisplayOptions } from 'n8n-workflow';

import { getOperation } from '../batch';
import { podLocator, simplifyOption } from '../common.descriptions';
import { podNotFound, podOutput, readPodId } from './podItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['get'] } },
	[podLocator, simplifyOption],
);

/** One item reads its pod; many items share one list of the account's pods (either API). */
export const { execute, executeBatch } = getOperation({
	readId: (ctx, itemIndex) => readPodId.call(ctx, itemIndex),
	get: async (api, id, itemIndex) => await api.pods.get(id, { itemIndex }),
	list: async (api, itemIndex) => await api.pods.list({ itemIndex }),
	notFound: (ctx, itemIndex, id) => podNotFound.call(ctx, itemIndex, id),
	output: (ctx, itemIndex, entry) => podOutput.call(ctx, itemIndex, entry),
});
