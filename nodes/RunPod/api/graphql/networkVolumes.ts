import { graphqlRequest, graphqlRequestWithRecovery } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/graphql';
import { duplicated, isDomainError, asDomainError } from '../errors';
import { requireAccount } from './account.guard';
import type {
	CreatedNetworkVolume,
	CreateNetworkVolumeInput,
	NetworkVolume,
	UpdateNetworkVolumeInput,
} from '../types';
import { asNodeError } from '../../transport/errors';
import type { NetworkVolumesApi } from '../contract';
import { isGraphqlError, retirementGuard } from './failures';

export const VOLUME_FIELDS = `fragment NetworkVolumeFields on NetworkVolume { id name size dataCenterId }`;

export const LIST = `query ListNetworkVolumes {
	myself { id networkVolumes { ...NetworkVolumeFields } }
}
${VOLUME_FIELDS}`;

export const CREATE = `mutation CreateNetworkVolume($input: CreateNetworkVolumeInput) {
	createNetworkVolume(input: $input) { ...NetworkVolumeFields }
}
${VOLUME_FIELDS}`;

export const UPDATE = `mutation UpdateNetworkVolume($input: UpdateNetworkVolumeInput) {
	updateNetworkVolume(input: $input) { ...NetworkVolumeFields }
}
${VOLUME_FIELDS}`;

// deleteNetworkVolume returns the scalar Void: selecting fields on it is a validation error.
export const DELETE = `mutation DeleteNetworkVolume($input: DeleteNetworkVolumeInput) {
	deleteNetworkVolume(input: $input)
}`;

export const documents = { LIST, CREATE, UPDATE, DELETE };

export async function list(
	ctx: RequestContext,
	options: RequestOptions = {},
): Promise<NetworkVolume[]> {
	const data = await graphqlRequest<{ myself: { networkVolumes: NetworkVolume[] | null } | null }>(
		ctx,
		LIST,
		{},
		{ ...options, idempotent: true },
	);
	return (requireAccount(ctx, data.myself, options.itemIndex).networkVolumes ?? []).filter(Boolean);
}

/** One of the account's network volumes, or null. RunPod has no single-volume query, so this reads the list. */
export async function get(
	ctx: RequestContext,
	volumeId: string,
	options: RequestOptions = {},
): Promise<NetworkVolume | null> {
	return (await list(ctx, options)).find((volume) => volume.id === volumeId) ?? null;
}

/**
 * Creates a network volume. Volumes carry no marker, so after a lost answer the node looks for a
 * volume with the same name, data center and size that did NOT exist before the request (an old
 * twin is never adopted; a second volume would be billed too). When several new ones match it
 * cannot tell which is its own, so it says so rather than guess or create another.
 * `existingIds`: the account's volume ids read just before; read here when the caller has none.
 */
export async function create(
	ctx: RequestContext,
	input: CreateNetworkVolumeInput,
	{ existingIds, ...options }: RequestOptions & { existingIds?: string[] } = {},
): Promise<CreatedNetworkVolume> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	const before = new Set(existingIds ?? (await list(ctx, lookupOptions)).map((v) => v.id));
	const lookingFor = `a new network volume named "${input.name}" of ${input.size} GB in ${input.dataCenterId}`;
	const { data, recovered } = await graphqlRequestWithRecovery<{
		createNetworkVolume: NetworkVolume;
	}>(
		ctx,
		CREATE,
		{ input: { name: input.name, size: input.size, dataCenterId: input.dataCenterId } },
		{ ...options, idempotent: false },
		{
			find: async () => {
				const matches = (await list(ctx, lookupOptions)).filter(
					(v) =>
						!before.has(v.id) &&
						v.name === input.name &&
						v.dataCenterId === input.dataCenterId &&
						v.size === input.size,
				);
				if (matches.length > 1) {
					throw duplicated(
						ctx.getNode(),
						'network volume',
						matches.map((v) => v.id),
						`${lookingFor}, none there before the request`,
						options.itemIndex,
					);
				}
				return matches.length === 1 ? { createNetworkVolume: matches[0] } : undefined;
			},
			lookingFor,
			final: (error) => isDomainError(error, 'Duplicated'),
		},
	);
	return { volume: data.createNetworkVolume, recovered };
}

/** Renames and/or grows a volume. Setting a name or a size twice gives the same result, so it may be retried. */
export async function update(
	ctx: RequestContext,
	input: UpdateNetworkVolumeInput,
	options: RequestOptions = {},
): Promise<NetworkVolume> {
	const variables: Record<string, string | number> = { id: input.id };
	if (input.name !== undefined) variables.name = input.name;
	if (input.size !== undefined) variables.size = input.size;
	const data = await graphqlRequest<{ updateNetworkVolume: NetworkVolume }>(
		ctx,
		UPDATE,
		{ input: variables },
		{ ...options, idempotent: true },
	);
	return data.updateNetworkVolume;
}

/** Like pod terminate: after a lost answer the node checks whether the volume is gone instead of resending. */
export async function remove(
	ctx: RequestContext,
	volumeId: string,
	options: RequestOptions = {},
): Promise<void> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	await graphqlRequestWithRecovery<{ deleteNetworkVolume: null }>(
		ctx,
		DELETE,
		{ input: { id: volumeId } },
		{ ...options, idempotent: true },
		{
			find: async () =>
				(await get(ctx, volumeId, lookupOptions)) === null
					? { deleteNetworkVolume: null }
					: undefined,
			lookingFor: `the network volume "${volumeId}" in Network Volume → Get Many`,
		},
	);
}

/** Network volumes on GraphQL. */
export function graphqlNetworkVolumesApi(ctx: RequestContext): NetworkVolumesApi {
	const node = ctx.getNode();
	const guard = retirementGuard(node);
	return {
		list: async (options = {}) => await guard(options, async () => await list(ctx, options)),
		get: async (volumeId, options = {}) =>
			await guard(options, async () => await get(ctx, volumeId, options)),
		create: async (input, options = {}) =>
			await guard(options, async () => await create(ctx, input, options)),
		update: async (input, options = {}) =>
			await guard(options, async () => await update(ctx, input, options)),
		remove: async (volumeId, options = {}) =>
			await guard(options, async () => {
				try {
					await remove(ctx, volumeId, options);
				} catch (error) {
					// Tell a volume that is already gone apart from one RunPod refuses to delete (e.g. still attached).
					if (isGraphqlError(error) && (await get(ctx, volumeId, options)) === null) {
						throw asDomainError(
							node,
							error,
							{ kind: 'NotFound', resource: 'network volume', id: volumeId },
							options.itemIndex,
						);
					}
					throw asNodeError(node, error, options.itemIndex);
				}
			}),
	};
}
