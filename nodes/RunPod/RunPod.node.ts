import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { resourceProperties } from './actions/resources';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class RunPod implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RunPod',
		name: 'runPod',
		icon: { light: 'file:runpod.svg', dark: 'file:runpod.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Run jobs on your RunPod serverless endpoints and manage them; rent and manage GPU pods, templates and network volumes; read GPU prices and your account',
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
