import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as pods from '../../api/pods';
import { getManyFromList, settle } from '../batch';
import type { ItemOutcome } from '../batch';
import { podLocator, simplifyOption } from '../common.descriptions';
import { podNotFound, podOutput, readPodId } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['pod'], operation: ['get'] } }, [
	podLocator,
	simplifyOption,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const podId = readPodId.call(this, itemIndex);
	const pod = await pods.get(this, podId, { itemIndex });
	if (!pod) throw podNotFound.call(this, itemIndex, podId);
	return podOutput.call(this, itemIndex, pod);
}

/** One item reads its pod; many items share one list of the account's pods. */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]> {
	if (itemIndexes.length === 1) return [await settle(async () => await execute.call(this, itemIndexes[0]))];
	return await getManyFromList(
		this,
		itemIndexes,
		(itemIndex) => readPodId.call(this, itemIndex),
		async () => await pods.list(this, { itemIndex: itemIndexes[0] }),
		(itemIndex, podId) => podNotFound.call(this, itemIndex, podId),
		(itemIndex, pod) => podOutput.call(this, itemIndex, pod),
	);
}
