import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import type { TemplateInput } from '../../api/types';
import { registryAuthLocator } from '../containerRegistryAuth/registryAuthItem';
import {
	containerDiskField,
	envField,
	podVolumeField,
	portsField,
	volumeMountPathField,
} from '../common.descriptions';
import { locatorValue } from '../../helpers/locator';
import { parseEnv } from '../../helpers/env';
import type { EnvEntry } from '../../helpers/env';
import { parsePorts } from '../../helpers/ports';
import type { PortEntry } from '../../helpers/ports';
import {
	checkNumber,
	checkOptionalText,
	checkText,
	invalidParameter,
} from '../../helpers/validation';

const nameField: INodeProperties = {
	displayName: 'Name',
	name: 'name',
	type: 'string',
	default: '',
	placeholder: 'e.g. comfyui-base',
	description: 'Template names are unique within a RunPod account',
};

const imageField: INodeProperties = {
	displayName: 'Image',
	name: 'imageName',
	type: 'string',
	default: '',
	placeholder: 'e.g. runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
	description: 'The Docker image pods or workers created from this template run',
};

const dockerArgsField: INodeProperties = {
	displayName: 'Docker Arguments',
	name: 'dockerArgs',
	type: 'string',
	default: '',
	placeholder: 'e.g. bash -c "python serve.py"',
	description: "Command that overrides the image's start command; empty keeps the image's own",
};

const publicField: INodeProperties = {
	displayName: 'Public',
	name: 'isPublic',
	type: 'boolean',
	default: false,
	description:
		'Whether every RunPod user can see and use the template (never make a template with secrets public)',
};

const readmeField: INodeProperties = {
	displayName: 'Readme',
	name: 'readme',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	description: 'Markdown shown with the template in the RunPod console',
};

const registryAuthField: INodeProperties = {
	...registryAuthLocator,
	required: false,
	description:
		'Stored credentials to pull a private image with (Container Registry Auth → Create; REST v2 lists them)',
};

const startJupyterField: INodeProperties = {
	displayName: 'Start Jupyter',
	name: 'startJupyter',
	type: 'boolean',
	default: false,
	description:
		'Whether RunPod starts JupyterLab in pods created from the template (expose port 8888/HTTP to reach it)',
};

const startSshField: INodeProperties = {
	displayName: 'Start SSH',
	name: 'startSsh',
	type: 'boolean',
	default: true,
	description:
		'Whether RunPod starts an SSH server in pods created from the template (expose port 22/TCP to reach it)',
};

/** Create's optional fields, alphabetical as n8n lists them. */
const additionalOptions: INodeProperties[] = [
	registryAuthField,
	dockerArgsField,
	envField,
	portsField,
	publicField,
	readmeField,
	startJupyterField,
	startSshField,
];

export const createFields: INodeProperties[] = [
	{ ...nameField, required: true },
	{ ...imageField, required: true },
	{
		displayName: 'Type',
		name: 'templateType',
		type: 'options',
		default: 'pod',
		options: [
			{ name: 'Pod', value: 'pod', description: 'For GPU pods' },
			{
				name: 'Serverless',
				value: 'serverless',
				description: 'For serverless endpoint workers (no pod volume)',
			},
		],
	},
	containerDiskField,
	{ ...podVolumeField, displayOptions: { show: { templateType: ['pod'] } } },
	{ ...volumeMountPathField, displayOptions: { show: { templateType: ['pod'] } } },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: additionalOptions,
	},
];

export const updateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description: 'Only the fields added here change; everything else is kept as it is',
	options: [
		containerDiskField,
		registryAuthField,
		dockerArgsField,
		{
			...envField,
			description:
				"Replaces all the template's variables; add the field with no entries to remove them all",
		},
		imageField,
		nameField,
		podVolumeField,
		{
			...portsField,
			description:
				"Replaces all the template's ports; add the field with no entries to remove them all",
		},
		publicField,
		readmeField,
		startJupyterField,
		startSshField,
		volumeMountPathField,
	],
};

function checkImage(node: INode, itemIndex: number, value: unknown): string {
	const image = checkText(
		node,
		itemIndex,
		'Image',
		value,
		'Enter a Docker image such as runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04.',
	);
	if (/\s/.test(image)) {
		throw invalidParameter(
			node,
			itemIndex,
			'Image',
			`"${image}" contains spaces`,
			'A Docker image name has no spaces, e.g. ubuntu:22.04.',
		);
	}
	return image;
}

