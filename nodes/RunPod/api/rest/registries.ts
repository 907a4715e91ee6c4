/**
 * Container registry credentials and ECR delegations on REST v2 (`/v2/registries`). Credentials
 * are write-only: RunPod answers only an ID and a name, and the password sent never comes back
 * in anything the node returns or raises (an error that quotes it is scrubbed here).
 */
import type { RequestContext, RequestOptions } from '../../transport/request';
import { restGetOrNull, restRequest, restRequestWithRecovery, segment } from '../requests';
import { asNodeError } from '../../transport/errors';
import type { CallOptions, ContainerRegistryAuthsApi } from '../contract';
import { domainError, duplicated, isDomainError, transportFailureOf } from '../errors';
import type {
	ContainerRegistryAuth,
	CreateEcrDelegationInput,
	EcrDelegation,
} from '../registries.types';
import { ECR_REPOSITORY_ARN } from '../registries.types';

interface RestRegistry {
	id: string;
	name?: string;
}

interface RestDelegation {
	id: string;
	name?: string | null;
	awsUser?: string;
	repository?: string;
	tag?: string;
	awsRegion?: string;
	dockerRegistryUri?: string;
	createdAt?: string;
}

const fromRestRegistry = (registry: RestRegistry): ContainerRegistryAuth => ({
	id: registry.id,
	name: registry.name ?? null,
});

const fromRestDelegation = (delegation: RestDelegation): EcrDelegation => ({
	id: delegation.id,
	name: delegation.name ?? null,
	awsUser: delegation.awsUser ?? null,
	repository: delegation.repository ?? null,
	tag: delegation.tag ?? null,
	awsRegion: delegation.awsRegion ?? null,
	dockerRegistryUri: delegation.dockerRegistryUri ?? null,
	createdAt: delegation.createdAt ?? null,
});

const MASK = '••••••••';

/**
 * Replaces every occurrence of `secret` in the strings of an error (message, description, RunPod's
 * messages, its context), in place. The node object the error names is left alone.
 */
export function scrubSecret<T>(error: T, secret: string): T {
	if (!secret) return error;
	const seen = new WeakSet<object>();
	const walk = (value: unknown): unknown => {
		if (typeof value === 'string') return value.split(secret).join(MASK);
		if (!value || typeof value !== 'object' || seen.has(value)) return value;
		seen.add(value);
		for (const key of Object.getOwnPropertyNames(value)) {
			if (key === 'node') continue;
			const record = value as Record<string, unknown>;
			try {
				const scrubbed = walk(record[key]);
				if (scrubbed !== record[key]) record[key] = scrubbed;
			} catch {
				// A read-only property: nothing secret is written there by the node.
			}
		}
		return value;
	};
	walk(error);
	return error;
}

