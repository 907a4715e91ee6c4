/** Facts about RunPod's domain that hold on both APIs, written once. */

/** RunPod's catalog contains an "unknown" placeholder entry that is not a real GPU. */
export function isRealGpuType(gpu: { id?: string | null }): boolean {
	return !!gpu.id && gpu.id.toLowerCase() !== 'unknown';
}

/**
 * A pod that is up or booting (GraphQL's account reports booting pods as STARTING): RunPod bills
 * its GPUs from the moment it is (re)started until it stops, and starting it again is a no-op.
 */
export function isPodUp(status: string | null | undefined): boolean {
	return status === 'RUNNING' || status === 'STARTING';
}
