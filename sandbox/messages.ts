/**
 * Error messages. The first group is RunPod's exact wording (docs/runpod-graphql-notes.md §2); the rest are the
 * sandbox's own wording for cases whose real text is not documented.
 */
export const RunPodMessages = {
	noInstances:
		'There are no longer any instances available with the requested specifications. Please refresh and try again.',
	notEnoughFreeGpus: 'There are not enough free GPUs on the host machine to start this pod.',
	somethingWentWrong: 'Something went wrong. Please try again later or contact support.',
	unauthorized: 'Unauthorized',
	spotResumedAsOnDemand: 'Cannot resume a spot pod as an on demand pod.',
} as const;

export const SandboxMessages = {
	inputRequired: (field: string) => `Input is required for ${field}.`,
	podNotFound: 'Pod not found',
	/** RunPod's spec: cluster members are managed through their cluster. */
	clusterPodNotTerminable: (clusterId: string) =>
		`Pods that belong to a Cluster cannot be terminated here: delete the cluster via DELETE /v2/clusters/${clusterId}.`,
	clusterPodNotUpdatable: (clusterId: string) =>
		`Pods that belong to a Cluster cannot be updated here: manage them through /v2/clusters/${clusterId}.`,
	podLocked: 'The pod is locked; unlock it before stopping or restarting it.',
	podNotRunning: 'Only a running pod can be restarted.',
	insufficientBalance: (balance: number) =>
		`Insufficient balance ($${balance}): add funds to your RunPod account and try again.`,
	imageOrTemplateRequired: 'Either imageName or templateId is required.',
	templateNotFound: 'Template not found',
	templateNameNotUnique: 'Template name must be unique',
	templateInUse: (name: string) => `Template "${name}" is in use by a pod and cannot be deleted.`,
	templateFieldRequired: (field: string) => `${field} is required to create a template.`,
	gpuCountInvalid: 'gpuCount must be a whole number from 1 to 8.',
	bidRequired: 'bidPerGpu is required for a spot pod.',
	bidTooLow: (bid: number, minimum: number, gpuTypeId: string) =>
		`Your bid of $${bid}/hr per GPU is below the current minimum bid of $${minimum}/hr per GPU for ${gpuTypeId}.`,
	onDemandResumedAsSpot: 'Cannot resume an on demand pod as a spot pod.',
	cpuPodsNotModelled: 'The RunPod sandbox does not model CPU pods.',
	notACpuFlavor: (flavorId: string) =>
		`cpu.id: "${flavorId}" is not a CPU flavor. List them with GET /v2/catalog/cpus.`,
	vcpuCountInvalid: (flavorId: string, min: number, max: number) =>
		`cpu.vcpuCount must be a power of two from ${min} to ${max} for ${flavorId}.`,
	cpuPodsSecureOnly: 'CPU pods run on Secure Cloud only.',
	cpuPodPersistentMount:
		'mounts.persistent is invalid when cpu is set: CPU pods take a network volume only.',
	/** REST v2's refusal of a GPU type its catalog lacks (GraphQL answers it as no capacity). */
	notAGpuType: (gpuTypeId: string) =>
		`gpu.id: "${gpuTypeId}" is not a GPU type. List them with GET /v2/catalog/gpus.`,
	volumeNotFound: 'Network volume not found',
	volumeNeedsSecureCloud: 'Network volumes can only be attached to Secure Cloud pods.',
	volumeDataCenterConflict: (volumeDc: string, requestedDc: string) =>
		`The network volume is in ${volumeDc}; a pod using it cannot be deployed in ${requestedDc}.`,
	volumeNameRequired: 'A network volume needs a name.',
	volumeSizeInvalid: (min: number, max: number) =>
		`Network volume size must be a whole number of GB from ${min} to ${max}.`,
	volumeCannotShrink: (current: number) =>
		`A network volume can only grow: its size is ${current} GB.`,
	volumeInUse: 'The network volume is attached to a pod; terminate the pod first.',
	dataCenterNotFound: (id: string) => `Data center ${id} does not exist.`,
	dataCenterWithoutStorage: (id: string) => `Data center ${id} does not support network volumes.`,
	dataCenterWithoutVolumeType: (id: string, type: string) =>
		`Data center ${id} does not offer ${type} network volumes.`,
} as const;
