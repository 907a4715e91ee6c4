import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import { isDomainError, asNodeError } from '../../api/errors';
import type { CloudType, CreatedPod } from '../../api/types';
import { checkNumber } from '../../helpers/validation';
import { simplifyOption } from '../common.descriptions';
import { isInStock } from '../../helpers/gpuType';
import {
	gpuTypeField,
	podAdditionalFields,
	podMachineFields,
	podSourceFields,
	readCreateInput,
	readGpuTypeId,
} from './create.fields';
import type { PodSpec } from './create.fields';
import { machineRequirements, placeWithVolume, pricePerHour, readFallbackList } from './placement';
import type { GpuAttempt } from './placement';
import { createAttempt, markUnsettled, unsettledBefore } from '../createAttempt';
import type { CreateAttempt } from '../createAttempt';
import { withTemplateEnvironment } from './fromTemplate';
import { createOperation } from '../creates';
import { billedPod, createdPodOutput, podOfEarlierRun, podOutput, waitUntilReady } from './podItem';
import { readWaitSettings, waitUntilReadyFields } from './waitForPod';
import type { WaitSettings } from './waitForPod';
import { checkCpuPod, computeTypeField, cpuFields, noCpuCapacity, readCpuChoice } from './cpu';
import type { CpuChoice } from './cpu';

/** Shown for GPU pods only (Compute Type GPU, the default). */
function gpuOnly(field: INodeProperties): INodeProperties {
	const show = field.displayOptions?.show ?? {};
	return {
		...field,
		displayOptions: { ...field.displayOptions, show: { ...show, computeType: ['GPU'] } },
	};
}

const gpuSelectionFields: INodeProperties[] = [
	{
		displayName: 'GPU Selection',
		name: 'gpuSelection',
		type: 'options',
		default: 'single',
		options: [
			{
				name: 'One GPU Type',
				value: 'single',
				description: 'Rent exactly this GPU type, or fail',
			},
			{
				name: 'First Available From a List',
				value: 'fallback',
				description: 'Try GPU types in order of preference until one has capacity',
			},
			{
				name: 'Cheapest in Stock',
				value: 'cheapest',
				description:
					'The cheapest GPU type in stock right now with enough memory, within Cloud Type and Max Cost Per Hour',
			},
		],
	},
	{
		displayName: 'Minimum GPU Memory (GB)',
		name: 'minVramGb',
		type: 'number',
		default: 24,
		typeOptions: { minValue: 0 },
		description: 'Only GPU types with at least this much memory per GPU',
		displayOptions: { show: { gpuSelection: ['cheapest'] } },
	},
	{ ...gpuTypeField, displayOptions: { show: { gpuSelection: ['single'] } } },
	{
		displayName: 'GPU Types',
		name: 'fallbackGpuTypes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add GPU Type',
		description: 'Most preferred first. When RunPod has no capacity for one, the next is tried.',
		displayOptions: { show: { gpuSelection: ['fallback'] } },
		options: [
			{
				displayName: 'GPU Type',
				name: 'gpu',
				values: [{ ...gpuTypeField, required: false }],
			},
		],
	},
	{
		displayName: 'Widen to Any Cloud',
		name: 'widenCloudType',
		type: 'boolean',
		default: false,
		description:
			'Whether to try the other cloud too (Cloud Type Any) when the chosen cloud has no capacity for a GPU type',
		displayOptions: { show: { gpuSelection: ['fallback'] } },
	},
];

const maxCostField: INodeProperties = {
	displayName: 'Max Cost Per Hour (USD)',
	name: 'maxCostPerHour',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0, numberPrecision: 2 },
	description:
		'Refuse to rent when the pod (all its GPUs, in the chosen cloud) would cost more per hour than this. With Cloud Type Any the dearer cloud counts. 0 means no limit.',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['create'] } },
	[
		{
			displayName:
				'A pod costs money from the first second it runs, billed until it is stopped or terminated. Use Max Cost Per Hour to cap the price, and Terminate what you no longer need.',
			name: 'billingNotice',
			type: 'notice',
			default: '',
		},
		...podSourceFields,
		computeTypeField,
		...cpuFields,
		...gpuSelectionFields.map(gpuOnly),
		...podMachineFields.map((field) =>
			field.name === 'gpuCount' || field.name === 'cloudType' ? gpuOnly(field) : field,
		),
		maxCostField,
		podAdditionalFields,
		...waitUntilReadyFields,
		simplifyOption,
	],
);

