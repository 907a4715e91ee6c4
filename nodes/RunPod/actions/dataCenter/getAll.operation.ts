import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { DataCenter } from '../../api/types';
import { locatorValue } from '../../helpers/locator';
import { checkTextFilters, optionalText } from '../../helpers/validation';
import { limitOption, returnAllOption, readLimit } from '../common.descriptions';
import { gpuTypeLocator } from '../../helpers/gpuType';

export const description = updateDisplayOptions(
	{ show: { resource: ['dataCenter'], operation: ['getAll'] } },
	[
		returnAllOption,
		limitOption,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Network Volume Support Only',
					name: 'storageSupportOnly',
					type: 'boolean',
					default: true,
					description: 'Whether to list only data centers where network volumes can be created',
				},
				{
					...gpuTypeLocator,
					displayName: 'With GPU Type',
					required: false,
					description: 'Only data centers where this GPU type is available right now',
				},
			],
		},
	],
);

/** A GPU type counts as available in a data center when RunPod says so, by ID or display name. */
export function matchesDataCenterFilters(dc: DataCenter, filters: IDataObject): boolean {
	if (filters.storageSupportOnly === true && dc.storageSupport !== true) return false;
	const gpu = optionalText(locatorValue(filters.gpuTypeId))?.toLowerCase();
	if (gpu) {
		const available = (dc.gpuAvailability ?? []).some(
			(entry) =>
				entry.available === true &&
				[entry.gpuTypeId, entry.displayName].some((n) => (n ?? '').toLowerCase() === gpu),
		);
		if (!available) return false;
	}
	return true;
}

export function dataCenterOutput(dc: DataCenter): IDataObject {
	const gpuAvailability = (dc.gpuAvailability ?? []).map((entry) => ({
		gpuTypeId: entry.gpuTypeId,
		displayName: entry.displayName,
		stockStatus: entry.stockStatus,
		available: entry.available === true,
	}));
	return {
		id: dc.id,
		name: dc.name,
		location: dc.location,
		storageSupport: dc.storageSupport === true,
		availableGpuTypes: gpuAvailability
			.filter((entry) => entry.available)
			.map((entry) => entry.gpuTypeId),
		gpuAvailability,
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	const limit = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	checkTextFilters(this.getNode(), itemIndex, filters, { gpuTypeId: 'With GPU Type' });
	const all = await api.dataCenters.listWithAvailability({ itemIndex });
	return all
		.filter((dc) => matchesDataCenterFilters(dc, filters))
		.sort((a, b) => a.id.localeCompare(b.id))
		.slice(0, limit)
		.map(dataCenterOutput);
}
