import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { PodChanges } from '../../api/pods.types';
import { parseEnv } from '../../helpers/env';
import type { EnvEntry } from '../../helpers/env';
import { parsePorts } from '../../helpers/ports';
import type { PortEntry } from '../../helpers/ports';
import {
	checkNumber,
	checkOptionalText,
	checkText,
	invalidParameter,
} from '../../helpers/validation';
import { envField, podLocator, portsField, simplifyOption } from '../common.descriptions';
import { podOutput, readPodId } from './podItem';

const updateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description: 'Only the fields added here change; the rest of the pod stays as it is',
	options: [
		{
			displayName: 'Container Disk (GB)',
			name: 'containerDiskInGb',
			type: 'number',
			default: 20,
			typeOptions: { minValue: 1 },
			description: 'Scratch disk of the container; wiped whenever the pod stops or restarts',
		},
		{
			displayName: 'Docker Arguments',
			name: 'dockerArgs',
			type: 'string',
			default: '',
			placeholder: 'e.g. bash -c "python serve.py"',
			description: "Command that overrides the image's start command",
		},
		{
			...envField,
			description:
				"Variables to add or change. The pod's other variables (its template's too) are kept unless Replace Environment Variables and Ports is on.",
		},
		{
			displayName: 'Image',
			name: 'imageName',
			type: 'string',
			default: '',
			placeholder: 'e.g. runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
			description: 'The Docker image the pod runs',
		},
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			description: "The pod's new name",
		},
		{
			displayName: 'Pod Volume (GB)',
			name: 'volumeInGb',
			type: 'number',
			default: 20,
			typeOptions: { minValue: 1 },
			description:
				'New size of the pod volume (the pod must have one; a network volume is resized with Network Volume → Update)',
		},
		{
			...portsField,
			description:
				"Ports to add or change (a port the pod has takes the new protocol). The pod's other ports are kept unless Replace Environment Variables and Ports is on.",
		},
		{
			displayName: 'Replace Environment Variables and Ports',
			name: 'replaceEnvAndPorts',
			type: 'boolean',
			default: false,
			description:
				"Whether the pod gets exactly the variables and ports set here, dropping its others (its template's too). The node's own create marker variable is always kept.",
		},
	],
};

const notice: INodeProperties = {
	displayName:
		'A running pod restarts when its image, start command, variables, ports or disks change: the container disk is wiped and running work stops. Needs the REST v2 API.',
	name: 'updateNotice',
	type: 'notice',
	default: '',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['update'] } },
	[podLocator, notice, updateFields, simplifyOption],
);

/** Update Fields → the changes, checked before anything is sent. */
function readChanges(ctx: IExecuteFunctions, itemIndex: number): PodChanges {
	const node = ctx.getNode();
	const fields = ctx.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes: PodChanges = {};
	if (fields.name !== undefined)
		changes.name = checkText(node, itemIndex, 'Name', fields.name, "Enter the pod's new name.");
	if (fields.imageName !== undefined) {
		changes.imageName = checkText(
			node,
			itemIndex,
			'Image',
			fields.imageName,
			'Enter a Docker image, for example runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04.',
		);
		if (/\s/.test(changes.imageName))
			throw invalidParameter(
				node,
				itemIndex,
				'Image',
				`"${changes.imageName}" contains spaces`,
				'A Docker image reference has no spaces, for example ubuntu:22.04.',
			);
	}
	if (fields.dockerArgs !== undefined)
		changes.dockerArgs =
			checkOptionalText(node, itemIndex, 'Docker Arguments', fields.dockerArgs) ?? '';
	if (fields.containerDiskInGb !== undefined)
		changes.containerDiskInGb = checkNumber(
			node,
			itemIndex,
			'Container Disk (GB)',
			fields.containerDiskInGb,
			{
				integer: true,
				min: 1,
			},
		);
	if (fields.volumeInGb !== undefined)
		changes.volumeInGb = checkNumber(node, itemIndex, 'Pod Volume (GB)', fields.volumeInGb, {
			integer: true,
			min: 1,
		});
	if (fields.env !== undefined)
		changes.env = parseEnv(
			node,
			itemIndex,
			((fields.env as IDataObject).variable ?? []) as EnvEntry[],
		);
	if (fields.ports !== undefined)
		changes.ports = parsePorts(
			node,
			itemIndex,
			((fields.ports as IDataObject).port ?? []) as PortEntry[],
		);
	if (fields.replaceEnvAndPorts === true) {
		if (changes.env === undefined && changes.ports === undefined)
			throw invalidParameter(
				node,
				itemIndex,
				'Replace Environment Variables and Ports',
				'is on, but neither Environment Variables nor Ports is set',
				'Add Environment Variables or Ports (an empty list removes them all), or turn the option off.',
			);
		changes.replaceEnvAndPorts = true;
	}
	if (Object.keys(changes).length === 0)
		throw new NodeOperationError(node, 'Update Fields: nothing to change', {
			itemIndex,
			description:
				'Add at least one field under Update Fields with its new value. Nothing was sent to RunPod.',
		});
	return changes;
}

/** PATCH: only what the user set; the pod's own variables and ports are kept (merged) unless asked otherwise. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const podId = readPodId.call(this, itemIndex);
	const changes = readChanges(this, itemIndex);
	return podOutput.call(this, itemIndex, await api.pods.update(podId, changes, { itemIndex }));
}
