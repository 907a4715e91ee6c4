import { defineResource } from '../node.type';
import * as create from './create.operation';
import * as createEcrDelegation from './createEcrDelegation.operation';
import * as deleteRegistryAuth from './delete.operation';
import * as deleteEcrDelegation from './deleteEcrDelegation.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getAllEcrDelegations from './getAllEcrDelegations.operation';

/** The Container Registry Auth resource (REST v2 only): credentials for private images, and ECR delegations. */
export const containerRegistryAuth = defineResource({
	name: 'Container Registry Auth',
	default: 'getAll',
	operations: {
		create: {
			name: 'Create',
			action: 'Create a container registry auth',
			description:
				'Store a username and password for a private registry, so pods and templates can pull its images',
			module: create,
		},
		delete: {
			name: 'Delete',
			action: 'Delete a container registry auth',
			description: 'Delete stored registry credentials; refused while a pod uses them',
			module: deleteRegistryAuth,
		},
		get: {
			name: 'Get',
			action: 'Get a container registry auth',
			description:
				'Get stored registry credentials by ID (the name only: the password is write-only)',
			module: get,
		},
		getAll: {
			name: 'Get Many',
			action: 'Get many container registry auths',
			description: 'List your stored registry credentials, one item each',
			module: getAll,
		},
		createEcrDelegation: {
			name: 'Create ECR Delegation',
			action: 'Create an ECR delegation',
			description: 'Let RunPod pull images from an Amazon ECR repository without storing AWS keys',
			module: createEcrDelegation,
		},
		getAllEcrDelegations: {
			name: 'Get Many ECR Delegations',
			action: 'Get many ECR delegations',
			description: 'List your ECR delegations, one item each',
			module: getAllEcrDelegations,
		},
		deleteEcrDelegation: {
			name: 'Delete ECR Delegation',
			action: 'Delete an ECR delegation',
			description: 'Revoke an ECR delegation: RunPod can no longer pull from that repository',
			module: deleteEcrDelegation,
		},
	},
});
