import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { TriggerSource } from '../source';

/**
 * One trigger event: read its settings, observe RunPod (the only step that sends requests and
 * may fail), then turn the previous state and the observation into new events. `seed` and `step`
 * are pure, so a failed observation never touches the state.
 */
export interface TriggerEvent<Params, Observation, State> {
	/** Reads and checks the event's parameters before anything is sent. */
	readParams(ctx: IPollFunctions): Params;
	/** The settings that decide what the state means: when they change, the trigger starts over. */
	stateKey(params: Params): string;
	observe(source: TriggerSource, params: Params): Promise<Observation>;
	/** The state recorded by the first poll, which emits nothing. */
	seed(observation: Observation, params: Params): State;
	/** What happened since the last poll, and the state to keep. */
	step(
		previous: State,
		observation: Observation,
		params: Params,
		now: Date,
	): { state: State; events: IDataObject[] };
	/** "Fetch Test Event": a realistic item from the account right now, state untouched. */
	sample(observation: Observation, params: Params, now: Date): IDataObject[];
}

export type AnyTriggerEvent = TriggerEvent<unknown, unknown, unknown>;
