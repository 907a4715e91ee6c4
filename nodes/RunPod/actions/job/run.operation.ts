import { NodeOperationError, sleep, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as jobs from '../../api/serverlessJobs';
import { RETENTION_MINUTES, endpointBaseUrl } from '../../api/serverlessJobs';
import type { JobState, RunRequest } from '../../api/serverlessJobs';
import { mapWithConcurrency } from '../../helpers/concurrency';
import type { Settled } from '../../helpers/concurrency';
import { checkNumber } from '../../helpers/validation';
import { asNodeError } from '../../api/errors';
import { ItemWithBinary } from '../node.type';
import { createAttempt } from '../createAttempt';
import type { CreateAttempt } from '../createAttempt';
import type { OperationResult } from '../node.type';
import { redactedWebhookUrl } from '../../helpers/urlGuard';
import { binaryOptions, outputToBinary } from './binary';
import { checkPayloadSize, readInput } from './payload';
import {
	consoleUrl,
	endpointLocator,
	endpointMissing,
	jobExpired,
	jobOutput,
	jobUnsuccessful,
	readEndpointId,
} from './jobItem';

type Mode = 'wait' | 'queue' | 'webhook';

const properties: INodeProperties[] = [
	endpointLocator,
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Wait for Result',
				value: 'wait',
				description:
					'Send the job and wait until it is done; the item carries its output. Up to 20 MB of input.',
			},
			{
				name: 'Queue Only',
				value: 'queue',
				description:
					'Queue the job and go on at once with its ID; fetch the result later with Get Status (kept 30 minutes). Up to 10 MB.',
			},
			{
				name: 'Queue with Webhook',
				value: 'webhook',
				description:
					"Queue the job; RunPod POSTs the result to a URL when done, e.g. a Wait node's resume URL. Up to 10 MB.",
			},
		],
		default: 'wait',
	},
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '={{ $execution.resumeUrl }}',
		required: true,
		displayOptions: { show: { mode: ['webhook'] } },
		description:
			'Where RunPod POSTs the job\'s result (the same object Get Status returns, plus the input) when the job completes or fails. The default resumes a following Wait node set to "On Webhook Call". RunPod retries twice if the URL does not answer 200.',
	},
	{
		displayName: 'Input',
		name: 'input',
		type: 'json',
		default: '{\n  "prompt": "A watercolor painting of a lighthouse"\n}',
		required: true,
		description:
			"The job's input: the JSON object your worker's handler receives as job[\"input\"]. Build it from the item's fields with expressions.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: (
			[
				// Only Wait for Result has the output; queued jobs get it with Get Status.
				...binaryOptions.map((option) => ({
					...option,
					displayOptions: { show: { '/mode': ['wait'] } },
				})),
				{
					displayName: 'Cancel on Max Wait',
					name: 'cancelOnMaxWait',
					type: 'boolean',
					default: true,
					displayOptions: { show: { '/mode': ['wait'] } },
					description:
						'Whether to cancel the job when Max Wait passes, so it stops using (and billing) a worker',
				},
				{
					displayName: 'Execution Timeout (Seconds)',
					name: 'executionTimeoutSeconds',
					type: 'number',
					default: 600,
					typeOptions: { minValue: 5, maxValue: 604800 },
					description:
						"RunPod stops the job (TIMED_OUT) when it runs longer than this. Empty: the endpoint's own execution timeout.",
				},
				{
					displayName: 'Low Priority',
					name: 'lowPriority',
					type: 'boolean',
					default: false,
					description:
						'Whether the job waits behind normal jobs and never makes RunPod start extra workers for it',
				},
				{
					displayName: 'Max Parallel Jobs',
					name: 'maxParallelJobs',
					type: 'number',
					default: 5,
					typeOptions: { minValue: 1, maxValue: 100 },
					description:
						'With many items, one job per item: how many are sent (and, in Wait for Result, waited for) at the same time',
				},
				{
					displayName: 'Max Wait (Seconds)',
					name: 'maxWaitSeconds',
					type: 'number',
					default: 600,
					typeOptions: { minValue: 1, maxValue: 86400 },
					displayOptions: { show: { '/mode': ['wait'] } },
					description:
						'How long to wait for the job to finish before the item fails (the job ID is in the error)',
				},
				{
					displayName: 'Pass Through Failed Jobs',
					name: 'passThroughFailed',
					type: 'boolean',
					default: false,
					displayOptions: { show: { '/mode': ['wait'] } },
					description:
						'Whether FAILED, CANCELLED and TIMED_OUT jobs come out as items with their status and error, instead of failing the item',
				},
				{
					displayName: 'TTL (Seconds)',
					name: 'ttlSeconds',
					type: 'number',
					default: 86400,
					typeOptions: { minValue: 10, maxValue: 604800 },
					description:
						"The job's whole life, queue time included: RunPod drops it when this passes. RunPod's default is 24 hours.",
				},
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['run'] } },
	properties,
);

