import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runpodApi } from '../../api';
import { isDomainError } from '../../api/errors';
import { asNodeError } from '../../transport/errors';
import { simplifyOption } from '../common.descriptions';
import { createFields, readCreateInput } from './fields';
import { duplicateTemplateName, templateOutput } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['template'], operation: ['create'] } }, [
	...createFields,
	simplifyOption,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const input = readCreateInput.call(this, itemIndex);
	// RunPod refuses a second template with the same name; say so before trying.
	const api = await runpodApi(this);
	const existing = await api.templates.list({ itemIndex });
	if (existing.some((template) => template.name === input.name)) throw duplicateTemplateName.call(this, itemIndex, input.name);
	try {
		return templateOutput.call(this, itemIndex, await api.templates.create(input, { itemIndex }));
	} catch (error) {
		if (isDomainError(error, 'NameTaken')) throw duplicateTemplateName.call(this, itemIndex, input.name);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}

