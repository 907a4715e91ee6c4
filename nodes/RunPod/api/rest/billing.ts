/** Spend history on REST v2 (`/v2/billing…`): one path per scope, records as RunPod buckets them. */
import type { IDataObject } from 'n8n-workflow';

import type { RequestContext } from '../../transport/request';
import { restRequest } from '../requests';
import type { BillingApi } from '../contract';
import type { BillingRecord, BillingReport, BillingScope } from '../billing.types';

/** Each scope's path, and the query parameter and record field that name one resource. */
const SCOPES: Record<BillingScope, { path: string; idField?: string }> = {
	account: { path: '/v2/billing' },
	pods: { path: '/v2/billing/pods', idField: 'podId' },
	serverless: { path: '/v2/billing/serverless', idField: 'serverlessId' },
	endpoints: { path: '/v2/billing/endpoints' },
	networkVolumes: { path: '/v2/billing/network-volumes', idField: 'networkVolumeId' },
	clusters: { path: '/v2/billing/clusters', idField: 'clusterId' },
};

const RANGE_FIELDS = new Set(['startTime', 'endTime']);

/** Every numeric field of a record or a totals block except the total itself. */
function amountsOf(raw: IDataObject, idField?: string): Record<string, number> {
	const amounts: Record<string, number> = {};
	for (const [key, value] of Object.entries(raw)) {
		if (RANGE_FIELDS.has(key) || key === idField || key === 'totalAmount') continue;
		if (typeof value === 'number') amounts[key] = value;
	}
	return amounts;
}

interface RestBillingAnswer {
	records?: IDataObject[];
	metadata?: {
		query?: { startTime?: string; endTime?: string; bucketSize?: string };
		totals?: IDataObject;
	};
}

export function restBillingApi(ctx: RequestContext): BillingApi {
	return {
		list: async (scope, query, options = {}): Promise<BillingReport> => {
			const { path, idField } = SCOPES[scope];
			const qs: IDataObject = { bucketSize: query.bucketSize };
			if (query.lastN !== undefined) qs.lastN = query.lastN;
			else {
				if (query.startTime) qs.startTime = query.startTime;
				if (query.endTime) qs.endTime = query.endTime;
			}
			if (idField && query.resourceId) qs[idField] = query.resourceId;
			const answer = await restRequest<RestBillingAnswer>(
				ctx,
				{ method: 'GET', path, qs },
				{ ...options, idempotent: true },
			);
			const records: BillingRecord[] = (answer?.records ?? []).filter(Boolean).map((raw) => ({
				startTime: String(raw.startTime ?? ''),
				endTime: String(raw.endTime ?? ''),
				...(idField && typeof raw[idField] === 'string'
					? { resourceId: raw[idField] as string }
					: {}),
				totalAmount: typeof raw.totalAmount === 'number' ? raw.totalAmount : 0,
				amounts: amountsOf(raw, idField),
			}));
			const totals = answer?.metadata?.totals ?? {};
			return {
				records,
				startTime: answer?.metadata?.query?.startTime ?? null,
				endTime: answer?.metadata?.query?.endTime ?? null,
				bucketSize: query.bucketSize,
				totals: {
					totalAmount: typeof totals.totalAmount === 'number' ? totals.totalAmount : 0,
					...amountsOf(totals),
				},
			};
		},
	};
}
