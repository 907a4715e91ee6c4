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

type OptionalFields = Omit<TemplateRecord, 'id' | 'name' | 'imageName' | 'containerDiskInGb' | 'volumeInGb'>;

/** What an optional field becomes when a save leaves it out: a save is not a patch. */
function optionalFields(input: SaveTemplateInput): OptionalFields {
	return {
		volumeMountPath: input.volumeMountPath ?? '/workspace',
		dockerArgs: input.dockerArgs ?? '',
		env: (input.env ?? []).filter((e): e is EnvInput => e !== null).map((e) => ({ key: e.key, value: e.value })),
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
	if (state.templates.some((t) => t.name === name && t.id !== exceptId)) throw new RunPodError(SandboxMessages.templateNameNotUnique);
}

export function saveTemplate(ctx: SandboxContext, input: SaveTemplateInput | null | undefined): TemplateRecord {
	if (!input) throw new RunPodError(SandboxMessages.inputRequired('saveTemplate'));
	const { state } = ctx;

	if (input.id) {
		const existing = state.templates.find((t) => t.id === input.id);
		if (!existing) throw new RunPodError(SandboxMessages.templateNotFound);
		const name = input.name ?? existing.name;
		assertNameFree(state, name, existing.id);
		Object.assign(existing, {
			name,
			imageName: input.imageName ?? existing.imageName,
			containerDiskInGb: input.containerDiskInGb ?? existing.containerDiskInGb,
			volumeInGb: input.volumeInGb ?? existing.volumeInGb,
			...optionalFields(input),
		});
		return existing;
	}

	const required = { name: input.name, imageName: input.imageName, containerDiskInGb: input.containerDiskInGb, volumeInGb: input.volumeInGb };
	for (const [field, value] of Object.entries(required)) {
		if (value === null || value === undefined || value === '') throw new RunPodError(SandboxMessages.templateFieldRequired(field));
	}
	// RunPod fails a create without dockerArgs with its generic message (pulumi-runpod-native #18).
	if (input.dockerArgs === null || input.dockerArgs === undefined) throw new RunPodError(RunPodMessages.somethingWentWrong);
	assertNameFree(state, input.name as string);

	const template: TemplateRecord = {
		id: ctx.random.id(10),
		name: input.name as string,
		imageName: input.imageName as string,
		containerDiskInGb: input.containerDiskInGb as number,
		volumeInGb: input.volumeInGb as number,
		...optionalFields(input),
	};
	state.templates.push(template);
	return template;
}

export function deleteTemplate(ctx: SandboxContext, templateName: string | null | undefined): null {
	const { state } = ctx;
	const template = state.templates.find((t) => t.name === templateName);
	if (!template) throw new RunPodError(SandboxMessages.templateNotFound);
	if (state.pods.some((pod) => pod.templateId === template.id)) throw new RunPodError(SandboxMessages.templateInUse(template.name));
	state.templates = state.templates.filter((t) => t !== template);
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
		category: 'NVIDIA',
		earned: 0,
		runtimeInMin: 0,
		config: null,
	};
}