interface PreparedJob {
	endpointId: string;
	mode: Mode;
	body: RunRequest;
	options: IDataObject;
	maxWaitMs: number;
	/** Jobs in flight at once (Max Parallel Jobs); the first item's value applies to the run. */
	maxParallelJobs: number;
}

/** Reads and checks everything for one item before anything is sent. */
function prepare(this: IExecuteFunctions, itemIndex: number): PreparedJob {
	const endpointId = readEndpointId.call(this, itemIndex);
	const mode = this.getNodeParameter('mode', itemIndex, 'wait') as Mode;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const input = readInput.call(this, itemIndex);
	const policy: IDataObject = {};
	if (options.executionTimeoutSeconds !== undefined) {
		policy.executionTimeout = Math.round(
			checkNumber(
				this.getNode(),
				itemIndex,
				'Execution Timeout (Seconds)',
				options.executionTimeoutSeconds,
				{ min: 5, max: 604800 },
			) * 1000,
		);
	}
	if (options.ttlSeconds !== undefined) {
		policy.ttl = Math.round(
			checkNumber(this.getNode(), itemIndex, 'TTL (Seconds)', options.ttlSeconds, {
				min: 10,
				max: 604800,
			}) * 1000,
		);
	}
	if (options.lowPriority === true) policy.lowPriority = true;
	const body: RunRequest = { input, ...(Object.keys(policy).length ? { policy } : {}) };
	if (mode === 'webhook') {
		const url = String(this.getNodeParameter('webhookUrl', itemIndex, '') ?? '').trim();
		if (!/^https?:\/\/\S+$/i.test(url)) {
			throw new NodeOperationError(
				this.getNode(),
				`Webhook URL: expected an http(s) URL, got ${JSON.stringify(url)}`,
				{
					itemIndex,
					description:
						'Use {{ $execution.resumeUrl }} with a Wait node set to "On Webhook Call", or the production URL of a Webhook node. RunPod must be able to reach it.',
				},
			);
		}
		body.webhook = url;
	}
	// Checked per item (an expression may give NaN), though the first item's value sets the width.
	const maxParallelJobs = checkNumber(
		this.getNode(),
		itemIndex,
		'Max Parallel Jobs',
		options.maxParallelJobs ?? 5,
		{ min: 1, max: 100, integer: true },
	);
	const maxWaitSeconds = checkNumber(
		this.getNode(),
		itemIndex,
		'Max Wait (Seconds)',
		options.maxWaitSeconds ?? 600,
		{ min: 1, max: 86400 },
	);
	checkPayloadSize.call(this, itemIndex, body, mode === 'wait' ? 'runsync' : 'run');
	return { endpointId, mode, body, options, maxWaitMs: maxWaitSeconds * 1000, maxParallelJobs };
}

