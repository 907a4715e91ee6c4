import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { toInput } from '../../api/endpoints';
import {
	applySettings,
	endpointLocator,
	endpointNotFound,
	endpointOutput,
	gpuPoolsField,
	readEndpointId,
	settingFields,
} from './endpointFields';

export const description = updateDisplayOptions(
	{ show: { resource: ['endpoint'], operation: ['update'] } },
	[
		endpointLocator,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: (
				[
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'A new name for the endpoint',
					},
					{ ...gpuPoolsField, default: [] },
					...settingFields,
				] as INodeProperties[]
			).sort((a, b) => a.displayName.localeCompare(b.displayName)),
		},
	],
);

/** Changes the chosen fields and keeps the others (RunPod's save resets what it is not sent, so all are resent). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const endpointId = readEndpointId.call(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	if (Object.keys(fields).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Update Fields: nothing to change', {
			itemIndex,
			description: 'Add at least one field to change under Update Fields.',
		});
	}
	const current = await api.endpoints.get(endpointId, { itemIndex });
	if (!current) throw endpointNotFound.call(this, itemIndex, endpointId);
	const input = applySettings.call(this, itemIndex, toInput(current), fields);
	return await endpointOutput.call(
		this,
		await api.endpoints.update(endpointId, input, { itemIndex }),
	);
}
