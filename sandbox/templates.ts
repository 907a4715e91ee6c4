/** Pod templates: saveTemplate (create, or a full replace with id) and deleteTemplate by name. */
import { RunPodError } from './context';
import type { SandboxContext } from './context';
import { RunPodMessages, SandboxMessages } from './messages';
import type { EnvInput } from './pods';
import type { SandboxState, TemplateRecord } from './state';

export interface SaveTemplateInput {
	id?: string | null;
	name?: string | null;
	imageName?: string | null;
	containerDiskInGb?: number | null;
	volumeInGb?: number | null;
	volumeMountPath?: string | null;
	dockerArgs?: string | null;
	env?: Array<EnvInput | null> | null;
	ports?: string | null;
	isServerless?: boolean | null;
	isPublic?: boolean | null;
	startSsh?: boolean | null;
	startJupyter?: boolean | null;
	readme?: string | null;
	containerRegistryAuthId?: string | null;
}

type OptionalFields = Omit<
	TemplateRecord,
	'id' | 'name' | 'imageName' | 'containerDiskInGb' | 'volumeInGb'
>;

/** What an optional field becomes when a save leaves it out: a save is not a patch. */
function optionalFields(input: SaveTemplateInput): OptionalFields {
	return {
		volumeMountPath: input.volumeMountPath ?? '/workspace',
		dockerArgs: input.dockerArgs ?? '',
		env: (input.env ?? [])
			.filter((e): e is EnvInput => e !== null)
			.map((e) => ({ key: e.key, value: e.value })),
		ports: (input.ports ?? '').replace(/\s+/g, ''),
		isServerless: input.isServerless ?? false,
		isPublic: input.isPublic ?? false,
		startSsh: input.startSsh ?? true,
		startJupyter: input.startJupyter ?? false,
		readme: input.readme ?? '',
		containerRegistryAuthId: input.containerRegistryAuthId ?? null,
	};
}

function assertNameFree(state: SandboxState, name: string, exceptId?: string): void {
	if (state.templates.some((t) => t.name === name && t.id !== exceptId))
		throw new RunPodError(SandboxMessages.templateNameNotUnique);
}

export function requireTemplate(state: SandboxState, id: string): TemplateRecord {
	const template = state.templates.find((t) => t.id === id);
	if (!template) throw new RunPodError(SandboxMessages.templateNotFound, 'notFound');
	return template;
}

/** Adds a complete template; both faces create through here (names stay unique). */
export function addTemplate(
	ctx: SandboxContext,
	fields: Omit<TemplateRecord, 'id'>,
): TemplateRecord {
	assertNameFree(ctx.state, fields.name);
	const template: TemplateRecord = { id: ctx.random.id(10), ...fields };
	ctx.state.templates.push(template);
	return template;
}

/** Changes only the given fields (REST PATCH; GraphQL's save-with-id passes every field). */
export function changeTemplate(
	ctx: SandboxContext,
	id: string,
	changes: Partial<Omit<TemplateRecord, 'id'>>,
): TemplateRecord {
	const template = requireTemplate(ctx.state, id);
	if (changes.name !== undefined) assertNameFree(ctx.state, changes.name, template.id);
	for (const [field, value] of Object.entries(changes)) {
		if (value !== undefined) (template as unknown as Record<string, unknown>)[field] = value;
	}
	return template;
}

/** Deletes a template no pod uses. */
export function removeTemplate(ctx: SandboxContext, template: TemplateRecord): void {
	const { state } = ctx;
	if (state.pods.some((pod) => pod.templateId === template.id))
		throw new RunPodError(SandboxMessages.templateInUse(template.name));
	state.templates = state.templates.filter((t) => t !== template);
}

export function saveTemplate(
	ctx: SandboxContext,
	input: SaveTemplateInput | null | undefined,
): TemplateRecord {
	if (!input) throw new RunPodError(SandboxMessages.inputRequired('saveTemplate'));
	const { state } = ctx;

	if (input.id) {
		const existing = requireTemplate(state, input.id);
		return changeTemplate(ctx, existing.id, {
			name: input.name ?? existing.name,
			imageName: input.imageName ?? existing.imageName,
			containerDiskInGb: input.containerDiskInGb ?? existing.containerDiskInGb,
			volumeInGb: input.volumeInGb ?? existing.volumeInGb,
			...optionalFields(input),
		});
	}

	const required = {
		name: input.name,
		imageName: input.imageName,
		containerDiskInGb: input.containerDiskInGb,
		volumeInGb: input.volumeInGb,
	};
	for (const [field, value] of Object.entries(required)) {
		if (value === null || value === undefined || value === '')
			throw new RunPodError(SandboxMessages.templateFieldRequired(field));
	}
	// RunPod fails a create without dockerArgs with its generic message (pulumi-runpod-native #18).
	if (input.dockerArgs === null || input.dockerArgs === undefined)
		throw new RunPodError(RunPodMessages.somethingWentWrong);
	return addTemplate(ctx, {
		name: input.name as string,
		imageName: input.imageName as string,
		containerDiskInGb: input.containerDiskInGb as number,
		volumeInGb: input.volumeInGb as number,
		...optionalFields(input),
	});
}

export function deleteTemplate(ctx: SandboxContext, templateName: string | null | undefined): null {
	const template = ctx.state.templates.find((t) => t.name === templateName);
	if (!template) throw new RunPodError(SandboxMessages.templateNotFound, 'notFound');
	removeTemplate(ctx, template);
	return null;
}

export function templateView(template: TemplateRecord) {
	return {
		...template,
		env: template.env.map((e) => ({ ...e })),
		isRunpod: false,
		startScript: null,
		advancedStart: false,
		boundEndpointId: null,
		category: template.category ?? 'NVIDIA',
		earned: 0,
		runtimeInMin: 0,
		config: null,
	};
}
