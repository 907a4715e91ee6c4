/** /v2/templates: CRUD by id over the shared template rules (names unique, no delete while a pod uses it). */
import type { SandboxContext } from '../context';
import type { TemplateRecord } from '../state';
import { addTemplate, changeTemplate, removeTemplate, requireTemplate } from '../templates';
import { envList, envMap, portList } from './pods';
import { created, noContent, ok } from './route';
import type { RestRoute } from './route';

/** Container disk for a template created without `disk` (the document gives no default; the sandbox's choice). */
const DEFAULT_TEMPLATE_DISK_GB = 20;
const DEFAULT_MOUNT_PATH = '/workspace';

export function restTemplateView(template: TemplateRecord) {
	return {
		id: template.id,
		name: template.name,
		image: template.imageName,
		args: template.dockerArgs,
		disk: template.containerDiskInGb,
		mounts:
			template.volumeInGb > 0
				? {
						persistent: {
							size: template.volumeInGb,
							path: template.volumeMountPath || DEFAULT_MOUNT_PATH,
						},
					}
				: {},
		ports: portList(template.ports),
		env: envMap(template.env.map((e) => `${e.key}=${e.value}`)),
		registry: template.containerRegistryAuthId,
		serverless: template.isServerless,
		public: template.isPublic,
		category: template.category ?? 'NVIDIA',
		startSsh: template.startSsh,
		startJupyter: template.startJupyter,
		allowedCudaVersions: template.allowedCudaVersions ?? [],
	};
}

interface TemplateBody {
	name?: string;
	image?: string;
	args?: string;
	disk?: number;
	env?: Record<string, string>;
	ports?: string[];
	registry?: string | null;
	allowedCudaVersions?: string[];
	category?: 'NVIDIA' | 'AMD' | 'CPU';
	mounts?: { persistent?: { size: number; path: string } };
	public?: boolean;
	serverless?: boolean;
	startJupyter?: boolean;
	startSsh?: boolean;
}

/** The body's fields in the record's words; absent fields stay undefined (PATCH leaves them alone). */
function recordFields(body: TemplateBody): Partial<Omit<TemplateRecord, 'id'>> {
	const fields: Partial<Omit<TemplateRecord, 'id'>> = {
		name: body.name,
		imageName: body.image,
		dockerArgs: body.args,
		containerDiskInGb: body.disk,
		env: body.env ? envList(body.env) : undefined,
		ports: body.ports?.join(','),
		containerRegistryAuthId: body.registry,
		allowedCudaVersions: body.allowedCudaVersions,
		category: body.category,
		isPublic: body.public,
		isServerless: body.serverless,
		startJupyter: body.startJupyter,
		startSsh: body.startSsh,
	};
	if (body.mounts) {
		fields.volumeInGb = body.mounts.persistent?.size ?? 0;
		if (body.mounts.persistent) fields.volumeMountPath = body.mounts.persistent.path;
	}
	return fields;
}

function createTemplate(ctx: SandboxContext, body: TemplateBody): TemplateRecord {
	const fields = recordFields(body);
	return addTemplate(ctx, {
		name: body.name as string,
		imageName: body.image as string,
		containerDiskInGb: fields.containerDiskInGb ?? DEFAULT_TEMPLATE_DISK_GB,
		volumeInGb: fields.volumeInGb ?? 0,
		volumeMountPath: fields.volumeMountPath ?? DEFAULT_MOUNT_PATH,
		dockerArgs: fields.dockerArgs ?? '',
		env: fields.env ?? [],
		ports: fields.ports ?? '',
		isServerless: fields.isServerless ?? false,
		isPublic: fields.isPublic ?? false,
		// REST's defaults differ from GraphQL's saveTemplate: both flags default to true (docs/runpod-rest-v2-notes.md §3).
		startSsh: fields.startSsh ?? true,
		startJupyter: fields.startJupyter ?? true,
		readme: '',
		containerRegistryAuthId: fields.containerRegistryAuthId ?? null,
		category: fields.category ?? 'NVIDIA',
		allowedCudaVersions: fields.allowedCudaVersions ?? [],
	});
}

export const templateRoutes: RestRoute[] = [
	{
		operationId: 'listTemplates',
		handle: ({ ctx }) => ok({ templates: ctx.state.templates.map(restTemplateView) }),
	},
	{
		operationId: 'getTemplate',
		handle: ({ ctx, params }) =>
			ok(restTemplateView(requireTemplate(ctx.state, String(params.id)))),
	},
	{
		operationId: 'createTemplate',
		handle: ({ ctx, body }) => created(restTemplateView(createTemplate(ctx, body as TemplateBody))),
	},
	{
		operationId: 'updateTemplate',
		handle: ({ ctx, params, body }) =>
			ok(
				restTemplateView(
					changeTemplate(ctx, String(params.id), recordFields(body as TemplateBody)),
				),
			),
	},
	{
		operationId: 'deleteTemplate',
		handle: ({ ctx, params }) => {
			removeTemplate(ctx, requireTemplate(ctx.state, String(params.id)));
			return noContent();
		},
	},
];
