import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RunPodApi } from '../api';
import type { Settled } from '../helpers/concurrency';

/** An output item that carries binary data (a generated image, audio) beside its JSON. */
export class ItemWithBinary {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}

export type OperationResult = IDataObject | IDataObject[] | ItemWithBinary;

/**
 * One user-visible operation: its fields and what it does for one item. `api` is RunPod's API as
 * the credential chose it (api/contract.ts): an operation never asks which one it is.
 */
export interface OperationModule {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, api: RunPodApi): Promise<OperationResult>;
	/**
	 * Optional: does the work of many items at once (one list request, aliased mutations,
	 * bounded concurrency). Returns one outcome per entry of `itemIndexes`, in the same order;
	 * a failed item is `{ ok: false, error }` and never fails the others.
	 */
	executeBatch?(
		this: IExecuteFunctions,
		itemIndexes: number[],
		api: RunPodApi,
	): Promise<Array<Settled<OperationResult>>>;
	/**
	 * Optional, for operations that create something billed: names what an item's output
	 * created (e.g. `pod abc123`). When the node stops at a failed item, its error names what
	 * the other items created, since n8n then shows none of their outputs.
	 */
	billed?(output: IDataObject): string | undefined;
}

/**
 * One row of a resource's operation table: its option in the Operation dropdown (the row's key is
 * the option's value, the one saved in workflows) and the module that runs it.
 */
interface OperationEntry {
	/** The dropdown's label, in Title Case ("Get Many"). */
	name: string;
	/** What the operation does, in sentence case ("Get many pods"): n8n's actions list and the canvas subtitle. */
	action: string;
	/** One sentence-case line under the option: say what costs money or destroys data. */
	description: string;
	/** The operation's fields, its execute and, optionally, executeBatch and billed. */
	module: OperationModule;
}

/** Operation value → its row. The order of the rows is the order of the fields in the node. */
export type OperationTable = Record<string, OperationEntry>;

/** A resource: its name in the Resource dropdown, the operation it starts with, its operations. */
export interface Resource {
	/** The Resource dropdown's label, in Title Case. */
	name: string;
	/** The operation a new node starts with. */
	default: string;
	operations: OperationTable;
}

/** A resource whose table keeps its operation values in its type. */
interface ResourceDefinition<T extends OperationTable> extends Resource {
	default: NoInfer<keyof T & string>;
	operations: T;
}

/**
 * Declares a resource's operation table. The table keeps its operation values in its type, so the
 * registry can name every (resource, operation) pair and a misspelt default is a compile error.
 */
export function defineResource<T extends OperationTable>(
	definition: ResourceDefinition<T>,
): ResourceDefinition<T> {
	return definition;
}

/**
 * n8n's node map idiom (as in its Airtable, Microsoft Teams and Google Sheets nodes): from a map of
 * resource → operation values, the union of every valid { resource, operation } pair.
 */
export type AllEntities<M> = { [R in keyof M]: { resource: R; operation: M[R] } }[keyof M];