/** Sends the job once. Unless its answer was lost, a failure means nothing was queued: the record goes. */
async function submit(
	this: IExecuteFunctions,
	itemIndex: number,
	job: PreparedJob,
	attempt: CreateAttempt,
): Promise<JobState> {
	try {
		if (job.mode === 'wait')
			return await jobs.runSync(this, job.endpointId, job.body, Math.min(90_000, job.maxWaitMs), {
				itemIndex,
			});
		return await jobs.run(this, job.endpointId, job.body, { itemIndex });
	} catch (error) {
		if (error instanceof jobs.SubmissionLostError)
			throw submissionLost.call(this, itemIndex, job, error.message);
		// RunPod said no, or nothing was sent: a rerun may send the job.
		attempt.forget();
		if (error instanceof jobs.EndpointNotFoundError)
			throw endpointMissing.call(this, itemIndex, job.endpointId, error.message);
		if (error instanceof jobs.JobRequestRefusedError) {
			throw new NodeOperationError(this.getNode(), `RunPod refused the job: ${error.message}`, {
				itemIndex,
				description:
					'Nothing was queued. Check the Input and the options against what the endpoint expects.',
			});
		}
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}

/** Polls /status with a growing pause until the job is terminal or the wait is over. */
async function waitForEnd(
	this: IExecuteFunctions,
	itemIndex: number,
	job: PreparedJob,
	first: JobState,
	startedMs: number,
): Promise<JobState> {
	let state = first;
	let pauseMs = 500;
	while (!jobs.isTerminalStatus(state.status)) {
		const leftMs = startedMs + job.maxWaitMs - Date.now();
		if (leftMs <= 0) {
			if (job.options.cancelOnMaxWait === false) {
				throw new NodeOperationError(
					this.getNode(),
					`Job ${state.id} was still ${state.status} after ${Math.round(job.maxWaitMs / 1000)} seconds`,
					{
						itemIndex,
						description: `It is still running at RunPod. Fetch its result with Job → Get Status (job ID ${state.id}), raise Max Wait (Seconds), or use Queue with Webhook for long jobs.`,
					},
				);
			}
			const ended = await cancelOnMaxWait.call(this, itemIndex, job, state);
			if (ended) return ended;
			throw new NodeOperationError(
				this.getNode(),
				`Job ${state.id} was still ${state.status} after ${Math.round(job.maxWaitMs / 1000)} seconds`,
				{
					itemIndex,
					description:
						'The node cancelled it so it stops using a worker. Raise Max Wait (Seconds), add workers to the endpoint, or use Queue with Webhook for long jobs.',
				},
			);
		}
		await sleep(Math.min(pauseMs, leftMs));
		pauseMs = Math.min(pauseMs * 2, 10_000);
		const next = await jobs.status(this, job.endpointId, state.id, { itemIndex });
		if (!next) throw jobExpired.call(this, itemIndex, job.endpointId, state.id);
		state = next;
	}
	return state;
}

/**
 * Max Wait passed: cancels the job so it stops billing a worker. Returns the job when it had
 * ended meanwhile (its result is used); undefined once it is cancelled. A cancel that fails is
 * said as failed, with the job ID: the job may still run and bill.
 */
async function cancelOnMaxWait(
	this: IExecuteFunctions,
	itemIndex: number,
	job: PreparedJob,
	state: JobState,
): Promise<JobState | undefined> {
	let answer: JobState | undefined;
	try {
		answer = await jobs.cancel(this, job.endpointId, state.id, { itemIndex });
	} catch (error) {
		const reason = (error as Error).message;
		const text = `Job ${state.id} was still ${state.status} after ${Math.round(job.maxWaitMs / 1000)} seconds, and cancelling it failed`;
		const failure = new NodeOperationError(this.getNode(), text, {
			itemIndex,
			description: `The job may still be running, and billing a worker. Cancel it with Job → Cancel (endpoint ${job.endpointId}, job ID ${state.id}) or in the RunPod console (${consoleUrl(job.endpointId)}). The cancel failed because: ${reason}.`,
		});
		failure.message = text;
		throw failure;
	}
	// The job ended just before the cancel reached it: its result counts.
	if (answer && jobs.isTerminalStatus(answer.status) && answer.status !== 'CANCELLED') {
		return (await jobs.status(this, job.endpointId, state.id, { itemIndex })) ?? answer;
	}
	return undefined;
}

/** The job's answer was lost: RunPod may have queued it, and jobs cannot be listed to find out. */
function submissionLost(
	this: IExecuteFunctions,
	itemIndex: number,
	job: PreparedJob,
	what: string,
): NodeOperationError {
	const message = `The job may have been queued: ${what}, so the node does not know its ID`;
	const error = new NodeOperationError(this.getNode(), message, {
		itemIndex,
		description: `RunPod may run the job (and bill for it) although the answer was lost, and its job API cannot list jobs, so the node cannot look for it. It did not send the job again, and a rerun of this item in the same execution will not either. See the endpoint's requests in the RunPod console (${consoleUrl(job.endpointId)}). To never lose a result, use Queue with Webhook: RunPod then POSTs every job's result to your webhook, whether or not its answer arrived.`,
	});
	error.message = message;
	return error;
}

/** What a rerun keeps of an item's finished job, so a result already paid for is not bought again. */
const KEPT_RESULT_LIMIT_BYTES = 256 * 1024;

interface ResultBudget {
	bytesLeft: number;
}

/** On a rerun of the same item (Retry On Fail), follow the job it already queued. */
async function resume(
	this: IExecuteFunctions,
	itemIndex: number,
	job: PreparedJob,
	jobId: string,
): Promise<JobState | undefined> {
	const known = await jobs.status(this, job.endpointId, jobId, { itemIndex });
	// An accepted job is never sent again: it may have run, and been paid for.
	if (!known) throw resultGone.call(this, itemIndex, job, jobId);
	if (known.status === 'CANCELLED') return undefined;
	if (job.mode === 'wait' && (known.status === 'FAILED' || known.status === 'TIMED_OUT')) {
		// RunPod's own retry runs the same job again, instead of a second job beside it.
		return (await jobs.retry(this, job.endpointId, jobId, { itemIndex })) ?? undefined;
	}
	return known;
}

/** An earlier run's job whose result RunPod no longer keeps: said clearly, never bought again. */
function resultGone(
	this: IExecuteFunctions,
	itemIndex: number,
	job: PreparedJob,
	jobId: string,
): NodeOperationError {
	return new NodeOperationError(
		this.getNode(),
		`The result of job ${jobId}, sent by an earlier run of this item, can no longer be fetched`,
		{
			itemIndex,
			description: `RunPod no longer knows the job (it keeps a finished job's result ${RETENTION_MINUTES.runsync} minute after Wait for Result, ${RETENTION_MINUTES.run} minutes after Queue Only), and its output was too large for the node to keep. The node does not run the job again: it may have completed and been paid for. See the endpoint's requests in the RunPod console (${consoleUrl(job.endpointId)}); for long batches, use Queue with Webhook.`,
		},
	);
}

async function runOne(
	this: IExecuteFunctions,
	itemIndex: number,
	job: PreparedJob,
	budget: ResultBudget,
): Promise<OperationResult> {
	const startedMs = Date.now();
	// n8n's Retry On Fail reruns every item: follow (or reuse) the job an earlier run sent instead of paying again.
	const attempt = createAttempt.call(this, itemIndex, 'job');
	const earlier = attempt.sentBefore;
	let state: JobState | undefined;
	const kept = earlier?.result as JobState | undefined;
	if (kept) return await finished.call(this, itemIndex, job, kept);
	if (earlier?.jobId) state = await resume.call(this, itemIndex, job, earlier.jobId as string);
	else if (earlier?.sending) {
		throw submissionLost.call(
			this,
			itemIndex,
			job,
			'an earlier run of this item sent it and its answer was lost',
		);
	}
	if (!state) {
		// Recorded before sending: if the answer is lost, a rerun must not send it again.
		attempt.markSent({ sending: true });
		state = await submit.call(this, itemIndex, job, attempt);
		attempt.markSent({ jobId: state.id });
	}

	if (job.mode !== 'wait') {
		const base = await endpointBaseUrl(this, job.endpointId);
		return {
			jobId: state.id,
			status: state.status,
			endpointId: job.endpointId,
			// The URL may carry the receiver's secret (the Job Trigger's token): shown without it.
			...(job.body.webhook ? { webhook: redactedWebhookUrl(job.body.webhook) } : {}),
			statusUrl: `${base}/status/${state.id}`,
		};
	}

	state = await waitForEnd.call(this, itemIndex, job, state, startedMs);
	// A cancelled job is not followed again: a rerun queues a new one. A failed one is retried
	// by RunPod on a rerun (its job ID stays recorded); a completed one is reused.
	if (state.status === 'CANCELLED') attempt.forget();
	else if (state.status === 'COMPLETED') keepResult(attempt, state, budget);
	return await finished.call(this, itemIndex, job, state);
}

/** Keeps a finished job for a rerun of this item, within the run's budget. */
function keepResult(attempt: CreateAttempt, state: JobState, budget: ResultBudget): void {
	const size = JSON.stringify(state).length;
	if (size > KEPT_RESULT_LIMIT_BYTES || size > budget.bytesLeft) return;
	budget.bytesLeft -= size;
	attempt.markSent({ jobId: state.id, result: state as unknown as IDataObject });
}

/** A finished job as the item's output (or its error). */
async function finished(
	this: IExecuteFunctions,
	itemIndex: number,
	job: PreparedJob,
	state: JobState,
): Promise<OperationResult> {
	if (jobs.UNSUCCESSFUL_STATUSES.includes(state.status)) {
		if (job.options.passThroughFailed !== true)
			throw jobUnsuccessful.call(this, itemIndex, job.endpointId, state);
		return jobOutput(job.endpointId, state);
	}
	const converted = await outputToBinary.call(this, itemIndex, jobOutput(job.endpointId, state));
	return converted.binary ? new ItemWithBinary(converted.json, converted.binary) : converted.json;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	return await runOne.call(this, itemIndex, prepare.call(this, itemIndex), {
		bytesLeft: KEPT_RESULTS_PER_RUN_BYTES,
	});
}

/** At most this much of finished jobs' results is kept for a rerun, per run of the node. */
const KEPT_RESULTS_PER_RUN_BYTES = 4 * 1024 * 1024;

/**
 * One job per item, at most Max Parallel Jobs in flight. Every item is checked before the first
 * job is sent; an item with bad input fails alone.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
): Promise<Array<Settled<OperationResult>>> {
	const prepared = itemIndexes.map((itemIndex): Settled<PreparedJob> => {
		try {
			return { ok: true, value: prepare.call(this, itemIndex) };
		} catch (error) {
			return { ok: false, error: error as Error };
		}
	});
	// Without Continue On Fail, one bad item stops the node before any job is paid for.
	const invalid = prepared.find((p): p is { ok: false; error: Error } => !p.ok);
	if (invalid && !this.continueOnFail()) throw invalid.error;
	const first = prepared.find((p): p is { ok: true; value: PreparedJob } => p.ok);
	const width = first?.value.maxParallelJobs ?? 5;
	const budget = { bytesLeft: KEPT_RESULTS_PER_RUN_BYTES };
	const outcomes = await mapWithConcurrency(itemIndexes, width, async (itemIndex, position) => {
		const ready = prepared[position];
		if (!ready.ok) throw ready.error;
		return await runOne.call(this, itemIndex, ready.value, budget);
	});
	// Every item got its result (or its error as an item): no rerun follows, nothing need be kept.
	if (this.continueOnFail() || outcomes.every((outcome) => outcome.ok)) {
		for (const itemIndex of itemIndexes) createAttempt.call(this, itemIndex, 'job').forget();
	}
	return outcomes;
}