/** Said when the guard refused on the larger reading of a price whose unit RunPod leaves open. */
const LARGER_READING_NOTE =
	" RunPod's GraphQL API does not say whether its on-demand price is per GPU or for the whole pod, so the guard reads it as per GPU (× GPU count), the larger figure, until that is settled: see docs/cost-guard.md. REST v2 quotes a settled price.";

/** Cheapest-in-stock mode tries at most this many offers, cheapest first, when stock runs out under it. */
export const MAX_CHEAPEST_CANDIDATES = 5;

interface Candidate {
	gpuTypeId: string;
	cloudType: CloudType;
	/** Already known from live offers (as the cost guard reads it); otherwise the guard looks it up. */
	pricePerHour?: number;
	/** The price is the larger reading of a figure whose unit the API leaves open. */
	largerReading?: boolean;
}

interface Plan {
	candidates: Candidate[];
	maxCostPerHour: number;
	/** The candidates come from RunPod's own catalog (Cheapest in Stock): none can be unknown. */
	screened?: boolean;
}

/** What the user asked for, read and checked before any request is sent. */
interface Selection {
	mode: 'single' | 'fallback' | 'cheapest';
	gpuTypeIds: string[];
	widenCloudType: boolean;
	minVramGb: number;
	maxCostPerHour: number;
}

function readSelection(this: IExecuteFunctions, itemIndex: number): Selection {
	const node = this.getNode();
	const mode = this.getNodeParameter('gpuSelection', itemIndex, 'single') as Selection['mode'];
	const maxCostPerHour = checkNumber(
		node,
		itemIndex,
		'Max Cost Per Hour (USD)',
		this.getNodeParameter('maxCostPerHour', itemIndex, 0),
		{
			min: 0,
		},
	);
	const selection: Selection = {
		mode,
		gpuTypeIds: [],
		widenCloudType: false,
		minVramGb: 0,
		maxCostPerHour,
	};
	if (mode === 'fallback') {
		selection.gpuTypeIds = readFallbackList.call(this, itemIndex);
		selection.widenCloudType = this.getNodeParameter('widenCloudType', itemIndex, false) as boolean;
	} else if (mode === 'cheapest') {
		selection.minVramGb = checkNumber(
			node,
			itemIndex,
			'Minimum GPU Memory (GB)',
			this.getNodeParameter('minVramGb', itemIndex, 0),
			{
				min: 0,
			},
		);
	} else {
		selection.gpuTypeIds = [readGpuTypeId.call(this, itemIndex)];
	}
	return selection;
}

/** The GPU types and clouds to try, in order, once the pod's placement is known. */
async function planFor(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	spec: PodSpec,
	selection: Selection,
): Promise<Plan> {
	const { maxCostPerHour } = selection;
	if (selection.mode === 'cheapest') {
		return {
			candidates: await cheapestCandidates.call(
				this,
				itemIndex,
				api,
				spec,
				selection.minVramGb,
				maxCostPerHour,
			),
			maxCostPerHour,
			screened: true,
		};
	}
	const widen = selection.widenCloudType && spec.cloudType !== 'ALL' && !spec.networkVolumeId;
	const cloudTypes: CloudType[] = widen ? [spec.cloudType, 'ALL'] : [spec.cloudType];
	const candidates = selection.gpuTypeIds.flatMap((gpuTypeId) =>
		cloudTypes.map((cloudType) => ({ gpuTypeId, cloudType })),
	);
	return { candidates, maxCostPerHour };
}

