/**
 * /v2/registries: container registry credentials (write-only: the username and password are kept
 * for pulls, never answered) and ECR delegations. A credential a pod pulls with cannot be deleted;
 * templates that name it lose the reference instead (the spec's deleteRegistry).
 */
import type { SandboxContext } from '../context';
import type { EcrDelegationRecord, RegistryRecord } from '../state';
import { RestProblem, created, noContent, ok } from './route';
import type { RestRoute } from './route';

/** arn:aws:ecr:<region>:<account>:repository/<name> */
const ECR_ARN = /^arn:aws:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/;

const registriesOf = (ctx: SandboxContext) => (ctx.state.registries ??= []);
const delegationsOf = (ctx: SandboxContext) => (ctx.state.ecrDelegations ??= []);

export const restRegistryView = (registry: RegistryRecord) => ({
	id: registry.id,
	name: registry.name,
});

export function findRegistry(ctx: SandboxContext, id: string): RegistryRecord | undefined {
	return registriesOf(ctx).find((registry) => registry.id === id);
}

function requireRegistry(ctx: SandboxContext, id: unknown): RegistryRecord {
	const registry = findRegistry(ctx, String(id));
	if (!registry) throw new RestProblem(404, 'Registry credential not found');
	return registry;
}

export const registryRoutes: RestRoute[] = [
	{
		operationId: 'listRegistries',
		handle: ({ ctx }) => ok({ registries: registriesOf(ctx).map(restRegistryView) }),
	},
	{
		operationId: 'getRegistry',
		handle: ({ ctx, params }) => ok(restRegistryView(requireRegistry(ctx, params.id))),
	},
	{
		operationId: 'createRegistry',
		handle: ({ ctx, body }) => {
			const { name, username, password } = body as Omit<RegistryRecord, 'id'>;
			const registry: RegistryRecord = {
				id: ctx.random.id(8),
				name,
				username,
				password,
			};
			registriesOf(ctx).push(registry);
			return created(restRegistryView(registry));
		},
	},
	{
		operationId: 'deleteRegistry',
		handle: ({ ctx, params }) => {
			const registry = requireRegistry(ctx, params.id);
			const users = ctx.state.pods.filter((pod) => pod.containerRegistryAuthId === registry.id);
			if (users.length > 0)
				throw new RestProblem(
					400,
					`Registry credential is in use by pod ${users.map((pod) => pod.id).join(', ')} and cannot be deleted.`,
				);
			for (const template of ctx.state.templates)
				if (template.containerRegistryAuthId === registry.id)
					template.containerRegistryAuthId = null;
			ctx.state.registries = registriesOf(ctx).filter((r) => r.id !== registry.id);
			return noContent();
		},
	},
	{
		operationId: 'listDelegations',
		handle: ({ ctx }) => ok({ delegations: delegationsOf(ctx).map((d) => ({ ...d })) }),
	},
	{
		operationId: 'createDelegation',
		handle: ({ ctx, body }) => {
			const { resource, name } = body as { resource: string; name?: string | null };
			const arn = ECR_ARN.exec(resource);
			if (!arn)
				throw new RestProblem(
					400,
					'resource must be an ECR repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>).',
				);
			const [, awsRegion, account, repository] = arn;
			const delegation: EcrDelegationRecord = {
				id: ctx.random.id(10),
				name: name ?? null,
				delegatorUserId: ctx.state.account.id,
				awsUser: account,
				repository,
				tag: 'latest',
				awsRegion,
				dockerRegistryUri: `${account}.dkr.ecr.${awsRegion}.amazonaws.com`,
				createdAt: new Date(ctx.nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
			};
			delegationsOf(ctx).push(delegation);
			return created({ ...delegation });
		},
	},
	{
		operationId: 'revokeDelegation',
		handle: ({ ctx, params }) => {
			const delegations = delegationsOf(ctx);
			if (!delegations.some((d) => d.id === params.id))
				throw new RestProblem(404, 'Delegation not found');
			ctx.state.ecrDelegations = delegations.filter((d) => d.id !== params.id);
			return noContent();
		},
	},
];
