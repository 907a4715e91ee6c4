/**
 * Serverless endpoints, the control plane: saveEndpoint (create, or a full replace with id) and
 * deleteEndpoint, kept in the shared state so every face of the sandbox sees the same endpoints.
 */
import { RunPodError } from '../context';
import type { SandboxContext } from '../context';
import { SandboxMessages } from '../messages';
import type { SandboxState, TemplateRecord } from '../state';
import { releasesOf } from './releases';

export interface EndpointRecord {
	id: string;
	name: string;
	templateId: string | null;
	/** Comma-separated GPU pool ids, e.g. "AMPERE_16,ADA_24". */
	gpuIds: string;
	gpuCount: number;
	workersMin: number;
	workersMax: number;
	/** Seconds a worker stays warm after its last job. */
	idleTimeout: number;
	scalerType: 'QUEUE_DELAY' | 'REQUEST_COUNT';
	scalerValue: number;
	executionTimeoutMs: number;
	flashBootType: 'OFF' | 'FLASHBOOT';
	locations: string | null;
	networkVolumeId: string | null;
	env: Array<{ key: string; value: string }>;
	type: 'QB' | 'LB';
	createdAt: string;
}

export interface SaveEndpointInput {
	id?: string | null;
	name?: string | null;
	templateId?: string | null;
	gpuIds?: string | null;
	gpuCount?: number | null;
	workersMin?: number | null;
	workersMax?: number | null;
	idleTimeout?: number | null;
	scalerType?: string | null;
	scalerValue?: number | null;
	executionTimeoutMs?: number | null;
	flashBootType?: string | null;
	locations?: string | null;
	networkVolumeId?: string | null;
	type?: string | null;
	/** An inline template: RunPod creates it bound to the endpoint. */
	template?: {
		name?: string | null;
		imageName?: string | null;
		containerDiskInGb?: number | null;
		dockerArgs?: string | null;
		env?: Array<{ key: string; value: string } | null> | null;
	} | null;
}

export const EndpointMessages = {
	notFound: 'Endpoint not found',
	nameRequired: 'name is required to create an endpoint.',
	templateRequired: 'templateId is required to create an endpoint.',
	gpuIdsRequired: 'gpuIds is required to create an endpoint.',
	templateNotServerless: 'The template is not a serverless template.',
	workersInvalid: 'workersMin must be between 0 and workersMax, and workersMax at most 30.',
	scalerTypeInvalid: 'scalerType must be QUEUE_DELAY or REQUEST_COUNT.',
	deleteWithWorkers: 'Endpoint has active workers. Set min and max workers to 0 before deleting.',
} as const;

/** The endpoint every sandbox starts with, so jobs can be tried at once (`npm start`, the examples). */
export const DEMO_ENDPOINT_ID = 'sbxecho0000001';

export function demoEndpoint(nowMs: number): EndpointRecord {
	return {
		id: DEMO_ENDPOINT_ID,
		name: 'sandbox-echo',
		templateId: null,
		gpuIds: 'ADA_24',
		gpuCount: 1,
		workersMin: 0,
		workersMax: 3,
		idleTimeout: 5,
		scalerType: 'QUEUE_DELAY',
		scalerValue: 4,
		executionTimeoutMs: 600_000,
		flashBootType: 'FLASHBOOT',
		locations: null,
		networkVolumeId: null,
		env: [],
		type: 'QB',
		createdAt: new Date(nowMs).toISOString(),
	};
}

/** Endpoints of a state file written before the sandbox modelled them. */
export function endpointsOf(state: SandboxState): EndpointRecord[] {
	return (state.endpoints ??= []);
}

export function findEndpoint(
	state: SandboxState,
	id: string | null | undefined,
): EndpointRecord | undefined {
	return id ? endpointsOf(state).find((e) => e.id === id) : undefined;
}

function checkWorkers(min: number, max: number): void {
	if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min || max > 30) {
		throw new RunPodError(EndpointMessages.workersInvalid);
	}
}

function scalerTypeOf(value: string | null | undefined): EndpointRecord['scalerType'] {
	const scaler = value ?? 'QUEUE_DELAY';
	if (scaler !== 'QUEUE_DELAY' && scaler !== 'REQUEST_COUNT')
		throw new RunPodError(EndpointMessages.scalerTypeInvalid);
	return scaler;
}

function boundTemplate(
	ctx: SandboxContext,
	endpointName: string,
	inline: NonNullable<SaveEndpointInput['template']>,
): TemplateRecord {
	const template: TemplateRecord = {
		id: ctx.random.id(10),
		name: inline.name || `${endpointName}__template__${ctx.random.id(7)}`,
		imageName: inline.imageName as string,
		containerDiskInGb: inline.containerDiskInGb ?? 10,
		volumeInGb: 0,
		volumeMountPath: '/runpod-volume',
		dockerArgs: inline.dockerArgs ?? '',
		env: (inline.env ?? []).filter((e): e is { key: string; value: string } => e !== null),
		ports: '',
		isServerless: true,
		isPublic: false,
		startSsh: false,
		startJupyter: false,
		readme: '',
		containerRegistryAuthId: null,
	};
	ctx.state.templates.push(template);
	return template;
}

