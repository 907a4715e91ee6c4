import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { checkNumber } from '../../helpers/validation';
import { limitOption, readLimit, returnAllOption, simplifyOption } from '../common.descriptions';
import { cpuTypeOutput, readVcpuCount, vcpuCountFilterField } from './cpuTypeItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['cpuType'], operation: ['getAll'] } },
	[
		returnAllOption,
		limitOption,
		vcpuCountFilterField,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'In Stock Only',
					name: 'inStockOnly',
					type: 'boolean',
					default: false,
					description: 'Whether to leave out CPU types with no pod in stock for the vCPU count',
				},
				{
					displayName: 'Max Cost Per Hour (USD)',
					name: 'maxCostPerHour',
					type: 'number',
					default: 0,
					typeOptions: { minValue: 0, numberPrecision: 2 },
					description:
						'Only CPU types whose pod of that size costs at most this per hour. 0 means no limit.',
				},
			],
		},
		simplifyOption,
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	const limit = readLimit.call(this, itemIndex);
	const vcpuCount = readVcpuCount.call(this, itemIndex, true);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const maxCost = checkNumber(
		this.getNode(),
		itemIndex,
		'Max Cost Per Hour (USD)',
		filters.maxCostPerHour ?? 0,
		{ min: 0 },
	);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const all = await api.cpuTypes.list({ vcpuCount }, { itemIndex });
	return all
		.filter((cpu) => !filters.inStockOnly || cpu.stockStatus !== null)
		.filter((cpu) => !maxCost || (cpu.pricePerHour !== null && cpu.pricePerHour <= maxCost))
		.slice(0, limit)
		.map((cpu) => cpuTypeOutput(cpu, simplify));
}
