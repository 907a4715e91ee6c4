import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { runpodApi } from '../../api';
import type { Pod } from '../../api/types';
import { optionalText, containsText } from '../../helpers/validation';
import { limitOption, returnAllOption, simplifyOption, readLimit } from '../common.descriptions';
import { podOutput } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['pod'], operation: ['getAll'] } }, [
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
				displayName: 'GPU Type ID',
				name: 'gpuTypeId',
				type: 'string',
				default: '',
				placeholder: 'e.g. NVIDIA GeForce RTX 4090',
				description: 'Only pods with this GPU type (its ID or its short name such as RTX 4090)',
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
					{ name: 'Error', value: 'ERROR' },
					{ name: 'Exited (Stopped)', value: 'EXITED' },
					{ name: 'Running', value: 'RUNNING' },
					{ name: 'Starting', value: 'STARTING' },
				],
				description: 'Only pods in one of these states; none selected means all',
			},
		],
	},
	simplifyOption,
]);

const LEGACY_STATUS: Record<string, string> = { CREATED: 'STARTING', RESTARTING: 'STARTING', DEAD: 'ERROR', PAUSED: 'EXITED' };

export function matchesFilters(pod: Pod, filters: IDataObject): boolean {
	// Earlier versions offered GraphQL's own words; they still filter by their unified meaning.
	const statuses = ((filters.status as string[] | undefined) ?? []).map((s) => LEGACY_STATUS[s] ?? s);
	if (statuses.length && !statuses.includes(pod.status)) return false;
	if (!containsText(pod.name, filters.nameContains)) return false;
	const gpu = optionalText(filters.gpuTypeId)?.toLowerCase();
	if (gpu) {
		const names = [pod.machine?.gpuTypeId, pod.machine?.gpuDisplayName].map((n) => (n ?? '').toLowerCase());
		if (!names.includes(gpu)) return false;
	}
	return true;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const limit = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const all = await (await runpodApi(this)).pods.list({ itemIndex });
	return all
		.filter((pod) => matchesFilters(pod, filters))
		.slice(0, limit)
		.map((pod) => podOutput.call(this, itemIndex, pod));
}
