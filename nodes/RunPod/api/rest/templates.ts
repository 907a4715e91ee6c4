import type { IDataObject } from 'n8n-workflow';

import { restGetOrNull, restRequest, restRequestWithRecovery, segment } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/request';
import type { PodTemplate, TemplateInput, UpdatedTemplate } from '../types';
import { asNodeError } from '../../transport/errors';
import type { CallOptions, TemplatesApi } from '../contract';
import { asDomainError, domainError, NAME_TAKEN_PATTERN, notOffered } from '../errors';
import { detailOf, GRAPHQL_UNTIL, notFound, statusOf } from './failures';

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

/** Templates on REST v2, with RunPod's answers as domain errors. */
export function restTemplatesApi(ctx: RequestContext): TemplatesApi {
	const node = ctx.getNode();

	async function updateTemplate(
		templateId: string,
		changes: Partial<TemplateInput>,
		options: CallOptions,
	): Promise<UpdatedTemplate> {
		// A readme is cosmetic and REST has none: the other changes are saved, and the output says so.
		if (changes.readme !== undefined) {
			const { readme, ...others } = changes;
			if (!readme) return await updateTemplate(templateId, others, options);
			if (Object.keys(others).length === 0) {
				const found = await get(ctx, templateId, options);
				if (!found) throw notFound(node, 'template', templateId, options, 'Template → Get Many');
				return {
					...fromRestTemplate(found),
					notes: [readmeNotSaved('nothing else was asked to change')],
				};
			}
			return {
				...(await updateTemplate(templateId, others, options)),
				notes: [readmeNotSaved('the other changes were saved')],
			};
		}
		if (changes.volumeInGb === 0) {
			throw notOffered(
				node,
				"Removing a template's pod volume",
				`REST v2 can change the pod volume's size and path but not remove it: create a new template without one, ${GRAPHQL_UNTIL}.`,
				options.itemIndex,
			);
		}
		// RunPod takes a pod volume as size and path together: only then is the template read first.
		const needsCurrent =
			(changes.volumeInGb !== undefined && !changes.volumeMountPath) ||
			(changes.volumeMountPath !== undefined && changes.volumeInGb === undefined);
		let current: PodTemplate | undefined;
		if (needsCurrent) {
			const found = await get(ctx, templateId, options);
			if (!found) throw notFound(node, 'template', templateId, options, 'Template → Get Many');
			current = fromRestTemplate(found);
			if (
				!(current.volumeMountPath || changes.volumeMountPath) ||
				!((changes.volumeInGb ?? current.volumeInGb ?? 0) > 0)
			) {
				throw domainError(
					node,
					{ kind: 'InvalidState', resource: 'template', id: templateId, state: 'no pod volume' },
					'Volume Mount Path: a pod volume needs a size and a mount path',
					'Set both Pod Volume (GB) and Volume Mount Path (an absolute path such as /workspace).',
					options.itemIndex,
				);
			}
		}
		try {
			return fromRestTemplate(
				await update(ctx, templateId, updateTemplateBody(changes, current), options),
			);
		} catch (error) {
			if (statusOf(error) === 404)
				throw notFound(node, 'template', templateId, options, 'Template → Get Many');
			if (changes.name !== undefined && NAME_TAKEN_PATTERN.test(detailOf(error))) {
				throw asDomainError(
					node,
					error,
					{ kind: 'NameTaken', resource: 'template', id: changes.name },
					options.itemIndex,
				);
			}
			throw asNodeError(node, error, options.itemIndex);
		}
	}

	return {
		list: async (options = {}) => (await list(ctx, options)).map(fromRestTemplate),
		listPublic: async (source, options = {}) =>
			(await listPublic(ctx, source, options)).map(fromRestTemplate),
		get: async (templateId, options = {}) => {
			const template = await get(ctx, templateId, options);
			return template ? fromRestTemplate(template) : null;
		},
		create: async (input, options = {}) => {
			try {
				const { template, recovered } = await create(ctx, input, options);
				return {
					template: fromRestTemplate(template),
					recovered,
					...(input.readme
						? { notes: [readmeNotSaved('the template was created without it')] }
						: {}),
				};
			} catch (error) {
				if (NAME_TAKEN_PATTERN.test(detailOf(error))) {
					throw asDomainError(
						node,
						error,
						{ kind: 'NameTaken', resource: 'template', id: input.name },
						options.itemIndex,
					);
				}
				throw asNodeError(node, error, options.itemIndex);
			}
		},
		update: async (templateId, changes, options = {}) =>
			await updateTemplate(templateId, changes, options),
		remove: async (templateId, options = {}) => {
			const template = await get(ctx, templateId, options);
			if (!template) throw notFound(node, 'template', templateId, options, 'Template → Get Many');
			await remove(ctx, templateId, options);
			return fromRestTemplate(template);
		},
	};
}
