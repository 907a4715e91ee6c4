import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api/contract';
import { delegationLocator, readDelegationId } from './registryAuthItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['containerRegistryAuth'], operation: ['deleteEcrDelegation'] } },
	[delegationLocator],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const id = readDelegationId.call(this, itemIndex);
	await api.containerRegistryAuths.revokeEcrDelegation(id, { itemIndex });
	return { id, deleted: true };
}