/** A save is not a patch (docs/runpod-graphql-notes.md §5): left-out fields fall back to RunPod's defaults. */
export function saveEndpoint(
	ctx: SandboxContext,
	input: SaveEndpointInput | null | undefined,
): EndpointRecord {
	if (!input) throw new RunPodError(SandboxMessages.inputRequired('saveEndpoint'));
	const { state } = ctx;
	const existing = input.id ? findEndpoint(state, input.id) : undefined;
	if (input.id && !existing) throw new RunPodError(EndpointMessages.notFound, 'notFound');

	const name = input.name ?? existing?.name;
	let templateId = input.templateId ?? existing?.templateId ?? null;
	if (!existing && !templateId && input.template?.imageName)
		templateId = boundTemplate(ctx, name ?? 'endpoint', input.template).id;
	const gpuIds = input.gpuIds ?? existing?.gpuIds;
	if (!name) throw new RunPodError(EndpointMessages.nameRequired);
	if (!existing && !templateId) throw new RunPodError(EndpointMessages.templateRequired);
	if (!gpuIds) throw new RunPodError(EndpointMessages.gpuIdsRequired);
	if (templateId && templateId !== existing?.templateId) {
		const template = state.templates.find((t) => t.id === templateId);
		if (!template) throw new RunPodError(SandboxMessages.templateNotFound, 'notFound');
		if (!template.isServerless) throw new RunPodError(EndpointMessages.templateNotServerless);
	}
	if (input.networkVolumeId && !state.networkVolumes.some((v) => v.id === input.networkVolumeId)) {
		throw new RunPodError(SandboxMessages.volumeNotFound, 'notFound');
	}
	const workersMin = input.workersMin ?? 0;
	const workersMax = input.workersMax ?? 3;
	checkWorkers(workersMin, workersMax);

	const fields = {
		name,
		templateId,
		gpuIds,
		gpuCount: input.gpuCount ?? 1,
		workersMin,
		workersMax,
		idleTimeout: input.idleTimeout ?? 5,
		scalerType: scalerTypeOf(input.scalerType),
		scalerValue: input.scalerValue ?? 4,
		executionTimeoutMs: input.executionTimeoutMs ?? 600_000,
		flashBootType: input.flashBootType === 'FLASHBOOT' ? ('FLASHBOOT' as const) : ('OFF' as const),
		locations: input.locations || null,
		networkVolumeId: input.networkVolumeId || null,
		type: input.type === 'LB' ? ('LB' as const) : ('QB' as const),
	};
	if (existing) {
		// The release the endpoint ran until now is on record before the change makes the next one.
		releasesOf(state, existing, ctx.nowMs);
		Object.assign(existing, fields);
		releasesOf(state, existing, ctx.nowMs);
		return existing;
	}
	const created: EndpointRecord = {
		id: ctx.random.id(14),
		...fields,
		env: [],
		createdAt: new Date(ctx.nowMs).toISOString(),
	};
	endpointsOf(state).push(created);
	return created;
}

/**
 * Deletes an endpoint with its bound template, as RunPod does. The caller cancels its jobs
 * (the job engine).
 */
export function deleteEndpoint(
	ctx: SandboxContext,
	id: string | null | undefined,
	terminateWorkers = false,
): null {
	const { state } = ctx;
	const endpoint = findEndpoint(state, id);
	if (!endpoint) throw new RunPodError(EndpointMessages.notFound, 'notFound');
	// GraphQL refuses; REST v2 terminates the workers itself.
	if (!terminateWorkers && (endpoint.workersMin > 0 || endpoint.workersMax > 0))
		throw new RunPodError(EndpointMessages.deleteWithWorkers);
	state.endpoints = endpointsOf(state).filter((e) => e !== endpoint);
	if (endpoint.templateId)
		state.templates = state.templates.filter((t) => t.id !== endpoint.templateId);
	return null;
}

/** The GraphQL shape of an endpoint. */
export function endpointView(state: SandboxState, endpoint: EndpointRecord) {
	const template = endpoint.templateId
		? state.templates.find((t) => t.id === endpoint.templateId)
		: undefined;
	return {
		...endpoint,
		template: template ? { ...template } : null,
		networkVolume: endpoint.networkVolumeId
			? (state.networkVolumes.find((v) => v.id === endpoint.networkVolumeId) ?? null)
			: null,
		workersStandby: endpoint.workersMin,
		computeType: 'GPU',
		userId: state.account.id,
		version: 1,
	};
}
