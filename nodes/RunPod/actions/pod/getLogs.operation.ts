import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { PodLogSource } from '../../api/pods.types';
import { checkNumber } from '../../helpers/validation';
import { podLocator } from '../common.descriptions';
import { readPodId } from './podItem';

/** RunPod sends at most this many lines of backfill. */
const MAX_LINES = 5000;

const fields: INodeProperties[] = [
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1, maxValue: MAX_LINES },
		description: 'Max number of results to return',
		hint: 'The most recent lines, oldest first',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'text',
		options: [
			{
				name: 'One Item',
				value: 'text',
				description: 'One item with the lines as text (ready for a message) and as a list',
			},
			{
				name: 'One Item per Line',
				value: 'lines',
				description: 'One item per line, with its time and source',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				default: 'all',
				options: [
					{
						name: 'All',
						value: 'all',
						description: 'What the container prints and what the host did',
					},
					{
						name: 'Container',
						value: 'container',
						description: "The container's output (stdout and stderr)",
					},
					{ name: 'System', value: 'system', description: 'The host: image pulls, starts, stops' },
				],
				description: 'Which log to read',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['pod'], operation: ['getLogs'] } },
	[podLocator, ...fields],
);

/** The pod's last lines (a stopped pod keeps its last ones): one item with text and lines, or one item per line. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject | IDataObject[]> {
	const node = this.getNode();
	const podId = readPodId.call(this, itemIndex);
	const limit = checkNumber(
		node,
		itemIndex,
		'Limit',
		this.getNodeParameter('limit', itemIndex, 50),
		{
			integer: true,
			min: 1,
			max: MAX_LINES,
		},
	);
	const output = this.getNodeParameter('output', itemIndex, 'text') as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const source =
		options.source === 'container' || options.source === 'system'
			? (options.source as PodLogSource)
			: undefined;
	const lines = await api.pods.logs(podId, { limit, ...(source ? { source } : {}) }, { itemIndex });
	if (output === 'lines') return lines.map((line) => ({ podId, ...line }));
	return {
		podId,
		text: lines.map((line) => line.line).join('\n'),
		lineCount: lines.length,
		lines: lines.map((line) => ({ ...line })),
	};
}
