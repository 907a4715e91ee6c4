import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { isDomainError, asNodeError } from '../../api/errors';
import { executionWindow, settle } from '../batch';
import type { ItemOutcome } from '../batch';
import { podLocator } from '../common.descriptions';
import { readPodId, readPodTargets } from './podItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['terminate'] } },
	[
		{
			displayName:
				'Terminating deletes the pod, its container disk and its pod volume for good. Network volumes are kept.',
			name: 'terminateNotice',
			type: 'notice',
			default: '',
		},
		podLocator,
	],
);

/** The item's error for a failed terminate: a pod that is already gone says so. */
function terminateError(
	ctx: IExecuteFunctions,
	error: unknown,
	podId: string,
	itemIndex: number,
): Error {
	if (isDomainError(error, 'NotFound')) {
		return new NodeOperationError(
			ctx.getNode(),
			`The pod "${podId}" does not exist: it may already be terminated`,
			{
				itemIndex,
				description:
					"Nothing was deleted and nothing is billed for this pod. If the workflow may terminate the same pod twice, set the node's On Error setting to Continue.",
			},
		);
	}
	return asNodeError(ctx.getNode(), error, itemIndex);
}

async function terminateOne(
	ctx: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const podId = readPodId.call(ctx, itemIndex);
	try {
		await api.pods.terminate(podId, { itemIndex });
	} catch (error) {
		throw terminateError(ctx, error, podId, itemIndex);
	}
	return { id: podId, terminated: true };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	return await terminateOne(this, itemIndex, api);
}

/**
 * Many items: the API terminates them together (GraphQL: aliased, up to 50 per request; REST v2:
 * one request per pod), within Max Parallel Requests. Each item keeps a single terminate's error.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
	api: RunPodApi,
): Promise<ItemOutcome[]> {
	if (itemIndexes.length === 1)
		return [await settle(async () => await execute.call(this, itemIndexes[0], api))];
	const { outcomes, positions: toTerminate, idAt, targets } = readPodTargets(this, itemIndexes);
	if (toTerminate.length === 0) return outcomes;

	const { window, parallel } = executionWindow(this, itemIndexes[toTerminate[0]]);
	const results = await api.pods.terminateMany(targets, { window, parallel });
	for (const [k, outcome] of results.entries()) {
		const position = toTerminate[k];
		outcomes[position] =
			outcome.status === 'done'
				? { ok: true, value: { id: idAt(position), terminated: true } }
				: {
						ok: false,
						error: terminateError(this, outcome.error, idAt(position), itemIndexes[position]),
					};
	}
	return outcomes;
}