async function cheapestCandidates(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	spec: PodSpec,
	minVram: number,
	maxCostPerHour: number,
): Promise<Candidate[]> {
	const clouds: Array<'SECURE' | 'COMMUNITY'> =
		spec.cloudType === 'ALL' ? ['SECURE', 'COMMUNITY'] : [spec.cloudType];
	const catalog = await api.gpuTypes.listPrices(
		spec.gpuCount,
		{ itemIndex },
		machineRequirements(spec),
	);
	const inStock = catalog
		.filter((gpu) => (gpu.memoryInGb ?? 0) >= minVram)
		.flatMap((gpu) =>
			clouds
				.map((cloud) => ({ cloud, quote: cloud === 'SECURE' ? gpu.secure : gpu.community }))
				.filter(({ quote }) => isInStock(quote))
				.map(({ cloud, quote }) => ({
					gpuTypeId: gpu.id,
					cloudType: cloud as CloudType,
					// The cost guard's reading: on GraphQL the larger one (docs/cost-guard.md).
					pricePerHour: quote.onDemandPriceAtMost as number,
					largerReading: quote.onDemandPriceAtMost !== quote.onDemandPrice,
				})),
		);
	const candidates = inStock
		.filter((candidate) => !maxCostPerHour || candidate.pricePerHour <= maxCostPerHour)
		.sort((a, b) => a.pricePerHour - b.pricePerHour || a.gpuTypeId.localeCompare(b.gpuTypeId))
		.slice(0, MAX_CHEAPEST_CANDIDATES);
	if (!candidates.length) {
		throw new NodeOperationError(
			this.getNode(),
			`Nothing was rented: no GPU type with ${minVram} GB or more is in stock${maxCostPerHour ? ` within $${maxCostPerHour}/hour` : ''}`,
			{
				itemIndex,
				description: `Looked for ${spec.gpuCount} GPU(s) in ${spec.cloudType === 'ALL' ? 'any cloud' : spec.cloudType.toLowerCase() + ' cloud'}${
					spec.dataCenterId ? ` in ${spec.dataCenterId}` : ''
				}, with the machine limits set under Additional Fields. Lower Minimum GPU Memory or the GPU count, set Cloud Type to Any, ${
					spec.dataCenterId ? 'choose another data center, ' : ''
				}or raise Max Cost Per Hour.${
					inStock.some((c) => c.largerReading && c.pricePerHour > maxCostPerHour)
						? LARGER_READING_NOTE
						: ''
				}`,
			},
		);
	}
	return candidates;
}

interface Prepared {
	requested: PodSpec;
	selection: Selection;
	waitSettings: WaitSettings | undefined;
	/** Compute Type CPU: a CPU pod of this type and size instead of GPUs. */
	cpu?: CpuChoice;
}

/** Everything the user typed, checked for every item before RunPod is asked anything. */
async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<Prepared> {
	const requested = readCreateInput.call(this, itemIndex);
	const isCpu = this.getNodeParameter('computeType', itemIndex, 'GPU') === 'CPU';
	const selection = isCpu
		? cpuSelection.call(this, itemIndex)
		: readSelection.call(this, itemIndex);
	const waitUntilReady = this.getNodeParameter('waitUntilReady', itemIndex, false) as boolean;
	const waitSettings = waitUntilReady ? readWaitSettings.call(this, itemIndex) : undefined;
	if (!isCpu) return { requested, selection, waitSettings };
	const cpu = readCpuChoice.call(this, itemIndex, requested);
	// Before any request: CPU pods do not exist on every API.
	api.pods.requireCpu({ itemIndex });
	return { requested, selection, waitSettings, cpu };
}

/** A CPU pod has no GPU selection; only the cost guard applies. */
function cpuSelection(this: IExecuteFunctions, itemIndex: number): Selection {
	const maxCostPerHour = checkNumber(
		this.getNode(),
		itemIndex,
		'Max Cost Per Hour (USD)',
		this.getNodeParameter('maxCostPerHour', itemIndex, 0),
		{ min: 0 },
	);
	return { mode: 'single', gpuTypeIds: [], widenCloudType: false, minVramGb: 0, maxCostPerHour };
}

