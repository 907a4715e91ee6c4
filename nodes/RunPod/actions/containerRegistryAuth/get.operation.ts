import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api/contract';
import { domainError } from '../../api/errors';
import { readRegistryAuthId, registryAuthLocator, registryAuthOutput } from './registryAuthItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['containerRegistryAuth'], operation: ['get'] } },
	[registryAuthLocator],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const id = readRegistryAuthId.call(this, itemIndex);
	const found = await api.containerRegistryAuths.get(id, { itemIndex });
	if (!found) {
		throw domainError(
			this.getNode(),
			{ kind: 'NotFound', resource: 'container registry auth', id },
			`The container registry auth "${id}" was not found`,
			'Your RunPod account has no container registry credentials with this ID. Check the ID, or list them with Container Registry Auth → Get Many.',
			itemIndex,
		);
	}
	return registryAuthOutput(found);
}
