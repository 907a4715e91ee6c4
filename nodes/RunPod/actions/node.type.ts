import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** One user-visible operation: its fields and what it does for one item. */
export interface OperationModule {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

export type ResourceModule = Record<string, OperationModule>;
