import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { endpointLocator, readEndpointId } from './endpointFields';

export const description = updateDisplayOptions(
	{ show: { resource: ['endpoint'], operation: ['getReleases'] } },
	[endpointLocator],
);

/** The endpoint's releases, newest first, and how many workers run the latest one. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const endpointId = readEndpointId.call(this, itemIndex);
	const { endpointVersion, rollout, releases } = await api.endpoints.listReleases(endpointId, {
		itemIndex,
	});
	return {
		endpointId,
		endpointVersion,
		rollout,
		releases: releases as unknown as IDataObject[],
	};
}
