import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { PAYLOAD_LIMIT_BYTES } from '../../api/serverlessJobs';

/** The job input from the Input parameter: a JSON object (text or an expression's object). */
export function readInput(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = this.getNodeParameter('input', itemIndex, '{}') as unknown;
	let value = raw;
	if (typeof raw === 'string') {
		const text = raw.trim();
		if (text === '') {
			throw new NodeOperationError(this.getNode(), 'Input: is empty', {
				itemIndex,
				description:
					'Enter the JSON your worker expects, for example {"prompt": "{{ $json.prompt }}"}. RunPod needs an "input" object for every job.',
			});
		}
		try {
			value = JSON.parse(text);
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`Input: is not valid JSON (${(error as Error).message})`,
				{
					itemIndex,
					description:
						'Write the input as a JSON object, for example {"prompt": "a red fox"}. Inside an expression, wrap text values in quotes, or use {{ JSON.stringify($json.text) }}.',
				},
			);
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`Input: expected a JSON object, got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`,
			{
				itemIndex,
				description:
					'RunPod passes the input object to your worker\'s handler as job["input"]. Wrap the value in an object, for example {"prompt": ...}.',
			},
		);
	}
	return value as IDataObject;
}

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** RunPod refuses bodies above 10 MB (/run) and 20 MB (/runsync); say so before sending. */
export function checkPayloadSize(
	this: IExecuteFunctions,
	itemIndex: number,
	body: IDataObject,
	route: 'run' | 'runsync',
): void {
	const bytes = Buffer.byteLength(JSON.stringify(body), 'utf8');
	const limit = PAYLOAD_LIMIT_BYTES[route];
	if (bytes <= limit) return;
	const modes =
		route === 'run'
			? 'Queue Only and Queue with Webhook send it to /run'
			: 'Wait for Result sends it to /runsync';
	throw new NodeOperationError(
		this.getNode(),
		`Input: the job request is ${megabytes(bytes)}, above the ${megabytes(limit)} RunPod accepts`,
		{
			itemIndex,
			description: `${modes}, which RunPod limits to ${megabytes(limit)}. Nothing was sent. Pass large files by URL (for example a presigned S3 link) instead of inline base64${route === 'run' ? ', or use Wait for Result (up to 20 MB)' : ''}.`,
		},
	);
}
