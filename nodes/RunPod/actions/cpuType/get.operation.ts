import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { checkText } from '../../helpers/validation';
import { simplifyOption } from '../common.descriptions';
import { cpuTypeLocator, cpuTypeOutput, readVcpuCount, vcpuCountFilterField } from './cpuTypeItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['cpuType'], operation: ['get'] } },
	[cpuTypeLocator, vcpuCountFilterField, simplifyOption],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const cpuTypeId = checkText(
		this.getNode(),
		itemIndex,
		'CPU Type',
		this.getNodeParameter('cpuTypeId', itemIndex, '', { extractValue: true }),
		'Choose a CPU type from the list, or enter its ID such as "cpu3c".',
	);
	const vcpuCount = readVcpuCount.call(this, itemIndex, true);
	const cpu = await api.cpuTypes.get(cpuTypeId, { vcpuCount }, { itemIndex });
	if (!cpu) {
		throw new NodeOperationError(
			this.getNode(),
			`CPU Type: RunPod has no CPU type "${cpuTypeId}"`,
			{
				itemIndex,
				description:
					'CPU type IDs are short names such as "cpu3c" or "cpu5g". Pick one from the list, or see them all with CPU Type → Get Many.',
			},
		);
	}
	return cpuTypeOutput(cpu, this.getNodeParameter('simplify', itemIndex, true) as boolean);
}
