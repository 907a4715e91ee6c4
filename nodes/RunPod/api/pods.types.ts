/** The types of Pod → Update, Restart and Get Logs (REST v2 only). */
import type { EnvVar, PortSpec } from './types';

/** What Pod → Update changes; only what is set. */
export interface PodChanges {
	name?: string;
	imageName?: string;
	dockerArgs?: string;
	containerDiskInGb?: number;
	/** The pod volume's new size; the pod must have a pod volume (not a network volume). */
	volumeInGb?: number;
	/** Added to the pod's variables (a name it has takes the new value), unless `replaceEnvAndPorts`. */
	env?: EnvVar[];
	/** Added to the pod's ports (a port it has takes the new protocol), unless `replaceEnvAndPorts`. */
	ports?: PortSpec[];
	/** The pod gets exactly `env` and `ports` (each when set); the node's create marker is kept. */
	replaceEnvAndPorts?: boolean;
}

export type PodLogSource = 'container' | 'system';

export interface PodLogQuery {
	/** The last this many lines. */
	limit: number;
	/** One source only; both when absent. */
	source?: PodLogSource;
}

/** One line of a pod's log. */
export interface PodLogLine {
	/** When it was written (ISO 8601), when RunPod says. */
	time: string | null;
	/** `container` (what the program prints) or `system` (the host: pulls, starts, stops). */
	source: string | null;
	line: string;
}
