import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { runpodApi } from '../api';

function matches(filter: string | undefined, ...texts: Array<string | null | undefined>): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => (text ?? '').toLowerCase().includes(needle));
}

/** @public n8n calls it by name. */
export async function searchPods(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const all = await (await runpodApi(this)).pods.list();
	return {
		results: all
			.filter((pod) =>
				matches(filter, pod.name, pod.id, pod.machine?.gpuDisplayName, pod.machine?.gpuTypeId),
			)
			.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
			.map((pod) => ({
				name: `${pod.name || pod.id} (${pod.status}, ${pod.gpuCount ?? 0}× ${pod.machine?.gpuDisplayName ?? pod.machine?.gpuTypeId ?? 'GPU'})`,
				value: pod.id,
			})),
	};
}

/** @public n8n calls it by name. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const all = await (await runpodApi(this)).templates.list();
	return {
		results: all
			.filter((template) => matches(filter, template.name, template.id, template.imageName))
			.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
			.map((template) => ({
				name: `${template.name ?? template.id} (${template.imageName ?? 'no image'})`,
				value: template.id,
			})),
	};
}

/** @public n8n calls it by name. */
export async function searchNetworkVolumes(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const all = await (await runpodApi(this)).networkVolumes.list();
	return {
		results: all
			.filter((volume) => matches(filter, volume.name, volume.id, volume.dataCenterId))
			.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
			.map((volume) => ({
				name: `${volume.name || volume.id} (${volume.size ?? '?'} GB, ${volume.dataCenterId ?? '?'})`,
				value: volume.id,
			})),
	};
}

function price(value: number | null): string | undefined {
	return typeof value === 'number' ? `$${value.toFixed(2)}/hr` : undefined;
}

/**
 * GPU types with memory and per-GPU list prices in the label, so the choice can be made from the list.
 * @public n8n calls it by name.
 */
export async function searchGpuTypes(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const all = await (await runpodApi(this)).gpuTypes.listSummaries();
	return {
		results: all
			.filter((gpu) => matches(filter, gpu.displayName, gpu.id))
			.sort((a, b) => (a.displayName ?? a.id).localeCompare(b.displayName ?? b.id))
			.map((gpu) => {
				const prices = [
					price(gpu.securePrice) && `secure ${price(gpu.securePrice)}`,
					price(gpu.communityPrice) && `community ${price(gpu.communityPrice)}`,
				].filter(Boolean);
				return {
					name: `${gpu.displayName ?? gpu.id} — ${gpu.memoryInGb ?? '?'} GB${prices.length ? ` — ${prices.join(', ')}` : ''}`,
					value: gpu.id,
				};
			}),
	};
}

/** @public n8n calls it by name. */
export async function searchEndpoints(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const all = await (await runpodApi(this)).endpoints.list();
	return {
		results: all
			.filter((endpoint) => matches(filter, endpoint.name, endpoint.id))
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((endpoint) => ({
				name: `${endpoint.name || endpoint.id} (${endpoint.workersMin}–${endpoint.workersMax} workers, ${endpoint.gpuPools.join(', ') || 'any GPU'})`,
				value: endpoint.id,
				url: `https://console.runpod.io/serverless/user/endpoint/${endpoint.id}`,
			})),
	};
}

/** @public n8n calls it by name. */
export async function searchContainerRegistryAuths(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const all = await (await runpodApi(this)).containerRegistryAuths.list();
	return {
		results: all
			.filter((registry) => matches(filter, registry.name, registry.id))
			.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
			.map((registry) => ({ name: registry.name || registry.id, value: registry.id })),
	};
}

/** @public n8n calls it by name. */
export async function searchEcrDelegations(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const all = await (await runpodApi(this)).containerRegistryAuths.listEcrDelegations();
	return {
		results: all
			.filter((d) => matches(filter, d.name, d.id, d.repository, d.awsRegion))
			.sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id))
			.map((d) => ({
				name: `${d.name || d.id} (${d.repository ?? '?'}, ${d.awsRegion ?? '?'})`,
				value: d.id,
			})),
	};
}

/** @public n8n calls it by name. */
export async function searchClusters(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const all = await (await runpodApi(this)).clusters.list();
	return {
		results: all
			.filter((cluster) => matches(filter, cluster.name, cluster.id, cluster.gpuTypeId))
			.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
			.map((cluster) => ({
				name: `${cluster.name || cluster.id} (${cluster.podCount ?? '?'} pods × ${cluster.gpuCountPerPod ?? '?'}× ${cluster.gpuTypeId ?? 'GPU'})`,
				value: cluster.id,
			})),
	};
}

/** @public n8n calls it by name. */
export async function searchDataCenters(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const all = await (await runpodApi(this)).dataCenters.list();
	return {
		results: all
			.filter((dc) => matches(filter, dc.name, dc.id, dc.location))
			.sort((a, b) => a.id.localeCompare(b.id))
			.map((dc) => ({
				name: `${dc.id}${dc.location ? ` (${dc.location})` : ''}${dc.storageSupport ? ', network volumes' : ''}`,
				value: dc.id,
			})),
	};
}

/** @public n8n calls it by name. CPU types exist on REST v2 only; on GraphQL the list says so. */
export async function searchCpuTypes(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const all = await (await runpodApi(this)).cpuTypes.list({});
	return {
		results: all
			.filter((cpu) => matches(filter, cpu.name, cpu.group, cpu.id))
			.map((cpu) => ({
				name: `${cpu.id} — ${[cpu.group, cpu.name].filter(Boolean).join(' ')} — ${cpu.ramGbPerVcpu ?? '?'} GB RAM per vCPU${
					cpu.pricePerVcpu !== null ? ` — $${cpu.pricePerVcpu}/hr per vCPU` : ''
				}`,
				value: cpu.id,
			})),
	};
}
