import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { isDomainError, asNodeError } from '../../api/errors';
import { simplifyOption } from '../common.descriptions';
import type { PodTemplate, TemplateInput } from '../../api/types';
import { createOperation } from '../creates';
import { createAttempt, earlierCreateAmong, markUnsettled } from '../createAttempt';
import { createFields, readCreateInput } from './fields';
import { duplicateTemplateName, templateOutput } from './templateItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['create'] } },
	[...createFields, simplifyOption],
);

function prepare(this: IExecuteFunctions, itemIndex: number): TemplateInput {
	return readCreateInput.call(this, itemIndex);
}

/** Whether a saved template is the one this input creates (templates carry no marker). */
function isTemplateOf(template: PodTemplate, input: TemplateInput): boolean {
	return (
		template.name === input.name &&
		template.imageName === input.imageName &&
		(template.containerDiskInGb ?? input.containerDiskInGb) === input.containerDiskInGb &&
		(template.isServerless ?? input.isServerless) === input.isServerless
	);
}

async function run(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	input: TemplateInput,
): Promise<IDataObject> {
	const attempt = createAttempt.call(this, itemIndex, 'template');
	const existing = await api.templates.list({ itemIndex });
	// n8n's Retry On Fail: an earlier run of this item sent the create after checking the name
	// was free; a template that was not there then and has this name and settings is its own.
	const earlier = earlierCreateAmong(
		this,
		attempt,
		itemIndex,
		existing,
		(t) => isTemplateOf(t, input),
		{ resource: 'template', described: `named "${input.name}"` },
	);
	if (earlier) return { ...templateOutput.call(this, itemIndex, earlier), recovered: true };
	// RunPod refuses a second template with the same name; say so before trying.
	if (existing.some((template) => template.name === input.name))
		throw duplicateTemplateName.call(this, itemIndex, input.name);
	attempt.markSent({ existingIds: existing.map((t) => t.id) });
	try {
		const { template, recovered, notes } = await api.templates.create(input, { itemIndex });
		const output = templateOutput.call(this, itemIndex, template);
		if (notes?.length) output.notes = notes;
		return recovered ? { ...output, recovered: true } : output;
	} catch (error) {
		if (isDomainError(error, 'Unsettled')) markUnsettled(attempt, error);
		if (isDomainError(error, 'NameTaken'))
			throw duplicateTemplateName.call(this, itemIndex, input.name);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}

export const { execute, executeBatch } = createOperation({ prepare, run });

/** Templates cost nothing themselves; named anyway, so nothing the node made goes unmentioned. */
export function billed(output: IDataObject): string | undefined {
	return typeof output.id === 'string' ? `template ${output.id}` : undefined;
}
