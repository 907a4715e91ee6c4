import type { IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../api/contract';
import type { Settled } from '../helpers/concurrency';
import { asNodeError } from '../transport/errors';
import { policyFromNode } from '../transport/policy';
import type { OperationResult } from './node.type';

/**
 * Creates that cost money (pods, volumes, templates, endpoints). Every item's input is read and
 * checked before the first create is sent: with Continue On Fail off, one bad item stops the
 * node before anything is rented. Items then run one after another; without Continue On Fail
 * the first failure stops the rest, and the router names in its error what the items before it
 * created (n8n shows no output of a failed node).
 */
export interface CreateSteps<T> {
	/** Reads and checks the item's input; sends nothing that creates or costs anything. */
	prepare(this: IExecuteFunctions, itemIndex: number): Promise<T> | T;
	/** `api` is the one the router chose (steps written before it was passed in may ignore it). */
	run(
		this: IExecuteFunctions,
		itemIndex: number,
		input: T,
		api: RunPodApi,
	): Promise<OperationResult>;
}

export function createOperation<T>(steps: CreateSteps<T>) {
	async function execute(
		this: IExecuteFunctions,
		itemIndex: number,
		api: RunPodApi,
	): Promise<OperationResult> {
		return await steps.run.call(this, itemIndex, await steps.prepare.call(this, itemIndex), api);
	}

	async function executeBatch(
		this: IExecuteFunctions,
		itemIndexes: number[],
		api: RunPodApi,
	): Promise<Array<Settled<OperationResult>>> {
		const inputs: Array<Settled<T>> = [];
		for (const itemIndex of itemIndexes) {
			try {
				// The item's Retry and Timeout options are checked here too, not when it sends.
				policyFromNode(this, itemIndex);
				inputs.push({ ok: true, value: await steps.prepare.call(this, itemIndex) });
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
				inputs.push({ ok: false, error: error as Error });
			}
		}
		const outcomes: Array<Settled<OperationResult>> = [];
		for (const [position, itemIndex] of itemIndexes.entries()) {
			const input = inputs[position];
			if (!input.ok) {
				outcomes.push(input);
				continue;
			}
			try {
				outcomes.push({ ok: true, value: await steps.run.call(this, itemIndex, input.value, api) });
			} catch (error) {
				outcomes.push({ ok: false, error: error as Error });
				// The node fails at this item: create nothing more that no output would show.
				if (!this.continueOnFail()) break;
			}
		}
		while (outcomes.length < itemIndexes.length)
			outcomes.push({ ok: false, error: new Error('Not run: an earlier item failed') });
		return outcomes;
	}

	return { execute, executeBatch };
}

/**
 * An error raised after this item's create succeeded (e.g. Wait Until Ready): it names what was
 * created, so nothing billed is left that no output and no error names.
 */
export function namingCreated(
	this: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	what: string,
): Error {
	const nodeError = asNodeError(this.getNode(), error, itemIndex);
	const note = `The node had already created ${what} for this item; it exists and is billed until you delete it.`;
	nodeError.description = nodeError.description ? `${note} ${nodeError.description}` : note;
	return nodeError;
}
