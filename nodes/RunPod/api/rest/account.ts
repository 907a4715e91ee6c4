import { restRequest } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/request';
import { failureMessage, failureOf } from '../../transport/errors';
import type { Account } from '../types';
import { fromRestPod, list as listPods } from './pods';
import type { AccountApi } from '../contract';
import { isPodUp } from '../domain';
import { notOffered } from '../errors';

/** Why each account field is empty on REST v2. */
export const REST_ACCOUNT_GAPS: Record<string, string> = {
	id: 'REST v2 has no account object',
	email: 'REST v2 has no account object',
	clientBalance:
		'REST v2 does not report the balance: see the RunPod console → Billing, or use a GraphQL credential until early 2027',
	spendLimit: 'REST v2 does not report the spend limit: see the RunPod console → Billing',
	hoursOfBalanceLeft:
		'Hours of balance left needs the balance, which REST v2 does not report: see the RunPod console → Billing, or use a GraphQL credential until early 2027',
};

interface BillingAnswer {
	records?: Array<{ startTime?: string; endTime?: string; totalAmount?: number }>;
}

/**
 * What REST v2 can honestly say about the account: the spend per hour summed from the pods'
 * current cost (0 once stopped), and the spend per day over the last 30 days. Everything else
 * is null with the reason in `unavailable`.
 */
export async function get(ctx: RequestContext, options: RequestOptions): Promise<Account> {
	const pods = (await listPods(ctx, options)).map(fromRestPod);
	const unavailable = { ...REST_ACCOUNT_GAPS };
	let spendHistory: Account['spendHistory'];
	try {
		const billing = await restRequest<BillingAnswer>(
			ctx,
			{ method: 'GET', path: '/v2/billing', qs: { bucketSize: 'day', lastN: 30 } },
			{ ...options, idempotent: true },
		);
		spendHistory = (billing?.records ?? [])
			.filter((r) => r && typeof r.totalAmount === 'number')
			.map((r) => ({
				startTime: r.startTime ?? '',
				endTime: r.endTime ?? '',
				amount: r.totalAmount as number,
			}));
	} catch (error) {
		const failure = failureOf(error);
		unavailable.spendHistory = `RunPod's billing history could not be read: ${failure ? failureMessage(failure) : (error as Error).message}`;
	}
	const spend = pods.reduce((sum, pod) => sum + (pod.costPerHr ?? 0), 0);
	return {
		id: null,
		email: null,
		clientBalance: null,
		spendLimit: null,
		currentSpendPerHr: Math.round(spend * 1e6) / 1e6,
		pods: pods.map((pod) => ({ id: pod.id, status: pod.status })),
		unavailable,
		...(spendHistory ? { spendHistory } : {}),
	};
}

/** The account on REST v2. */
export function restAccountApi(ctx: RequestContext): AccountApi {
	const node = ctx.getNode();
	return {
		get: async (options = {}) => await get(ctx, options),
		getSshKeys: async (options = {}) => await getSshKeys(ctx, options),
		addSshKey: async (key, options = {}) => await addSshKey(ctx, key, options),
		getSpend: async (options = {}) => {
			const running = (await listPods(ctx, options))
				.map(fromRestPod)
				.filter((pod) => isPodUp(pod.status));
			const spendPerHr = running.reduce((sum, pod) => sum + (pod.costPerHr ?? 0), 0);
			return { spendPerHr: Math.round(spendPerHr * 1e6) / 1e6, runningPodCount: running.length };
		},
		getBalance: async (options = {}) => {
			throw notOffered(
				node,
				'The account balance',
				"Watch the spend instead (the RunPod Trigger's Spend Rate Above event), or switch the RunPod API credential to GraphQL (until RunPod retires it in early 2027).",
				options.itemIndex,
			);
		},
	};
}

/** The type and key of an authorized_keys line: two lines with the same are the same key, whatever their comment. */
export function sshKeyIdentity(line: string): string {
	return line.trim().split(/\s+/).slice(0, 2).join(' ');
}

export async function getSshKeys(ctx: RequestContext, options: RequestOptions): Promise<string[]> {
	const answer = await restRequest<{ keys?: string[] }>(
		ctx,
		{ method: 'GET', path: '/v2/account/ssh-keys' },
		{ ...options, idempotent: true },
	);
	return (answer?.keys ?? []).filter((key) => typeof key === 'string');
}

/** RunPod replaces the whole list: read it, append the key if it is not there, write it back. */
export async function addSshKey(
	ctx: RequestContext,
	key: string,
	options: RequestOptions,
): Promise<{ keys: string[]; added: boolean }> {
	const keys = await getSshKeys(ctx, options);
	if (keys.some((existing) => sshKeyIdentity(existing) === sshKeyIdentity(key)))
		return { keys, added: false };
	const answer = await restRequest<{ keys?: string[] }>(
		ctx,
		{ method: 'PUT', path: '/v2/account/ssh-keys', body: { keys: [...keys, key.trim()] } },
		// The same whole list again changes nothing more: safe to resend.
		{ ...options, idempotent: true },
	);
	return { keys: answer?.keys ?? [...keys, key.trim()], added: true };
}
