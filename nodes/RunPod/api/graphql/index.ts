import type { IDataObject } from 'n8n-workflow';

import { asNodeError } from '../../transport/errors';
import type { RequestContext } from '../../transport/request';
import {
	asDomainError,
	domainError,
	NAME_TAKEN_PATTERN,
	NO_CAPACITY_PATTERN,
	needsRestV2,
	retiredOr,
	transportFailureOf,
} from '../errors';
import type {
	BatchCallOptions,
	BatchOutcome,
	BatchTarget,
	CallOptions,
	CpuTypesApi,
	RunPodApi,
} from '../contract';
import { gpuCatalogCheck, unknownGpuType } from '../gpuTypeCheck';
import type { CreatedPod, Pod, PodState, PodTemplate, TemplateInput } from '../types';
import * as account from './account';
import * as dataCenters from './dataCenters';
import * as endpoints from './endpoints';
import * as gpuTypes from './gpuTypes';
import * as networkVolumes from './networkVolumes';
import * as pods from './pods';
import { restV2Only } from './restV2Only';
import type { GraphqlPod } from './pods';
import * as templates from './templates';

/** GraphQL's desiredStatus (what RunPod wants) in the unified vocabulary, with the runtime telling starting from running. */
export function graphqlPodState(pod: Pick<GraphqlPod, 'desiredStatus' | 'runtime'>): PodState {
	switch (pod.desiredStatus) {
		case 'RUNNING':
			return pod.runtime ? 'RUNNING' : 'STARTING';
		case 'EXITED':
		case 'PAUSED':
			return 'EXITED';
		case 'DEAD':
			return 'ERROR';
		case 'TERMINATED':
			return 'TERMINATED';
		default:
			// CREATED, RESTARTING, or not reported yet.
			return 'STARTING';
	}
}

export function fromGraphqlPod(pod: GraphqlPod): Pod {
	return { ...pod, status: graphqlPodState(pod), source: pod as unknown as IDataObject };
}

function fromGraphqlTemplate(template: PodTemplate): PodTemplate {
	return { ...template, source: template as unknown as IDataObject };
}

const isGraphqlError = (error: unknown, pattern?: RegExp) => {
	const failure = transportFailureOf(error);
	return failure?.kind === 'graphql' && (!pattern || pattern.test(failure.messages[0] ?? ''));
};

