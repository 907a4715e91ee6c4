/** GraphQL resolvers for saveEndpoint and deleteEndpoint, spread into the sandbox's Mutation map. */
import type { GraphQLFieldResolver } from 'graphql';

import { RunPodError } from '../context';
import type { SandboxContext } from '../context';
import { RunPodMessages } from '../messages';
import type { SandboxState } from '../state';
import { deleteEndpoint, endpointView, saveEndpoint } from './endpoints';
import type { SaveEndpointInput } from './endpoints';
import type { JobEngine } from './jobs';

// The job engine of each running sandbox, found through its state (the same object for its whole life).
const engines = new WeakMap<SandboxState, JobEngine>();

export function attachJobEngine(state: SandboxState, engine: JobEngine): void {
	engines.set(state, engine);
}

export function engineOf(state: SandboxState): JobEngine | undefined {
	return engines.get(state);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Resolver = GraphQLFieldResolver<unknown, SandboxContext, any>;

function writable<Args>(resolve: (ctx: SandboxContext, args: Args) => unknown): Resolver {
	return (_source, args: Args, ctx) => {
		if (ctx.access !== 'full') throw new RunPodError(RunPodMessages.unauthorized);
		return resolve(ctx, args);
	};
}

export const endpointMutations: Record<string, Resolver> = {
	saveEndpoint: writable((ctx, args: { input?: SaveEndpointInput | null }) =>
		endpointView(ctx.state, saveEndpoint(ctx, args.input)),
	),
	deleteEndpoint: writable((ctx, args: { id?: string | null }) => {
		const result = deleteEndpoint(ctx, args.id);
		engines.get(ctx.state)?.dropEndpoint(args.id as string);
		return result;
	}),
};
