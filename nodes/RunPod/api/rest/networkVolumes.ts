import { restGetOrNull, restRequest, restRequestWithRecovery, segment } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/request';
import { duplicated, isDomainError, notOffered } from '../errors';
import type { CreateNetworkVolumeInput, NetworkVolume, UpdateNetworkVolumeInput } from '../types';
import { asNodeError } from '../../transport/errors';
import type { NetworkVolumesApi } from '../contract';
import { notFound, statusOf } from './failures';

/** A network volume as REST v2 returns it. */
export interface RestNetworkVolume {
	id: string;
	name?: string;
	size?: number;
	dataCenter?: string;
	type?: string;
}

export function fromRestVolume(volume: RestNetworkVolume): NetworkVolume {
	return {
		id: volume.id,
		name: volume.name ?? null,
		size: volume.size ?? null,
		dataCenterId: volume.dataCenter ?? null,
	};
}

/** REST v2's smallest network volume. */
export const REST_MIN_VOLUME_GB = 10;

export async function list(
	ctx: RequestContext,
	options: RequestOptions,
): Promise<RestNetworkVolume[]> {
	const answer = await restRequest<{ networkVolumes?: RestNetworkVolume[] }>(
		ctx,
		{ method: 'GET', path: '/v2/network-volumes' },
		{ ...options, idempotent: true },
	);
	return (answer?.networkVolumes ?? []).filter(Boolean);
}

export async function get(
	ctx: RequestContext,
	volumeId: string,
	options: RequestOptions,
): Promise<RestNetworkVolume | null> {
	return await restGetOrNull<RestNetworkVolume>(
		ctx,
		`/v2/network-volumes/${segment(volumeId)}`,
		options,
	);
}

/**
 * Creates a volume. After a lost answer, only a volume that was not there before the request
 * (same name, data center and size) is taken as the new one; several such are reported, not guessed.
 */
export async function create(
	ctx: RequestContext,
	input: CreateNetworkVolumeInput,
	{ existingIds, ...options }: RequestOptions & { existingIds?: string[] },
): Promise<{ volume: RestNetworkVolume; recovered: boolean }> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	const before = new Set(
		existingIds ?? (await list(ctx, lookupOptions)).map((volume) => volume.id),
	);
	const { data, recovered } = await restRequestWithRecovery<RestNetworkVolume>(
		ctx,
		{
			method: 'POST',
			path: '/v2/network-volumes',
			body: { name: input.name, size: input.size, dataCenter: input.dataCenterId },
		},
		{ ...options, idempotent: false },
		{
			find: async () => {
				const matches = (await list(ctx, lookupOptions)).filter(
					(v) =>
						!before.has(v.id) &&
						v.name === input.name &&
						v.dataCenter === input.dataCenterId &&
						v.size === input.size,
				);
				if (matches.length > 1) {
					throw duplicated(
						ctx.getNode(),
						'network volume',
						matches.map((v) => v.id),
						`a network volume named "${input.name}" of ${input.size} GB in ${input.dataCenterId}, none there before the request`,
						options.itemIndex,
					);
				}
				return matches[0];
			},
			lookingFor: `a new network volume named "${input.name}" of ${input.size} GB in ${input.dataCenterId}`,
			final: (error) => isDomainError(error, 'Duplicated'),
		},
	);
	return { volume: data, recovered };
}

export async function update(
	ctx: RequestContext,
	input: UpdateNetworkVolumeInput,
	options: RequestOptions,
): Promise<RestNetworkVolume> {
	const body: Record<string, string | number> = {};
	if (input.name !== undefined) body.name = input.name;
	if (input.size !== undefined) body.size = input.size;
	return await restRequest<RestNetworkVolume>(
		ctx,
		{ method: 'PATCH', path: `/v2/network-volumes/${segment(input.id)}`, body },
		{ ...options, idempotent: true },
	);
}

export async function remove(
	ctx: RequestContext,
	volumeId: string,
	options: RequestOptions,
): Promise<void> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	await restRequestWithRecovery<unknown>(
		ctx,
		{ method: 'DELETE', path: `/v2/network-volumes/${segment(volumeId)}` },
		{ ...options, idempotent: true },
		{
			find: async () =>
				(await get(ctx, volumeId, lookupOptions)) === null ? { gone: true } : undefined,
			lookingFor: `the network volume "${volumeId}" in Network Volume → Get Many`,
		},
	);
}

/** Network volumes on REST v2, with RunPod's answers as domain errors. */
export function restNetworkVolumesApi(ctx: RequestContext): NetworkVolumesApi {
	const node = ctx.getNode();
	return {
		list: async (options = {}) => (await list(ctx, options)).map(fromRestVolume),
		get: async (volumeId, options = {}) => {
			const volume = await get(ctx, volumeId, options);
			return volume ? fromRestVolume(volume) : null;
		},
		create: async (input, options = {}) => {
			if (input.size < REST_MIN_VOLUME_GB) {
				throw notOffered(
					node,
					`A network volume under ${REST_MIN_VOLUME_GB} GB`,
					`Set Size (GB) to ${REST_MIN_VOLUME_GB} or more.`,
					options.itemIndex,
				);
			}
			const { volume, recovered } = await create(ctx, input, options);
			return { volume: fromRestVolume(volume), recovered };
		},
		update: async (input, options = {}) => {
			try {
				return fromRestVolume(await update(ctx, input, options));
			} catch (error) {
				if (statusOf(error) === 404)
					throw notFound(node, 'network volume', input.id, options, 'Network Volume → Get Many');
				throw asNodeError(node, error, options.itemIndex);
			}
		},
		remove: async (volumeId, options = {}) => {
			try {
				await remove(ctx, volumeId, options);
			} catch (error) {
				if (statusOf(error) === 404)
					throw notFound(node, 'network volume', volumeId, options, 'Network Volume → Get Many');
				throw asNodeError(node, error, options.itemIndex);
			}
		},
	};
}