/** RunPod's GraphQL API behind the resource interfaces. */
export function graphqlApi(ctx: RequestContext): RunPodApi {
	const node = ctx.getNode();
	/** Every failure passes here: a retired GraphQL becomes the GraphqlRetired domain error. */
	async function guard<T>(options: CallOptions | undefined, run: () => Promise<T>): Promise<T> {
		try {
			return await run();
		} catch (error) {
			throw retiredOr(node, error, options?.itemIndex);
		}
	}

	async function findTemplate(
		templateId: string,
		options: CallOptions,
	): Promise<{ all: PodTemplate[]; current: PodTemplate }> {
		const all = await templates.list(ctx, options);
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

	/** A batch's outcomes with the adapter's view of each pod and of a retired API. */
	async function many<G, T>(
		targets: BatchTarget[],
		options: BatchCallOptions,
		send: (
			podIds: string[],
			requestOptions: BatchCallOptions & CallOptions & { itemIndexes: number[] },
		) => Promise<Array<BatchOutcome<G>>>,
		convert: (value: G) => T,
	): Promise<Array<BatchOutcome<T>>> {
		if (targets.length === 0) return [];
		const itemIndex = targets[0].itemIndex;
		const itemIndexes = targets.map((target) => target.itemIndex);
		const outcomes = await send(
			targets.map((target) => target.id),
			{ ...options, itemIndex, itemIndexes },
		);
		return outcomes.map((outcome, position): BatchOutcome<T> => {
			if (outcome.status === 'done') return { status: 'done', value: convert(outcome.value) };
			if (outcome.status === 'failed')
				return {
					status: 'failed',
					error: retiredOr(node, outcome.error, itemIndexes[position]) as Error,
				};
			return outcome;
		});
	}

	const isKnownGpuType = gpuCatalogCheck(
		async (options) => await gpuTypes.listGpuTypeSummaries(ctx, options),
	);

	/**
	 * Runs one create (on-demand or spot): RunPod's "no capacity" becomes the NoCapacity domain
	 * error, or UnknownGpuType when the catalog has no such GPU type (GraphQL answers both alike).
	 */
	async function rent(
		gpuTypeId: string,
		options: CallOptions,
		create: () => Promise<{ pod: GraphqlPod; recovered: boolean }>,
	): Promise<CreatedPod> {
		return await guard(options, async () => {
			try {
				const created = await create();
				return { pod: fromGraphqlPod(created.pod), recovered: created.recovered };
			} catch (error) {
				if (isGraphqlError(error, NO_CAPACITY_PATTERN)) {
					if (!(await isKnownGpuType(gpuTypeId, options)))
						throw unknownGpuType(node, gpuTypeId, options.itemIndex);
					throw asDomainError(
						node,
						error,
						{ kind: 'NoCapacity', id: gpuTypeId },
						options.itemIndex,
					);
				}
				throw asNodeError(node, error, options.itemIndex);
			}
		});
	}

	return {
		choice: 'graphql',
		pods: {
			create: async (input, options = {}) => {
				if (input.cpu) throw needsRestV2(node, 'A CPU pod (Compute Type CPU)', options.itemIndex);
				return await rent(
					input.gpuTypeId,
					options,
					async () => await pods.createOnDemand(ctx, input, options),
				);
			},
			requireSpot: () => undefined,
			requireCpu: (options = {}) => {
				throw needsRestV2(node, 'A CPU pod (Compute Type CPU)', options.itemIndex);
			},
			createSpot: async (input, options = {}) =>
				await rent(
					input.gpuTypeId,
					options,
					async () => await pods.createSpot(ctx, input, options),
				),
			findByCreateMarker: async (marker, options = {}) =>
				await guard(options, async () => {
					const pod = await pods.findByCreateMarker(ctx, marker, options);
					return pod ? fromGraphqlPod(pod) : undefined;
				}),
			get: async (podId, options = {}) =>
				await guard(options, async () => {
					const pod = await pods.get(ctx, podId, options);
					return pod ? fromGraphqlPod(pod) : null;
				}),
			list: async (options = {}) =>
				await guard(options, async () => (await pods.list(ctx, options)).map(fromGraphqlPod)),
			stop: async (podId, options = {}) =>
				await guard(options, async () => fromGraphqlPod(await pods.stop(ctx, podId, options))),
			resume: async (pod, options = {}) =>
				await guard(options, async () => {
					const gpuCount = pod.gpuCount && pod.gpuCount > 0 ? pod.gpuCount : 1;
					return fromGraphqlPod(await pods.resume(ctx, pod.id, gpuCount, options));
				}),
			resumeSpot: async (pod, bidPerGpu, options = {}) =>
				await guard(options, async () => {
					const gpuCount = pod.gpuCount && pod.gpuCount > 0 ? pod.gpuCount : 1;
					return fromGraphqlPod(await pods.resumeSpot(ctx, pod.id, gpuCount, bidPerGpu, options));
				}),
			stopMany: async (targets, options) =>
				await many(
					targets,
					options,
					async (podIds, requestOptions) => await pods.stopMany(ctx, podIds, requestOptions),
					fromGraphqlPod,
				),
			terminateMany: async (targets, options) =>
				await many(
					targets,
					options,
					async (podIds, requestOptions) => await pods.terminateMany(ctx, podIds, requestOptions),
					() => null,
				),
			terminate: async (podId, options = {}) =>
				await guard(options, async () => {
					try {
						await pods.terminate(ctx, podId, options);
					} catch (error) {
						// RunPod answers an error for a pod that is already gone; tell that apart from a real failure.
						if (isGraphqlError(error) && (await pods.get(ctx, podId, options)) === null) {
							throw domainError(
								node,
								{ kind: 'NotFound', resource: 'pod', id: podId },
								`The pod "${podId}" does not exist: it may already be terminated`,
								'Nothing was deleted and nothing is billed for this pod.',
								options.itemIndex,
							);
						}
						throw asNodeError(node, error, options.itemIndex);
					}
				}),
		},
		templates: {
			list: async (options = {}) =>
				await guard(options, async () =>
					(await templates.list(ctx, options)).map(fromGraphqlTemplate),
				),
			get: async (templateId, options = {}) =>
				await guard(options, async () => {
					const template = await templates.get(ctx, templateId, options);
					return template ? fromGraphqlTemplate(template) : null;
				}),
			create: async (input, options = {}) =>
				await guard(options, async () => {
					try {
						const { template, recovered } = await templates.create(ctx, input, options);
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
						return fromGraphqlTemplate(await templates.update(ctx, current, changes, options));
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
					await templates.remove(ctx, current.name ?? '', options);
					return fromGraphqlTemplate(current);
				}),
		},
		networkVolumes: {
			list: async (options = {}) =>
				await guard(options, async () => await networkVolumes.list(ctx, options)),
			get: async (volumeId, options = {}) =>
				await guard(options, async () => await networkVolumes.get(ctx, volumeId, options)),
			create: async (input, options = {}) =>
				await guard(options, async () => await networkVolumes.create(ctx, input, options)),
			update: async (input, options = {}) =>
				await guard(options, async () => await networkVolumes.update(ctx, input, options)),
			remove: async (volumeId, options = {}) =>
				await guard(options, async () => {
					try {
						await networkVolumes.remove(ctx, volumeId, options);
					} catch (error) {
						// Tell a volume that is already gone apart from one RunPod refuses to delete (e.g. still attached).
						if (
							isGraphqlError(error) &&
							(await networkVolumes.get(ctx, volumeId, options)) === null
						) {
							throw asDomainError(
								node,
								error,
								{ kind: 'NotFound', resource: 'network volume', id: volumeId },
								options.itemIndex,
							);
						}
						throw asNodeError(node, error, options.itemIndex);
					}
				}),
		},
		gpuTypes: {
			listSummaries: async (options = {}) =>
				await guard(options, async () => await gpuTypes.listGpuTypeSummaries(ctx, options)),
			// GraphQL takes an unknown GPU type to its "no capacity" answer; create then tells them apart.
			unknownAmong: async () => [],
			listPrices: async (gpuCount, options = {}, machine = {}) =>
				await guard(
					options,
					async () => await gpuTypes.listPrices(ctx, gpuCount, options, machine),
				),
			getPrices: async (gpuTypeId, gpuCount, options = {}, machine = {}) =>
				await guard(
					options,
					async () => await gpuTypes.getPrices(ctx, gpuTypeId, gpuCount, options, machine),
				),
		},
		dataCenters: {
			list: async (options = {}) =>
				await guard(options, async () => await dataCenters.list(ctx, options)),
			listWithAvailability: async (options = {}) =>
				await guard(options, async () => await dataCenters.listWithAvailability(ctx, options)),
		},
		endpoints: {
			list: async (options = {}) =>
				await guard(options, async () => await endpoints.list(ctx, options)),
			get: async (endpointId, options = {}) =>
				await guard(options, async () => await endpoints.get(ctx, endpointId, options)),
			create: async (input, options = {}) =>
				await guard(options, async () => await endpoints.create(ctx, input, options)),
			update: async (endpointId, input, options = {}) =>
				await guard(options, async () => await endpoints.update(ctx, endpointId, input, options)),
			remove: async (endpointId, options = {}) =>
				await guard(options, async () => await endpoints.remove(ctx, endpointId, options)),
		},
		account: {
			get: async (options = {}) =>
				await guard(options, async () => {
					const me = await account.get(ctx, options);
					return {
						...me,
						pods: me.pods.map((pod) => ({
							id: pod.id,
							status: graphqlPodState({ desiredStatus: pod.desiredStatus, runtime: null }),
						})),
					};
				}),
		},
		cpuTypes: restV2Only<CpuTypesApi>(node, 'CPU Type', { list: true, get: true }),
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
