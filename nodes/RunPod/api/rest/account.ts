import { restRequest } from '../../transport/rest';
import type { RequestContext, RequestOptions } from '../../transport/request';
import { describeFailure, failureOf } from '../../transport/errors';
import type { Account } from '../types';
import { fromRestPod, list as listPods } from './pods';

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
		unavailable.spendHistory = `RunPod's billing history could not be read: ${failure ? describeFailure(failure).message : (error as Error).message}`;
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
