import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as jobs from '../../api/serverlessJobs';
import { asNodeError } from '../../api/errors';
import { endpointLocator, endpointMissing, readEndpointId } from './jobItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['purgeQueue'] } },
	[endpointLocator],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const endpointId = readEndpointId.call(this, itemIndex);
	try {
		const result = await jobs.purgeQueue(this, endpointId, { itemIndex });
		return { endpointId, removed: result.removed };
	} catch (error) {
		if (error instanceof jobs.EndpointNotFoundError)
			throw endpointMissing.call(this, itemIndex, endpointId, error.message);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}
