import type { IDataObject } from 'n8n-workflow';

import { isPodUp } from '../api/domain';
import type { Pod } from '../api/types';
import { decodePorts } from './ports';

export interface PortMapping {
	privatePort: number;
	publicPort: number | null;
	ip: string | null;
	isIpPublic: boolean;
	protocol: string;
}

export interface ConnectionDetails {
	/** First public IP of the pod, once it runs and has a public TCP port. */
	publicIp: string | null;
	portMappings: PortMapping[];
	/** HTTPS proxy URL per exposed HTTP port, keyed by port: RunPod proxies these without a public IP. */
	proxyUrls: Record<string, string>;
	/** Ready-to-paste SSH command when port 22 is publicly mapped. */
	sshCommand: string | null;
}

export function proxyUrl(podId: string, port: number): string {
	return `https://${podId}-${port}.proxy.runpod.net`;
}

export function connectionDetails(pod: Pod): ConnectionDetails {
	const runtimePorts = pod.runtime?.ports ?? [];
	const portMappings: PortMapping[] = runtimePorts
		.filter((p) => p && typeof p.privatePort === 'number')
		.map((p) => ({
			privatePort: p.privatePort as number,
			publicPort: p.publicPort ?? null,
			ip: p.ip ?? null,
			isIpPublic: p.isIpPublic === true,
			protocol: (p.type ?? 'tcp').toLowerCase(),
		}));
	const publicIp = portMappings.find((p) => p.isIpPublic && p.ip)?.ip ?? null;

	const proxyUrls: Record<string, string> = {};
	for (const { port, protocol } of decodePorts(pod.ports)) {
		if (protocol === 'http') proxyUrls[String(port)] = proxyUrl(pod.id, port);
	}

	const ssh = portMappings.find(
		(p) => p.privatePort === 22 && p.isIpPublic && p.ip && p.publicPort,
	);
	const sshCommand = ssh ? `ssh root@${ssh.ip} -p ${ssh.publicPort} -i ~/.ssh/id_ed25519` : null;

	return { publicIp, portMappings, proxyUrls, sshCommand };
}

/** True once the container runs and every port the pod asked for is mapped. */
export function isReachable(pod: Pod): boolean {
	if (pod.status !== 'RUNNING' || !pod.runtime) return false;
	const mapped = new Set((pod.runtime.ports ?? []).map((p) => p?.privatePort));
	return decodePorts(pod.ports).every((p) => mapped.has(p.port));
}

/** RunPod bills a pod's GPUs from the moment it is (re)started until it stops, up or not. */
export function isBilled(pod: Pod): boolean {
	return isPodUp(pod.status);
}

/**
 * Seconds since the pod was last started (or created, when RunPod reports no start), while it is
 * billed; null once it is stopped or when RunPod reports neither time. Unlike the container's
 * uptime, this grows for a pod that never gets up (image pull loop, crash loop) too.
 */
export function secondsSinceStart(pod: Pod, nowMs: number): number | null {
	if (!isBilled(pod)) return null;
	// A pod cannot start before it was created: the later of the two is its last start.
	const times = [pod.lastStartedAt, pod.createdAt]
		.map((text) => (text ? Date.parse(text) : NaN))
		.filter((ms) => Number.isFinite(ms));
	if (!times.length) return null;
	return Math.max(0, Math.floor((nowMs - Math.max(...times)) / 1000));
}

/** The flat view people chain on: what a pod is, what it costs, how to reach it. */
export function simplifyPod(pod: Pod, nowMs: number = Date.now()): IDataObject {
	const connection = connectionDetails(pod);
	return {
		id: pod.id,
		name: pod.name,
		status: pod.status,
		podType: pod.podType === 'INTERRUPTABLE' ? 'spot' : 'on-demand',
		gpuType: pod.machine?.gpuTypeId ?? pod.machine?.gpuDisplayName ?? null,
		gpuCount: pod.gpuCount,
		// A CPU pod: its CPU type and size instead of GPUs.
		...(pod.cpuTypeId
			? { cpuType: pod.cpuTypeId, vcpuCount: pod.vcpuCount, memoryInGb: pod.memoryInGb }
			: {}),
		// What it costs now: GPU billing stops with the pod (REST reports 0 then, GraphQL the rate).
		costPerHr: isBilled(pod) ? pod.costPerHr : 0,
		// The container's uptime: 0 while it boots, and for a pod that never gets up.
		uptimeSeconds: pod.runtime?.uptimeInSeconds ?? 0,
		secondsSinceStart: secondsSinceStart(pod, nowMs),
		dataCenterId: pod.machine?.dataCenterId ?? null,
		// A cluster's pod: RunPod updates and terminates it only through its cluster.
		...(pod.clusterId ? { clusterId: pod.clusterId } : {}),
		publicIp: connection.publicIp,
		portMappings: connection.portMappings as unknown as IDataObject[],
		proxyUrls: connection.proxyUrls,
		sshCommand: connection.sshCommand,
	};
}

/** The object the API returned, unchanged, plus the derived connection details (Simplify off). */
export function rawPod(pod: Pod): IDataObject {
	return { ...pod.source, connection: connectionDetails(pod) as unknown as IDataObject };
}
