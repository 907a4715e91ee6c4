import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api/contract';
import { sshKeyOutput } from './sshKeys';

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['getSshKeys'] } },
	[],
);

/** One item per key, in RunPod's order. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	return (await api.account.getSshKeys({ itemIndex })).map(sshKeyOutput);
}
