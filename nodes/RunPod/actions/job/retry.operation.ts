import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as jobs from '../../api/serverlessJobs';
import { endpointLocator, jobExpired, jobIdField, readEndpointId, readJobId } from './jobItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['retry'] } },
	[endpointLocator, jobIdField],
);

/** Requeues a FAILED or TIMED_OUT job under the same ID. A job already queued again is left alone. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const endpointId = readEndpointId.call(this, itemIndex);
	const jobId = readJobId.call(this, itemIndex);
	// Checked first, so a rerun of the node does not run a job twice.
	const current = await jobs.status(this, endpointId, jobId, { itemIndex });
	if (!current) throw jobExpired.call(this, itemIndex, endpointId, jobId);
	if (current.status !== 'FAILED' && current.status !== 'TIMED_OUT') {
		throw new NodeOperationError(
			this.getNode(),
			`Job ${jobId} is ${current.status}: only FAILED or TIMED_OUT jobs can be retried`,
			{
				itemIndex,
				description:
					current.status === 'COMPLETED' || current.status === 'CANCELLED'
						? 'To run the same input again, use Job → Run.'
						: 'The job is still queued or running; wait for it with Job → Get Status.',
			},
		);
	}
	const state = await jobs.retry(this, endpointId, jobId, { itemIndex });
	if (!state) throw jobExpired.call(this, itemIndex, endpointId, jobId);
	return { jobId: state.id ?? jobId, status: state.status, endpointId };
}