async function run(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	{ requested, selection, waitSettings, cpu }: Prepared,
): Promise<IDataObject> {
	const attempt = createAttempt.call(this, itemIndex, 'pod');

	let output: IDataObject;
	// One list by marker first: a rerun (Retry On Fail, a re-queued execution) finds its pod.
	let created = await podOfEarlierRun.call(this, itemIndex, api, attempt);
	if (created) {
		output = createdPodOutput.call(this, itemIndex, created);
	} else {
		const unsettled = unsettledBefore.call(this, attempt, itemIndex);
		if (unsettled) throw unsettled;
		const spec = await placeWithVolume.call(
			this,
			itemIndex,
			api,
			await withTemplateEnvironment.call(this, itemIndex, api, requested),
		);
		if (cpu) {
			await checkCpuPod.call(this, itemIndex, api, cpu, selection.maxCostPerHour);
			created = await rentCpuPod.call(this, itemIndex, api, spec, cpu, attempt);
			output = createdPodOutput.call(this, itemIndex, created);
		} else {
			const plan = await planFor.call(this, itemIndex, api, spec, selection);
			const rented = await rentFirstAvailable.call(this, itemIndex, api, spec, plan, attempt);
			created = rented.created;
			output = createdPodOutput.call(this, itemIndex, created);
			if (plan.candidates.length > 1 || rented.attempts.length > 1)
				output.gpuAttempts = rented.attempts as unknown as IDataObject[];
		}
		if (created.notes?.length) output.notes = created.notes;
	}

	if (waitSettings) {
		const waited = await waitUntilReady.call(this, itemIndex, api, created, attempt, waitSettings);
		output = {
			...output,
			...podOutput.call(this, itemIndex, waited.pod ?? created.pod),
			waitedSeconds: waited.waitedSeconds,
		};
	}
	return output;
}

export const { execute, executeBatch } = createOperation({ prepare, run });
export const billed = billedPod;

