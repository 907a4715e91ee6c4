import { graphqlRequest } from '../transport/graphql';
import type { RequestContext, RequestOptions } from '../transport/graphql';
import { requireAccount } from './account.guard';
import type { NetworkVolume } from './types';

export const LIST = `query ListNetworkVolumes {
	myself { id networkVolumes { id name size dataCenterId } }
}`;

export const documents = { LIST };

export async function list(ctx: RequestContext, options: RequestOptions = {}): Promise<NetworkVolume[]> {
	const data = await graphqlRequest<{ myself: { networkVolumes: NetworkVolume[] | null } | null }>(ctx, LIST, {}, { ...options, idempotent: true });
	return (requireAccount(ctx, data.myself, options.itemIndex).networkVolumes ?? []).filter(Boolean);
}
