import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runpodApi } from '../api';
import type { Settled } from '../helpers/concurrency';
import { asNodeError } from '../api/errors';
import { ItemWithBinary } from './node.type';
import type { OperationResult } from './node.type';
import { findOperation, operationModule } from './registry';

/**
 * Runs the chosen operation for every input item. An operation with `executeBatch` gets all items
 * at once; others run once per item. Either way each item keeps its own result or error, in input order.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const chosen = findOperation(resource, operation);
	if (!chosen) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not known for "${resource}"`,
			{
				description:
					'Open the node and choose the operation again; the workflow may come from a newer version of this node.',
			},
		);
	}

	const handler = operationModule(chosen);
	// Chosen once per run: every item talks to the API the credential names.
	const api = await runpodApi(this);

	const itemIndexes = items.map((_, index) => index);
	const returnData: INodeExecutionData[] = [];
	// What items created, named in the error if the node stops: n8n then shows no output at all.
	const created: string[] = [];
	const noteCreated = (itemIndex: number, value: OperationResult) => {
		const json = value instanceof ItemWithBinary ? value.json : value;
		const name = handler.billed && !Array.isArray(json) ? handler.billed(json) : undefined;
		if (name) created.push(`${name} (item ${itemIndex})`);
	};
	const collect = (itemIndex: number, outcome: Settled<OperationResult>) => {
		if (outcome.ok) {
			const value = outcome.value;
			if (value instanceof ItemWithBinary) {
				returnData.push({
					json: value.json,
					binary: value.binary,
					pairedItem: { item: itemIndex },
				});
				return;
			}
			returnData.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(value), {
					itemData: { item: itemIndex },
				}),
			);
			return;
		}
		const error = outcome.error as Error & { description?: string };
		if (!this.continueOnFail()) {
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (created.length) {
				const note = `Before this item failed, the node created ${created.join(', ')}. n8n shows no output when a node fails, so find them here: they exist and are billed until you delete them (a rerun of the node in the same execution finds them again instead of creating more).`;
				nodeError.description = nodeError.description ? `${nodeError.description} ${note}` : note;
			}
			throw nodeError;
		}
		// n8n routes an item to the error output only when its keys are among error, message and
		// details, so there the description travels as `details`.
		const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
		const explanation = error.description
			? { [toErrorOutput ? 'details' : 'description']: error.description }
			: {};
		returnData.push({
			json: { error: error.message, ...explanation },
			pairedItem: { item: itemIndex },
		});
	};

	if (handler.executeBatch && itemIndexes.length > 0) {
		const outcomes = await handler.executeBatch.call(this, itemIndexes, api);
		// A batch runs every item: an item after the failed one may have created something too.
		itemIndexes.forEach((itemIndex, position) => {
			const outcome = outcomes[position];
			if (outcome?.ok) noteCreated(itemIndex, outcome.value);
		});
		itemIndexes.forEach((itemIndex, position) => collect(itemIndex, outcomes[position]));
		return [returnData];
	}

	for (const itemIndex of itemIndexes) {
		let outcome: Settled<OperationResult>;
		try {
			outcome = { ok: true, value: await handler.execute.call(this, itemIndex, api) };
			noteCreated(itemIndex, outcome.value);
		} catch (error) {
			outcome = { ok: false, error: error as Error };
		}
		collect(itemIndex, outcome);
	}
	return [returnData];
}
