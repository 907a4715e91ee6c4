import type { IDataObject } from 'n8n-workflow';

/** How many job deliveries the trigger remembers to drop RunPod's resends; the oldest are forgotten first. */
export const SEEN_JOBS_LIMIT = 500;

/** RunPod's job IDs are about 40 characters; anything much longer is not a RunPod job (and is not stored). */
export const MAX_JOB_ID_LENGTH = 128;

/** A secret that can sit in a URL path as is, long enough not to be guessed. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export interface JobWebhookBody extends IDataObject {
	id: string;
	status: string;
}

/** RunPod posts the job's `/status` object: at least its ID and status. */
export function parseJobBody(body: unknown): JobWebhookBody | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const { id, status } = body as IDataObject;
	if (typeof id !== 'string' || !id.trim() || typeof status !== 'string' || !status.trim())
		return undefined;
	if (id.trim().length > MAX_JOB_ID_LENGTH || status.trim().length > 32) return undefined;
	return { ...(body as IDataObject), id: id.trim(), status: status.trim().toUpperCase() };
}

/**
 * What makes one delivery of a job's end: its ID, its status and how often it was retried.
 * RunPod resends the same delivery when it got no 200; `/retry` keeps the job ID, so a job that
 * FAILED, was retried and COMPLETED is a new delivery (new status, `retries` one higher).
 */
export function deliveryKey(job: IDataObject): string {
	const retries = Number(job.retries ?? job.retryCount ?? 0);
	return `${String(job.id)}|${String(job.status).toUpperCase()}|${Number.isFinite(retries) ? retries : 0}`;
}

/** The deliveries already let through, oldest first, as kept in the workflow's static data. */
export interface SeenJobs {
	seenDeliveries?: string[];
	/** Before issue 19: job IDs only. Read no more (a retried job's success would be dropped). */
	seenJobIds?: string[];
}

export function alreadySeen(store: SeenJobs, key: string): boolean {
	return (store.seenDeliveries ?? []).includes(key);
}

export function remember(store: SeenJobs, key: string, limit = SEEN_JOBS_LIMIT): void {
	const keys = (store.seenDeliveries ?? []).filter((seen) => seen !== key);
	keys.push(key);
	store.seenDeliveries = keys.slice(Math.max(0, keys.length - limit));
	delete store.seenJobIds;
}

/** Replaces the secret token wherever it appears in the item's text (RunPod echoes the webhook URL). */
export function redactToken<T>(value: T, token: string): T {
	if (!token) return value;
	if (typeof value === 'string') return value.split(token).join('***') as T;
	if (Array.isArray(value)) return value.map((entry) => redactToken(entry, token)) as T;
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value as IDataObject).map(([key, entry]) => [key, redactToken(entry, token)]),
		) as T;
	}
	return value;
}
