import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { mapWithConcurrency } from '../../helpers/concurrency';
import type { RequestWindow } from '../../helpers/requestWindow';
import { executionWindow, settle } from '../batch';
import type { ItemOutcome } from '../batch';
import { podLocator, simplifyOption } from '../common.descriptions';
import { podOutput, readPodId, readPodTargets } from './shared';

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['stop'] } },
	[podLocator, simplifyOption],
);

async function stopOne(
	ctx: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	window?: RequestWindow,
): Promise<IDataObject> {
	const podId = readPodId.call(ctx, itemIndex);
	const pod = await api.pods.stop(podId, { itemIndex, window });
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
 * Many items: on GraphQL aliased stops, up to 50 per request; on REST v2 one request per pod,
 * within Max Parallel Requests. Stop is safe to repeat, so an alias RunPod refused is sent once
 * more on its own, which gives that item the same error as a single stop.
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
	const refused: number[] = [];
	for (const [k, outcome] of stopped.entries()) {
		const position = toStop[k];
		if (outcome.status === 'done')
			outcomes[position] = await settle(() =>
				podOutput.call(this, itemIndexes[position], outcome.value),
			);
		else if (outcome.status === 'failed') outcomes[position] = { ok: false, error: outcome.error };
		else refused.push(position);
	}
	const again = await mapWithConcurrency(
		refused,
		parallel,
		async (position) => await stopOne(this, itemIndexes[position], api, window),
	);
	refused.forEach((position, k) => (outcomes[position] = again[k]));
	return outcomes;
}
