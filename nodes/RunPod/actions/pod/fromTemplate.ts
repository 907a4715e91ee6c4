import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { PodSpec } from './create.fields';

/**
 * RunPod replaces a template's whole environment with the `env` a create sends, and the node
 * always sends one (its create marker). So the template's variables are read and sent along,
 * with the user's variables added (a name the template has takes the user's value).
 * Checks, before anything is rented, that the template exists.
 */
export async function withTemplateEnvironment(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	spec: PodSpec,
): Promise<PodSpec> {
	if (!spec.templateId) return spec;
	const template = await api.templates.get(spec.templateId, { itemIndex });
	if (!template) {
		throw new NodeOperationError(
			this.getNode(),
			`The template "${spec.templateId}" was not found`,
			{
				itemIndex,
				description:
					'Nothing was rented. Choose a template from the list, or create one with Template → Create.',
			},
		);
	}
	const userEnv = spec.env ?? [];
	const templateEnv = (template.env ?? [])
		.filter((variable) => variable?.key && !userEnv.some((own) => own.key === variable.key))
		.map((variable) => ({ key: variable.key, value: variable.value ?? '' }));
	return { ...spec, env: [...templateEnv, ...userEnv] };
}
