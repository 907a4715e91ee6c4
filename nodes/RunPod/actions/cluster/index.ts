import { defineResource } from '../node.type';
import * as create from './create.operation';
import * as deleteCluster from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getPods from './getPods.operation';
import * as update from './update.operation';

/** The Cluster resource (RunPod's instant multi-node clusters, REST v2 only). */
export const cluster = defineResource({
	name: 'Cluster',
	default: 'getAll',
	operations: {
		create: {
			name: 'Create',
			action: 'Create a cluster',
			description:
				'Rent a multi-node GPU cluster on a private network. Costs money: every pod is billed per hour until the cluster is deleted.',
			module: create,
		},
		delete: {
			name: 'Delete',
			action: 'Delete a cluster',
			description: 'Delete a cluster and terminate all its pods. Destroys their data.',
			module: deleteCluster,
		},
		get: {
			name: 'Get',
			action: 'Get a cluster',
			description: 'Get a cluster with its shape, pod counts by status and primary node',
			module: get,
		},
		getAll: {
			name: 'Get Many',
			action: 'Get many clusters',
			description: 'List your clusters, one item per cluster',
			module: getAll,
		},
		getPods: {
			name: 'Get Pods',
			action: 'Get the pods of a cluster',
			description: "List a cluster's pods, one item per pod, the primary first",
			module: getPods,
		},
		update: {
			name: 'Update',
			action: 'Rename a cluster',
			description: 'Rename a cluster (RunPod lets nothing else change)',
			module: update,
		},
	},
});
