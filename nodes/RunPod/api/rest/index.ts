import { mapWithConcurrency } from '../../helpers/concurrency';
import { asNodeError } from '../../transport/errors';
import type { RequestContext } from '../../transport/request';
import {
	asDomainError,
	domainError,
	NAME_TAKEN_PATTERN,
	NO_CAPACITY_PATTERN,
	notOffered,
	transportFailureOf,
} from '../errors';
import type {
	BatchCallOptions,
	BatchOutcome,
	BatchTarget,
	CallOptions,
	CreateCallOptions,
	RunPodApi,
} from '../contract';
import type {
	CreatedPod,
	CreatePodInput,
	MachineRequirements,
	Pod,
	PodTemplate,
	TemplateInput,
} from '../types';
import { isPodUp } from '../domain';
import { gpuCatalogCheck } from '../gpuTypeCheck';
import * as account from './account';
import * as catalog from './catalog';
import { restCpuTypesApi } from './cpuTypes';
import * as endpoints from './endpoints';
import * as networkVolumes from './networkVolumes';
import { fromRestVolume, REST_MIN_VOLUME_GB } from './networkVolumes';
import * as pods from './pods';
import { fromRestPod } from './pods';
import * as templates from './templates';
import { fromRestTemplate } from './templates';

const GRAPHQL_UNTIL =
	'or switch the RunPod API credential to GraphQL (until RunPod retires it in early 2027)';

/** REST v2's refusal of a GPU type its catalog lacks (the catalog is checked first; this is the fallback). */
const NOT_A_GPU_TYPE_PATTERN = /not a (valid |known )?GPU type|unknown GPU type/i;

const statusOf = (error: unknown) => transportFailureOf(error)?.status;
const detailOf = (error: unknown) => transportFailureOf(error)?.messages[0] ?? '';

