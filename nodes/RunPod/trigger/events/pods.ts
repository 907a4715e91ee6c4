import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { containsText, optionalText } from '../../helpers/validation';
import type { TriggerPod } from '../source';
import type { TriggerEvent } from './types';

/** What the trigger remembers of each pod between polls. */
export type PodSnapshot = Record<string, TriggerPod>;

export interface PodFilters {
	statuses: string[];
	nameContains?: string;
}

export function readPodFilters(ctx: IPollFunctions): PodFilters {
	const filters = (ctx.getNodeParameter('podFilters', {}) ?? {}) as IDataObject;
	const statuses = Array.isArray(filters.statuses) ? filters.statuses.map(String) : [];
	return { statuses, nameContains: optionalText(filters.nameContains) };
}

function matches(pod: TriggerPod, status: string | null, filters: PodFilters): boolean {
	if (filters.statuses.length && !filters.statuses.includes(status ?? '')) return false;
	return !filters.nameContains || containsText(pod.name, filters.nameContains);
}

export function snapshotOf(pods: TriggerPod[]): PodSnapshot {
	const snapshot: PodSnapshot = {};
	for (const pod of pods) snapshot[pod.id] = pod;
	return snapshot;
}

/** The item every pod event emits: the pod's fields plus what changed and when it was seen. */
export function podItem(
	event: string,
	pod: TriggerPod,
	previousStatus: string | null,
	status: string | null,
	now: Date,
): IDataObject {
	return {
		event,
		...pod,
		previousStatus,
		status,
		detectedAt: now.toISOString(),
	} as unknown as IDataObject;
}

/** Shown by "Fetch Test Event" on an account without pods, so the next nodes can be mapped. */
export const EXAMPLE_POD: TriggerPod = {
	id: 'example-pod-id',
	name: 'example-pod',
	status: 'EXITED',
	podType: 'on-demand',
	imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
	gpuType: 'NVIDIA GeForce RTX 4090',
	gpuCount: 1,
	costPerHr: 0.69,
	dataCenterId: 'EU-RO-1',
	createdAt: '2026-11-28T09:00:00.000Z',
	lastStartedAt: '2026-11-28T09:00:05.000Z',
	lastStatusChange:
		'Exited by User: Sat Nov 28 2026 10:30:00 GMT+0000 (Coordinated Universal Time)',
	uptimeSeconds: 0,
};

/** The account's most recently started or created pod matching the filters, else an example. */
function latestPod(
	pods: TriggerPod[],
	filters: PodFilters,
): { pod: TriggerPod; fromAccount: boolean } {
	const when = (pod: TriggerPod) => Date.parse(pod.lastStartedAt ?? pod.createdAt ?? '') || 0;
	const candidates = pods
		.filter((pod) => matches(pod, pod.status, filters))
		.sort((a, b) => when(b) - when(a));
	const pod = candidates[0] ?? pods[0];
	return pod ? { pod, fromAccount: true } : { pod: EXAMPLE_POD, fromAccount: false };
}

function sampleItem(
	event: string,
	pods: TriggerPod[],
	filters: PodFilters,
	now: Date,
	previous: (pod: TriggerPod) => string | null,
	status: (pod: TriggerPod) => string | null,
): IDataObject[] {
	const { pod, fromAccount } = latestPod(pods, filters);
	return [
		{
			...podItem(event, pod, previous(pod), status(pod), now),
			sample: true,
			sampleFrom: fromAccount ? 'account' : 'example',
		},
	];
}

type PodEvent = TriggerEvent<PodFilters, TriggerPod[], PodSnapshot>;

const podEventBase = {
	readParams: readPodFilters,
	// Filters only choose what is emitted; the snapshot means the same whatever they are.
	stateKey: () => 'pods',
	observe: async (source: { listPods(): Promise<TriggerPod[]> }) => await source.listPods(),
	seed: (pods: TriggerPod[]) => snapshotOf(pods),
};

/**
 * Pod Status Changed: one item per pod whose status differs from the last poll. A pod that was
 * started again between two polls shows as a new `lastStartedAt` with the same status; a pod that
 * disappeared was terminated (RunPod forgets terminated pods).
 */
export const podStatusChanged: PodEvent = {
	...podEventBase,
	step(previous, pods, filters, now) {
		const current = snapshotOf(pods);
		const events: IDataObject[] = [];
		for (const pod of pods) {
			const before = previous[pod.id];
			if (!before) continue; // Pod Created reports new pods; their first status is not a change.
			// Same status but started again: it changed and changed back. Only fields both APIs report
			// are compared (GraphQL's lastStatusChange is null on REST v2).
			const changed =
				before.status !== pod.status || (before.lastStartedAt ?? '') !== (pod.lastStartedAt ?? '');
			if (changed && matches(pod, pod.status, filters)) {
				events.push(podItem('podStatusChanged', pod, before.status, pod.status, now));
			}
		}
		for (const before of Object.values(previous)) {
			if (current[before.id] || !matches(before, 'TERMINATED', filters)) continue;
			events.push(podItem('podStatusChanged', before, before.status, 'TERMINATED', now));
		}
		return { state: current, events };
	},
	sample: (pods, filters, now) =>
		sampleItem(
			'podStatusChanged',
			pods,
			filters,
			now,
			(pod) => (pod.status === 'RUNNING' ? 'EXITED' : 'RUNNING'),
			(pod) => pod.status,
		),
};

/** Pod Created: one item per pod that was not there at the last poll. */
export const podCreated: PodEvent = {
	...podEventBase,
	readParams: (ctx) => ({ ...readPodFilters(ctx), statuses: [] }),
	step(previous, pods, filters, now) {
		const events = pods
			.filter((pod) => !previous[pod.id] && matches(pod, pod.status, filters))
			.map((pod) => podItem('podCreated', pod, null, pod.status, now));
		return { state: snapshotOf(pods), events };
	},
	sample: (pods, filters, now) =>
		sampleItem(
			'podCreated',
			pods,
			filters,
			now,
			() => null,
			(pod) => pod.status,
		),
};

/** Pod Terminated: one item per pod that was there at the last poll and is gone now, with its last known fields. */
export const podTerminated: PodEvent = {
	...podEventBase,
	readParams: (ctx) => ({ ...readPodFilters(ctx), statuses: [] }),
	step(previous, pods, filters, now) {
		const current = snapshotOf(pods);
		const events = Object.values(previous)
			.filter((pod) => !current[pod.id] && matches(pod, 'TERMINATED', filters))
			.map((pod) => podItem('podTerminated', pod, pod.status, 'TERMINATED', now));
		return { state: current, events };
	},
	sample: (pods, filters, now) =>
		sampleItem(
			'podTerminated',
			pods,
			filters,
			now,
			(pod) => pod.status,
			() => 'TERMINATED',
		),
};
