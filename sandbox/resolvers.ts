/** sandbox/schema.graphql with the sandbox's resolvers attached. */
import { readFileSync } from 'fs';
import { join } from 'path';

import { GraphQLObjectType, buildSchema } from 'graphql';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';

import { RunPodError } from './context';
import type { SandboxContext } from './context';
import {
	gpuAvailability,
	listCpuTypes,
	listDataCenters,
	listGpuTypes,
	lowestPrice,
} from './market';
import type { DataCenterView, GpuTypeView, LowestPriceInput } from './market';
import { RunPodMessages, SandboxMessages } from './messages';
import {
	balanceAt,
	bidResumePod,
	currentSpendPerHr,
	deployPod,
	findPod,
	networkVolumeView,
	podView,
	resumePod,
	stopPod,
	terminatePod,
} from './pods';
import type { DeployPodInput } from './pods';
import { endpointMutations } from './serverless/graphql';
import { endpointView, endpointsOf } from './serverless/endpoints';
import type { PodRecord } from './state';
import { deleteTemplate, saveTemplate, templateView } from './templates';
import type { SaveTemplateInput } from './templates';
import { createNetworkVolume, deleteNetworkVolume, updateNetworkVolume } from './volumes';

export const SCHEMA_PATH = join(__dirname, 'schema.graphql');

// Each resolver declares its own argument shape; graphql-js has already checked them against the SDL.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Resolver = GraphQLFieldResolver<unknown, SandboxContext, any>;
type ResolverMap = Record<string, Record<string, Resolver>>;

/** Mutations need a key with write access; RunPod answers anything else with "Unauthorized". */
function writable<Args>(resolve: (ctx: SandboxContext, args: Args) => unknown): Resolver {
	return (_source, args: Args, ctx) => {
		if (ctx.access !== 'full') throw new RunPodError(RunPodMessages.unauthorized);
		return resolve(ctx, args);
	};
}

const asPod = (ctx: SandboxContext, pod: PodRecord) => podView(ctx.state, pod, ctx.nowMs);

const resolvers: ResolverMap = {
	Query: {
		myself: (_source, _args, ctx) => {
			if (ctx.access === 'anonymous') return null;
			const { state, nowMs } = ctx;
			return {
				id: state.account.id,
				authId: null,
				email: state.account.email,
				// RunPod keeps the account's SSH keys as one newline-separated text (runpodctl reads it so).
				pubKey: state.account.sshKeys.length ? state.account.sshKeys.join('\n') : null,
				clientBalance: balanceAt(state, nowMs),
				currentSpendPerHr: currentSpendPerHr(state),
				spendLimit: state.account.spendLimit,
				pods: state.pods.map((pod) => podView(state, pod, nowMs)),
				podTemplates: state.templates.map(templateView),
				networkVolumes: state.networkVolumes.map((v) => networkVolumeView(state, v.id)),
				endpoints: endpointsOf(state).map((e) => endpointView(state, e)),
			};
		},
		pod: (_source, args: { input?: { podId: string } | null }, ctx) => {
			if (ctx.access === 'anonymous') return null;
			const pod = findPod(ctx.state, args.input?.podId);
			return pod ? asPod(ctx, pod) : null;
		},
		gpuTypes: (
			_source,
			args: { input?: { id?: string | null; ids?: Array<string | null> | null } | null },
			ctx,
		) => listGpuTypes(ctx.state, args.input),
		dataCenters: () => listDataCenters(),
		cpuTypes: () => listCpuTypes(),
	},
	GpuType: {
		lowestPrice: (source, args: { input?: LowestPriceInput | null }, ctx) =>
			lowestPrice(ctx.state, (source as GpuTypeView).id, args.input ?? { gpuCount: 1 }),
	},
	DataCenter: {
		gpuAvailability: (
			source,
			args: { input?: { gpuCount?: number | null; secureCloud?: boolean | null } | null },
			ctx,
		) => gpuAvailability(ctx.state, (source as DataCenterView).id, args.input),
	},
	Mutation: {
		podFindAndDeployOnDemand: writable((ctx, args: { input?: DeployPodInput | null }) =>
			asPod(ctx, deployPod(ctx, 'RESERVED', args.input)),
		),
		podRentInterruptable: writable((ctx, args: { input?: DeployPodInput | null }) =>
			asPod(ctx, deployPod(ctx, 'INTERRUPTABLE', args.input)),
		),
		podResume: writable(
			(ctx, args: { input?: { podId: string; gpuCount?: number | null } | null }) => {
				if (!args.input) throw new RunPodError(SandboxMessages.inputRequired('podResume'));
				return asPod(ctx, resumePod(ctx, args.input));
			},
		),
		podBidResume: writable(
			(ctx, args: { input?: { podId: string; bidPerGpu: number; gpuCount: number } | null }) => {
				if (!args.input) throw new RunPodError(SandboxMessages.inputRequired('podBidResume'));
				return asPod(ctx, bidResumePod(ctx, args.input));
			},
		),
		podStop: writable((ctx, args: { input?: { podId: string } | null }) => {
			if (!args.input) throw new RunPodError(SandboxMessages.inputRequired('podStop'));
			return asPod(ctx, stopPod(ctx, args.input.podId));
		}),
		podTerminate: writable((ctx, args: { input: { podId: string } }) =>
			terminatePod(ctx, args.input.podId),
		),
		saveTemplate: writable((ctx, args: { input?: SaveTemplateInput | null }) =>
			templateView(saveTemplate(ctx, args.input)),
		),
		deleteTemplate: writable((ctx, args: { templateName?: string | null }) =>
			deleteTemplate(ctx, args.templateName),
		),
		createNetworkVolume: writable(
			(ctx, args: { input?: Parameters<typeof createNetworkVolume>[1] }) =>
				networkVolumeView(ctx.state, createNetworkVolume(ctx, args.input).id),
		),
		updateNetworkVolume: writable(
			(ctx, args: { input?: Parameters<typeof updateNetworkVolume>[1] }) =>
				networkVolumeView(ctx.state, updateNetworkVolume(ctx, args.input).id),
		),
		deleteNetworkVolume: writable((ctx, args: { input?: { id: string } | null }) =>
			deleteNetworkVolume(ctx, args.input),
		),
		...endpointMutations,
	},
};

/** Builds the schema from the project's copy of RunPod's SDL and wires the resolvers in. */
export function createSandboxSchema(): GraphQLSchema {
	const schema = buildSchema(readFileSync(SCHEMA_PATH, 'utf8'));
	for (const [typeName, fields] of Object.entries(resolvers)) {
		const type = schema.getType(typeName);
		if (!(type instanceof GraphQLObjectType))
			throw new Error(`schema.graphql has no object type ${typeName}`);
		const schemaFields = type.getFields();
		for (const [fieldName, resolve] of Object.entries(fields)) {
			if (!schemaFields[fieldName])
				throw new Error(`schema.graphql has no field ${typeName}.${fieldName}`);
			schemaFields[fieldName].resolve = resolve;
		}
	}
	return schema;
}