/** RunPod's REST API v2 behind the resource interfaces. */
export function restApi(ctx: RequestContext): RunPodApi {
	const node = ctx.getNode();

	const notFound = (resource: string, id: string, options: CallOptions, how: string) =>
		domainError(
			node,
			{ kind: 'NotFound', resource, id },
			`The ${resource} "${id}" was not found`,
			`Your RunPod account has no ${resource} with this ID. Check the ID, or list them with ${how}.`,
			options.itemIndex,
		);

	/** 409: names the state the pod is in and what it allows now. */
	async function invalidState(
		podId: string,
		action: string,
		options: CallOptions,
		error: unknown,
	): Promise<Error> {
		const pod = await pods.findOne(ctx, podId, options);
		if (!pod) return notFound('pod', podId, options, 'Pod → Get Many');
		const state = fromRestPod(pod).status;
		return domainError(
			node,
			{ kind: 'InvalidState', resource: 'pod', id: podId, state },
			`The pod "${podId}" is ${state}: RunPod does not allow ${action} now`,
			`${detailOf(error) ? `RunPod says: ${detailOf(error)}. ` : ''}Allowed now: ${(pod.actions ?? []).join(', ') || 'nothing'}. Read the pod with Pod → Get and choose an operation its state allows.`,
			options.itemIndex,
		);
	}

	/** REST v2 refuses a GPU type its catalog lacks (400): creates are screened against it first. */
	const isKnownGpuType = gpuCatalogCheck(
		async (options) => await catalog.listSummaries(ctx, options),
	);

	function createError(error: unknown, input: CreatePodInput, options: CallOptions): unknown {
		const status = statusOf(error);
		if (status === 400 && NOT_A_GPU_TYPE_PATTERN.test(detailOf(error))) {
			return asDomainError(
				node,
				error,
				{ kind: 'UnknownGpuType', id: input.gpuTypeId },
				options.itemIndex,
			);
		}
		if (status === 400 && NO_CAPACITY_PATTERN.test(detailOf(error))) {
			return asDomainError(
				node,
				error,
				{ kind: 'NoCapacity', id: input.gpuTypeId },
				options.itemIndex,
			);
		}
		if (status === 402)
			return asDomainError(node, error, { kind: 'InsufficientBalance' }, options.itemIndex);
		return error;
	}

	function checkMachine(machine: MachineRequirements, options: CallOptions): void {
		if ((machine.minVcpuCount ?? 0) > 0 || (machine.minMemoryInGb ?? 0) > 0) {
			throw notOffered(
				node,
				'Minimum vCPUs and memory',
				`Remove Minimum vCPUs and Minimum Memory from the pod's options (REST v2 gives each GPU type its standard vCPUs and memory), ${GRAPHQL_UNTIL}.`,
				options.itemIndex,
			);
		}
	}

	async function createPod(input: CreatePodInput, options: CreateCallOptions): Promise<CreatedPod> {
		checkMachine(input, options);
		// REST v2 has no "Any" cloud: try Secure, then Community, and say so.
		const clouds: Array<'SECURE' | 'COMMUNITY'> = input.cpu
			? ['SECURE']
			: input.cloudType === 'ALL'
				? ['SECURE', 'COMMUNITY']
				: [input.cloudType];
		const notes: string[] = [];
		let lastError: unknown;
		for (const cloud of clouds) {
			try {
				const { pod, recovered } = await pods.create(ctx, input, cloud, options);
				if (clouds.length > 1) {
					notes.push(
						`Cloud Type Any does not exist on REST v2: the node tried ${notes.length ? 'Secure Cloud (no capacity), then ' : ''}${cloud === 'SECURE' ? 'Secure' : 'Community'} Cloud`,
					);
				}
				return {
					pod: fromRestPod(pod),
					recovered,
					...(notes.length ? { notes: notes.slice(-1) } : {}),
				};
			} catch (error) {
				lastError = createError(error, input, options);
				if (clouds.length === 1 || transportFailureOf(lastError) === undefined) throw lastError;
				const kind = (lastError as { context?: Record<string, { kind?: string }> }).context
					?.runpodDomainError?.kind;
				if (kind !== 'NoCapacity') throw lastError;
				notes.push('secure');
			}
		}
		throw lastError;
	}

	async function startPod(pod: Pod, options: CallOptions): Promise<Pod> {
		const isUp = (p: Pod) => isPodUp(p.status);
		try {
			const answer = await pods.action(ctx, pod.id, 'start', options, {
				find: async () => {
					const current = await pods.findOne(ctx, pod.id, options);
					return current && isUp(fromRestPod(current)) ? current : undefined;
				},
				lookingFor: `the pod "${pod.id}" and whether it is running`,
				resendWhenNotFound: true,
			});
			return fromRestPod(answer ?? (await pods.get(ctx, pod.id, options)));
		} catch (error) {
			if (statusOf(error) === 409) {
				const current = await pods.findOne(ctx, pod.id, options);
				if (current && isUp(fromRestPod(current))) return fromRestPod(current);
				throw await invalidState(pod.id, 'start', options, error);
			}
			if (statusOf(error) === 404) throw notFound('pod', pod.id, options, 'Pod → Get Many');
			if (statusOf(error) === 402)
				throw asDomainError(node, error, { kind: 'InsufficientBalance' }, options.itemIndex);
			throw asNodeError(node, error, options.itemIndex);
		}
	}

	async function updateTemplate(
		templateId: string,
		changes: Partial<TemplateInput>,
		options: CallOptions,
	): Promise<PodTemplate> {
		if (changes.readme) {
			throw notOffered(
				node,
				'A template readme',
				`Remove Readme from Update Fields, ${GRAPHQL_UNTIL}.`,
				options.itemIndex,
			);
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
			const found = await templates.get(ctx, templateId, options);
			if (!found) throw notFound('template', templateId, options, 'Template → Get Many');
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
				await templates.update(
					ctx,
					templateId,
					templates.updateTemplateBody(changes, current),
					options,
				),
			);
		} catch (error) {
			if (statusOf(error) === 404)
				throw notFound('template', templateId, options, 'Template → Get Many');
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

	/** REST v2 has no batch endpoint: one request per target, at most `parallel` in flight. */
	async function each<T>(
		targets: BatchTarget[],
		options: BatchCallOptions,
		work: (id: string, callOptions: CallOptions) => Promise<T>,
	): Promise<Array<BatchOutcome<T>>> {
		const settled = await mapWithConcurrency(
			targets,
			options.parallel,
			async (target) =>
				await work(target.id, {
					itemIndex: target.itemIndex,
					policy: options.policy,
					window: options.window,
				}),
		);
		return settled.map((outcome): BatchOutcome<T> =>
			outcome.ok
				? { status: 'done', value: outcome.value }
				: { status: 'failed', error: outcome.error },
		);
	}

	const api: RunPodApi = {
		choice: 'restV2',
		pods: {
			create: async (input, options = {}) => await createPod(input, options),
			requireCpu: () => undefined,
			requireSpot: (options = {}) => {
				throw notOffered(
					node,
					'Spot (interruptible) pods',
					`Use Pod → Create for an on-demand pod, ${GRAPHQL_UNTIL}.`,
					options.itemIndex,
				);
			},
			createSpot: async (_input, options = {}) => {
				throw notOffered(
					node,
					'Spot (interruptible) pods',
					`Use Pod → Create for an on-demand pod, ${GRAPHQL_UNTIL}.`,
					options.itemIndex,
				);
			},
			findByCreateMarker: async (marker, options = {}) => {
				const pod = await pods.findByCreateMarker(ctx, marker, options);
				return pod ? fromRestPod(pod) : undefined;
			},
			get: async (podId, options = {}) => {
				const pod = await pods.findOne(ctx, podId, options);
				return pod ? fromRestPod(pod) : null;
			},
			list: async (options = {}) => (await pods.list(ctx, options)).map(fromRestPod),
			stop: async (podId, options = {}) => {
				try {
					const answer = await pods.action(ctx, podId, 'stop', options);
					return fromRestPod(answer ?? (await pods.get(ctx, podId, options)));
				} catch (error) {
					if (statusOf(error) === 404) throw notFound('pod', podId, options, 'Pod → Get Many');
					if (statusOf(error) !== 409) throw asNodeError(node, error, options.itemIndex);
					// Already stopped (for example by an earlier attempt whose answer was lost) is what was asked.
					const current = await pods.findOne(ctx, podId, options);
					if (current && fromRestPod(current).status === 'EXITED') return fromRestPod(current);
					throw await invalidState(podId, 'stop', options, error);
				}
			},
			resume: async (pod, options = {}) => await startPod(pod, options),
			resumeSpot: async (_pod, _bid, options = {}) => {
				throw notOffered(
					node,
					'Resuming a spot pod with a bid',
					`Resume it without a bid as an on-demand pod (set Bid Per GPU to 0), ${GRAPHQL_UNTIL}.`,
					options.itemIndex,
				);
			},
			stopMany: async (targets, options) =>
				await each(
					targets,
					options,
					async (podId, callOptions) => await api.pods.stop(podId, callOptions),
				),
			terminateMany: async (targets, options) =>
				await each(targets, options, async (podId, callOptions) => {
					await api.pods.terminate(podId, callOptions);
					return null;
				}),
			terminate: async (podId, options = {}) => {
				try {
					await pods.remove(ctx, podId, options);
				} catch (error) {
					if (statusOf(error) !== 404) throw asNodeError(node, error, options.itemIndex);
					throw domainError(
						node,
						{ kind: 'NotFound', resource: 'pod', id: podId },
						`The pod "${podId}" does not exist: it may already be terminated`,
						'Nothing was deleted and nothing is billed for this pod.',
						options.itemIndex,
					);
				}
			},
		},
		templates: {
			list: async (options = {}) => (await templates.list(ctx, options)).map(fromRestTemplate),
			get: async (templateId, options = {}) => {
				const template = await templates.get(ctx, templateId, options);
				return template ? fromRestTemplate(template) : null;
			},
			create: async (input, options = {}) => {
				if (input.readme) {
					throw notOffered(
						node,
						'A template readme',
						`Leave Readme empty, ${GRAPHQL_UNTIL}.`,
						options.itemIndex,
					);
				}
				try {
					const { template, recovered } = await templates.create(ctx, input, options);
					return { template: fromRestTemplate(template), recovered };
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
				const template = await templates.get(ctx, templateId, options);
				if (!template) throw notFound('template', templateId, options, 'Template → Get Many');
				await templates.remove(ctx, templateId, options);
				return fromRestTemplate(template);
			},
		},
		networkVolumes: {
			list: async (options = {}) => (await networkVolumes.list(ctx, options)).map(fromRestVolume),
			get: async (volumeId, options = {}) => {
				const volume = await networkVolumes.get(ctx, volumeId, options);
				return volume ? fromRestVolume(volume) : null;
			},
			create: async (input, options = {}) => {
				if (input.size < REST_MIN_VOLUME_GB) {
					throw notOffered(
						node,
						`A network volume under ${REST_MIN_VOLUME_GB} GB`,
						`Set Size (GB) to ${REST_MIN_VOLUME_GB} or more.`,
						options.itemIndex,
					);
				}
				const { volume, recovered } = await networkVolumes.create(ctx, input, options);
				return { volume: fromRestVolume(volume), recovered };
			},
			update: async (input, options = {}) => {
				try {
					return fromRestVolume(await networkVolumes.update(ctx, input, options));
				} catch (error) {
					if (statusOf(error) === 404)
						throw notFound('network volume', input.id, options, 'Network Volume → Get Many');
					throw asNodeError(node, error, options.itemIndex);
				}
			},
			remove: async (volumeId, options = {}) => {
				try {
					await networkVolumes.remove(ctx, volumeId, options);
				} catch (error) {
					if (statusOf(error) === 404)
						throw notFound('network volume', volumeId, options, 'Network Volume → Get Many');
					throw asNodeError(node, error, options.itemIndex);
				}
			},
		},
		gpuTypes: {
			listSummaries: async (options = {}) => await catalog.listSummaries(ctx, options),
			unknownAmong: async (gpuTypeIds, options = {}) => {
				const unknown: string[] = [];
				for (const id of gpuTypeIds) if (!(await isKnownGpuType(id, options))) unknown.push(id);
				return unknown;
			},
			listPrices: async (gpuCount, options = {}, machine = {}) => {
				checkMachine(machine, options);
				return await catalog.listPrices(ctx, gpuCount, options, machine);
			},
			getPrices: async (gpuTypeId, gpuCount, options = {}, machine = {}) => {
				checkMachine(machine, options);
				return await catalog.getPrices(ctx, gpuTypeId, gpuCount, options, machine);
			},
		},
		dataCenters: {
			list: async (options = {}) => await catalog.listDataCenters(ctx, options),
			listWithAvailability: async (options = {}) =>
				await catalog.listDataCentersWithAvailability(ctx, options),
		},
		account: {
			get: async (options = {}) => await account.get(ctx, options),
		},
		endpoints: {
			list: async (options = {}) => await endpoints.list(ctx, options),
			get: async (endpointId, options = {}) => await endpoints.get(ctx, endpointId, options),
			create: async (input, options = {}) => await endpoints.create(ctx, input, options),
			update: async (endpointId, input, options = {}) =>
				await endpoints.update(ctx, endpointId, input, options),
			remove: async (endpointId, options = {}) => await endpoints.remove(ctx, endpointId, options),
		},
		cpuTypes: restCpuTypesApi(ctx),
	};
	return api;
}
