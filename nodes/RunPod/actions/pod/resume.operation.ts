import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { isPodUp } from '../../api/domain';
import { podLocator, simplifyOption } from '../common.descriptions';
import { podNotFound, podOutput, readPodId } from './podItem';
import { readWaitSettings, waitForPod, waitUntilReadyFields } from './waitForPod';
import { bidPerGpuTypeOptions, guardSpotCost, readSpotLimits, spotMaxCostField } from './spotGuard';

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['resume'] } },
	[
		podLocator,
		{
			displayName: 'Bid Per GPU (USD/hour)',
			name: 'bidPerGpu',
			type: 'number',
			default: 0,
			typeOptions: bidPerGpuTypeOptions,
			description:
				"Spot pods only: the new bid for one GPU per hour (the pod costs this times its GPU count). 0 bids RunPod's current minimum to resume (its floor for the whole pod, divided by the GPU count). On-demand pods ignore it.",
		},
		spotMaxCostField(
			"Spot pods only: refuse to resume when the bid for all the pod's GPUs (Bid Per GPU × GPU count) would cost more per hour than this. 0 means no limit. On-demand pods resume at their own price.",
		),
		...waitUntilReadyFields,
		simplifyOption,
	],
);

/**
 * Reads the pod first: RunPod needs its GPU count to resume it, and spot pods resume through a
 * different call with a bid. A pod that already runs is returned as it is.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const waitSettings = (this.getNodeParameter('waitUntilReady', itemIndex, false) as boolean)
		? readWaitSettings.call(this, itemIndex)
		: undefined;
	const output = await resume.call(this, itemIndex, api);
	if (!waitSettings) return output;
	const waited = await waitForPod.call(
		this,
		itemIndex,
		api,
		output.id as string,
		'ready',
		waitSettings,
		false,
	);
	return {
		...(waited.pod ? podOutput.call(this, itemIndex, waited.pod) : output),
		waitedSeconds: waited.waitedSeconds,
	};
}

async function resume(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const podId = readPodId.call(this, itemIndex);
	const { bidPerGpu: bid, maxCostPerHour } = readSpotLimits.call(this, itemIndex);
	const current = await api.pods.get(podId, { itemIndex });
	if (!current) throw podNotFound.call(this, itemIndex, podId);
	if (isPodUp(current.status)) return podOutput.call(this, itemIndex, current);

	const gpuCount = current.gpuCount && current.gpuCount > 0 ? current.gpuCount : 1;
	if (current.podType === 'INTERRUPTABLE') {
		const bidPerGpu = bid > 0 ? bid : perGpu(current.lowestBidPriceToResume ?? 0, gpuCount);
		if (!(bidPerGpu > 0)) {
			throw new NodeOperationError(
				this.getNode(),
				`Bid Per GPU (USD/hour): needed to resume the spot pod "${podId}"`,
				{
					itemIndex,
					description:
						'RunPod reports no minimum bid for this pod right now. Set Bid Per GPU to what you are willing to pay per GPU per hour.',
				},
			);
		}
		guardSpotCost.call(this, itemIndex, bidPerGpu, gpuCount, maxCostPerHour, 'resumed');
		return podOutput.call(
			this,
			itemIndex,
			await api.pods.resumeSpot(current, bidPerGpu, { itemIndex }),
		);
	}
	return podOutput.call(this, itemIndex, await api.pods.resume(current, { itemIndex }));
}

/**
 * RunPod's spot floors are for the whole pod (lowestPrice's minimumBidPrice, per cozy-creator's
 * runpod-go-sdk gpu_offers.go, and lowestBidPriceToResume like every price on a pod); bids are per GPU. Rounded up to a tenth of a
 * cent so the bid never lands below the floor.
 */
function perGpu(wholePodFloor: number, gpuCount: number): number {
	return Math.ceil(Math.round((wholePodFloor / gpuCount) * 1e6) / 1e3) / 1000;
}
