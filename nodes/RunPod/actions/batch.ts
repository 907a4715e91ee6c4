import type { IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../api';
import type { Settled } from '../helpers/concurrency';
import { RequestWindow, parallelRequestsFromNode } from '../api';
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

/** What Get needs to know about a resource whose API may lack a single-item query. */
export interface GetByList<E extends { id: string }> {
	readId: (ctx: IExecuteFunctions, itemIndex: number) => string;
	get: (api: RunPodApi, id: string, itemIndex: number) => Promise<E | null>;
	list: (api: RunPodApi, itemIndex: number) => Promise<E[]>;
	notFound: (ctx: IExecuteFunctions, itemIndex: number, id: string) => Error;
	output: (ctx: IExecuteFunctions, itemIndex: number, entry: E) => OperationResult;
}

/**
 * Get's `execute` and `executeBatch`: one item reads its entry; many items share one list
 * request, each picking its own entry by ID, and an ID missing from the list is that item's
 * "not found". A failed list fails every item that needed it.
 */
export function getOperation<E extends { id: string }>(resource: GetByList<E>) {
	async function execute(
		this: IExecuteFunctions,
		itemIndex: number,
		api: RunPodApi,
	): Promise<OperationResult> {
		const id = resource.readId(this, itemIndex);
		const entry = await resource.get(api, id, itemIndex);
		if (!entry) throw resource.notFound(this, itemIndex, id);
		return resource.output(this, itemIndex, entry);
	}

	async function executeBatch(
		this: IExecuteFunctions,
		itemIndexes: number[],
		api: RunPodApi,
	): Promise<ItemOutcome[]> {
		if (itemIndexes.length === 1)
			return [await settle(async () => await execute.call(this, itemIndexes[0], api))];
		const ids = readEach(this, itemIndexes, (itemIndex) => resource.readId(this, itemIndex));
		let byId: Map<string, E>;
		try {
			const entries = await resource.list(api, itemIndexes[0]);
			byId = new Map(entries.map((entry) => [entry.id, entry]));
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
						if (!entry) throw resource.notFound(this, itemIndex, id.value);
						return resource.output(this, itemIndex, entry);
					}),
			),
		);
	}

	return { execute, executeBatch };
}
