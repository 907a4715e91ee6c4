import type { INode } from 'n8n-workflow';

import type { PortSpec } from '../api/types';
import { invalidParameter } from './validation';

/** RunPod proxies at most this many HTTP ports per pod. */
export const MAX_HTTP_PORTS = 10;

export interface PortEntry {
	number?: unknown;
	protocol?: unknown;
}

/**
 * Reads the Ports parameter. Each entry is a port number and a protocol; a number may also be typed
 * as "8888/http" (RunPod's own notation), which is handy in expressions.
 */
export function parsePorts(node: INode, itemIndex: number, entries: PortEntry[]): PortSpec[] {
	const ports: PortSpec[] = [];
	for (const [position, entry] of entries.entries()) {
		const label = `Ports (entry ${position + 1})`;
		const raw = typeof entry.number === 'string' ? entry.number.trim() : entry.number;
		let protocolText =
			typeof entry.protocol === 'string' ? entry.protocol.trim().toLowerCase() : 'http';
		let numberValue: unknown = raw;
		if (typeof raw === 'string') {
			const match = /^(\d+)(?:\/(http|tcp))?$/i.exec(raw);
			if (!match) {
				throw invalidParameter(
					node,
					itemIndex,
					label,
					`"${raw}" is not a port`,
					'Use a port number from 1 to 65535, for example 8888, optionally with its protocol: 8888/http or 22/tcp.',
				);
			}
			numberValue = Number(match[1]);
			if (match[2]) protocolText = match[2].toLowerCase();
		}
		const port = numberValue as number;
		if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
			throw invalidParameter(
				node,
				itemIndex,
				label,
				`${JSON.stringify(entry.number)} is not a port number`,
				'Use a whole number from 1 to 65535.',
			);
		}
		if (protocolText !== 'http' && protocolText !== 'tcp') {
			throw invalidParameter(
				node,
				itemIndex,
				label,
				`unknown protocol "${protocolText}"`,
				'Choose HTTP or TCP.',
			);
		}
		if (ports.some((p) => p.port === port)) {
			throw invalidParameter(
				node,
				itemIndex,
				label,
				`port ${port} is listed twice`,
				'List each port once.',
			);
		}
		ports.push({ port, protocol: protocolText });
	}
	const httpCount = ports.filter((p) => p.protocol === 'http').length;
	if (httpCount > MAX_HTTP_PORTS) {
		throw invalidParameter(
			node,
			itemIndex,
			'Ports',
			`${httpCount} HTTP ports, RunPod allows at most ${MAX_HTTP_PORTS}`,
			'Expose fewer HTTP ports, or expose some as TCP.',
		);
	}
	return ports;
}

/** Reads RunPod's "8888/http,22/tcp" notation. Unknown pieces are skipped. */
export function decodePorts(ports: string | null | undefined): PortSpec[] {
	if (!ports) return [];
	return ports
		.split(',')
		.map((piece) => /^\s*(\d+)\/(http|tcp)\s*$/i.exec(piece))
		.filter((match): match is RegExpExecArray => match !== null)
		.map((match) => ({
			port: Number(match[1]),
			protocol: match[2].toLowerCase() as 'http' | 'tcp',
		}));
}
