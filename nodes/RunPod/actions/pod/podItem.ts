import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CREATE_MARKER_ENV } from '../../api';
import type { RunPodApi } from '../../api';
import type { CreatedPod, Pod } from '../../api/types';
import { rawPod, simplifyPod } from '../../helpers/podOutput';
import { checkText } from '../../helpers/validation';
import { readEach } from '../batch';
import type { ItemOutcome } from '../batch';
import type { CreateAttempt } from '../createAttempt';
import { namingCreated } from '../creates';
import { waitForPod } from './waitForPod';
import type { WaitOutcome, WaitSettings } from './waitForPod';

export function readPodId(this: IExecuteFunctions, itemIndex: number): string {
	return checkText(
		this.getNode(),
		itemIndex,
		'Pod',
		this.getNodeParameter('podId', itemIndex, '', { extractValue: true }),
		'Choose a pod from the list, or enter its ID.',
	);
}

export function podOutput(this: IExecuteFunctions, itemIndex: number, pod: Pod): IDataObject {
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return simplify ? simplifyPod(pod) : rawPod(pod);
}

export function podNotFound(
	this: IExecuteFunctions,
	itemIndex: number,
	podId: string,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), `The pod "${podId}" was not found`, {
		itemIndex,
		description:
			'RunPod does not know this pod: terminated pods disappear. Check the ID, or list your pods with Pod → Get Many.',
	});
}

/** A created pod's output; says so when the pod was found again after RunPod's answer was lost. */
export function createdPodOutput(
	this: IExecuteFunctions,
	itemIndex: number,
	created: CreatedPod,
): IDataObject {
	const output = podOutput.call(this, itemIndex, created.pod);
	return created.recovered ? { ...output, recovered: true } : output;
}

/**
 * The pod an earlier run of this item already rented, found by its marker (one list request), if
 * any: n8n's Retry On Fail, or a queue-mode execution re-queued after a worker crash, which runs
 * the node again with a fresh context that does not remember the first create.
 */
export async function podOfEarlierRun(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	attempt: CreateAttempt,
): Promise<CreatedPod | undefined> {
	const pod = await api.pods.findByCreateMarker(attempt.marker, { itemIndex });
	return pod ? { pod, recovered: true } : undefined;
}

/** What a create's output names, for the node's error when another item stops it. */
export function billedPod(output: IDataObject): string | undefined {
	return typeof output.id === 'string' ? `pod ${output.id}` : undefined;
}

/** Wait Until Ready after a create: an error (not ready, timed out) names the pod it rented. */
export async function waitUntilReady(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	created: CreatedPod,
	attempt: CreateAttempt,
	settings: WaitSettings,
): Promise<WaitOutcome> {
	try {
		return await waitForPod.call(this, itemIndex, api, created.pod.id, 'ready', settings, false);
	} catch (error) {
		throw namingCreated.call(
			this,
			error,
			itemIndex,
			`the pod ${created.pod.id} (its environment has ${CREATE_MARKER_ENV}=${attempt.marker})`,
		);
	}
}

/**
 * Every item's pod ID for a batched Stop or Terminate, read before anything is sent. Items whose
 * input is bad already hold their error in `outcomes`; `positions` are the ones to send.
 */
export function readPodTargets(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
): {
	outcomes: ItemOutcome[];
	positions: number[];
	idAt: (position: number) => string;
	targets: Array<{ id: string; itemIndex: number }>;
} {
	const podIds = readEach(ctx, itemIndexes, (itemIndex) => readPodId.call(ctx, itemIndex));
	const outcomes: ItemOutcome[] = podIds.map((id) =>
		id.ok ? { ok: false, error: new Error('not sent') } : id,
	);
	const positions = itemIndexes
		.map((_, position) => position)
		.filter((position) => podIds[position].ok);
	const idAt = (position: number) => (podIds[position] as { value: string }).value;
	const targets = positions.map((position) => ({
		id: idAt(position),
		itemIndex: itemIndexes[position],
	}));
	return { outcomes, positions, idAt, targets };
}
