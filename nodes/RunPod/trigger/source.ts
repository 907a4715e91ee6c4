import type { INode, IPollFunctions } from 'n8n-workflow';

import { runpodApi } from '../api';
import type { CallOptions, RequestContext } from '../api';
import type { ApiChoice, GpuTypePrices, Pod } from '../api/types';

/** One pod as every event sees it, whichever API it came from. */
export interface TriggerPod {
	id: string;
	name: string | null;
	status: string | null;
	podType: 'on-demand' | 'spot';
	imageName: string | null;
	gpuType: string | null;
	gpuCount: number | null;
	costPerHr: number | null;
	dataCenterId: string | null;
	createdAt: string | null;
	lastStartedAt: string | null;
	/** RunPod's own words, e.g. "Exited by User: Sat Nov 28 2026 15:01:02 GMT+0000"; null on REST v2. */
	lastStatusChange: string | null;
	uptimeSeconds: number;
}

export interface SpendReading {
	/** USD per hour the account spends right now. */
	spendPerHr: number;
	runningPodCount: number;
}

export interface BalanceReading extends SpendReading {
	/** USD left on the account. */
	balance: number;
}

/**
 * The narrow seam every event polls through: a few reads, one shape on both APIs.
 * Each read is one request to RunPod (retried once at most).
 */
export interface TriggerSource {
	/** Which API answered: the trigger keeps its state per API (pods read differently on each). */
	readonly api: ApiChoice;
	/** For errors that name the node. */
	readonly node: INode;
	listPods(): Promise<TriggerPod[]>;
	/** Live price and stock of every GPU type (or one) for a pod with `gpuCount` GPUs. */
	gpuQuotes(gpuCount: number, gpuTypeId?: string): Promise<GpuTypePrices[]>;
	spend(): Promise<SpendReading>;
	/** NotOfferedByThisApi where the API has no balance (REST v2), before any request. */
	balance(): Promise<BalanceReading>;
}

// A poll that fails is simply tried again at the next poll: keep one poll short instead of
// waiting out long retries (the node's Retry and Timeout options are not shown on the trigger).
const POLL_REQUEST: CallOptions = { policy: { maxAttempts: 2, maxTotalMs: 20_000 } };

export function toTriggerPod(pod: Pod): TriggerPod {
	return {
		id: pod.id,
		name: pod.name,
		status: pod.status,
		podType: pod.podType === 'INTERRUPTABLE' ? 'spot' : 'on-demand',
		imageName: pod.imageName,
		gpuType: pod.machine?.gpuTypeId ?? pod.machine?.gpuDisplayName ?? null,
		gpuCount: pod.gpuCount,
		costPerHr: pod.costPerHr,
		dataCenterId: pod.machine?.dataCenterId ?? null,
		createdAt: pod.createdAt || null,
		lastStartedAt: pod.lastStartedAt || null,
		lastStatusChange: pod.lastStatusChange || null,
		uptimeSeconds: pod.runtime?.uptimeInSeconds ?? 0,
	};
}

/**
 * The transport takes execute and load-options contexts; a poll context offers the same
 * members it uses (getNode, getCredentials, getNodeParameter, helpers.httpRequestWithAuthentication).
 */
function asRequestContext(ctx: IPollFunctions): RequestContext {
	return ctx as unknown as RequestContext;
}

/** The data source for the credential's API: RunPod's api layer, read the way the events need it. */
export async function sourceFor(ctx: IPollFunctions): Promise<TriggerSource> {
	const request = asRequestContext(ctx);
	const api = await runpodApi(request);
	const listPods = async () => (await api.pods.list(POLL_REQUEST)).map(toTriggerPod);
	return {
		api: api.choice,
		node: ctx.getNode(),
		listPods,
		gpuQuotes: async (gpuCount, gpuTypeId) => {
			if (!gpuTypeId) return await api.gpuTypes.listPrices(gpuCount, POLL_REQUEST);
			const one = await api.gpuTypes.getPrices(gpuTypeId, gpuCount, POLL_REQUEST);
			return one ? [one] : [];
		},
		spend: async () => await api.account.getSpend(POLL_REQUEST),
		balance: async () => await api.account.getBalance(POLL_REQUEST),
	};
}
