import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { isPodUp } from '../../api/domain';
import type { Pod } from '../../api/types';
import { isReachable } from '../../helpers/podOutput';
import { checkNumber, invalidParameter } from '../../helpers/validation';

export type WaitTarget = 'ready' | 'stopped' | 'terminated';
export type OnTimeout = 'fail' | 'stop' | 'terminate';

export interface WaitSettings {
	timeoutMs: number;
	/** Delay before the first check; later checks back off by half again each time, up to MAX_POLL_INTERVAL_MS. */
	initialIntervalMs: number;
	onTimeout: OnTimeout;
}

export const MAX_POLL_INTERVAL_MS = 30_000;
/**
 * The node waits inside the execution, holding an n8n worker (and, in queue mode, a job slot) the
 * whole time. An hour covers pods pulling big images; longer belongs in n8n's Wait node.
 */
export const MAX_WAIT_MINUTES = 60;
const BACKOFF = 1.5;

/**
 * The most status checks a wait with these settings can make: the schedule is fixed, so this is
 * exact. The last check is at the deadline itself when the schedule does not land on it.
 */
export function maxPolls(settings: Pick<WaitSettings, 'timeoutMs' | 'initialIntervalMs'>): number {
	let polls = 1;
	let elapsed = 0;
	let delay = settings.initialIntervalMs;
	while (elapsed + delay <= settings.timeoutMs) {
		elapsed += delay;
		polls++;
		delay = Math.min(delay * BACKOFF, Math.max(MAX_POLL_INTERVAL_MS, settings.initialIntervalMs));
	}
	return elapsed < settings.timeoutMs ? polls + 1 : polls;
}

const timeoutFields: INodeProperties[] = [
	{
		displayName: 'Timeout (Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 0.1, maxValue: MAX_WAIT_MINUTES, numberPrecision: 2 },
		description: `How long to wait before giving up, at most ${MAX_WAIT_MINUTES}. The wait holds an n8n worker; for longer, loop Get and n8n's Wait node.`,
	},
	{
		displayName: 'First Check After (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		default: 5,
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		description:
			'Seconds before the first status check; later checks come less often, up to every 30 seconds',
	},
];

const onTimeoutField: INodeProperties = {
	displayName: 'On Timeout',
	name: 'onTimeout',
	type: 'options',
	default: 'fail',
	options: [
		{
			name: 'Fail the Item, Leave the Pod Running',
			value: 'fail',
			description: 'The pod stays up and keeps billing',
		},
		{
			name: 'Stop the Pod and Fail the Item',
			value: 'stop',
			description: 'GPU billing stops; the pod volume is kept',
		},
		{
			name: 'Terminate the Pod and Fail the Item',
			value: 'terminate',
			description: 'Nothing is billed any more; the pod and its disks are deleted',
		},
	],
	description: 'What to do with the pod if it is not ready in time',
};

/** The "Wait Until Ready" switch and its settings, for Create, Create Spot and Resume. */
export const waitUntilReadyFields: INodeProperties[] = [
	{
		displayName: 'Wait Until Ready',
		name: 'waitUntilReady',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the pod runs and all its ports are mapped, then output its public IP, port mappings, proxy URLs and SSH command',
	},
	{
		displayName: 'Wait Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { waitUntilReady: [true] } },
		options: [...timeoutFields, onTimeoutField].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	},
];

/** The fields of the Wait operation's options. */
export const waitOperationOptions: INodeProperties = {
	displayName: 'Options',
	name: 'waitOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		...timeoutFields,
		{ ...onTimeoutField, displayOptions: { show: { '/waitFor': ['ready'] } } },
	].sort((a, b) => a.displayName.localeCompare(b.displayName)),
};

export function readWaitSettings(this: IExecuteFunctions, itemIndex: number): WaitSettings {
	const options = this.getNodeParameter('waitOptions', itemIndex, {}) as IDataObject;
	const node = this.getNode();
	const requested = Number(options.timeoutMinutes ?? 10);
	if (requested > MAX_WAIT_MINUTES) {
		throw invalidParameter(
			node,
			itemIndex,
			'Timeout (Minutes)',
			`expected a number from 0.001 to ${MAX_WAIT_MINUTES}, got ${requested}`,
			`The node waits inside the execution and holds an n8n worker all that time, so a wait is capped at ${MAX_WAIT_MINUTES} minutes. To wait longer, loop: RunPod → Get, then an IF on the status, then n8n's Wait node (which frees the worker) back to Get.`,
		);
	}
	const minutes = checkNumber(node, itemIndex, 'Timeout (Minutes)', options.timeoutMinutes ?? 10, {
		min: 0.001,
		max: MAX_WAIT_MINUTES,
	});
	const seconds = checkNumber(
		node,
		itemIndex,
		'First Check After (Seconds)',
		options.pollIntervalSeconds ?? 5,
		{
			min: 0.05,
			max: 3600,
		},
	);
	const onTimeout = (options.onTimeout as OnTimeout | undefined) ?? 'fail';
	return { timeoutMs: minutes * 60_000, initialIntervalMs: seconds * 1000, onTimeout };
}