function checkMountPath(node: INode, itemIndex: number, value: unknown): string | undefined {
	const path = checkOptionalText(node, itemIndex, 'Volume Mount Path', value);
	if (path !== undefined && !path.startsWith('/')) {
		throw invalidParameter(
			node,
			itemIndex,
			'Volume Mount Path',
			`"${path}" is not an absolute path`,
			'Use a path starting with "/", e.g. /workspace.',
		);
	}
	return path;
}

const diskRule = { max: 4000, integer: true };

/** Reads the optional template fields present in a collection; keys that are absent stay absent. */
export function readOptionalFields(
	node: INode,
	itemIndex: number,
	fields: IDataObject,
): Partial<TemplateInput> {
	const input: Partial<TemplateInput> = {};
	if ('name' in fields) {
		input.name = checkText(
			node,
			itemIndex,
			'Name',
			fields.name,
			'Enter a name for the template, or remove the Name field.',
		);
	}
	if ('imageName' in fields) input.imageName = checkImage(node, itemIndex, fields.imageName);
	if ('containerDiskInGb' in fields) {
		input.containerDiskInGb = checkNumber(
			node,
			itemIndex,
			'Container Disk (GB)',
			fields.containerDiskInGb,
			{ min: 1, ...diskRule },
		);
	}
	if ('volumeInGb' in fields) {
		input.volumeInGb = checkNumber(node, itemIndex, 'Pod Volume (GB)', fields.volumeInGb, {
			min: 0,
			...diskRule,
		});
	}
	if ('volumeMountPath' in fields)
		input.volumeMountPath = checkMountPath(node, itemIndex, fields.volumeMountPath) ?? '';
	if ('dockerArgs' in fields)
		input.dockerArgs =
			checkOptionalText(node, itemIndex, 'Docker Arguments', fields.dockerArgs) ?? '';
	if ('env' in fields) {
		input.env = parseEnv(
			node,
			itemIndex,
			((fields.env as IDataObject | undefined)?.variable ?? []) as EnvEntry[],
		);
	}
	if ('ports' in fields) {
		input.ports = parsePorts(
			node,
			itemIndex,
			((fields.ports as IDataObject | undefined)?.port ?? []) as PortEntry[],
		);
	}
	for (const flag of ['isPublic', 'startSsh', 'startJupyter'] as const) {
		if (typeof fields[flag] === 'boolean') input[flag] = fields[flag] as boolean;
	}
	if ('readme' in fields) input.readme = typeof fields.readme === 'string' ? fields.readme : '';
	if ('containerRegistryAuthId' in fields)
		input.containerRegistryAuthId =
			checkOptionalText(
				node,
				itemIndex,
				'Container Registry Auth',
				locatorValue(fields.containerRegistryAuthId),
			) ?? '';
	return input;
}

/** Reads and checks Create's fields for one item; throws before anything is sent. */
export function readCreateInput(this: IExecuteFunctions, itemIndex: number): TemplateInput {
	const node = this.getNode();
	const isServerless = this.getNodeParameter('templateType', itemIndex, 'pod') === 'serverless';
	const additional = readOptionalFields(
		node,
		itemIndex,
		this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
	);
	const main = readOptionalFields(node, itemIndex, {
		name: this.getNodeParameter('name', itemIndex, ''),
		imageName: this.getNodeParameter('imageName', itemIndex, ''),
		containerDiskInGb: this.getNodeParameter('containerDiskInGb', itemIndex, 20),
		// Serverless workers have no pod volume: RunPod wants 0 there.
		...(isServerless
			? {}
			: {
					volumeInGb: this.getNodeParameter('volumeInGb', itemIndex, 20),
					volumeMountPath: this.getNodeParameter('volumeMountPath', itemIndex, '/workspace'),
				}),
	});
	return {
		name: main.name as string,
		imageName: main.imageName as string,
		containerDiskInGb: main.containerDiskInGb as number,
		volumeInGb: main.volumeInGb ?? 0,
		volumeMountPath: main.volumeMountPath || undefined,
		ports: additional.ports ?? [],
		env: additional.env ?? [],
		dockerArgs: additional.dockerArgs ?? '',
		isServerless,
		isPublic: additional.isPublic ?? false,
		startSsh: additional.startSsh ?? !isServerless,
		startJupyter: additional.startJupyter ?? false,
		readme: additional.readme ?? '',
		containerRegistryAuthId: additional.containerRegistryAuthId || undefined,
	};
}
