import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { isPodUp } from '../../api/domain';
import type { Account } from '../../api/types';

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['get'] } },
	[],
);

/** Hours until the balance is used up at the current spend; null when nothing is being spent. */
export function hoursOfBalanceLeft(
	balance: number | null,
	spendPerHr: number | null,
): number | null {
	if (typeof balance !== 'number' || typeof spendPerHr !== 'number' || !(spendPerHr > 0))
		return null;
	return Math.max(0, Math.round((balance / spendPerHr) * 100) / 100);
}

/** What a scheduled "am I burning money?" check needs, with the pod counts from the same request. */
export function accountOutput(me: Account): IDataObject {
	return {
		id: me.id,
		email: me.email,
		clientBalance: me.clientBalance,
		currentSpendPerHr: me.currentSpendPerHr,
		spendLimit: me.spendLimit,
		hoursOfBalanceLeft: hoursOfBalanceLeft(me.clientBalance, me.currentSpendPerHr),
		// Billed from the moment RunPod starts placing the pod.
		runningPodCount: me.pods.filter((pod) => isPodUp(pod.status)).length,
		podCount: me.pods.length,
		...(me.spendHistory ? { spendHistory: me.spendHistory as unknown as IDataObject[] } : {}),
		...(me.unavailable ? { unavailable: me.unavailable } : {}),
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	return accountOutput(await api.account.get({ itemIndex }));
}
