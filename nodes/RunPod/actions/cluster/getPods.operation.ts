import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { ClusterPod } from '../../api/clusters.types';
import { rawPod, simplifyPod } from '../../helpers/podOutput';
import { simplifyOption } from '../common.descriptions';
import { clusterLocator, readClusterId } from './clusterItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['cluster'], operation: ['getPods'] } },
	[clusterLocator, simplifyOption],
);

/** A member pod as Pod → Get shows a pod, with its place in the cluster. */
function memberOutput(member: ClusterPod, simplify: boolean): IDataObject {
	if (!simplify) return rawPod(member.pod);
	return {
		...simplifyPod(member.pod),
		clusterRank: member.rank,
		clusterRole: member.role,
		clusterIp: member.clusterIp,
	};
}

/** One item per member pod, the primary (rank 0) first. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	const clusterId = readClusterId.call(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const members = await api.clusters.listPods(clusterId, { itemIndex });
	return members.map((member) => memberOutput(member, simplify));
}
