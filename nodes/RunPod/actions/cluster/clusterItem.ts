import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Cluster } from '../../api/clusters.types';
import { checkText } from '../../helpers/validation';

export const clusterLocator: INodeProperties = {
	displayName: 'Cluster',
	name: 'clusterId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The cluster to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a cluster...',
			typeOptions: { searchListMethod: 'searchClusters', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. cluster_abc123',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[A-Za-z0-9_-]+\\s*$',
						errorMessage: 'A cluster ID has only letters, digits, "_" and "-"',
					},
				},
			],
		},
	],
};

export function readClusterId(this: IExecuteFunctions, itemIndex: number): string {
	return checkText(
		this.getNode(),
		itemIndex,
		'Cluster',
		this.getNodeParameter('clusterId', itemIndex, '', { extractValue: true }),
		'Choose a cluster from the list, or enter its ID.',
	);
}

export function clusterNotFound(
	this: IExecuteFunctions,
	itemIndex: number,
	clusterId: string,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), `The cluster "${clusterId}" was not found`, {
		itemIndex,
		description:
			'Your RunPod account has no cluster with this ID (a deleted cluster disappears, and nothing is billed for it). Check the ID, or list your clusters with Cluster → Get Many.',
	});
}

/** The cluster's shape and state in a few flat fields; Simplify off gives RunPod's own object. */
export function simplifyCluster(cluster: Cluster): IDataObject {
	return {
		id: cluster.id,
		name: cluster.name,
		type: cluster.type,
		gpuType: cluster.gpuTypeId,
		gpuCountPerPod: cluster.gpuCountPerPod,
		podCount: cluster.podCount,
		totalGpus:
			cluster.gpuCountPerPod !== null && cluster.podCount !== null
				? cluster.gpuCountPerPod * cluster.podCount
				: null,
		dataCenterId: cluster.dataCenterId,
		podsProvisioned: cluster.podsTotal,
		podsByStatus: cluster.podsByStatus,
		primaryPodId: cluster.primaryPodId,
		sshEndpoint: cluster.sshEndpoint,
		createdAt: cluster.createdAt,
	};
}

export function clusterOutput(
	this: IExecuteFunctions,
	itemIndex: number,
	cluster: Cluster,
): IDataObject {
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return simplify ? simplifyCluster(cluster) : { ...cluster.source };
}
