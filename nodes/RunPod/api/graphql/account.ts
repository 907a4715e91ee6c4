import { graphqlRequest } from '../../transport/graphql';
import type { RequestContext, RequestOptions } from '../../transport/graphql';
import { requireAccount } from './account.guard';
import type { Account, PodStatus } from '../types';
import type { AccountApi } from '../contract';
import { isPodUp } from '../domain';
import { retirementGuard } from './failures';
import { graphqlPodState } from './pods';

/** The account as GraphQL returns it; the adapter (index.ts) unifies the pods' status. */
export type GraphqlAccount = Omit<Account, 'pods'> & {
	pods: Array<{ id: string; desiredStatus: PodStatus | null }>;
};

// The pods' status comes in the same request, so the running pod count costs nothing extra.
export const GET = `query GetAccount {
	myself { id email clientBalance currentSpendPerHr spendLimit pods { id desiredStatus } }
}`;

export const documents = { GET };

export async function get(
	ctx: RequestContext,
	options: RequestOptions = {},
): Promise<GraphqlAccount> {
	const data = await graphqlRequest<{ myself: GraphqlAccount | null }>(
		ctx,
		GET,
		{},
		{ ...options, idempotent: true },
	);
	const account = requireAccount(ctx, data.myself, options.itemIndex);
	return { ...account, pods: (account.pods ?? []).filter(Boolean) };
}

/** The account on GraphQL. */
export function graphqlAccountApi(ctx: RequestContext): AccountApi {
	const guard = retirementGuard(ctx.getNode());
	const account: AccountApi = {
		get: async (options = {}) =>
			await guard(options, async () => {
				const me = await get(ctx, options);
				return {
					...me,
					pods: me.pods.map((pod) => ({
						id: pod.id,
						status: graphqlPodState({ desiredStatus: pod.desiredStatus, runtime: null }),
					})),
				};
			}),
		getSpend: async (options = {}) => {
			const { spendPerHr, runningPodCount } = await account.getBalance(options);
			return { spendPerHr, runningPodCount };
		},
		getBalance: async (options = {}) => {
			const me = await account.get(options);
			return {
				balance: me.clientBalance ?? 0,
				spendPerHr: me.currentSpendPerHr ?? 0,
				runningPodCount: me.pods.filter((pod) => isPodUp(pod.status)).length,
			};
		},
	};
	return account;
}
