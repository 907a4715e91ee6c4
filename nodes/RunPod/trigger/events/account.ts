import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, IPollFunctions } from 'n8n-workflow';

import { asNodeError, isDomainError } from '../../api/errors';
import { checkNumber } from '../../helpers/validation';
import type { BalanceReading, SpendReading } from '../source';
import type { TriggerEvent } from './types';

export interface ThresholdParams {
	threshold: number;
}

/** Whether the condition held at the last poll, and the reading then. */
export interface ThresholdState {
	active: boolean;
	last: number;
}

const round = (value: number) => Math.round(value * 10000) / 10000;

/**
 * Spend Rate Above: fires when the account's spend per hour goes from at most the threshold to
 * above it; it fires again only after spend has come back down to the threshold or below.
 */
export const spendRateAbove: TriggerEvent<ThresholdParams, SpendReading, ThresholdState> = {
	readParams: (ctx: IPollFunctions) => ({
		threshold: checkNumber(
			ctx.getNode(),
			0,
			'Spend Per Hour Above (USD)',
			ctx.getNodeParameter('spendThreshold', 0),
			{ min: 0 },
		),
	}),
	stateKey: (p) => `spend>${p.threshold}`,
	observe: async (source) => await source.spend(),
	seed: (reading, p) => ({ active: reading.spendPerHr > p.threshold, last: reading.spendPerHr }),
	step(previous, reading, p, now) {
		const active = reading.spendPerHr > p.threshold;
		const state = { active, last: reading.spendPerHr };
		if (!active || previous.active) return { state, events: [] };
		return { state, events: [spendItem(reading, previous.last, p, now)] };
	},
	sample: (reading, p, now) => [
		{ ...spendItem(reading, reading.spendPerHr, p, now), sample: true, sampleFrom: 'account' },
	],
};

function spendItem(
	reading: SpendReading,
	previous: number,
	p: ThresholdParams,
	now: Date,
): IDataObject {
	return {
		event: 'spendRateAbove',
		spendPerHr: round(reading.spendPerHr),
		previousSpendPerHr: round(previous),
		thresholdPerHr: p.threshold,
		runningPodCount: reading.runningPodCount,
		detectedAt: now.toISOString(),
	};
}

/**
 * Balance Below: fires when the balance goes from at least the threshold to below it; it fires
 * again only after the balance has been topped up to the threshold or more. GraphQL only.
 */
export const balanceBelow: TriggerEvent<ThresholdParams, BalanceReading, ThresholdState> = {
	readParams: (ctx: IPollFunctions) => ({
		threshold: checkNumber(
			ctx.getNode(),
			0,
			'Balance Below (USD)',
			ctx.getNodeParameter('balanceThreshold', 0),
			{ min: 0 },
		),
	}),
	stateKey: (p) => `balance<${p.threshold}`,
	async observe(source) {
		try {
			return await source.balance();
		} catch (error) {
			if (isDomainError(error, 'NotOfferedByThisApi')) throw balanceNotOnRest(source.node);
			throw asNodeError(source.node, error);
		}
	},
	seed: (reading, p) => ({ active: reading.balance < p.threshold, last: reading.balance }),
	step(previous, reading, p, now) {
		const active = reading.balance < p.threshold;
		const state = { active, last: reading.balance };
		if (!active || previous.active) return { state, events: [] };
		return { state, events: [balanceItem(reading, previous.last, p, now)] };
	},
	sample: (reading, p, now) => [
		{ ...balanceItem(reading, reading.balance, p, now), sample: true, sampleFrom: 'account' },
	],
};

function balanceItem(
	reading: BalanceReading,
	previous: number,
	p: ThresholdParams,
	now: Date,
): IDataObject {
	return {
		event: 'balanceBelow',
		balance: round(reading.balance),
		previousBalance: round(previous),
		threshold: p.threshold,
		spendPerHr: round(reading.spendPerHr),
		hoursOfBalanceLeft:
			reading.spendPerHr > 0
				? Math.max(0, Math.round((reading.balance / reading.spendPerHr) * 100) / 100)
				: null,
		runningPodCount: reading.runningPodCount,
		detectedAt: now.toISOString(),
	};
}

export function balanceNotOnRest(node: INode): NodeOperationError {
	return new NodeOperationError(
		node,
		"Balance Below is not available on REST v2: RunPod's REST API v2 has no account balance",
		{
			description:
				"RunPod offers the account balance only on its GraphQL API. Switch the RunPod API credential's API to GraphQL (retired in early 2027), or watch spend instead with the Spend Rate Above event.",
		},
	);
}
