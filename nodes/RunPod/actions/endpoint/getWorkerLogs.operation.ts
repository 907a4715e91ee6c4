import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { checkNumber, checkText } from '../../helpers/validation';
import { endpointLocator, readEndpointId } from './endpointFields';

/** RunPod sends at most this many past lines. */
const MAX_LINES = 5000;

export const description = updateDisplayOptions(
	{ show: { resource: ['endpoint'], operation: ['getWorkerLogs'] } },
	[
		endpointLocator,
		{
			displayName: 'Worker ID',
			name: 'workerId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 8g3n5t6r',
			description:
				'An active worker of the endpoint: its ID is in the output of Endpoint → Get Workers',
		},
		{
			displayName: 'Lines',
			name: 'lines',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1, maxValue: MAX_LINES },
			description: 'How many of the most recent log lines to return (at most 5000)',
		},
	],
);

/** The worker's most recent log lines: as one text (for a message) and one entry per line. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const node = this.getNode();
	const endpointId = readEndpointId.call(this, itemIndex);
	const workerId = checkText(
		node,
		itemIndex,
		'Worker ID',
		this.getNodeParameter('workerId', itemIndex, ''),
		'Enter the ID of an active worker, from the output of Endpoint → Get Workers.',
	);
	const limit = checkNumber(
		node,
		itemIndex,
		'Lines',
		this.getNodeParameter('lines', itemIndex, 50),
		{
			min: 1,
			max: MAX_LINES,
			integer: true,
		},
	);
	const lines = await api.endpoints.getWorkerLogs(endpointId, workerId, limit, { itemIndex });
	return {
		endpointId,
		workerId,
		lineCount: lines.length,
		text: lines.map((line) => line.line).join('\n'),
		lines: lines as unknown as IDataObject[],
	};
}
