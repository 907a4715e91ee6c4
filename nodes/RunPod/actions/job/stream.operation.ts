import { NodeOperationError, sleep, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as jobs from '../../api/serverlessJobs';
import { checkNumber } from '../../helpers/validation';
import { asNodeError } from '../../api/errors';
import {
	consoleUrl,
	endpointLocator,
	jobExpired,
	jobIdField,
	jobUnsuccessful,
	readEndpointId,
	readJobId,
} from './jobItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['stream'] } },
	[
		endpointLocator,
		jobIdField,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Max Wait (Seconds)',
					name: 'maxWaitSeconds',
					type: 'number',
					default: 600,
					typeOptions: { minValue: 1, maxValue: 86400 },
					description: 'How long to keep collecting before the item fails',
				},
				{
					displayName: 'Pass Through Failed Jobs',
					name: 'passThroughFailed',
					type: 'boolean',
					default: false,
					description:
						'Whether FAILED, CANCELLED and TIMED_OUT jobs come out as items with the chunks streamed so far, instead of failing the item',
				},
			],
		},
	],
);

/**
 * Collects what a streaming worker yields until the job ends. Each /stream call drains RunPod's
 * buffer, so chunks fetched elsewhere meanwhile are not seen here.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const endpointId = readEndpointId.call(this, itemIndex);
	const jobId = readJobId.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const maxWaitMs =
		checkNumber(this.getNode(), itemIndex, 'Max Wait (Seconds)', options.maxWaitSeconds ?? 600, {
			min: 1,
			max: 86400,
		}) * 1000;
	const started = Date.now();
	const chunks: unknown[] = [];
	let pauseMs = 250;
	for (;;) {
		let answer: jobs.StreamChunk | undefined;
		try {
			answer = await jobs.stream(this, endpointId, jobId, { itemIndex });
		} catch (error) {
			if (error instanceof jobs.StreamAnswerLostError)
				throw chunksLost.call(this, itemIndex, endpointId, jobId, chunks.length, error.message);
			throw asNodeError(this.getNode(), error, itemIndex);
		}
		if (!answer) throw jobExpired.call(this, itemIndex, endpointId, jobId);
		chunks.push(...answer.stream.map((entry) => entry.output));
		if (jobs.isTerminalStatus(answer.status)) {
			const item: IDataObject = {
				jobId,
				status: answer.status,
				endpointId,
				chunks: chunks as IDataObject[],
			};
			if (chunks.every((chunk) => typeof chunk === 'string')) item.text = chunks.join('');
			if (!jobs.UNSUCCESSFUL_STATUSES.includes(answer.status)) return item;
			if (options.passThroughFailed === true) return item;
			const state = await jobs.status(this, endpointId, jobId, { itemIndex });
			throw jobUnsuccessful.call(
				this,
				itemIndex,
				endpointId,
				state ?? { id: jobId, status: answer.status },
			);
		}
		if (Date.now() - started >= maxWaitMs) {
			throw new NodeOperationError(
				this.getNode(),
				`Job ${jobId} was still ${answer.status} after ${Math.round(maxWaitMs / 1000)} seconds`,
				{
					itemIndex,
					description: `${chunks.length} chunks had arrived. The job goes on at RunPod; raise Max Wait (Seconds), or cancel it with Job → Cancel.`,
				},
			);
		}
		await sleep(pauseMs);
		pauseMs = answer.stream.length > 0 ? 250 : Math.min(pauseMs * 2, 5000);
	}
}

/** A /stream answer was lost: the chunks it carried are gone, so the item must not end as if complete. */
function chunksLost(
	this: IExecuteFunctions,
	itemIndex: number,
	endpointId: string,
	jobId: string,
	received: number,
	what: string,
): NodeOperationError {
	const message = `Streamed chunks of job ${jobId} were lost: ${what}`;
	const error = new NodeOperationError(this.getNode(), message, {
		itemIndex,
		description: `RunPod hands each chunk out once, and the lost answer may have carried some, so the node did not ask again and does not return an incomplete stream. ${received} chunk(s) had arrived before. The job itself goes on at RunPod: Job → Get Status (job ID ${jobId}) returns its final output when the worker also returns the whole stream (return_aggregate_stream), and the endpoint's console shows the job (${consoleUrl(endpointId)}).`,
	});
	error.message = message;
	return error;
}
