import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { checkText } from '../../helpers/validation';
import { simplifyOption } from '../common.descriptions';
import { clusterLocator, clusterOutput, readClusterId } from './clusterItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['cluster'], operation: ['update'] } },
	[
		clusterLocator,
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. trainer-v2',
			description:
				"The cluster's new name. RunPod lets a cluster change only its name: its GPUs, pods and container are fixed at creation.",
		},
		simplifyOption,
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const clusterId = readClusterId.call(this, itemIndex);
	const name = checkText(
		this.getNode(),
		itemIndex,
		'Name',
		this.getNodeParameter('name', itemIndex, ''),
		"Enter the cluster's new name.",
	);
	// NotFound comes from the api layer with its own words.
	return clusterOutput.call(
		this,
		itemIndex,
		await api.clusters.rename(clusterId, name, { itemIndex }),
	);
}
