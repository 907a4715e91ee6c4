import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import {
	endpointLocator,
	endpointNotFound,
	endpointOutput,
	readEndpointId,
} from './endpointFields';

export const description = updateDisplayOptions(
	{ show: { resource: ['endpoint'], operation: ['get'] } },
	[endpointLocator],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const endpointId = readEndpointId.call(this, itemIndex);
	const endpoint = await api.endpoints.get(endpointId, { itemIndex });
	if (!endpoint) throw endpointNotFound.call(this, itemIndex, endpointId);
	return await endpointOutput.call(this, endpoint);
}
