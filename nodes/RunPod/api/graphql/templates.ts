import type { IDataObject } from 'n8n-workflow';

import { graphqlRequest, graphqlRequestWithRecovery } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/graphql';
import { decodePorts } from '../../helpers/ports';
import { requireAccount } from './account.guard';
import { encodePorts } from './pods';
import type { PodTemplate, TemplateInput } from '../types';
import { asNodeError } from '../../transport/errors';
import type { CallOptions, TemplatesApi } from '../contract';
import { asDomainError, domainError, NAME_TAKEN_PATTERN } from '../errors';
import { isGraphqlError, retirementGuard } from './failures';
import { restV2OnlyOperation } from './restV2Only';

export const TEMPLATE_FIELDS = `fragment TemplateFields on PodTemplate {
	id name imageName containerDiskInGb volumeInGb volumeMountPath dockerArgs
	env { key value } ports isServerless isPublic startSsh startJupyter readme containerRegistryAuthId
}`;

export const LIST = `query ListTemplates {
	myself { id podTemplates { ...TemplateFields } }
}
${TEMPLATE_FIELDS}`;

// One mutation creates (no id) and updates (with id). An update is not a patch: send every field.
export const SAVE = `mutation SaveTemplate($input: SaveTemplateInput) {
	saveTemplate(input: $input) { ...TemplateFields }
}
${TEMPLATE_FIELDS}`;

// deleteTemplate takes the template's NAME, not its id, and returns the scalar Void: no selection set.
export const DELETE = `mutation DeleteTemplate($templateName: String) {
	deleteTemplate(templateName: $templateName)
}`;

export const documents = { LIST, SAVE, DELETE };

export async function list(
	ctx: RequestContext,
	options: RequestOptions = {},
): Promise<PodTemplate[]> {
	const data = await graphqlRequest<{ myself: { podTemplates: PodTemplate[] | null } | null }>(
		ctx,
		LIST,
		{},
		{ ...options, idempotent: true },
	);
	return (requireAccount(ctx, data.myself, options.itemIndex).podTemplates ?? []).filter(Boolean);
}

/** One of the account's templates, or null. RunPod has no single-template query, so this reads the list. */
export async function get(
	ctx: RequestContext,
	templateId: string,
	options: RequestOptions = {},
): Promise<PodTemplate | null> {
	return (await list(ctx, options)).find((template) => template.id === templateId) ?? null;
}

/** RunPod's saveTemplate input. dockerArgs and env are always sent: RunPod fails without dockerArgs. */
export function saveVariables(input: TemplateInput, id?: string): IDataObject {
	const variables: IDataObject = {
		...(id ? { id } : {}),
		name: input.name,
		imageName: input.imageName,
		containerDiskInGb: input.containerDiskInGb,
		volumeInGb: input.volumeInGb,
		dockerArgs: input.dockerArgs ?? '',
		env: input.env.map(({ key, value }) => ({ key, value })),
		ports: encodePorts(input.ports),
		isServerless: input.isServerless,
		isPublic: input.isPublic,
		startSsh: input.startSsh,
		startJupyter: input.startJupyter,
		readme: input.readme,
	};
	if (input.volumeMountPath) variables.volumeMountPath = input.volumeMountPath;
	if (input.containerRegistryAuthId)
		variables.containerRegistryAuthId = input.containerRegistryAuthId;
	return variables;
}

/** A saved template as a complete input, so an update can send back what it does not change. */
export function templateToInput(template: PodTemplate): TemplateInput {
	return {
		name: template.name ?? '',
		imageName: template.imageName ?? '',
		containerDiskInGb: template.containerDiskInGb ?? 0,
		volumeInGb: template.volumeInGb ?? 0,
		volumeMountPath: template.volumeMountPath ?? undefined,
		ports: decodePorts(template.ports),
		env: (template.env ?? [])
			.filter((e) => e && e.key)
			.map((e) => ({ key: e.key, value: e.value ?? '' })),
		dockerArgs: template.dockerArgs ?? '',
		isServerless: template.isServerless === true,
		isPublic: template.isPublic === true,
		startSsh: template.startSsh === true,
		startJupyter: template.startJupyter === true,
		readme: template.readme ?? '',
		containerRegistryAuthId: template.containerRegistryAuthId ?? undefined,
	};
}

/** Whether a saved template is the one this input creates: its name, image, disk and type. */
function isTemplateOf(template: PodTemplate, input: TemplateInput): boolean {
	return (
		template.name === input.name &&
		template.imageName === input.imageName &&
		(template.containerDiskInGb ?? input.containerDiskInGb) === input.containerDiskInGb &&
		(template.isServerless ?? input.isServerless) === input.isServerless
	);
}

/**
 * Creates a template. Templates carry no marker; names are unique in an account and the caller
 * checked the name was free, so after an ambiguous failure a template with this name and these
 * settings is the one the request made ("absent before, exactly one after"). Never resent.
 */
export async function create(
	ctx: RequestContext,
	input: TemplateInput,
	options: RequestOptions = {},
): Promise<{ template: PodTemplate; recovered: boolean }> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	const { data, recovered } = await graphqlRequestWithRecovery<{ saveTemplate: PodTemplate }>(
		ctx,
		SAVE,
		{ input: saveVariables(input) },
		{ ...options, idempotent: false },
		{
			// The caller checked that no template had this name before sending (names are unique).
			find: async () => {
				const found = (await list(ctx, lookupOptions)).find((t) => isTemplateOf(t, input));
				return found ? { saveTemplate: found } : undefined;
			},
			lookingFor: `a template named "${input.name}" (Template → Get Many)`,
		},
	);
	return { template: data.saveTemplate, recovered };
}

