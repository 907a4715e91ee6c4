import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api/contract';
import { readRegistryAuthId, registryAuthLocator } from './registryAuthItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['containerRegistryAuth'], operation: ['delete'] } },
	[
		{
			displayName:
				'RunPod refuses while a pod pulls its image with these credentials; templates that name them lose the reference',
			name: 'deleteNotice',
			type: 'notice',
			default: '',
		},
		registryAuthLocator,
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const id = readRegistryAuthId.call(this, itemIndex);
	await api.containerRegistryAuths.remove(id, { itemIndex });
	return { id, deleted: true };
}
