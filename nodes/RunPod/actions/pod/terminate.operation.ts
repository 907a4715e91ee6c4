import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runpodApi } from '../../api';
import { isDomainError } from '../../api/errors';
import { asNodeError } from '../../transport/errors';
import { podLocator } from '../common.descriptions';
import { readPodId } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['pod'], operation: ['terminate'] } }, [
	{
		displayName: 'Terminating deletes the pod, its container disk and its pod volume for good. Network volumes are kept.',
		name: 'terminateNotice',
		type: 'notice',
		default: '',
	},
	podLocator,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const podId = readPodId.call(this, itemIndex);
	try {
		await (await runpodApi(this)).pods.terminate(podId, { itemIndex });
	} catch (error) {
		if (isDomainError(error, 'NotFound')) {
			throw new NodeOperationError(this.getNode(), `The pod "${podId}" does not exist: it may already be terminated`, {
				itemIndex,
				description:
					'Nothing was deleted and nothing is billed for this pod. If the workflow may terminate the same pod twice, set the node\'s On Error setting to Continue.',
			});
		}
		throw asNodeError(this.getNode(), error, itemIndex);
	}
	return { id: podId, terminated: true };
}
