import type { INode } from 'n8n-workflow';

import { CREATE_MARKER_ENV } from '../api/createMarker';
import type { EnvVar } from '../api/types';
import { invalidParameter } from './validation';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface EnvEntry {
	name?: unknown;
	value?: unknown;
}

/** Reads the Environment Variables parameter: names must be shell-safe and unique; values are sent as typed. */
export function parseEnv(node: INode, itemIndex: number, entries: EnvEntry[]): EnvVar[] {
	const env: EnvVar[] = [];
	for (const [position, entry] of entries.entries()) {
		const name = typeof entry.name === 'string' ? entry.name.trim() : '';
		const label = `Environment Variables (entry ${position + 1})`;
		if (!ENV_NAME.test(name)) {
			throw invalidParameter(
				node,
				itemIndex,
				label,
				name ? `"${name}" is not a valid variable name` : 'the name is empty',
				'Use letters, digits and underscores, not starting with a digit, e.g. HF_TOKEN.',
			);
		}
		if (name === CREATE_MARKER_ENV) {
			throw invalidParameter(
				node,
				itemIndex,
				label,
				`"${name}" is reserved by this node`,
				"The node sets this variable itself to find a pod again if RunPod's answer is lost. Use another name.",
			);
		}
		if (env.some((e) => e.key === name)) {
			throw invalidParameter(
				node,
				itemIndex,
				label,
				`"${name}" is set twice`,
				'Set each variable once.',
			);
		}
		const value = entry.value === undefined || entry.value === null ? '' : String(entry.value);
		env.push({ key: name, value });
	}
	return env;
}
