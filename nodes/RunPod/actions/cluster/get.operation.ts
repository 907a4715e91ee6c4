import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { simplifyOption } from '../common.descriptions';
import { clusterLocator, clusterNotFound, clusterOutput, readClusterId } from './clusterItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['cluster'], operation: ['get'] } },
	[clusterLocator, simplifyOption],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const clusterId = readClusterId.call(this, itemIndex);
	const cluster = await api.clusters.get(clusterId, { itemIndex });
	if (!cluster) throw clusterNotFound.call(this, itemIndex, clusterId);
	return clusterOutput.call(this, itemIndex, cluster);
}
