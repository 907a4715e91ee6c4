import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as templates from '../../api/templates';
import { asNodeError, failureOf } from '../../transport/errors';
import { simplifyOption } from '../common.descriptions';
import { createFields, readCreateInput } from './fields';
import { DUPLICATE_NAME_PATTERN, duplicateTemplateName, templateOutput } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['template'], operation: ['create'] } }, [
	...createFields,
	simplifyOption,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const input = readCreateInput.call(this, itemIndex);
	// RunPod refuses a second template with the same name; say so before trying.
	const existing = await templates.list(this, { itemIndex });
	if (existing.some((template) => template.name === input.name)) throw duplicateTemplateName.call(this, itemIndex, input.name);
	try {
		return templateOutput.call(this, itemIndex, await templates.create(this, input, { itemIndex }));
	} catch (error) {
		const failure = failureOf(error);
		if (failure?.kind === 'graphql' && DUPLICATE_NAME_PATTERN.test(failure.messages[0] ?? '')) {
			throw duplicateTemplateName.call(this, itemIndex, input.name);
		}
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}

