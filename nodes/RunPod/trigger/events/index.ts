import { balanceBelow, spendRateAbove } from './account';
import { gpuAvailable } from './gpuAvailable';
import { podCreated, podStatusChanged, podTerminated } from './pods';
import type { AnyTriggerEvent } from './types';

export type EventName =
	| 'podStatusChanged'
	| 'podCreated'
	| 'podTerminated'
	| 'gpuAvailable'
	| 'spendRateAbove'
	| 'balanceBelow';

export const events: Record<EventName, AnyTriggerEvent> = {
	podStatusChanged,
	podCreated,
	podTerminated,
	gpuAvailable,
	spendRateAbove,
	balanceBelow,
};
