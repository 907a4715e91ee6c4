import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { isDomainError, asNodeError } from '../../api/errors';
import { simplifyOption } from '../common.descriptions';
import { readOptionalFields, updateFields } from './fields';
import {
	duplicateTemplateName,
	readTemplateId,
	templateLocator,
	templateNotFound,
	templateOutput,
} from './templateItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['update'] } },
	[templateLocator, updateFields, simplifyOption],
);

/** Only what the user added under Update Fields changes; the rest of the template stays as it was. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const templateId = readTemplateId.call(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes = readOptionalFields(this.getNode(), itemIndex, fields);
	if (Object.keys(changes).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Update Fields: nothing to change', {
			itemIndex,
			description: 'Add at least one field under Update Fields with its new value.',
		});
	}

	try {
		const updated = await api.templates.update(templateId, changes, { itemIndex });
		const output = templateOutput.call(this, itemIndex, updated);
		return updated.notes?.length ? { ...output, notes: updated.notes } : output;
	} catch (error) {
		if (isDomainError(error, 'NotFound')) throw templateNotFound.call(this, itemIndex, templateId);
		if (changes.name !== undefined && isDomainError(error, 'NameTaken'))
			throw duplicateTemplateName.call(this, itemIndex, changes.name);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}
