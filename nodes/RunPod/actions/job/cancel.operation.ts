import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as jobs from '../../api/serverlessJobs';
import { endpointLocator, jobExpired, jobIdField, readEndpointId, readJobId } from './jobItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['cancel'] } },
	[endpointLocator, jobIdField],
);

/** Safe to repeat: cancelling a finished or cancelled job changes nothing. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const endpointId = readEndpointId.call(this, itemIndex);
	const jobId = readJobId.call(this, itemIndex);
	const state = await jobs.cancel(this, endpointId, jobId, { itemIndex });
	if (!state) throw jobExpired.call(this, itemIndex, endpointId, jobId);
	return { jobId: state.id ?? jobId, status: state.status, endpointId };
}
