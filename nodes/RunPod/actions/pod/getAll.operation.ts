import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { Pod } from '../../api/types';
import { locatorValue } from '../../helpers/locator';
import { rawPod, simplifyPod } from '../../helpers/podOutput';
import { checkTextFilters, containsText, optionalText } from '../../helpers/validation';
import { gpuTypeLocator } from '../../helpers/gpuType';
import { limitOption, returnAllOption, simplifyOption, readLimit } from '../common.descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['getAll'] } },
	[
		returnAllOption,
		limitOption,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					...gpuTypeLocator,
					required: false,
					description: 'Only pods with this GPU type',
				},
				{
					displayName: 'Name Contains',
					name: 'nameContains',
					type: 'string',
					default: '',
					placeholder: 'e.g. worker',
					description: 'Only pods whose name contains this text (not case-sensitive)',
				},
				{
					displayName: 'Status',
					name: 'status',
					type: 'multiOptions',
					default: [],
					options: [
						{
							name: 'Billed (Starting or Running)',
							value: 'BILLED',
							description:
								'Every pod RunPod bills GPU time for, including one that is still booting or never gets up',
						},
						{ name: 'Error', value: 'ERROR' },
						{ name: 'Exited (Stopped)', value: 'EXITED' },
						{ name: 'Running', value: 'RUNNING' },
						{ name: 'Starting', value: 'STARTING' },
					],
					description:
						'Only pods in one of these states; none selected means all. A pod that is booting, or stuck booting, reads Starting and is billed.',
				},
			],
		},
		simplifyOption,
	],
);

const LEGACY_STATUS: Record<string, string> = {
	CREATED: 'STARTING',
	RESTARTING: 'STARTING',
	DEAD: 'ERROR',
	PAUSED: 'EXITED',
};

/** The states RunPod bills GPU time in (a booting pod reads STARTING); see isBilled. */
const BILLED_STATES = ['STARTING', 'RUNNING'];

export function matchesFilters(pod: Pod, filters: IDataObject): boolean {
	// Earlier versions offered GraphQL's own words; they still filter by their unified meaning.
	const statuses = ((filters.status as string[] | undefined) ?? []).flatMap((s) =>
		s === 'BILLED' ? BILLED_STATES : [LEGACY_STATUS[s] ?? s],
	);
	if (statuses.length && !statuses.includes(pod.status)) return false;
	if (!containsText(pod.name, filters.nameContains)) return false;
	const gpu = optionalText(locatorValue(filters.gpuTypeId))?.toLowerCase();
	if (gpu) {
		const names = [pod.machine?.gpuTypeId, pod.machine?.gpuDisplayName].map((n) =>
			(n ?? '').toLowerCase(),
		);
		if (!names.includes(gpu)) return false;
	}
	return true;
}

/**
 * The GPU filter also takes a short name ("RTX 4090"); when the API reports only the GPU's ID on
 * a pod (REST v2), the names come from the GPU catalog, read once.
 */
async function gpuNamesIfNeeded(
	api: RunPodApi,
	pods: Pod[],
	filters: IDataObject,
	itemIndex: number,
): Promise<Map<string, string> | undefined> {
	if (
		!optionalText(filters.gpuTypeId) ||
		pods.every((pod) => pod.machine?.gpuDisplayName || !pod.machine?.gpuTypeId)
	)
		return undefined;
	const catalog = await api.gpuTypes.listSummaries({ itemIndex });
	return new Map(
		catalog.filter((gpu) => gpu.displayName).map((gpu) => [gpu.id, gpu.displayName as string]),
	);
}

function withGpuName(pod: Pod, names: Map<string, string>): Pod {
	const id = pod.machine?.gpuTypeId;
	if (!pod.machine || !id || pod.machine.gpuDisplayName) return pod;
	return { ...pod, machine: { ...pod.machine, gpuDisplayName: names.get(id) ?? null } };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	const limit = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	checkTextFilters(this.getNode(), itemIndex, filters, {
		nameContains: 'Name Contains',
		gpuTypeId: 'GPU Type',
	});
	const all = await api.pods.list({ itemIndex });
	const names = await gpuNamesIfNeeded(api, all, filters, itemIndex);
	const selected = all
		.filter((pod) => matchesFilters(names ? withGpuName(pod, names) : pod, filters))
		.slice(0, limit);
	// The Simplify switch is read once: reading a parameter per pod costs more than the request.
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return selected.map((pod) => (simplify ? simplifyPod(pod) : rawPod(pod)));
}