/**
 * Applies `changes` to the template `current`. RunPod's save replaces the whole template, so
 * every field the caller did not change is sent back as it was.
 */
export async function update(
	ctx: RequestContext,
	current: PodTemplate,
	changes: Partial<TemplateInput>,
	options: RequestOptions = {},
): Promise<PodTemplate> {
	const merged: TemplateInput = templateToInput(current);
	for (const [key, value] of Object.entries(changes)) {
		if (value !== undefined)
			(merged as unknown as IDataObject)[key] = value as IDataObject[keyof IDataObject];
	}
	const data = await graphqlRequest<{ saveTemplate: PodTemplate }>(
		ctx,
		SAVE,
		{ input: saveVariables(merged, current.id) },
		{ ...options, idempotent: true },
	);
	return data.saveTemplate;
}

/**
 * Deletes a template by its name (RunPod's only way). RunPod answers a second delete with "not
 * found", so after a lost answer the node checks whether the template is gone instead of resending.
 */
export async function remove(
	ctx: RequestContext,
	templateName: string,
	options: RequestOptions = {},
): Promise<void> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	await graphqlRequestWithRecovery<{ deleteTemplate: null }>(
		ctx,
		DELETE,
		{ templateName },
		{ ...options, idempotent: true },
		{
			find: async () =>
				(await list(ctx, lookupOptions)).some((t) => t.name === templateName)
					? undefined
					: { deleteTemplate: null },
			lookingFor: `the template "${templateName}" in Template → Get Many`,
		},
	);
}

function fromGraphqlTemplate(template: PodTemplate): PodTemplate {
	return { ...template, source: template as unknown as IDataObject };
}

/** Templates on GraphQL, with RunPod's answers as domain errors. */
export function graphqlTemplatesApi(ctx: RequestContext): TemplatesApi {
	const node = ctx.getNode();
	const guard = retirementGuard(node);

	async function findTemplate(
		templateId: string,
		options: CallOptions,
	): Promise<{ all: PodTemplate[]; current: PodTemplate }> {
		const all = await list(ctx, options);
		const current = all.find((template) => template.id === templateId);
		if (!current) {
			throw domainError(
				node,
				{ kind: 'NotFound', resource: 'template', id: templateId },
				`The template "${templateId}" was not found`,
				'Your RunPod account has no template with this ID. Check the ID, or list your templates with Template → Get Many.',
				options.itemIndex,
			);
		}
		return { all, current };
	}

	const nameTaken = (name: string, options: CallOptions, error?: unknown) =>
		error
			? asDomainError(
					node,
					error,
					{ kind: 'NameTaken', resource: 'template', id: name },
					options.itemIndex,
				)
			: domainError(
					node,
					{ kind: 'NameTaken', resource: 'template', id: name },
					`Name: a template called "${name}" already exists`,
					'RunPod template names are unique per account. Choose another name.',
					options.itemIndex,
				);

	return {
		listPublic: restV2OnlyOperation(node, 'Template → Get Many (Source: RunPod Public Catalog)'),
		list: async (options = {}) =>
			await guard(options, async () => (await list(ctx, options)).map(fromGraphqlTemplate)),
		get: async (templateId, options = {}) =>
			await guard(options, async () => {
				const template = await get(ctx, templateId, options);
				return template ? fromGraphqlTemplate(template) : null;
			}),
		create: async (input, options = {}) =>
			await guard(options, async () => {
				try {
					const { template, recovered } = await create(ctx, input, options);
					return { template: fromGraphqlTemplate(template), recovered };
				} catch (error) {
					if (isGraphqlError(error, NAME_TAKEN_PATTERN))
						throw nameTaken(input.name, options, error);
					throw asNodeError(node, error, options.itemIndex);
				}
			}),
		// RunPod's save replaces the whole template: read it, and send back what does not change.
		update: async (templateId, changes, options = {}) =>
			await guard(options, async () => {
				const { all, current } = await findTemplate(templateId, options);
				if (
					changes.name !== undefined &&
					all.some((t) => t.id !== templateId && t.name === changes.name)
				) {
					throw nameTaken(changes.name, options);
				}
				checkMountPath(current, changes, options);
				try {
					return fromGraphqlTemplate(await update(ctx, current, changes, options));
				} catch (error) {
					if (changes.name !== undefined && isGraphqlError(error, NAME_TAKEN_PATTERN))
						throw nameTaken(changes.name, options, error);
					throw asNodeError(node, error, options.itemIndex);
				}
			}),
		// RunPod deletes templates by name: look the name up from the ID.
		remove: async (templateId, options = {}) =>
			await guard(options, async () => {
				const { current } = await findTemplate(templateId, options);
				await remove(ctx, current.name ?? '', options);
				return fromGraphqlTemplate(current);
			}),
	};

	function checkMountPath(
		current: PodTemplate,
		changes: Partial<TemplateInput>,
		options: CallOptions,
	): void {
		const mountPath = changes.volumeMountPath ?? current.volumeMountPath ?? '';
		if (
			(changes.volumeInGb ?? current.volumeInGb ?? 0) > 0 &&
			mountPath === '' &&
			!current.isServerless
		) {
			throw domainError(
				node,
				{ kind: 'InvalidState', resource: 'template', id: current.id, state: 'no mount path' },
				'Volume Mount Path: a pod volume needs a mount path',
				'Set Volume Mount Path to an absolute path such as /workspace, or set Pod Volume (GB) to 0.',
				options.itemIndex,
			);
		}
	}
}
