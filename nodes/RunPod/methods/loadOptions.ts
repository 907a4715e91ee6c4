import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { runpodApi } from '../api';

function price(value: number | null): string | undefined {
	return typeof value === 'number' ? `$${value.toFixed(2)}/hr` : undefined;
}

/** GPU types with memory and per-GPU prices in the label, so the choice can be made from the list. */
export async function getGpuTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const all = await (await runpodApi(this)).gpuTypes.listSummaries();
	return all
		.map((gpu) => {
			const prices = [
				price(gpu.securePrice) && `secure ${price(gpu.securePrice)}`,
				price(gpu.communityPrice) && `community ${price(gpu.communityPrice)}`,
			].filter(Boolean);
			return {
				name: `${gpu.displayName ?? gpu.id} — ${gpu.memoryInGb ?? '?'} GB${prices.length ? ` — ${prices.join(', ')}` : ''}`,
				value: gpu.id,
				description: gpu.id,
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getDataCenters(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const all = await (await runpodApi(this)).dataCenters.list();
	return all
		.map((dc) => ({
			name: `${dc.id}${dc.location ? ` (${dc.location})` : ''}`,
			value: dc.id,
			description: dc.storageSupport ? 'Supports network volumes' : undefined,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Only data centers where network volumes can be created. */
export async function getStorageDataCenters(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await getDataCenters.call(this)).filter((option) => option.description);
}

export async function getNetworkVolumes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const all = await (await runpodApi(this)).networkVolumes.list();
	return all
		.map((volume) => ({
			name: `${volume.name ?? volume.id} (${volume.size ?? '?'} GB, ${volume.dataCenterId ?? '?'})`,
			value: volume.id,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
