import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runpodApi } from '../../api';
import { isDomainError } from '../../api/errors';
import { asNodeError } from '../../transport/errors';
import { simplifyOption } from '../common.descriptions';
import { createAttempt } from '../rerun';
import { createFields, readCreateInput } from './fields';
import { duplicateTemplateName, templateOutput } from './shared';

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['create'] } },
	[...createFields, simplifyOption],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const input = readCreateInput.call(this, itemIndex);
	const attempt = createAttempt.call(this, itemIndex, 'template');
	const api = await runpodApi(this);
	const existing = await api.templates.list({ itemIndex });
	// n8n's Retry On Fail: an earlier run of this item sent the create after checking the name was free.
	const earlier =
		attempt.sentBefore &&
		existing.find((t) => t.name === input.name && t.imageName === input.imageName);
	if (earlier) return { ...templateOutput.call(this, itemIndex, earlier), recovered: true };
	// RunPod refuses a second template with the same name; say so before trying.
	if (existing.some((template) => template.name === input.name))
		throw duplicateTemplateName.call(this, itemIndex, input.name);
	attempt.markSent();
	try {
		const { template, recovered } = await api.templates.create(input, { itemIndex });
		const output = templateOutput.call(this, itemIndex, template);
		return recovered ? { ...output, recovered: true } : output;
	} catch (error) {
		if (isDomainError(error, 'NameTaken'))
			throw duplicateTemplateName.call(this, itemIndex, input.name);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}
