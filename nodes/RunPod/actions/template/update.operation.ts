import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as templates from '../../api/templates';
import { asNodeError, failureOf } from '../../transport/errors';
import { simplifyOption } from '../common.descriptions';
import { readOptionalFields, updateFields } from './fields';
import {
	DUPLICATE_NAME_PATTERN,
	duplicateTemplateName,
	readTemplateId,
	templateLocator,
	templateNotFound,
	templateOutput,
} from './shared';

export const description = updateDisplayOptions({ show: { resource: ['template'], operation: ['update'] } }, [
	templateLocator,
	updateFields,
	simplifyOption,
]);

/**
 * RunPod's save replaces the whole template, so the node reads it first and sends every field back:
 * what the user did not add under Update Fields stays as it was.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const templateId = readTemplateId.call(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes = readOptionalFields(this.getNode(), itemIndex, fields);
	if (Object.keys(changes).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Update Fields: nothing to change', {
			itemIndex,
			description: 'Add at least one field under Update Fields with its new value.',
		});
	}

	const all = await templates.list(this, { itemIndex });
	const current = all.find((template) => template.id === templateId);
	if (!current) throw templateNotFound.call(this, itemIndex, templateId);
	if (changes.name !== undefined && all.some((t) => t.id !== templateId && t.name === changes.name)) {
		throw duplicateTemplateName.call(this, itemIndex, changes.name);
	}
	const mountPath = changes.volumeMountPath ?? current.volumeMountPath ?? '';
	if ((changes.volumeInGb ?? current.volumeInGb ?? 0) > 0 && mountPath === '' && !current.isServerless) {
		throw new NodeOperationError(this.getNode(), 'Volume Mount Path: a pod volume needs a mount path', {
			itemIndex,
			description: 'Set Volume Mount Path to an absolute path such as /workspace, or set Pod Volume (GB) to 0.',
		});
	}

	try {
		return templateOutput.call(this, itemIndex, await templates.update(this, current, changes, { itemIndex }));
	} catch (error) {
		const failure = failureOf(error);
		if (failure?.kind === 'graphql' && changes.name !== undefined && DUPLICATE_NAME_PATTERN.test(failure.messages[0] ?? '')) {
			throw duplicateTemplateName.call(this, itemIndex, changes.name);
		}
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}
