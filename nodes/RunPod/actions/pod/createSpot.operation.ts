import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { simplifyOption } from '../common.descriptions';
import {
	gpuTypeField,
	podAdditionalFields,
	podMachineFields,
	podSourceFields,
	readCreateInput,
	readGpuTypeId,
} from './create.fields';
import type { PodSpec } from './create.fields';
import { machineRequirements, placeWithVolume } from './placement';
import { isDomainError, asNodeError } from '../../api/errors';
import { createAttempt, markUnsettled, unsettledBefore } from '../createAttempt';
import { withTemplateEnvironment } from './fromTemplate';
import { createOperation } from '../creates';
import { billedPod, createdPodOutput, podOfEarlierRun, podOutput, waitUntilReady } from './podItem';
import { readWaitSettings, waitUntilReadyFields } from './waitForPod';
import type { WaitSettings } from './waitForPod';
import { bidPerGpuTypeOptions, guardSpotCost, readSpotLimits, spotMaxCostField } from './spotGuard';

/** Margin over RunPod's current minimum bid when the user leaves the bid at 0, so the pod is not reclaimed at once. */
export const AUTO_BID_MARGIN = 0.1;

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['createSpot'] } },
	[
		{
			displayName:
				'A spot pod costs money from the first second it runs. RunPod is phasing spot (interruptible) pods out and may remove them without notice, and a spot pod can be stopped at any time when someone outbids you.',
			name: 'spotNotice',
			type: 'notice',
			default: '',
		},
		...podSourceFields,
		gpuTypeField,
		...podMachineFields,
		{
			displayName: 'Bid Per GPU (USD/hour)',
			name: 'bidPerGpu',
			type: 'number',
			default: 0,
			typeOptions: bidPerGpuTypeOptions,
			description:
				"What you offer for one GPU per hour (the pod costs this times the GPU count). 0 bids RunPod's current minimum bid for this GPU plus 10%.",
		},
		spotMaxCostField(
			"Refuse to rent when the bid for all the pod's GPUs (Bid Per GPU × GPU Count) would cost more per hour than this; with Bid Per GPU 0, the bid RunPod's minimum leads to. 0 means no limit.",
		),
		podAdditionalFields,
		...waitUntilReadyFields,
		simplifyOption,
	],
);

interface Prepared {
	requested: PodSpec;
	gpuTypeId: string;
	waitSettings: WaitSettings | undefined;
	bidPerGpu: number;
	maxCostPerHour: number;
}

/** Everything the user typed, checked for every item before RunPod is asked anything. */
async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<Prepared> {
	const requested = readCreateInput.call(this, itemIndex);
	const gpuTypeId = readGpuTypeId.call(this, itemIndex);
	const waitSettings = (this.getNodeParameter('waitUntilReady', itemIndex, false) as boolean)
		? readWaitSettings.call(this, itemIndex)
		: undefined;
	const { bidPerGpu, maxCostPerHour } = readSpotLimits.call(this, itemIndex);
	if (bidPerGpu > 0)
		guardSpotCost.call(this, itemIndex, bidPerGpu, requested.gpuCount, maxCostPerHour, 'rented');
	// Before any price is looked up: spot pods do not exist on every API.
	api.pods.requireSpot({ itemIndex });
	return { requested, gpuTypeId, waitSettings, bidPerGpu, maxCostPerHour };
}

async function run(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	{ requested, gpuTypeId, waitSettings, bidPerGpu, maxCostPerHour }: Prepared,
): Promise<IDataObject> {
	const attempt = createAttempt.call(this, itemIndex, 'pod');
	// One list by marker first: a rerun (Retry On Fail, a re-queued execution) finds its pod.
	let created = await podOfEarlierRun.call(this, itemIndex, api, attempt);
	if (!created) {
		const unsettled = unsettledBefore.call(this, attempt, itemIndex);
		if (unsettled) throw unsettled;
		const spec = await withTemplateEnvironment.call(this, itemIndex, api, requested);
		const input = { ...(await placeWithVolume.call(this, itemIndex, api, spec)), gpuTypeId };
		if (bidPerGpu === 0) {
			bidPerGpu = await currentBid.call(this, itemIndex, api, input);
			guardSpotCost.call(this, itemIndex, bidPerGpu, input.gpuCount, maxCostPerHour, 'rented');
		}
		attempt.markSent();
		try {
			created = await api.pods.createSpot(
				{ ...input, bidPerGpu },
				{ itemIndex, marker: attempt.marker },
			);
		} catch (error) {
			if (isDomainError(error, 'Unsettled')) markUnsettled(attempt, error);
			throw asNodeError(this.getNode(), error, itemIndex);
		}
	}
	const output = createdPodOutput.call(this, itemIndex, created);
	if (!waitSettings) return output;
	const waited = await waitUntilReady.call(this, itemIndex, api, created, attempt, waitSettings);
	return {
		...output,
		...podOutput.call(this, itemIndex, waited.pod ?? created.pod),
		waitedSeconds: waited.waitedSeconds,
	};
}

export const { execute, executeBatch } = createOperation({ prepare, run });
export const billed = billedPod;

async function currentBid(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	spec: PodSpec & { gpuTypeId: string },
): Promise<number> {
	const { gpuTypeId, gpuCount, cloudType } = spec;
	const gpu = await api.gpuTypes.getPrices(
		gpuTypeId,
		gpuCount,
		{ itemIndex },
		machineRequirements(spec),
	);
	if (!gpu) {
		throw new NodeOperationError(
			this.getNode(),
			`RunPod does not know the GPU type "${gpuTypeId}"`,
			{
				itemIndex,
				description:
					'Choose a GPU type from the list, or look up valid IDs with GPU Type → Get Many.',
			},
		);
	}
	// With Cloud Type Any the pod may land in either cloud, so the bid must clear the higher floor.
	const quotes =
		cloudType === 'ALL'
			? [gpu.secure, gpu.community]
			: [cloudType === 'SECURE' ? gpu.secure : gpu.community];
	const floors = quotes
		.map((q) => q.minimumBid)
		.filter((bid): bid is number => bid !== null && bid > 0);
	if (!floors.length) {
		throw new NodeOperationError(
			this.getNode(),
			`No spot capacity for ${gpuCount} × ${gpuTypeId} right now`,
			{
				itemIndex,
				description:
					'RunPod has no minimum bid for this GPU, so no spot machine is free. Try another GPU type or cloud type, or use Create for an on-demand pod.',
			},
		);
	}
	// RunPod quotes the spot floor for the whole GPU count; the bid is per GPU.
	const floorPerGpu = Math.max(...floors) / gpuCount;
	return Math.ceil(floorPerGpu * (1 + AUTO_BID_MARGIN) * 1000) / 1000;
}
