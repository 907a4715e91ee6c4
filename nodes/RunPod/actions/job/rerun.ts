/**
 * Remembers the jobs this node queued in the current execution, so that n8n's Retry On Fail (which
 * reruns the node for every item) follows the jobs already paid for instead of queuing them again.
 * Lives in memory: a rerun happens in the same process, moments later.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

const MAX_ENTRIES = 5000;
const MAX_AGE_MS = 6 * 3_600_000;
const remembered = new Map<string, { jobId: string; atMs: number }>();

function hash(text: string): string {
	// FNV-1a, twice with different seeds: a collision would need both to match.
	let a = 0x811c9dc5;
	let b = 0x01000193;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		a = Math.imul(a ^ code, 0x01000193);
		b = Math.imul(b ^ code, 0x811c9dc5);
	}
	return `${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}`;
}

/** The key of one item's job request in this execution, or undefined outside an execution. */
export function rerunKey(ctx: IExecuteFunctions, itemIndex: number, endpointId: string, body: IDataObject): string | undefined {
	const executionId = ctx.getExecutionId?.();
	if (!executionId) return undefined;
	return `${executionId}|${ctx.getNode().id}|${itemIndex}|${endpointId}|${hash(JSON.stringify(body))}`;
}

export function rememberedJob(key: string | undefined): string | undefined {
	if (!key) return undefined;
	const entry = remembered.get(key);
	if (!entry || Date.now() - entry.atMs > MAX_AGE_MS) return undefined;
	return entry.jobId;
}

export function rememberJob(key: string | undefined, jobId: string): void {
	if (!key) return;
	if (remembered.size >= MAX_ENTRIES) {
		const oldest = remembered.keys().next().value;
		if (oldest !== undefined) remembered.delete(oldest);
	}
	remembered.set(key, { jobId, atMs: Date.now() });
}

export function forgetJob(key: string | undefined): void {
	if (key) remembered.delete(key);
}
