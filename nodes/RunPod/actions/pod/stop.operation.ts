import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { executionWindow, settle } from '../batch';
import type { ItemOutcome } from '../batch';
import { podLocator, simplifyOption } from '../common.descriptions';
import { podOutput, readPodId, readPodTargets } from './podItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['stop'] } },
	[podLocator, simplifyOption],
);

async function stopOne(
	ctx: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const podId = readPodId.call(ctx, itemIndex);
	const pod = await api.pods.stop(podId, { itemIndex });
	return podOutput.call(ctx, itemIndex, pod);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	return await stopOne(this, itemIndex, api);
}

/**
 * Many items: the API stops them together (GraphQL: aliased, up to 50 per request; REST v2: one
 * request per pod), within Max Parallel Requests. Each item keeps a single stop's error.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
	api: RunPodApi,
): Promise<ItemOutcome[]> {
	if (itemIndexes.length === 1)
		return [await settle(async () => await execute.call(this, itemIndexes[0], api))];
	const { outcomes, positions: toStop, targets } = readPodTargets(this, itemIndexes);
	if (toStop.length === 0) return outcomes;

	const { window, parallel } = executionWindow(this, itemIndexes[toStop[0]]);
	const stopped = await api.pods.stopMany(targets, { window, parallel });
	for (const [k, outcome] of stopped.entries()) {
		const position = toStop[k];
		outcomes[position] =
			outcome.status === 'done'
				? await settle(() => podOutput.call(this, itemIndexes[position], outcome.value))
				: { ok: false, error: outcome.error };
	}
	return outcomes;
}
