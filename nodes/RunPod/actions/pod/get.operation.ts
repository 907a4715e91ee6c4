import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runpodApi } from '../../api';
import { podLocator, simplifyOption } from '../common.descriptions';
import { podNotFound, podOutput, readPodId } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['pod'], operation: ['get'] } }, [
	podLocator,
	simplifyOption,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const podId = readPodId.call(this, itemIndex);
	const pod = await (await runpodApi(this)).pods.get(podId, { itemIndex });
	if (!pod) throw podNotFound.call(this, itemIndex, podId);
	return podOutput.call(this, itemIndex, pod);
}