/** Rents the CPU pod once, with the item's create marker (REST v2 settles a lost answer by it). */
async function rentCpuPod(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	spec: PodSpec,
	cpu: CpuChoice,
	attempt: CreateAttempt,
): Promise<CreatedPod> {
	try {
		attempt.markSent();
		return await api.pods.create(
			{ ...spec, gpuTypeId: '', cloudType: 'SECURE', cpu },
			{ itemIndex, marker: attempt.marker },
		);
	} catch (error) {
		if (isDomainError(error, 'Unsettled')) markUnsettled(attempt, error);
		if (isDomainError(error, 'NoCapacity')) throw noCpuCapacity.call(this, itemIndex, spec, cpu);
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}

/** Tries each GPU type (and cloud) in order; only RunPod's "no capacity" answer moves on to the next. */
async function rentFirstAvailable(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	spec: PodSpec,
	plan: Plan,
	attempt: CreateAttempt,
): Promise<{ created: CreatedPod; attempts: GpuAttempt[] }> {
	const attempts: GpuAttempt[] = [];
	const reading = { larger: false };
	let lastCapacityError: unknown;

	// From a list, GPU types RunPod would refuse as unknown are found first where the API can
	// (REST v2) and never sent; elsewhere the create itself reports them (UnknownGpuType). One GPU
	// type is sent as it is: RunPod's refusal then is the same answer the screen would give.
	const distinct = [...new Set(plan.candidates.map((candidate) => candidate.gpuTypeId))];
	const unknownGpuTypes = new Set(
		plan.screened || distinct.length < 2
			? []
			: await api.gpuTypes.unknownAmong(distinct, { itemIndex }),
	);
	const skipped = new Set<string>();
	for (const { gpuTypeId, cloudType, pricePerHour: knownPrice, largerReading } of plan.candidates) {
		if (skipped.has(gpuTypeId)) continue;
		const gpuAttempt: GpuAttempt = { gpuTypeId, cloudType, outcome: 'created' };
		attempts.push(gpuAttempt);
		if (unknownGpuTypes.has(gpuTypeId)) {
			gpuAttempt.outcome = 'unknown GPU type';
			skipped.add(gpuTypeId);
			continue;
		}
		if (plan.maxCostPerHour > 0 || knownPrice !== undefined) {
			const quoted =
				knownPrice !== undefined
					? { price: knownPrice, largerReading: largerReading === true }
					: await pricePerHour.call(this, itemIndex, api, gpuTypeId, spec, cloudType);
			if (typeof quoted === 'string') {
				gpuAttempt.outcome = quoted;
				continue;
			}
			const { price } = quoted;
			gpuAttempt.pricePerHour = price;
			if (plan.maxCostPerHour > 0 && price > plan.maxCostPerHour) {
				if (quoted.largerReading) reading.larger = true;
				gpuAttempt.outcome = 'over budget';
				continue;
			}
		}
		try {
			attempt.markSent();
			const created = await api.pods.create(
				{ ...spec, gpuTypeId, cloudType },
				{ itemIndex, marker: attempt.marker },
			);
			return { created, attempts };
		} catch (error) {
			if (isDomainError(error, 'Unsettled')) markUnsettled(attempt, error);
			// The api layer tells an unknown GPU type from a shortage (RunPod's answers differ by API).
			if (isDomainError(error, 'UnknownGpuType')) {
				gpuAttempt.outcome = 'unknown GPU type';
				skipped.add(gpuTypeId);
				continue;
			}
			if (!isDomainError(error, 'NoCapacity')) throw asNodeError(this.getNode(), error, itemIndex);
			lastCapacityError = error;
			gpuAttempt.outcome = 'no capacity';
		}
	}
	throw nothingRented.call(this, itemIndex, plan, attempts, lastCapacityError, reading.larger);
}

function nothingRented(
	this: IExecuteFunctions,
	itemIndex: number,
	plan: Plan,
	attempts: GpuAttempt[],
	lastCapacityError: unknown,
	largerReading = false,
): Error {
	const tried = attempts
		.map(
			(a) =>
				`${a.gpuTypeId} (${a.cloudType}): ${a.outcome}${a.pricePerHour !== undefined ? ` at $${a.pricePerHour}/hour` : ''}`,
		)
		.join('; ');
	const unknown = attempts.filter((a) => a.outcome === 'unknown GPU type').map((a) => a.gpuTypeId);
	if (attempts.length === 1 && unknown.length === 1) {
		return new NodeOperationError(
			this.getNode(),
			`RunPod does not know the GPU type "${unknown[0]}"`,
			{
				itemIndex,
				description:
					'Choose a GPU type from the list, or look up valid IDs with GPU Type → Get Many. IDs are long names such as "NVIDIA GeForce RTX 4090".',
			},
		);
	}
	if (attempts.every((a) => a.outcome === 'over budget' || a.outcome === 'no price')) {
		return new NodeOperationError(
			this.getNode(),
			`Nothing was rented: no GPU type fits Max Cost Per Hour ($${plan.maxCostPerHour})`,
			{
				itemIndex,
				description: `Tried: ${tried}. Raise Max Cost Per Hour, lower the GPU count, or choose cheaper GPU types.${
					largerReading ? LARGER_READING_NOTE : ''
				}`,
			},
		);
	}
	if (attempts.length === 1 && lastCapacityError) {
		return asNodeError(this.getNode(), lastCapacityError, itemIndex);
	}
	return new NodeOperationError(
		this.getNode(),
		'Nothing was rented: none of the GPU types had capacity',
		{
			itemIndex,
			description: `Tried: ${tried}. Add more GPU types, turn on Widen to Any Cloud, or try again later.${
				unknown.length
					? ` RunPod does not know ${unknown.join(', ')}: check them with GPU Type → Get Many.`
					: ''
			}`,
		},
	);
}
