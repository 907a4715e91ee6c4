import { graphqlRequest } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/graphql';
import { requireAccount } from './account.guard';
import type { Account, PodStatus } from '../types';
import type { AccountApi } from '../contract';
import { isPodUp } from '../domain';
import { retirementGuard } from './failures';
import { restV2OnlyOperation } from './restV2Only';
import { graphqlPodState } from './pods';

/** The account as GraphQL returns it; the adapter (index.ts) unifies the pods' status. */
export type GraphqlAccount = Omit<Account, 'pods'> & {
	pods: Array<{ id: string; desiredStatus: PodStatus | null }>;
};

// The pods' status comes in the same request, so the running pod count costs nothing extra.
export const GET = `query GetAccount {
	myself { id email clientBalance currentSpendPerHr spendLimit pods { id desiredStatus } }
}`;

// RunPod keeps the account's SSH public keys as one text, a key per line (runpodctl reads them so).
export const GET_SSH_KEYS = `query GetSshKeys { myself { pubKey } }`;

export const documents = { GET, GET_SSH_KEYS };

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
		getSshKeys: async (options = {}) =>
			await guard(options, async () => await getSshKeys(ctx, options)),
		addSshKey: restV2OnlyOperation(ctx.getNode(), 'Account → Add SSH Key'),
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

/** The account's SSH public keys: `pubKey` split into its lines. */
export async function getSshKeys(
	ctx: RequestContext,
	options: RequestOptions = {},
): Promise<string[]> {
	const data = await graphqlRequest<{ myself: { pubKey?: string | null } | null }>(
		ctx,
		GET_SSH_KEYS,
		{},
		{ ...options, idempotent: true },
	);
	const account = requireAccount(ctx, data.myself, options.itemIndex);
	return (account.pubKey ?? '')
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line !== '');
}
