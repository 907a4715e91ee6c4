/** Spend history in time buckets (REST v2 only). */

/** What the spend is of: the whole account, or one family of resources. */
export type BillingScope =
	'account' | 'pods' | 'serverless' | 'endpoints' | 'networkVolumes' | 'clusters';

export type BillingBucketSize = 'hour' | 'day' | 'week' | 'month' | 'year';

/** The period: the last N buckets, or a start and an end (each optional). */
export interface BillingQuery {
	bucketSize: BillingBucketSize;
	lastN?: number;
	startTime?: string;
	endTime?: string;
	/** Only this pod, serverless endpoint, network volume or cluster (by scope). */
	resourceId?: string;
}

/** One bucket (of one resource, for the per-resource scopes): its time range and amounts in USD. */
export interface BillingRecord {
	startTime: string;
	endTime: string;
	/** The pod, endpoint, volume or cluster billed; absent for the account and public endpoints. */
	resourceId?: string;
	totalAmount: number;
	/** The cost components RunPod breaks out for this scope (e.g. gpuAmount, diskAmount). */
	amounts: Record<string, number>;
}

export interface BillingReport {
	records: BillingRecord[];
	/** The window RunPod resolved (snapped to bucket boundaries). */
	startTime: string | null;
	endTime: string | null;
	bucketSize: BillingBucketSize;
	/** Totals over the records, by component, as RunPod gives them. */
	totals: Record<string, number>;
}
