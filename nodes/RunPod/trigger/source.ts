import type { IDataObject, INode, IPollFunctions } from 'n8n-workflow';

import * as account from '../api/account';
import * as gpus from '../api/gpus';
import * as pods from '../api/pods';
import type { GpuTypePrices, Pod } from '../api/types';
import type { RequestContext, RequestOptions } from '../transport/graphql';
import { CREDENTIAL_TYPE } from '../transport/graphql';

export type ApiChoice = 'graphql' | 'restV2';

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
	/** RunPod's own words, e.g. "Exited by User: Sat Nov 28 2026 15:01:02 GMT+0000". */
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
 * Each read is one request to RunPod.
 */
export interface TriggerSource {
	readonly api: ApiChoice;
	/** For errors that name the node. */
	readonly node: INode;
	listPods(): Promise<TriggerPod[]>;
	/** Live price and stock of every GPU type (or one) for a pod with `gpuCount` GPUs. */
	gpuQuotes(gpuCount: number, gpuTypeId?: string): Promise<GpuTypePrices[]>;
	spend(): Promise<SpendReading>;
	/** GraphQL only: REST v2 has no balance. */
	balance(): Promise<BalanceReading>;
}

// A poll that fails is simply tried again at the next poll: keep one poll short instead of
// waiting out long retries (the node's Retry and Timeout options are not shown on the trigger).
const POLL_REQUEST: RequestOptions = { idempotent: true, policy: { maxAttempts: 2, maxTotalMs: 20_000 } };

export function toTriggerPod(pod: Pod): TriggerPod {
	return {
		id: pod.id,
		name: pod.name,
		status: pod.desiredStatus,
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

function graphqlSource(ctx: IPollFunctions): TriggerSource {
	const request = asRequestContext(ctx);
	const readAccount = async () => {
		const me = await account.get(request, POLL_REQUEST);
		return {
			spendPerHr: me.currentSpendPerHr ?? 0,
			runningPodCount: me.pods.filter((pod) => pod.desiredStatus === 'RUNNING').length,
			balance: me.clientBalance ?? 0,
		};
	};
	return {
		api: 'graphql',
		node: ctx.getNode(),
		listPods: async () => (await pods.list(request, POLL_REQUEST)).map(toTriggerPod),
		gpuQuotes: async (gpuCount, gpuTypeId) => {
			if (!gpuTypeId) return await gpus.listPrices(request, gpuCount, POLL_REQUEST);
			const one = await gpus.getPrices(request, gpuTypeId, gpuCount, POLL_REQUEST);
			return one ? [one] : [];
		},
		spend: readAccount,
		balance: readAccount,
	};
}

export async function apiOf(ctx: IPollFunctions): Promise<ApiChoice> {
	const credentials = await ctx.getCredentials<IDataObject>(CREDENTIAL_TYPE);
	return credentials.api === 'restV2' ? 'restV2' : 'graphql';
}

/** The data source for the credential's API. */
export async function sourceFor(ctx: IPollFunctions): Promise<TriggerSource> {
	const api = await apiOf(ctx);
	// REST v2 reads arrive with the REST v2 api layer; until then every read goes through GraphQL.
	return { ...graphqlSource(ctx), api };
}
