import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ContainerRegistryAuth, EcrDelegation } from '../../api/registries.types';
import { checkText } from '../../helpers/validation';

const ID_PATTERN = '^\\s*[A-Za-z0-9_-]+\\s*$';

/** The credential to act on, or to pull a pod's or template's image with (From List / By ID). */
export const registryAuthLocator: INodeProperties = {
	displayName: 'Container Registry Auth',
	name: 'containerRegistryAuthId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The container registry credentials to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a container registry auth...',
			typeOptions: { searchListMethod: 'searchContainerRegistryAuths', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 6n2k8v4d',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: ID_PATTERN,
						errorMessage: 'A container registry auth ID has only letters, digits, _ and -',
					},
				},
			],
		},
	],
};

export const delegationLocator: INodeProperties = {
	displayName: 'ECR Delegation',
	name: 'delegationId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The ECR delegation to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an ECR delegation...',
			typeOptions: { searchListMethod: 'searchEcrDelegations', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. deleg_abc123',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: ID_PATTERN,
						errorMessage: 'An ECR delegation ID has only letters, digits, _ and -',
					},
				},
			],
		},
	],
};

export function readRegistryAuthId(this: IExecuteFunctions, itemIndex: number): string {
	return checkText(
		this.getNode(),
		itemIndex,
		'Container Registry Auth',
		this.getNodeParameter('containerRegistryAuthId', itemIndex, '', { extractValue: true }),
		'Choose a container registry auth from the list, or enter its ID.',
	);
}

export function readDelegationId(this: IExecuteFunctions, itemIndex: number): string {
	return checkText(
		this.getNode(),
		itemIndex,
		'ECR Delegation',
		this.getNodeParameter('delegationId', itemIndex, '', { extractValue: true }),
		'Choose an ECR delegation from the list, or enter its ID.',
	);
}

/** RunPod gives back only the ID and the name: the username and password are write-only. */
export function registryAuthOutput(registry: ContainerRegistryAuth): IDataObject {
	return { id: registry.id, name: registry.name };
}

export function delegationOutput(delegation: EcrDelegation): IDataObject {
	return { ...delegation };
}
