import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runpodApi } from '../../api';
import { getManyFromList, settle } from '../batch';
import type { ItemOutcome } from '../batch';
import { podLocator, simplifyOption } from '../common.descriptions';
import { podNotFound, podOutput, readPodId } from './shared';

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['get'] } },
	[podLocator, simplifyOption],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const podId = readPodId.call(this, itemIndex);
	const pod = await (await runpodApi(this)).pods.get(podId, { itemIndex });
	if (!pod) throw podNotFound.call(this, itemIndex, podId);
	return podOutput.call(this, itemIndex, pod);
}

/** One item reads its pod; many items share one list of the account's pods (either API). */
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
		(itemIndex) => readPodId.call(this, itemIndex),
		async () => await api.pods.list({ itemIndex: itemIndexes[0] }),
		(itemIndex, podId) => podNotFound.call(this, itemIndex, podId),
		(itemIndex, pod) => podOutput.call(this, itemIndex, pod),
	);
}
