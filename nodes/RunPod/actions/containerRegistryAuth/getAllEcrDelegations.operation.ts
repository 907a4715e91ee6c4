import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api/contract';
import { limitOption, readLimit, returnAllOption } from '../common.descriptions';
import { delegationOutput } from './registryAuthItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['containerRegistryAuth'], operation: ['getAllEcrDelegations'] } },
	[returnAllOption, limitOption],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	const limit = readLimit.call(this, itemIndex);
	const all = await api.containerRegistryAuths.listEcrDelegations({ itemIndex });
	return all.slice(0, limit).map(delegationOutput);
}
