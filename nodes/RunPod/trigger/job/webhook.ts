import type { IDataObject } from 'n8n-workflow';

/** RunPod's terminal job statuses; a job webhook arrives once a job reaches one of them. */
export const TERMINAL_STATUSES = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'] as const;

/** How many job IDs the trigger remembers to drop RunPod's retries; the oldest are forgotten first. */
export const SEEN_JOBS_LIMIT = 500;

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
	return { ...(body as IDataObject), id: id.trim(), status: status.trim().toUpperCase() };
}

/** The job IDs already let through, oldest first, as kept in the workflow's static data. */
export interface SeenJobs {
	seenJobIds?: string[];
}

export function alreadySeen(store: SeenJobs, jobId: string): boolean {
	return (store.seenJobIds ?? []).includes(jobId);
}

export function remember(store: SeenJobs, jobId: string, limit = SEEN_JOBS_LIMIT): void {
	const ids = (store.seenJobIds ?? []).filter((id) => id !== jobId);
	ids.push(jobId);
	store.seenJobIds = ids.slice(Math.max(0, ids.length - limit));
}
