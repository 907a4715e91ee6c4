import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkNumber, invalidParameter } from '../../helpers/validation';

/**
 * The most Bid Per GPU may be, in USD per GPU per hour. No GPU in RunPod's catalog comes near it:
 * the dearest spot list price is about $3.60 (B200, Secure Cloud) and the dearest on-demand one
 * about $6 (B200), and a spot bid above the on-demand price buys nothing (Create rents the same
 * GPU uninterruptible for less). A figure above it is almost always a whole pod's price given to
 * a per-GPU field, which the GPU count would multiply. See docs/cost-guard.md.
 */
export const MAX_BID_PER_GPU = 8;

export const bidPerGpuTypeOptions = {
	minValue: 0,
	maxValue: MAX_BID_PER_GPU,
	numberPrecision: 3,
};

/** Max Cost Per Hour for spot pods: the same field and meaning as on Create, applied to the bid. */
export function spotMaxCostField(description: string): INodeProperties {
	return {
		displayName: 'Max Cost Per Hour (USD)',
		name: 'maxCostPerHour',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		description,
	};
}

export interface SpotLimits {
	/** 0 bids RunPod's current minimum (plus a margin on Create). */
	bidPerGpu: number;
	/** 0 means no limit. */
	maxCostPerHour: number;
}

/** Bid Per GPU and Max Cost Per Hour, checked before anything is sent. */
export function readSpotLimits(this: IExecuteFunctions, itemIndex: number): SpotLimits {
	const node = this.getNode();
	const parameter = 'Bid Per GPU (USD/hour)';
	const bidPerGpu = checkNumber(
		node,
		itemIndex,
		parameter,
		this.getNodeParameter('bidPerGpu', itemIndex, 0),
		{ min: 0 },
	);
	if (bidPerGpu > MAX_BID_PER_GPU) {
		throw invalidParameter(
			node,
			itemIndex,
			parameter,
			`$${bidPerGpu} per GPU is above the $${MAX_BID_PER_GPU} ceiling`,
			`No GPU's spot price comes near $${MAX_BID_PER_GPU} per GPU per hour, so this is most likely the whole pod's price, which the GPU count would multiply. Enter the price of one GPU, or 0 to bid RunPod's current minimum.`,
		);
	}
	const maxCostPerHour = checkNumber(
		node,
		itemIndex,
		'Max Cost Per Hour (USD)',
		this.getNodeParameter('maxCostPerHour', itemIndex, 0),
		{ min: 0 },
	);
	return { bidPerGpu, maxCostPerHour };
}

const money = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * Refuses a bid whose whole pod (bid × GPU count) costs more per hour than Max Cost Per Hour.
 * `action` is what would not happen: "rented" or "resumed".
 */
export function guardSpotCost(
	this: IExecuteFunctions,
	itemIndex: number,
	bidPerGpu: number,
	gpuCount: number,
	maxCostPerHour: number,
	action: 'rented' | 'resumed',
): void {
	if (!(maxCostPerHour > 0)) return;
	const perHour = money(bidPerGpu * gpuCount);
	if (perHour <= maxCostPerHour) return;
	throw new NodeOperationError(
		this.getNode(),
		`Nothing was ${action}: a bid of $${bidPerGpu} per GPU for ${gpuCount} GPU${gpuCount === 1 ? '' : 's'} is $${perHour}/hour, above Max Cost Per Hour ($${maxCostPerHour})`,
		{
			itemIndex,
			description:
				'A spot pod costs its bid per GPU times the GPU count. Lower Bid Per GPU or the GPU count, or raise Max Cost Per Hour. Bid Per GPU is the price of one GPU, not of the whole pod.',
		},
	);
}
