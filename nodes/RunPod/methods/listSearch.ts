import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import * as pods from '../api/pods';
import * as templates from '../api/templates';

function matches(filter: string | undefined, ...texts: Array<string | null | undefined>): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => (text ?? '').toLowerCase().includes(needle));
}

export async function searchPods(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const all = await pods.list(this);
	return {
		results: all
			.filter((pod) => matches(filter, pod.name, pod.id, pod.machine?.gpuDisplayName))
			.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
			.map((pod) => ({
				name: `${pod.name || pod.id} (${pod.desiredStatus ?? 'UNKNOWN'}, ${pod.gpuCount ?? 0}× ${pod.machine?.gpuDisplayName ?? 'GPU'})`,
				value: pod.id,
			})),
	};
}

export async function searchTemplates(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const all = await templates.list(this);
	return {
		results: all
			.filter((template) => matches(filter, template.name, template.id, template.imageName))
			.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
			.map((template) => ({ name: `${template.name ?? template.id} (${template.imageName ?? 'no image'})`, value: template.id })),
	};
}
