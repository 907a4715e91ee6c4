/**
 * RunPod's instant multi-node clusters (REST v2 only): every member pod has the same shape,
 * `podCount` pods of `gpuCountPerPod` GPUs each, all in one data center.
 */
import type { IDataObject } from 'n8n-workflow';

import type { EnvVar, Pod, PortSpec } from './types';

/** TRAINING and APPLICATION are plain multi-node clusters; SLURM and RAY get a managed topology. */
export type ClusterType = 'APPLICATION' | 'TRAINING' | 'SLURM' | 'RAY';

export interface Cluster {
	id: string;
	name: string | null;
	type: string | null;
	gpuTypeId: string | null;
	gpuCountPerPod: number | null;
	podCount: number | null;
	/** Known once a member pod is placed. */
	dataCenterId: string | null;
	/** Member pods now provisioned, and how many are in each pod status (RUNNING, PROVISIONING…). */
	podsTotal: number;
	podsByStatus: Record<string, number>;
	/** The primary (rank 0) pod and its SSH endpoint (`host:port`), once known. */
	primaryPodId: string | null;
	sshEndpoint: string | null;
	createdAt: string | null;
	/** The object the API returned, unchanged (shown with Simplify off). */
	source: IDataObject;
}

/** What every member pod is created with. Clusters take no template and no registry credential. */
export interface CreateClusterInput {
	name: string;
	type: ClusterType;
	gpuTypeId: string;
	gpuCountPerPod: number;
	podCount: number;
	imageName: string;
	dockerArgs?: string;
	containerDiskInGb?: number;
	env?: EnvVar[];
	ports?: PortSpec[];
	/** Preferred data centers (the cluster is placed in one of them); empty: RunPod chooses. */
	dataCenterIds?: string[];
	/** A network volume mounted on every pod, or a pod volume of `volumeInGb` on each. */
	networkVolumeId?: string;
	volumeInGb?: number;
	volumeMountPath?: string;
	startSsh?: boolean;
	startJupyter?: boolean;
}

export interface CreatedCluster {
	cluster: Cluster;
	/** True when RunPod's answer was lost and the cluster was found by its create marker instead. */
	recovered: boolean;
}

/** A member pod: the pod, with its place in the cluster. */
export interface ClusterPod {
	pod: Pod;
	/** NODE_RANK; 0 is the primary. Null until RunPod assigns it. */
	rank: number | null;
	/** SLURM or RAY role, when the cluster type has roles. */
	role: string | null;
	/** The pod's address on the cluster's private network, once assigned. */
	clusterIp: string | null;
}
