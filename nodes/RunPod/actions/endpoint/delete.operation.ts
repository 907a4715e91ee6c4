import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { toInput } from '../../api/endpoints';
import { endpointLocator, endpointNotFound, readEndpointId } from './endpointFields';

export const description = updateDisplayOptions(
	{ show: { resource: ['endpoint'], operation: ['delete'] } },
	[
		endpointLocator,
		{
			displayName: 'Scale to Zero First',
			name: 'scaleToZeroFirst',
			type: 'boolean',
			default: false,
			description:
				'Whether to set Min and Max Workers to 0 before deleting. RunPod refuses to delete an endpoint whose workers are above zero.',
		},
	],
);

/**
 * Deletes an endpoint for good. RunPod also deletes the template bound to it and cancels its
 * queued and running jobs. Safe to rerun: an endpoint already gone is reported as such.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const endpointId = readEndpointId.call(this, itemIndex);
	const endpoint = await api.endpoints.get(endpointId, { itemIndex });
	if (!endpoint) throw endpointNotFound.call(this, itemIndex, endpointId);
	const scaled = endpoint.workersMin > 0 || endpoint.workersMax > 0;
	if (scaled) {
		if (this.getNodeParameter('scaleToZeroFirst', itemIndex, false) !== true) {
			throw new NodeOperationError(
				this.getNode(),
				`Scale to Zero First: the endpoint "${endpoint.name}" still has workers (min ${endpoint.workersMin}, max ${endpoint.workersMax})`,
				{
					itemIndex,
					description:
						"RunPod's GraphQL API refuses to delete an endpoint whose workers are above zero, and the node asks the same on REST v2. Turn on Scale to Zero First, or set Min and Max Workers to 0 with Endpoint → Update, then delete again. Nothing was changed.",
				},
			);
		}
		await api.endpoints.update(
			endpointId,
			{ ...toInput(endpoint), workersMin: 0, workersMax: 0 },
			{ itemIndex },
		);
	}
	await api.endpoints.remove(endpointId, { itemIndex });
	return {
		id: endpointId,
		name: endpoint.name,
		deleted: true,
		scaledToZeroFirst: scaled,
		deletedTemplateId: endpoint.templateId,
		note: 'RunPod deleted the endpoint, the template bound to it, and cancelled its queued and running jobs.',
	};
}
