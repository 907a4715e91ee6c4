import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { podLocator, simplifyOption } from '../common.descriptions';
import { podOutput, readPodId } from './podItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['restart'] } },
	[podLocator, simplifyOption],
);

/**
 * Restarts a running pod's container. When RunPod's answer is lost the restart is not sent
 * again (it would interrupt the pod twice): the node looks for it and, when it cannot see it,
 * says the pod may still restart.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const podId = readPodId.call(this, itemIndex);
	return podOutput.call(this, itemIndex, await api.pods.restart(podId, { itemIndex }));
}
