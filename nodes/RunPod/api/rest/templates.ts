import type { IDataObject } from 'n8n-workflow';

import { restGetOrNull, restRequest, restRequestWithRecovery, segment } from '../../transport/rest';
import type { RequestContext, RequestOptions } from '../../transport/request';
import type { PodTemplate, TemplateInput } from '../types';

/** A template as REST v2 returns it. */
export interface RestTemplate {
	id: string;
	name?: string;
	image?: string;
	args?: string;
	disk?: number;
	mounts?: { persistent?: { size?: number; path?: string } };
	ports?: string[];
	env?: Record<string, string>;
	registry?: string | null;
	serverless?: boolean;
	public?: boolean;
	startSsh?: boolean;
	startJupyter?: boolean;
}

export function fromRestTemplate(template: RestTemplate): PodTemplate {
	return {
		id: template.id,
		source: template as unknown as IDataObject,
		name: template.name ?? null,
		imageName: template.image ?? null,
		containerDiskInGb: template.disk ?? null,
		volumeInGb: template.mounts?.persistent?.size ?? 0,
		volumeMountPath: template.mounts?.persistent?.path ?? null,
		dockerArgs: template.args ?? null,
		env: Object.entries(template.env ?? {}).map(([key, value]) => ({ key, value })),
		ports: (template.ports ?? []).join(','),
		isServerless: template.serverless ?? null,
		isPublic: template.public ?? null,
		startSsh: template.startSsh ?? null,
		startJupyter: template.startJupyter ?? null,
		readme: null,
		containerRegistryAuthId: template.registry ?? null,
	};
}

/** The note a create or update carries when its readme was left out (REST v2 templates have none). */
export function readmeNotSaved(what: string): string {
	return `Readme was not saved: RunPod's REST API v2 has no template readme (${what})`;
}

const envMap = (env: TemplateInput['env']) =>
	Object.fromEntries(env.map(({ key, value }) => [key, value]));
const portList = (ports: TemplateInput['ports']) => ports.map((p) => `${p.port}/${p.protocol}`);

/** createTemplate's body. REST defaults startSsh/startJupyter to true, so both are always sent. */
export function createTemplateBody(input: TemplateInput): IDataObject {
	const body: IDataObject = {
		name: input.name,
		image: input.imageName,
		disk: input.containerDiskInGb,
		ports: portList(input.ports),
		env: envMap(input.env),
		args: input.dockerArgs ?? '',
		serverless: input.isServerless,
		public: input.isPublic,
		startSsh: input.startSsh,
		startJupyter: input.startJupyter,
	};
	if (input.volumeInGb > 0)
		body.mounts = {
			persistent: { size: input.volumeInGb, path: input.volumeMountPath || '/workspace' },
		};
	if (input.containerRegistryAuthId) body.registry = input.containerRegistryAuthId;
	return body;
}

/** updateTemplate's body: only what changes. A pod volume needs size and path together (`current` fills the missing one). */
export function updateTemplateBody(
	changes: Partial<TemplateInput>,
	current?: { volumeInGb: number | null; volumeMountPath: string | null },
): IDataObject {
	const body: IDataObject = {};
	if (changes.name !== undefined) body.name = changes.name;
	if (changes.imageName !== undefined) body.image = changes.imageName;
	if (changes.containerDiskInGb !== undefined) body.disk = changes.containerDiskInGb;
	if (changes.ports !== undefined) body.ports = portList(changes.ports);
	if (changes.env !== undefined) body.env = envMap(changes.env);
	if (changes.dockerArgs !== undefined) body.args = changes.dockerArgs;
	if (changes.isServerless !== undefined) body.serverless = changes.isServerless;
	if (changes.isPublic !== undefined) body.public = changes.isPublic;
	if (changes.startSsh !== undefined) body.startSsh = changes.startSsh;
	if (changes.startJupyter !== undefined) body.startJupyter = changes.startJupyter;
	if (changes.containerRegistryAuthId !== undefined)
		body.registry = changes.containerRegistryAuthId;
	if (changes.volumeInGb !== undefined || changes.volumeMountPath !== undefined) {
		const size = changes.volumeInGb ?? current?.volumeInGb ?? 0;
		const path = changes.volumeMountPath || current?.volumeMountPath || '';
		body.mounts = { persistent: { size, path } };
	}
	return body;
}

export async function list(ctx: RequestContext, options: RequestOptions): Promise<RestTemplate[]> {
	const answer = await restRequest<{ templates?: RestTemplate[] }>(
		ctx,
		{ method: 'GET', path: '/v2/templates' },
		{ ...options, idempotent: true },
	);
	return (answer?.templates ?? []).filter(Boolean);
}

/** RunPod's public catalog: one slice (`official`, `verified`, `community`), at most 100 templates. */
export async function listPublic(
	ctx: RequestContext,
	source: string,
	options: RequestOptions,
): Promise<RestTemplate[]> {
	const answer = await restRequest<{ templates?: RestTemplate[] }>(
		ctx,
		{ method: 'GET', path: '/v2/catalog/templates', qs: { source } },
		{ ...options, idempotent: true },
	);
	return (answer?.templates ?? []).filter((template) => template && template.id);
}

/** The template, or null on 404. */
export async function get(
	ctx: RequestContext,
	templateId: string,
	options: RequestOptions,
): Promise<RestTemplate | null> {
	return await restGetOrNull<RestTemplate>(ctx, `/v2/templates/${segment(templateId)}`, options);
}

/** Names are unique per account and the caller checked this one was free: after an ambiguous failure the node looks for it (name and settings), never resends. */
export async function create(
	ctx: RequestContext,
	input: TemplateInput,
	options: RequestOptions,
): Promise<{ template: RestTemplate; recovered: boolean }> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	const { data, recovered } = await restRequestWithRecovery<RestTemplate>(
		ctx,
		{ method: 'POST', path: '/v2/templates', body: createTemplateBody(input) },
		{ ...options, idempotent: false },
		{
			// The caller checked that no template had this name before sending (names are unique).
			find: async () =>
				(await list(ctx, lookupOptions)).find(
					(t) =>
						t.name === input.name &&
						t.image === input.imageName &&
						(t.disk ?? input.containerDiskInGb) === input.containerDiskInGb &&
						(t.serverless ?? input.isServerless) === input.isServerless,
				),
			lookingFor: `a template named "${input.name}" (Template → Get Many)`,
		},
	);
	return { template: data, recovered };
}

/** A real PATCH: setting the same fields twice gives the same template, so it may be retried. */
export async function update(
	ctx: RequestContext,
	templateId: string,
	body: IDataObject,
	options: RequestOptions,
): Promise<RestTemplate> {
	return await restRequest<RestTemplate>(
		ctx,
		{ method: 'PATCH', path: `/v2/templates/${segment(templateId)}`, body },
		{ ...options, idempotent: true },
	);
}

/** Deletes by ID; after a lost answer a template that is gone counts as deleted. */
export async function remove(
	ctx: RequestContext,
	templateId: string,
	options: RequestOptions,
): Promise<void> {
	const lookupOptions: RequestOptions = { itemIndex: options.itemIndex, policy: options.policy };
	await restRequestWithRecovery<unknown>(
		ctx,
		{ method: 'DELETE', path: `/v2/templates/${segment(templateId)}` },
		{ ...options, idempotent: true },
		{
			find: async () =>
				(await get(ctx, templateId, lookupOptions)) === null ? { gone: true } : undefined,
			lookingFor: `the template "${templateId}" in Template → Get Many`,
		},
	);
}
