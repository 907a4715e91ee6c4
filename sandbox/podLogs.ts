/**
 * A pod's log, kept in the sandbox's state: the host's lifecycle lines (`system`) and what the
 * container prints (`container`). Boots write their lines when they happen; the lines of a boot
 * still in progress carry the moment it finishes and show once that moment has passed. A stopped
 * pod keeps its lines; a terminated pod is gone with them.
 */
import type { PodLogLine, PodRecord } from './state';

/** RunPod's largest backfill (`tail` maximum): older lines are dropped beyond it. */
export const MAX_POD_LOG_LINES = 5000;

export type PodBootReason = 'create' | 'start' | 'restart' | 'update';

const BOOT_WORDS: Record<PodBootReason, string> = {
	create: 'Creating container',
	start: 'Starting container',
	restart: 'Restarting container',
	update: 'Restarting container with its new settings',
};

function append(pod: PodRecord, atMs: number, source: PodLogLine['source'], line: string): void {
	const logs = (pod.logs ??= []);
	const seq = (logs[logs.length - 1]?.seq ?? 0) + 1;
	logs.push({ ts: new Date(atMs).toISOString(), seq, source, line });
	if (logs.length > MAX_POD_LOG_LINES) logs.splice(0, logs.length - MAX_POD_LOG_LINES);
}

/** A boot: the host's lines now, the container's once it is up (at `readyAtMs`). */
export function logBoot(pod: PodRecord, nowMs: number, reason: PodBootReason): void {
	dropUnseen(pod, nowMs);
	if (reason !== 'restart') append(pod, nowMs, 'system', `Pulling image ${pod.imageName}`);
	append(pod, nowMs, 'system', BOOT_WORDS[reason]);
	const readyMs = Math.max(nowMs, pod.readyAtMs ?? nowMs);
	append(pod, readyMs, 'system', 'Container started');
	append(
		pod,
		readyMs,
		'container',
		pod.dockerArgs
			? `Running start command: ${pod.dockerArgs}`
			: `Running the default command of ${pod.imageName}`,
	);
	if (pod.ports)
		append(pod, readyMs, 'container', `Listening on ${pod.ports.split(',').join(', ')}`);
}

/** The container stops (a stop, or RunPod reclaiming a spot pod). */
export function logHalt(pod: PodRecord, nowMs: number, by: 'User' | 'Runpod'): void {
	dropUnseen(pod, nowMs);
	append(pod, nowMs, 'container', 'Received SIGTERM, shutting down');
	append(pod, nowMs, 'system', `Container stopped (exited by ${by})`);
}

/** What the pod's program prints (tests: an app's output, a traceback before a crash). */
export function logOutput(pod: PodRecord, nowMs: number, lines: readonly string[]): void {
	for (const line of lines) append(pod, nowMs, 'container', line);
}

/** The lines written up to now, oldest first. */
export function podLogLines(pod: PodRecord, nowMs: number): PodLogLine[] {
	const now = new Date(nowMs).toISOString();
	return (pod.logs ?? []).filter((line) => line.ts <= now);
}

/** A boot that did not finish never printed its lines. */
function dropUnseen(pod: PodRecord, nowMs: number): void {
	if (pod.logs) pod.logs = podLogLines(pod, nowMs);
}
