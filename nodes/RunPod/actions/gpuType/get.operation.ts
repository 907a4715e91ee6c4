import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { checkText } from '../../helpers/validation';
import { simplifyOption } from '../common.descriptions';
import { gpuCountField, gpuTypeLocator, gpuTypeOutput, readGpuCount } from '../../helpers/gpuType';

export const description = updateDisplayOptions(
	{ show: { resource: ['gpuType'], operation: ['get'] } },
	[gpuTypeLocator, gpuCountField, simplifyOption],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const gpuTypeId = checkText(
		this.getNode(),
		itemIndex,
		'GPU Type',
		this.getNodeParameter('gpuTypeId', itemIndex, '', { extractValue: true }),
		'Choose a GPU type from the list, or enter its ID such as "NVIDIA GeForce RTX 4090".',
	);
	const gpuCount = readGpuCount.call(this, itemIndex);
	const gpu = await api.gpuTypes.getPrices(gpuTypeId, gpuCount, { itemIndex });
	if (!gpu) {
		throw new NodeOperationError(
			this.getNode(),
			`GPU Type: RunPod has no GPU type "${gpuTypeId}"`,
			{
				itemIndex,
				description:
					'GPU type IDs are RunPod\'s full names, such as "NVIDIA GeForce RTX 4090" or "NVIDIA A100 80GB PCIe". Pick one from the list, or see them all with GPU Type → Get Many.',
			},
		);
	}
	return gpuTypeOutput.call(this, itemIndex, gpu);
}
