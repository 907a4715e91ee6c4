import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api/contract';
import { asNodeError, isDomainError } from '../../api/errors';
import type {
	CreateContainerRegistryAuthInput,
	CreatedContainerRegistryAuth,
} from '../../api/registries.types';
import { checkText, invalidParameter } from '../../helpers/validation';
import { createAttempt, earlierCreateAmong, markUnsettled } from '../createAttempt';
import { registryAuthOutput } from './registryAuthItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['containerRegistryAuth'], operation: ['create'] } },
	[
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. dockerhub-private',
			description: 'A name to recognise the credentials by when a pod or template uses them',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. my-docker-user',
			description: 'The user name at the registry (Docker Hub, GHCR, a private registry…)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The password or access token at the registry. Write-only: RunPod never gives it back, and the node never puts it in an output or an error.',
		},
	],
);

function prepare(this: IExecuteFunctions, itemIndex: number): CreateContainerRegistryAuthInput {
	const node = this.getNode();
	const password = this.getNodeParameter('password', itemIndex, '');
	if (typeof password !== 'string' || password === '') {
		// Never echo what an expression gave: it may be the secret itself.
		throw invalidParameter(
			node,
			itemIndex,
			'Password',
			'is empty or not text',
			'Enter the registry password or access token.',
		);
	}
	return {
		name: checkText(
			node,
			itemIndex,
			'Name',
			this.getNodeParameter('name', itemIndex, ''),
			'Enter a name for the container registry credentials.',
		),
		username: checkText(
			node,
			itemIndex,
			'Username',
			this.getNodeParameter('username', itemIndex, ''),
			'Enter the user name at the registry.',
		),
		password,
	};
}

/**
 * Credentials have no field for a marker: only "absent before the create, with this name" proves
 * a credential is this item's (one of the same name made elsewhere is never adopted).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const input = prepare.call(this, itemIndex);
	const attempt = createAttempt.call(this, itemIndex, 'registryAuth');
	const before = await api.containerRegistryAuths.list({ itemIndex });
	// n8n's Retry On Fail: the credential an earlier run of this item created, if it is there.
	const earlier = earlierCreateAmong(
		this,
		attempt,
		itemIndex,
		before,
		(r) => r.name === input.name,
		{ resource: 'container registry auth', described: `named "${input.name}"` },
	);
	if (earlier) return { ...registryAuthOutput(earlier), recovered: true };
	const existingIds = before.map((r) => r.id);
	attempt.markSent({ existingIds });
	let created: CreatedContainerRegistryAuth;
	try {
		created = await api.containerRegistryAuths.create(input, { itemIndex, existingIds });
	} catch (error) {
		// An unsettled create is remembered, so that Retry On Fail does not send it again.
		if (isDomainError(error, 'Unsettled')) markUnsettled(attempt, error);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
	const { registryAuth, recovered } = created;
	return recovered
		? { ...registryAuthOutput(registryAuth), recovered: true }
		: registryAuthOutput(registryAuth);
}
