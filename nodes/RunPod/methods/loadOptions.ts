import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { runpodApi } from '../api';

/** @public n8n calls it by name. */
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

/**
 * Only data centers where network volumes can be created.
 * @public n8n calls it by name.
 */
export async function getStorageDataCenters(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return (await getDataCenters.call(this)).filter((option) => option.description);
}
