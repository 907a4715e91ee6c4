/** Network volumes: create in a storage data center, rename or grow, delete when detached. */
import { findDataCenter } from './catalog';
import { RunPodError } from './context';
import type { SandboxContext } from './context';
import { SandboxMessages } from './messages';
import type { NetworkVolumeRecord } from './state';

/** Size limits in GB; GraphQL's are the sandbox's own, REST's come from the OpenAPI document. */
export interface VolumeSizeLimits {
	min: number;
	max: number;
}
const GRAPHQL_SIZE_LIMITS: VolumeSizeLimits = { min: 1, max: 4000 };

function validSize(size: number | null | undefined, limits: VolumeSizeLimits): number {
	if (
		typeof size !== 'number' ||
		!Number.isInteger(size) ||
		size < limits.min ||
		size > limits.max
	) {
		throw new RunPodError(SandboxMessages.volumeSizeInvalid(limits.min, limits.max));
	}
	return size;
}

export function requireVolume(ctx: SandboxContext, id: string): NetworkVolumeRecord {
	const volume = ctx.state.networkVolumes.find((v) => v.id === id);
	if (!volume) throw new RunPodError(SandboxMessages.volumeNotFound, 'notFound');
	return volume;
}

export function createNetworkVolume(
	ctx: SandboxContext,
	input:
		| {
				name?: string | null;
				size?: number | null;
				dataCenterId: string;
				type?: NetworkVolumeRecord['type'];
		  }
		| null
		| undefined,
	limits: VolumeSizeLimits = GRAPHQL_SIZE_LIMITS,
): NetworkVolumeRecord {
	if (!input) throw new RunPodError(SandboxMessages.inputRequired('createNetworkVolume'));
	const dc = findDataCenter(input.dataCenterId);
	if (!dc) throw new RunPodError(SandboxMessages.dataCenterNotFound(input.dataCenterId));
	if (!dc.storageSupport) throw new RunPodError(SandboxMessages.dataCenterWithoutStorage(dc.id));
	const type = input.type ?? 'STANDARD';
	if (!dc.volumeTypes.includes(type))
		throw new RunPodError(SandboxMessages.dataCenterWithoutVolumeType(dc.id, type));
	if (!input.name) throw new RunPodError(SandboxMessages.volumeNameRequired);
	const volume: NetworkVolumeRecord = {
		id: ctx.random.id(10),
		name: input.name,
		size: validSize(input.size, limits),
		dataCenterId: dc.id,
	};
	if (input.type) volume.type = input.type;
	ctx.state.networkVolumes.push(volume);
	return volume;
}

export function updateNetworkVolume(
	ctx: SandboxContext,
	input: { id: string; name?: string | null; size?: number | null } | null | undefined,
	limits: VolumeSizeLimits = GRAPHQL_SIZE_LIMITS,
): NetworkVolumeRecord {
	if (!input) throw new RunPodError(SandboxMessages.inputRequired('updateNetworkVolume'));
	const volume = requireVolume(ctx, input.id);
	if (input.size !== null && input.size !== undefined) {
		const size = validSize(input.size, limits);
		if (size < volume.size) throw new RunPodError(SandboxMessages.volumeCannotShrink(volume.size));
		volume.size = size;
	}
	if (input.name) volume.name = input.name;
	return volume;
}

export function deleteNetworkVolume(
	ctx: SandboxContext,
	input: { id: string } | null | undefined,
): null {
	if (!input) throw new RunPodError(SandboxMessages.inputRequired('deleteNetworkVolume'));
	const volume = requireVolume(ctx, input.id);
	if (ctx.state.pods.some((pod) => pod.networkVolumeId === volume.id))
		throw new RunPodError(SandboxMessages.volumeInUse);
	ctx.state.networkVolumes = ctx.state.networkVolumes.filter((v) => v !== volume);
	return null;
}
