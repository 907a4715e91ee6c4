import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { RETENTION_MINUTES } from '../../api/serverlessJobs';
import type { JobState } from '../../api/serverlessJobs';
import { checkText } from '../../helpers/validation';

/** The console page of an endpoint: its logs, workers and requests. */
export function consoleUrl(endpointId: string): string {
	return `https://console.runpod.io/serverless/user/endpoint/${encodeURIComponent(endpointId)}`;
}

export const endpointLocator: INodeProperties = {
	displayName: 'Endpoint',
	name: 'endpointId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The serverless endpoint that runs the job',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an endpoint...',
			typeOptions: { searchListMethod: 'searchEndpoints', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. i02xupws21hp6i',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[A-Za-z0-9_-]+\\s*$',
						errorMessage: 'An endpoint ID has only letters, digits, - and _',
					},
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://api.runpod.ai/v2/i02xupws21hp6i/run',
			extractValue: { type: 'regex', regex: '(?:/v2/|/endpoint/)([A-Za-z0-9_-]+)' },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: 'https?://.*(/v2/|/endpoint/)[A-Za-z0-9_-]+.*',
						errorMessage:
							"Paste a job URL such as https://api.runpod.ai/v2/<endpoint ID>/run, or the endpoint's console page",
					},
				},
			],
		},
	],
};

export const jobIdField: INodeProperties = {
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. c80ffee4-f315-4e25-a146-0f3d98cf024b-u1',
	description: 'The ID RunPod gave the job when it was queued (the "jobId" field of Job → Run)',
};

export function readEndpointId(this: IExecuteFunctions, itemIndex: number): string {
	const value = checkText(
		this.getNode(),
		itemIndex,
		'Endpoint',
		this.getNodeParameter('endpointId', itemIndex, '', { extractValue: true }),
		'Choose an endpoint from the list, or enter its ID (RunPod console → Serverless → your endpoint).',
	);
	if (!/^[A-Za-z0-9_-]+$/.test(value)) {
		throw new NodeOperationError(this.getNode(), `Endpoint: "${value}" is not an endpoint ID`, {
			itemIndex,
			description: 'An endpoint ID has only letters, digits, - and _, for example i02xupws21hp6i.',
		});
	}
	return value;
}

export function readJobId(this: IExecuteFunctions, itemIndex: number): string {
	const value = checkText(
		this.getNode(),
		itemIndex,
		'Job ID',
		this.getNodeParameter('jobId', itemIndex, ''),
		'Enter the job ID, for example with the expression {{ $json.jobId }} after a Job → Run.',
	);
	if (!/^[A-Za-z0-9_-]+$/.test(value)) {
		throw new NodeOperationError(this.getNode(), `Job ID: "${value}" is not a job ID`, {
			itemIndex,
			description:
				'A RunPod job ID has only letters, digits and -, for example c80ffee4-f315-4e25-a146-0f3d98cf024b-u1.',
		});
	}
	return value;
}

/** RunPod answers 404 once a job's result is gone: TTL or retention passed, or a wrong ID. */
export function jobExpired(
	this: IExecuteFunctions,
	itemIndex: number,
	endpointId: string,
	jobId: string,
): NodeOperationError {
	return new NodeOperationError(
		this.getNode(),
		`The result of job ${jobId} has expired, or the job does not exist on endpoint ${endpointId}`,
		{
			itemIndex,
			description: `RunPod keeps a finished job's result ${RETENTION_MINUTES.run} minutes after Queue Only or Queue with Webhook and ${RETENTION_MINUTES.runsync} minute after Wait for Result, and drops a job whose TTL passed before it finished. Fetch results sooner (or use Queue with Webhook), raise the job's TTL, or check the job ID and the endpoint.`,
		},
	);
}

export function endpointMissing(
	this: IExecuteFunctions,
	itemIndex: number,
	endpointId: string,
	reason: string,
): NodeOperationError {
	return new NodeOperationError(
		this.getNode(),
		`Endpoint: RunPod does not know the endpoint "${endpointId}"`,
		{
			itemIndex,
			description: `RunPod said: ${reason}. Check the endpoint ID (RunPod console → Serverless), that the API key belongs to the endpoint's account, and the Serverless Base URL in the RunPod API credential.`,
		},
	);
}

/** The job as an item: its output plus id, status and timings. */
export function jobOutput(endpointId: string, job: JobState): IDataObject {
	return {
		jobId: job.id,
		status: job.status,
		endpointId,
		...(job.output !== undefined ? { output: job.output as IDataObject } : {}),
		...(job.error !== undefined ? { error: errorMessage(job.error) } : {}),
		...(job.delayTime !== undefined ? { delayTimeMs: job.delayTime } : {}),
		...(job.executionTime !== undefined ? { executionTimeMs: job.executionTime } : {}),
	};
}

export function errorMessage(error: unknown): string {
	if (typeof error === 'string') return error;
	if (error && typeof error === 'object') {
		const fields = error as IDataObject;
		const text = fields.error_message ?? fields.message ?? fields.error;
		if (typeof text === 'string') return text;
	}
	return JSON.stringify(error);
}

const FAILURE_HINTS: Record<string, string> = {
	FAILED:
		"The worker reported this error. Check the input, and the worker's logs in the RunPod console",
	TIMED_OUT:
		"The job ran longer than its execution timeout (the endpoint's, or the Execution Timeout option). Raise the timeout or send less work per job; see the RunPod console",
	CANCELLED:
		'The job was cancelled (Job → Cancel, Purge Queue, or in the RunPod console) before it finished; see the RunPod console',
};

/** FAILED, CANCELLED and TIMED_OUT fail the item with the job's own error. */
export function jobUnsuccessful(
	this: IExecuteFunctions,
	itemIndex: number,
	endpointId: string,
	job: JobState,
): NodeOperationError {
	const reason = job.error !== undefined ? `: ${errorMessage(job.error)}` : '';
	return new NodeOperationError(this.getNode(), `Job ${job.id} ended ${job.status}${reason}`, {
		itemIndex,
		description: `${FAILURE_HINTS[job.status] ?? 'See the RunPod console'} (${consoleUrl(endpointId)}). To receive such jobs as items instead, turn on the Pass Through Failed Jobs option.`,
	});
}
