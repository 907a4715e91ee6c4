/**
 * An endpoint's releases: version 1 when it was created, then one more each time its configuration
 * or its template's image or environment changes (seen at a save, or at the next read for a
 * template changed on its own). Kept beside the endpoint record, so a reset forgets them with it.
 */
import type { SandboxState } from '../state';
import type { EndpointRecord } from './endpoints';

export interface ReleaseRecord {
	id: string;
	version: number;
	createdAtMs: number;
	diff: Array<{ field: string; old: unknown; new: unknown }>;
	snapshot: Record<string, unknown>;
}

const histories = new WeakMap<EndpointRecord, ReleaseRecord[]>();

/** What a release is a version of: the settings a change of which rolls the workers. */
function snapshotOf(state: SandboxState, endpoint: EndpointRecord): Record<string, unknown> {
	const template = state.templates.find((t) => t.id === endpoint.templateId);
	return {
		gpuCount: endpoint.gpuCount,
		gpuIds: endpoint.gpuIds,
		'workers.min': endpoint.workersMin,
		'workers.max': endpoint.workersMax,
		idleTimeout: endpoint.idleTimeout,
		executionTimeoutMs: endpoint.executionTimeoutMs,
		flashboot: endpoint.flashBootType,
		locations: endpoint.locations,
		'template.imageName': template?.imageName ?? null,
		'template.env': Object.fromEntries((template?.env ?? []).map((e) => [e.key, e.value])),
	};
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The endpoint's releases, oldest first, with a new one when its settings changed since the last. */
export function releasesOf(
	state: SandboxState,
	endpoint: EndpointRecord,
	nowMs: number,
): ReleaseRecord[] {
	const snapshot = snapshotOf(state, endpoint);
	let history = histories.get(endpoint);
	if (!history) {
		history = [
			{
				id: `${endpoint.id.slice(0, 8)}r1`,
				version: 1,
				createdAtMs: Date.parse(endpoint.createdAt) || nowMs,
				diff: [],
				snapshot,
			},
		];
		histories.set(endpoint, history);
		return history;
	}
	const last = history[history.length - 1];
	const diff = Object.keys(snapshot)
		.filter((field) => !same(snapshot[field], last.snapshot[field]))
		.map((field) => ({ field, old: last.snapshot[field], new: snapshot[field] }));
	if (diff.length > 0) {
		const version = last.version + 1;
		history.push({
			id: `${endpoint.id.slice(0, 8)}r${version}`,
			version,
			createdAtMs: nowMs,
			diff,
			snapshot,
		});
	}
	return history;
}
