import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runpodApi } from '../../api';
import { simplifyOption } from '../common.descriptions';
import { readTemplateId, templateLocator, templateNotFound, templateOutput } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['template'], operation: ['get'] } }, [
	templateLocator,
	simplifyOption,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const templateId = readTemplateId.call(this, itemIndex);
	const template = await (await runpodApi(this)).templates.get(templateId, { itemIndex });
	if (!template) throw templateNotFound.call(this, itemIndex, templateId);
	return templateOutput.call(this, itemIndex, template);
}
