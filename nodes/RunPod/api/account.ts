import { graphqlRequest } from '../transport/graphql';
import type { RequestContext, RequestOptions } from '../transport/graphql';
import { requireAccount } from './account.guard';
import type { Account } from './types';

// The pods' status comes in the same request, so the running pod count costs nothing extra.
export const GET = `query GetAccount {
	myself { id email clientBalance currentSpendPerHr spendLimit pods { id desiredStatus } }
}`;

export const documents = { GET };

export async function get(ctx: RequestContext, options: RequestOptions = {}): Promise<Account> {
	const data = await graphqlRequest<{ myself: Account | null }>(ctx, GET, {}, { ...options, idempotent: true });
	const account = requireAccount(ctx, data.myself, options.itemIndex);
	return { ...account, pods: (account.pods ?? []).filter(Boolean) };
}
