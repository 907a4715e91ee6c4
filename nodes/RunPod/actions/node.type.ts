import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Settled } from '../helpers/concurrency';

/** An output item that carries binary data (a generated image, audio) beside its JSON. */
export class ItemWithBinary {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}

export type OperationResult = IDataObject | IDataObject[] | ItemWithBinary;

/** One user-visible operation: its fields and what it does for one item. */
export interface OperationModule {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult>;
	/**
	 * Optional: does the work of many items at once (one list request, aliased mutations,
	 * bounded concurrency). Returns one outcome per entry of `itemIndexes`, in the same order;
	 * a failed item is `{ ok: false, error }` and never fails the others.
	 */
	executeBatch?(
		this: IExecuteFunctions,
		itemIndexes: number[],
	): Promise<Array<Settled<OperationResult>>>;
	/**
	 * Optional, for operations that create something billed: names what an item's output
	 * created (e.g. `pod abc123`). When the node stops at a failed item, its error names what
	 * the other items created, since n8n then shows none of their outputs.
	 */
	billed?(output: IDataObject): string | undefined;
}

export type ResourceModule = Record<string, OperationModule>;
