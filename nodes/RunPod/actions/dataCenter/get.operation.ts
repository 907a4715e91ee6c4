import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { checkText } from '../../helpers/validation';
import { dataCenterOutput } from './getAll.operation';

export const description = updateDisplayOptions(
	{ show: { resource: ['dataCenter'], operation: ['get'] } },
	[
		{
			displayName: 'Data Center',
			name: 'dataCenterId',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: true,
			description: 'The data center to read, with the stock of each GPU type there',
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: 'Select a data center...',
					typeOptions: { searchListMethod: 'searchDataCenters', searchable: true },
				},
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: 'e.g. EU-RO-1',
					validation: [
						{
							type: 'regex',
							properties: {
								regex: '^\\s*[A-Za-z0-9-]+\\s*$',
								errorMessage: 'A data center ID has only letters, digits and dashes, e.g. EU-RO-1',
							},
						},
					],
				},
			],
		},
	],
);

/** One data center: network volume support and the stock of each GPU type there right now. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const dataCenterId = checkText(
		this.getNode(),
		itemIndex,
		'Data Center',
		this.getNodeParameter('dataCenterId', itemIndex, '', { extractValue: true }),
		'Choose a data center from the list, or enter its ID (e.g. EU-RO-1).',
	);
	const dc = await api.dataCenters.get(dataCenterId, { itemIndex });
	if (!dc) {
		throw new NodeOperationError(
			this.getNode(),
			`The data center "${dataCenterId}" was not found`,
			{
				itemIndex,
				description:
					'RunPod has no data center with this ID. Check the ID (e.g. EU-RO-1), or list them with Data Center → Get Many.',
			},
		);
	}
	return dataCenterOutput(dc);
}
