import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { podLocator, simplifyOption } from '../common.descriptions';
import { podOutput, readPodId } from './podItem';
import { readWaitSettings, waitForPod, waitOperationOptions } from './waitForPod';
import type { WaitTarget } from './waitForPod';

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['wait'] } },
	[
		podLocator,
		{
			displayName: 'Wait For',
			name: 'waitFor',
			type: 'options',
			default: 'ready',
			options: [
				{
					name: 'Running and Reachable',
					value: 'ready',
					description:
						'The pod runs and every exposed port is mapped; outputs its connection details',
				},
				{ name: 'Stopped', value: 'stopped', description: 'The pod has stopped (status EXITED)' },
				{ name: 'Terminated', value: 'terminated', description: 'The pod no longer exists' },
			],
		},
		waitOperationOptions,
		{ ...simplifyOption, displayOptions: { hide: { waitFor: ['terminated'] } } },
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const podId = readPodId.call(this, itemIndex);
	const target = this.getNodeParameter('waitFor', itemIndex, 'ready') as WaitTarget;
	const settings = readWaitSettings.call(this, itemIndex);
	const { pod, waitedSeconds } = await waitForPod.call(
		this,
		itemIndex,
		api,
		podId,
		target,
		settings,
		true,
	);
	if (!pod) return { id: podId, terminated: true, waitedSeconds };
	return { ...podOutput.call(this, itemIndex, pod), waitedSeconds };
}
