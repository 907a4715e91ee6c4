import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import * as jobs from '../../api/serverlessJobs';
import { ItemWithBinary } from '../node.type';
import type { OperationResult } from '../node.type';
import { binaryOptions, outputToBinary } from './binary';
import {
	endpointLocator,
	jobExpired,
	jobIdField,
	jobOutput,
	readEndpointId,
	readJobId,
} from './jobItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['getStatus'] } },
	[
		endpointLocator,
		jobIdField,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: binaryOptions,
		},
	],
);

/** A status, never a failure: a FAILED job is reported as such, for the workflow to branch on. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const endpointId = readEndpointId.call(this, itemIndex);
	const jobId = readJobId.call(this, itemIndex);
	const state = await jobs.status(this, endpointId, jobId, { itemIndex });
	if (!state) throw jobExpired.call(this, itemIndex, endpointId, jobId);
	const item = jobOutput(endpointId, state);
	if (state.status !== 'COMPLETED') return item;
	const converted = await outputToBinary.call(this, itemIndex, item);
	return converted.binary ? new ItemWithBinary(converted.json, converted.binary) : converted.json;
}
