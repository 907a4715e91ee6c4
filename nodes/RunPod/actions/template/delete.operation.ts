import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as templates from '../../api/templates';
import { readTemplateId, templateLocator, templateNotFound } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['template'], operation: ['delete'] } }, [
	{
		displayName: 'Deleting a template cannot be undone. Pods already created from it keep running.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	templateLocator,
]);

/** RunPod deletes templates by name: the node looks the name up from the chosen template. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const templateId = readTemplateId.call(this, itemIndex);
	const template = await templates.get(this, templateId, { itemIndex });
	if (!template?.name) throw templateNotFound.call(this, itemIndex, templateId);
	await templates.remove(this, template.name, { itemIndex });
	return { id: template.id, name: template.name, deleted: true };
}
