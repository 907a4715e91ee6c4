import type { IExecuteFunctions } from 'n8n-workflow';

import type { Settled } from '../helpers/concurrency';
import { RequestWindow } from '../helpers/requestWindow';
import { parallelRequestsFromNode } from '../transport/policy';
import type { OperationResult } from './node.type';

export type ItemOutcome = Settled<OperationResult>;

/** Runs `work` and turns a throw into that item's failure. */
export async function settle<T>(work: () => Promise<T> | T): Promise<Settled<T>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		return { ok: false, error: error as Error };
	}
}

/**
 * Reads every item's input before anything is sent. With Continue On Fail off, the first item
 * with bad input stops the node here, so no request goes out for any item.
 */
export function readEach<T>(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	read: (itemIndex: number) => T,
): Array<Settled<T>> {
	const inputs = itemIndexes.map((itemIndex): Settled<T> => {
		try {
			return { ok: true, value: read(itemIndex) };
		} catch (error) {
			return { ok: false, error: error as Error };
		}
	});
	const firstBad = inputs.find((input) => !input.ok);
	if (firstBad && !firstBad.ok && !ctx.continueOnFail()) throw firstBad.error;
	return inputs;
}

/** This execution's request window (never shared with another execution) and its width. */
export function executionWindow(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { window: RequestWindow; parallel: number } {
	const parallel = parallelRequestsFromNode(ctx, itemIndex);
	return { window: new RequestWindow(parallel), parallel };
}

/**
 * Get for many items from one list request: each item picks its own entry by ID; an ID missing
 * from the list is that item's "not found". A failed list fails every item that needed it.
 */
export async function getManyFromList<E extends { id: string }>(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	readId: (itemIndex: number) => string,
	list: () => Promise<E[]>,
	notFound: (itemIndex: number, id: string) => Error,
	output: (itemIndex: number, entry: E) => OperationResult,
): Promise<ItemOutcome[]> {
	const ids = readEach(ctx, itemIndexes, readId);
	let byId: Map<string, E>;
	try {
		byId = new Map((await list()).map((entry) => [entry.id, entry]));
	} catch (error) {
		return ids.map((id): ItemOutcome => (id.ok ? { ok: false, error: error as Error } : id));
	}
	return await Promise.all(
		itemIndexes.map(
			async (itemIndex, position) =>
				await settle(() => {
					const id = ids[position];
					if (!id.ok) throw id.error;
					const entry = byId.get(id.value);
					if (!entry) throw notFound(itemIndex, id.value);
					return output(itemIndex, entry);
				}),
		),
	);
}
