import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { checkJobStatus, TERMINAL_STATUSES } from './api/serverlessJobs';
import {
	TOKEN_PATTERN,
	alreadySeen,
	deliveryKey,
	parseJobBody,
	redactToken,
	remember,
} from './trigger/job/webhook';
import type { SeenJobs } from './trigger/job/webhook';

const STATUS_NAMES: Record<(typeof TERMINAL_STATUSES)[number], string> = {
	CANCELLED: 'Cancelled',
	COMPLETED: 'Completed',
	FAILED: 'Failed',
	TIMED_OUT: 'Timed Out',
};

function checkToken(ctx: IHookFunctions | IWebhookFunctions): string {
	const token = String(ctx.getNodeParameter('secretToken', '') ?? '');
	if (!TOKEN_PATTERN.test(token)) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Secret Token: expected 16 to 128 letters, digits, "-" or "_"',
			{
				description:
					'The token becomes part of the webhook URL and is what keeps strangers out. Paste a long random value, e.g. from a password generator.',
			},
		);
	}
	return token;
}

/** Answers without starting the workflow. */
function reply(
	ctx: IWebhookFunctions,
	statusCode: number,
	body: IDataObject,
): IWebhookResponseData {
	ctx.getResponseObject().status(statusCode).json(body);
	return { noWebhookResponse: true };
}

export class RunPodJobTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RunPod Job Trigger',
		name: 'runPodJobTrigger',
		icon: { light: 'file:runpod.svg', dark: 'file:runpod.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Serverless job finished',
		description: 'Starts the workflow when RunPod reports that a serverless job has finished',
		defaults: { name: 'RunPod Job Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'runPodApi', required: true, displayOptions: { show: { recheck: [true] } } },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// The secret is part of the path: the URL shown above is complete, and n8n refuses
				// any other URL (404) without starting anything.
				path: '={{"job/" + $parameter["secretToken"]}}',
			},
		],
		properties: [
			{
				displayName:
					'Copy the Production URL above (it ends with your Secret Token) into the Webhook field of RunPod Job → Run, or RunPod\'s "webhook" in /run, then publish this workflow. Calls to the URL without the token are refused and start nothing.',
				name: 'urlNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Secret Token',
				name: 'secretToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				placeholder: 'e.g. 7c1f0e9a4b2d48c6a1e3f5b7d9c2e4a6',
				description:
					'16 to 128 letters, digits, "-" or "_", part of the webhook URL. RunPod signs nothing, so this is what tells its calls from anyone else\'s.',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: ['COMPLETED', 'FAILED'],
				description: 'Start the workflow only for jobs that ended with one of these statuses',
				options: TERMINAL_STATUSES.map((value) => ({ name: STATUS_NAMES[value], value })),
			},
			{
				displayName: 'Re-Check With RunPod',
				name: 'recheck',
				type: 'boolean',
				default: false,
				description:
					"Whether to ask RunPod for the job (/status) before trusting the call, and use RunPod's answer. Costs one request per call; needs the credential and the endpoint ID.",
			},
			{
				displayName: 'Endpoint ID',
				name: 'endpointId',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. 9xr3kz2hf8q1ab',
				displayOptions: { show: { recheck: [true] } },
				description: 'The serverless endpoint the jobs run on (the webhook body does not say)',
			},
		],
	};

	webhookMethods = {
		default: {
			// RunPod has no webhook registry: the URL travels with each job. Only check the token.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				checkToken(this);
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				checkToken(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const token = checkToken(this);
		const body = parseJobBody(this.getBodyData());
		if (!body) {
			return reply(this, 400, {
				received: false,
				message:
					'Not a RunPod job webhook: expected a JSON body with the job\'s "id" (at most 128 characters) and "status"',
			});
		}

		const store = this.getWorkflowStaticData('node') as SeenJobs;
		// RunPod resends a delivery that was not answered with 200 in time: each one counts once.
		// A job retried with /retry keeps its ID but ends anew (new status or retry count).
		const duplicate = () =>
			reply(this, 200, { received: true, duplicate: true, jobId: body.id, status: body.status });
		if (alreadySeen(store, deliveryKey(body))) return duplicate();

		// The body is whatever the caller sent; only RunPod's own answer is marked as verified.
		let job: IDataObject = redactToken(body, token);
		if (this.getNodeParameter('recheck', false) as boolean) {
			const endpointId = String(this.getNodeParameter('endpointId', '') ?? '').trim();
			if (!endpointId) {
				throw new NodeOperationError(this.getNode(), 'Endpoint ID: is empty', {
					description: 'Re-Check With RunPod needs the ID of the endpoint the jobs run on.',
				});
			}
			const check = await checkJobStatus(this, endpointId, body.id);
			if (check.outcome === 'notFound') {
				return reply(this, 200, {
					received: true,
					ignored: `RunPod does not know job ${body.id} on endpoint ${endpointId}`,
				});
			}
			// Not 200, so RunPod sends the webhook again later; nothing is recorded meanwhile.
			if (check.outcome === 'unavailable') {
				return reply(this, 503, {
					received: false,
					message: `Could not re-check the job with RunPod: ${check.reason}`,
				});
			}
			job = {
				...redactToken(check.job, token),
				id: body.id,
				status: String(check.job.status ?? '').toUpperCase(),
				verified: true,
				unverified: job,
			};
			// The body may have claimed another status: RunPod's decides what this delivery is.
			if (alreadySeen(store, deliveryKey(job))) return duplicate();
		} else {
			job = { ...job, verified: false };
		}

		const status = String(job.status ?? '').toUpperCase();
		const statuses = (this.getNodeParameter('statuses', []) as string[]).map((s) =>
			s.toUpperCase(),
		);
		if (!statuses.includes(status)) {
			return reply(this, 200, {
				received: true,
				ignored: `status ${status} is not one of the chosen statuses`,
			});
		}

		remember(store, deliveryKey(job));
		// Answered here, before n8n starts the execution: n8n 2.41 saves a webhook trigger's static
		// data only if it is still marked as changed when the call is answered, and starting the
		// execution clears that mark (docs/job-trigger-state.md). Answering first keeps every job.
		this.getResponseObject()
			.status(200)
			.json({ received: true, jobId: body.id, status, verified: job.verified });
		return {
			noWebhookResponse: true,
			workflowData: [
				this.helpers.returnJsonArray([{ ...job, status, receivedAt: new Date().toISOString() }]),
			],
		};
	}
}
