import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { clusterLocator, readClusterId } from './clusterItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['cluster'], operation: ['delete'] } },
	[
		{
			displayName:
				'Deleting a cluster terminates every one of its pods for good: their disks and pod volumes are erased',
			name: 'deleteNotice',
			type: 'notice',
			default: '',
		},
		clusterLocator,
	],
);

/**
 * A cluster that does not exist fails with "not found" (nothing is billed for it); a lost answer
 * is settled by reading the cluster (the api layer), since deleting twice deletes nothing more.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const clusterId = readClusterId.call(this, itemIndex);
	await api.clusters.remove(clusterId, { itemIndex });
	return { id: clusterId, deleted: true };
}
