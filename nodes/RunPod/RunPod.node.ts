import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { resourceProperties } from './actions/registry';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

const SMALL_WORDS = new Set(['for']);

/** "Get many GPU types" → "Get Many GPU Types": an operation's action in Title Case, without articles. */
function titleOf(action: string): string {
	return action
		.split(' ')
		.filter((word) => !['a', 'an', 'the'].includes(word))
		.map((word) => (SMALL_WORDS.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
		.join(' ');
}

/** The subtitle under the node on the canvas: what the user chose, in the words they read. */
function subtitleExpression(): string {
	const titles: Record<string, string> = {};
	for (const property of resourceProperties.filter((p) => p.name === 'operation')) {
		const resource = (property.displayOptions?.show?.resource as string[])[0];
		for (const option of property.options as INodePropertyOptions[]) {
			titles[`${resource}:${option.value}`] = titleOf(option.action ?? option.name);
		}
	}
	return `={{ ${JSON.stringify(titles)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}

export class RunPod implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RunPod',
		name: 'runPod',
		icon: { light: 'file:runpod.svg', dark: 'file:runpod.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: subtitleExpression(),
		description:
			'Run jobs on your RunPod serverless endpoints and manage them; rent and manage GPU pods, templates and network volumes; read GPU prices and your account. Job Run, Pod Create, Create Spot and Resume cost money: billing starts at once. Terminate and the Deletes destroy data for good.',
		defaults: { name: 'RunPod' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'runPodApi', required: true }],
		properties: resourceProperties,
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
