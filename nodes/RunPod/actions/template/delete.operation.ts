import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { isDomainError, asNodeError } from '../../api/errors';
import { readTemplateId, templateLocator, templateNotFound } from './templateItem';

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['delete'] } },
	[
		{
			displayName:
				'Deleting a template cannot be undone. Pods already created from it keep running.',
			name: 'deleteNotice',
			type: 'notice',
			default: '',
		},
		templateLocator,
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const templateId = readTemplateId.call(this, itemIndex);
	try {
		const template = await api.templates.remove(templateId, { itemIndex });
		return { id: template.id, name: template.name, deleted: true };
	} catch (error) {
		if (isDomainError(error, 'NotFound')) throw templateNotFound.call(this, itemIndex, templateId);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}
