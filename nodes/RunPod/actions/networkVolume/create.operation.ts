import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { isDomainError, asNodeError } from '../../api/errors';
import type { CreateNetworkVolumeInput } from '../../api/types';
import { createOperation } from '../creates';
import { checkNumber, checkText, describeValue, invalidParameter } from '../../helpers/validation';
import { createAttempt, earlierCreateAmong, markUnsettled } from '../createAttempt';
import { MAX_VOLUME_GB, volumeOutput } from './volumeItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['networkVolume'], operation: ['create'] } },
	[
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. models',
			description: 'A name to recognise the volume by',
		},
		{
			displayName: 'Size (GB)',
			name: 'size',
			type: 'number',
			default: 50,
			required: true,
			typeOptions: { minValue: 1, maxValue: MAX_VOLUME_GB },
			description: 'Storage is billed per GB per month. A volume can grow later but never shrink.',
		},
		{
			displayName: 'Data Center Name or ID',
			name: 'dataCenterId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getStorageDataCenters' },
			default: '',
			required: true,
			description:
				'Where the volume lives; pods using it run in this data center on Secure Cloud. Only data centers that support network volumes are listed. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'If the Name Is Taken',
			name: 'ifNameTaken',
			type: 'options',
			default: 'createAnother',
			options: [
				{
					name: 'Create Another',
					value: 'createAnother',
					description:
						'Create a new volume even when one with this name exists in this data center (RunPod allows it; each is billed)',
				},
				{
					name: 'Return the Existing Volume',
					value: 'returnExisting',
					description:
						'Return the volume with this name in this data center instead of creating one, so running the workflow again never buys a second volume',
				},
			],
			description:
				'What to do when a volume with this name already exists in this data center. Return the Existing Volume makes the step safe to repeat (a re-queued execution, an AI agent calling it twice).',
		},
	],
);

interface VolumeCreate {
	input: CreateNetworkVolumeInput;
	/** Return a volume with this name in this data center instead of creating one. */
	returnExisting: boolean;
}

function prepare(this: IExecuteFunctions, itemIndex: number): VolumeCreate {
	const node = this.getNode();
	const ifNameTaken = this.getNodeParameter('ifNameTaken', itemIndex, 'createAnother');
	if (ifNameTaken !== 'createAnother' && ifNameTaken !== 'returnExisting') {
		throw invalidParameter(
			node,
			itemIndex,
			'If the Name Is Taken',
			`expected createAnother or returnExisting, got ${describeValue(ifNameTaken)}`,
			'Choose Create Another or Return the Existing Volume.',
		);
	}
	return {
		input: readInput.call(this, itemIndex),
		returnExisting: ifNameTaken === 'returnExisting',
	};
}

function readInput(this: IExecuteFunctions, itemIndex: number): CreateNetworkVolumeInput {
	const node = this.getNode();
	return {
		name: checkText(
			node,
			itemIndex,
			'Name',
			this.getNodeParameter('name', itemIndex, ''),
			'Enter a name for the network volume.',
		),
		size: checkNumber(node, itemIndex, 'Size (GB)', this.getNodeParameter('size', itemIndex, 0), {
			min: 1,
			max: MAX_VOLUME_GB,
			integer: true,
		}),
		dataCenterId: checkText(
			node,
			itemIndex,
			'Data Center',
			this.getNodeParameter('dataCenterId', itemIndex, ''),
			'Choose a data center that supports network volumes, such as EU-RO-1.',
		),
	};
}

/**
 * Volumes have no field for a marker: only "absent before the create, exactly one after" proves
 * a volume is this item's (a same-named volume of another execution is never adopted).
 */
async function run(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	{ input, returnExisting }: VolumeCreate,
): Promise<IDataObject> {
	const attempt = createAttempt.call(this, itemIndex, 'volume');
	const before = await api.networkVolumes.list({ itemIndex });
	// n8n's Retry On Fail: the volume an earlier run of this item created, if it is there.
	const earlier = earlierCreateAmong(
		this,
		attempt,
		itemIndex,
		before,
		(v) => v.name === input.name && v.dataCenterId === input.dataCenterId && v.size === input.size,
		{
			resource: 'network volume',
			described: `named "${input.name}", ${input.size} GB in ${input.dataCenterId}`,
		},
	);
	if (earlier) return { ...volumeOutput(earlier), recovered: true };
	if (returnExisting) {
		const existing = before.filter(
			(v) => v.name === input.name && v.dataCenterId === input.dataCenterId,
		);
		if (existing.length > 1) {
			throw new NodeOperationError(
				this.getNode(),
				`${existing.length} network volumes are named "${input.name}" in ${input.dataCenterId}: ${existing.map((v) => v.id).join(', ')}`,
				{
					itemIndex,
					description:
						'Return the Existing Volume needs exactly one to return. Rename or delete the others (Network Volume → Update, Delete), or read the one you want with Network Volume → Get.',
				},
			);
		}
		if (existing.length === 1) return { ...volumeOutput(existing[0]), existed: true };
	}
	const existingIds = before.map((v) => v.id);
	attempt.markSent({ existingIds });
	try {
		const { volume, recovered } = await api.networkVolumes.create(input, {
			itemIndex,
			existingIds,
		});
		return recovered ? { ...volumeOutput(volume), recovered: true } : volumeOutput(volume);
	} catch (error) {
		if (isDomainError(error, 'Unsettled')) markUnsettled(attempt, error);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}

export const { execute, executeBatch } = createOperation({ prepare, run });

export function billed(output: IDataObject): string | undefined {
	return typeof output.id === 'string' ? `network volume ${output.id}` : undefined;
}
