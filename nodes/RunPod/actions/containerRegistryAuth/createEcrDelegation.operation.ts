import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api/contract';
import { asNodeError, isDomainError } from '../../api/errors';
import { ECR_REPOSITORY_ARN } from '../../api/registries.types';
import type { CreateEcrDelegationInput, CreatedEcrDelegation } from '../../api/registries.types';
import { checkOptionalText, checkText, invalidParameter } from '../../helpers/validation';
import { createAttempt, earlierCreateAmong, markUnsettled } from '../createAttempt';
import { delegationOutput } from './registryAuthItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['containerRegistryAuth'], operation: ['createEcrDelegation'] } },
	[
		{
			displayName: 'ECR Repository ARN',
			name: 'resourceArn',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. arn:aws:ecr:us-east-2:123456789012:repository/my-app',
			description:
				'The Amazon ECR repository RunPod may pull images from on your behalf (no AWS keys are stored)',
		},
		{
			displayName: 'Name',
			name: 'delegationName',
			type: 'string',
			default: '',
			placeholder: 'e.g. my-app-images',
			description: 'Optional name to recognise the delegation by',
		},
	],
);

function prepare(this: IExecuteFunctions, itemIndex: number): CreateEcrDelegationInput {
	const node = this.getNode();
	const resourceArn = checkText(
		node,
		itemIndex,
		'ECR Repository ARN',
		this.getNodeParameter('resourceArn', itemIndex, ''),
		'Enter the ARN of an ECR repository, such as arn:aws:ecr:us-east-2:123456789012:repository/my-app.',
	);
	if (!ECR_REPOSITORY_ARN.test(resourceArn)) {
		throw invalidParameter(
			node,
			itemIndex,
			'ECR Repository ARN',
			`"${resourceArn}" is not the ARN of an ECR repository`,
			'Copy the repository ARN from the Amazon ECR console: arn:aws:ecr:<region>:<12-digit account>:repository/<name>.',
		);
	}
	const name = checkOptionalText(
		node,
		itemIndex,
		'Name',
		this.getNodeParameter('delegationName', itemIndex, ''),
	);
	return { resourceArn, ...(name ? { name } : {}) };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const input = prepare.call(this, itemIndex);
	const [, region, , repository] = ECR_REPOSITORY_ARN.exec(input.resourceArn) ?? [];
	const attempt = createAttempt.call(this, itemIndex, 'ecrDelegation');
	const before = await api.containerRegistryAuths.listEcrDelegations({ itemIndex });
	// n8n's Retry On Fail: the delegation an earlier run of this item created, if it is there.
	const earlier = earlierCreateAmong(
		this,
		attempt,
		itemIndex,
		before,
		(d) =>
			d.repository === repository &&
			d.awsRegion === region &&
			(d.name ?? null) === (input.name ?? null),
		{ resource: 'ECR delegation', described: `for ${input.resourceArn}` },
	);
	if (earlier) return { ...delegationOutput(earlier), recovered: true };
	const existingIds = before.map((d) => d.id);
	attempt.markSent({ existingIds });
	let created: CreatedEcrDelegation;
	try {
		created = await api.containerRegistryAuths.createEcrDelegation(input, {
			itemIndex,
			existingIds,
		});
	} catch (error) {
		// An unsettled create is remembered, so that Retry On Fail does not send it again.
		if (isDomainError(error, 'Unsettled')) markUnsettled(attempt, error);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
	const { delegation, recovered } = created;
	return recovered
		? { ...delegationOutput(delegation), recovered: true }
		: delegationOutput(delegation);
}