export function restContainerRegistryAuthsApi(ctx: RequestContext): ContainerRegistryAuthsApi {
	const node = ctx.getNode();
	const statusOf = (error: unknown) => transportFailureOf(error)?.status;
	const lookup = (options: CallOptions): RequestOptions => ({
		itemIndex: options.itemIndex,
		policy: options.policy,
	});

	const notFound = (what: string, id: string, options: CallOptions, how: string) =>
		domainError(
			node,
			{ kind: 'NotFound', resource: what, id },
			`The ${what} "${id}" was not found`,
			`Your RunPod account has no ${what} with this ID. Check the ID, or list them with ${how}.`,
			options.itemIndex,
		);

	async function list(options: CallOptions): Promise<RestRegistry[]> {
		const answer = await restRequest<{ registries?: RestRegistry[] }>(
			ctx,
			{ method: 'GET', path: '/v2/registries' },
			{ ...options, idempotent: true },
		);
		return (answer?.registries ?? []).filter(Boolean);
	}

	async function listDelegations(options: CallOptions): Promise<RestDelegation[]> {
		const answer = await restRequest<{ delegations?: RestDelegation[] }>(
			ctx,
			{ method: 'GET', path: '/v2/registries/delegations' },
			{ ...options, idempotent: true },
		);
		return (answer?.delegations ?? []).filter(Boolean);
	}

	/** What a delegation created from `input` looks like in RunPod's list. */
	function matchesDelegation(delegation: RestDelegation, input: CreateEcrDelegationInput) {
		const arn = ECR_REPOSITORY_ARN.exec(input.resourceArn);
		return (
			!!arn &&
			delegation.awsRegion === arn[1] &&
			delegation.repository === arn[3] &&
			(delegation.name ?? null) === (input.name ?? null)
		);
	}

	return {
		list: async (options = {}) => (await list(options)).map(fromRestRegistry),
		get: async (registryAuthId, options = {}) => {
			const found = await restGetOrNull<RestRegistry>(
				ctx,
				`/v2/registries/${segment(registryAuthId)}`,
				options,
			);
			return found ? fromRestRegistry(found) : null;
		},
		create: async (input, { existingIds, ...options } = {}) => {
			try {
				const before = new Set(existingIds ?? (await list(lookup(options))).map((r) => r.id));
				const { data, recovered } = await restRequestWithRecovery<RestRegistry>(
					ctx,
					{
						method: 'POST',
						path: '/v2/registries',
						body: { name: input.name, username: input.username, password: input.password },
					},
					{ ...options, idempotent: false },
					{
						find: async () => {
							const matches = (await list(lookup(options))).filter(
								(r) => !before.has(r.id) && r.name === input.name,
							);
							if (matches.length > 1) {
								throw duplicated(
									node,
									'container registry auth',
									matches.map((r) => r.id),
									`named "${input.name}", none there before the request`,
									options.itemIndex,
								);
							}
							return matches[0];
						},
						lookingFor: `a new container registry auth named "${input.name}" in Container Registry Auth → Get Many`,
						final: (error) => isDomainError(error, 'Duplicated'),
					},
				);
				return { registryAuth: fromRestRegistry(data), recovered };
			} catch (error) {
				throw scrubSecret(asNodeError(node, error, options.itemIndex), input.password);
			}
		},
		remove: async (registryAuthId, options = {}) => {
			try {
				await restRequestWithRecovery<unknown>(
					ctx,
					{ method: 'DELETE', path: `/v2/registries/${segment(registryAuthId)}` },
					{ ...options, idempotent: true },
					{
						find: async () =>
							(await restGetOrNull(
								ctx,
								`/v2/registries/${segment(registryAuthId)}`,
								lookup(options),
							)) === null
								? { gone: true }
								: undefined,
						lookingFor: `the container registry auth "${registryAuthId}" in Container Registry Auth → Get Many`,
					},
				);
			} catch (error) {
				if (statusOf(error) === 404)
					throw notFound(
						'container registry auth',
						registryAuthId,
						options,
						'Container Registry Auth → Get Many',
					);
				if (statusOf(error) === 400) {
					const said = transportFailureOf(error)?.messages[0];
					throw domainError(
						node,
						{
							kind: 'InvalidState',
							resource: 'container registry auth',
							id: registryAuthId,
							state: 'in use',
						},
						`The container registry auth "${registryAuthId}" is in use by a pod`,
						`${said ? `RunPod says: ${said}. ` : ''}Terminate the pods that pull their image with it (Pod → Terminate), then delete it. Templates that name it do not block the delete: they lose the reference.`,
						options.itemIndex,
					);
				}
				throw asNodeError(node, error, options.itemIndex);
			}
		},
		listEcrDelegations: async (options = {}) =>
			(await listDelegations(options)).map(fromRestDelegation),
		createEcrDelegation: async (input, { existingIds, ...options } = {}) => {
			const before = new Set(
				existingIds ?? (await listDelegations(lookup(options))).map((d) => d.id),
			);
			const { data, recovered } = await restRequestWithRecovery<RestDelegation>(
				ctx,
				{
					method: 'POST',
					path: '/v2/registries/delegations',
					body: { resource: input.resourceArn, ...(input.name ? { name: input.name } : {}) },
				},
				{ ...options, idempotent: false },
				{
					find: async () => {
						const matches = (await listDelegations(lookup(options))).filter(
							(d) => !before.has(d.id) && matchesDelegation(d, input),
						);
						if (matches.length > 1) {
							throw duplicated(
								node,
								'ECR delegation',
								matches.map((d) => d.id),
								`for ${input.resourceArn}, none there before the request`,
								options.itemIndex,
							);
						}
						return matches[0];
					},
					lookingFor: `a new ECR delegation for ${input.resourceArn} in Container Registry Auth → Get Many ECR Delegations`,
					final: (error) => isDomainError(error, 'Duplicated'),
				},
			);
			return { delegation: fromRestDelegation(data), recovered };
		},
		revokeEcrDelegation: async (delegationId, options = {}) => {
			try {
				await restRequestWithRecovery<unknown>(
					ctx,
					{ method: 'DELETE', path: `/v2/registries/delegations/${segment(delegationId)}` },
					{ ...options, idempotent: true },
					{
						find: async () =>
							(await listDelegations(lookup(options))).some((d) => d.id === delegationId)
								? undefined
								: { gone: true },
						lookingFor: `the ECR delegation "${delegationId}" in Container Registry Auth → Get Many ECR Delegations`,
					},
				);
			} catch (error) {
				if (statusOf(error) === 404)
					throw notFound(
						'ECR delegation',
						delegationId,
						options,
						'Container Registry Auth → Get Many ECR Delegations',
					);
				throw asNodeError(node, error, options.itemIndex);
			}
		},
	};
}
