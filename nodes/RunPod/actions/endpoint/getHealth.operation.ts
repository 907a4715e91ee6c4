import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as jobs from '../../api/serverlessJobs';
import { asNodeError } from '../../api/errors';
import { endpointMissing } from '../job/jobItem';
import { endpointLocator, readEndpointId } from './endpointFields';

export const description = updateDisplayOptions(
	{ show: { resource: ['endpoint'], operation: ['getHealth'] } },
	[endpointLocator],
);

/** The queue and the workers right now, unhealthy ones included. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const endpointId = readEndpointId.call(this, itemIndex);
	try {
		const health = await jobs.health(this, endpointId, { itemIndex });
		return { endpointId, jobs: health.jobs, workers: health.workers };
	} catch (error) {
		if (error instanceof jobs.EndpointNotFoundError)
			throw endpointMissing.call(this, itemIndex, endpointId, error.message);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}
