import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PodTemplate } from '../../api/types';
import { checkText } from '../../helpers/validation';

export const templateLocator: INodeProperties = {
	displayName: 'Template',
	name: 'templateId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The template to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a template...',
			typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. wphkv67a0p',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[A-Za-z0-9]+\\s*$',
						errorMessage: 'A template ID has only letters and digits',
					},
				},
			],
		},
	],
};

export function readTemplateId(this: IExecuteFunctions, itemIndex: number): string {
	return checkText(
		this.getNode(),
		itemIndex,
		'Template',
		this.getNodeParameter('templateId', itemIndex, '', { extractValue: true }),
		'Choose a template from the list, or enter its ID.',
	);
}

export function templateNotFound(
	this: IExecuteFunctions,
	itemIndex: number,
	templateId: string,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), `The template "${templateId}" was not found`, {
		itemIndex,
		description:
			'Your RunPod account has no template with this ID. Check the ID, or list your templates with Template → Get Many.',
	});
}

export function duplicateTemplateName(
	this: IExecuteFunctions,
	itemIndex: number,
	name: string,
): NodeOperationError {
	return new NodeOperationError(
		this.getNode(),
		`Name: a template called "${name}" already exists`,
		{
			itemIndex,
			description:
				'RunPod template names are unique per account. Choose another name, or change the existing template with Template → Update.',
		},
	);
}

/** The flat view: what the template runs and how (at most 10 fields). */
export function simplifyTemplate(template: PodTemplate): IDataObject {
	const env: Record<string, string> = {};
	for (const variable of template.env ?? []) {
		if (variable?.key) env[variable.key] = variable.value ?? '';
	}
	return {
		id: template.id,
		name: template.name,
		type: template.isServerless ? 'serverless' : 'pod',
		imageName: template.imageName,
		containerDiskInGb: template.containerDiskInGb,
		volumeInGb: template.volumeInGb,
		volumeMountPath: template.volumeMountPath,
		ports: template.ports ?? '',
		env,
		isPublic: template.isPublic === true,
	};
}

export function templateOutput(
	this: IExecuteFunctions,
	itemIndex: number,
	template: PodTemplate,
): IDataObject {
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return simplify
		? simplifyTemplate(template)
		: (template.source ?? (template as unknown as IDataObject));
}