export interface WaitOutcome {
	/** The pod as last seen; null once it is gone. */
	pod: Pod | null;
	/** How many status checks were made. */
	polls: number;
	waitedSeconds: number;
}

function reached(pod: Pod | null, target: WaitTarget): boolean {
	if (target === 'terminated') return pod === null;
	if (!pod) return false;
	if (target === 'stopped') return pod.status === 'EXITED' && !pod.runtime;
	return isReachable(pod);
}

/**
 * Polls the pod with n8n's sleep, starting fast and backing off, until it reaches the target state.
 * `checkFirst` skips the first sleep, for a pod whose state we do not know yet.
 */
export async function waitForPod(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	podId: string,
	target: WaitTarget,
	settings: WaitSettings,
	checkFirst: boolean,
): Promise<WaitOutcome> {
	const started = Date.now();
	const deadline = started + settings.timeoutMs;
	const next = (delay: number) =>
		Math.min(delay * BACKOFF, Math.max(MAX_POLL_INTERVAL_MS, settings.initialIntervalMs));
	let delay = settings.initialIntervalMs;
	let polls = 0;
	let pod: Pod | null = null;
	if (!checkFirst) {
		await sleep(Math.min(delay, settings.timeoutMs));
		delay = next(delay);
	}
	for (;;) {
		pod = await api.pods.get(podId, { itemIndex });
		polls++;
		if (reached(pod, target)) {
			return { pod, polls, waitedSeconds: Math.round((Date.now() - started) / 100) / 10 };
		}
		if (target === 'ready') failIfCannotBecomeReady.call(this, itemIndex, podId, pod);
		const left = deadline - Date.now();
		if (left <= 0) break;
		// The last check is at the deadline itself, never a whole interval before it.
		await sleep(Math.min(delay, left));
		delay = next(delay);
	}
	return await timedOut.call(
		this,
		itemIndex,
		api,
		podId,
		pod,
		target,
		settings,
		Date.now() - started,
	);
}

/** "45 seconds", "1.5 minutes": how long the node really waited. */
export function waitedFor(ms: number): string {
	if (ms < 120_000) return `${Math.round(ms / 100) / 10} seconds`;
	return `${Math.round(ms / 600) / 100} minutes`;
}

function failIfCannotBecomeReady(
	this: IExecuteFunctions,
	itemIndex: number,
	podId: string,
	pod: Pod | null,
): void {
	if (!pod) {
		throw new NodeOperationError(
			this.getNode(),
			`The pod "${podId}" disappeared while waiting for it to be ready`,
			{
				itemIndex,
				description: 'Someone or something terminated it. Nothing is billed for it any more.',
			},
		);
	}
	if (pod.status !== 'RUNNING' && pod.status !== 'STARTING') {
		throw new NodeOperationError(
			this.getNode(),
			`The pod "${podId}" is ${pod.status} and will not become ready`,
			{
				itemIndex,
				description: `RunPod says: ${pod.lastStatusChange ?? 'no reason given'}. Resume the pod, or create a new one.`,
			},
		);
	}
}

async function timedOut(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	podId: string,
	pod: Pod | null,
	target: WaitTarget,
	settings: WaitSettings,
	waitedMs: number,
): Promise<never> {
	const waited = waitedFor(waitedMs);
	const goal = target === 'ready' ? 'ready' : target;
	if (target === 'ready' && settings.onTimeout === 'terminate') {
		await api.pods.terminate(podId, { itemIndex });
		throw new NodeOperationError(
			this.getNode(),
			`The pod "${podId}" was not ready after ${waited}, so it was terminated`,
			{
				itemIndex,
				description:
					'As asked in On Timeout, the pod was terminated and is no longer billed. Try another GPU type or data center, or a longer timeout.',
			},
		);
	}
	if (target === 'ready' && settings.onTimeout === 'stop') {
		await api.pods.stop(podId, { itemIndex });
		throw new NodeOperationError(
			this.getNode(),
			`The pod "${podId}" was not ready after ${waited}, so it was stopped`,
			{
				itemIndex,
				description:
					'As asked in On Timeout, the pod was stopped: GPU billing stopped, its pod volume is kept (and billed for storage).',
			},
		);
	}
	const billing =
		pod && isPodUp(pod.status)
			? ` It is still running and billed${typeof pod.costPerHr === 'number' ? ` at $${pod.costPerHr}/hour` : ''}.`
			: '';
	// On Timeout is offered only when waiting for "ready": name it only there.
	const advice =
		target === 'ready'
			? 'Stop or terminate it if you no longer need it, raise Timeout (Minutes), or set On Timeout to stop or terminate it automatically.'
			: `Raise Timeout (Minutes), or check what keeps the pod from being ${goal}.`;
	throw new NodeOperationError(
		this.getNode(),
		`The pod "${podId}" was not ${goal} after ${waited}`,
		{
			itemIndex,
			description: `Last status: ${pod?.status ?? 'gone'}.${billing} ${advice}`,
		},
	);
}
