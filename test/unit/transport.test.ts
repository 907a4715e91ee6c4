import type { INode } from 'n8n-workflow';

import { describeFailure, withAdvice } from '../../nodes/RunPod/api/failureAdvice';
import { failureOf, toNodeApiError } from '../../nodes/RunPod/transport/errors';
import type { RunPodFailure } from '../../nodes/RunPod/transport/errors';
import {
	DEFAULT_RETRY_POLICY,
	isRetryable,
	parseRetryAfter,
	retryDelayMs,
} from '../../nodes/RunPod/transport/retry';

const node = {
	name: 'RunPod',
	type: 'n8n-nodes-runpod-cloud.runPod',
	typeVersion: 1,
	parameters: {},
} as unknown as INode;

const graphql = (message: string): RunPodFailure => ({
	kind: 'graphql',
	status: 200,
	messages: [message],
	ambiguous: false,
});
const http = (status: number, extra: Partial<RunPodFailure> = {}): RunPodFailure => ({
	kind: 'http',
	status,
	messages: [],
	ambiguous: status >= 500,
	...extra,
});

describe('error messages say what happened and how to fix it', () => {
	test('no capacity: RunPod message kept, hint names other GPU types, cloud type Any and the GPU list', () => {
		const { message, description } = describeFailure(
			graphql(
				'There are no longer any instances available with the requested specifications. Please refresh and try again.',
			),
		);
		expect(message).toMatch(/^There are no longer any instances available/);
		expect(description).toMatch(/another GPU type/);
		expect(description).toMatch(/Cloud Type to Any/);
		expect(description).toMatch(/GPU Type → Get Many/);
	});

	test('"Unauthorized" on a mutation means a read-only key', () => {
		expect(describeFailure(graphql('Unauthorized')).description).toMatch(/Read\/Write permission/);
	});

	test('full host on resume, spot resumed as on-demand, internal failures', () => {
		expect(
			describeFailure(
				graphql('There are not enough free GPUs on the host machine to start this pod.'),
			).description,
		).toMatch(/no free GPUs/);
		expect(
			describeFailure(graphql('Cannot resume a spot pod as an on demand pod.')).description,
		).toMatch(/with a bid/);
		expect(
			describeFailure(graphql('Something went wrong. Please try again later or contact support.'))
				.description,
		).toMatch(/internal failure/);
	});

	test('HTTP statuses', () => {
		expect(describeFailure(http(401)).message).toBe('RunPod rejected the API key (HTTP 401)');
		expect(describeFailure(http(429)).message).toMatch(/HTTP 429/);
		expect(describeFailure(http(503)).description).toMatch(/carried out the request/);
		expect(
			describeFailure(
				http(400, { messages: ['Field "x" is not defined by type "PodResumeInput".'] }),
			).message,
		).toBe('Field "x" is not defined by type "PodResumeInput".');
	});

	test('a dropped connection warns the request may have been applied', () => {
		expect(
			describeFailure({ kind: 'network', code: 'ECONNRESET', messages: [], ambiguous: true })
				.description,
		).toMatch(/may have carried it out/);
	});

	test('the transport says what happened; the advice naming node options is added once, by api/', () => {
		const error = toNodeApiError(node, { kind: 'timeout', messages: [], ambiguous: false }, 0);
		expect(error.message).toBe('RunPod did not answer in time');
		expect(error.description).not.toMatch(/Timeout \(Seconds\)/);
		expect(withAdvice(error).description).toMatch(/raise Timeout \(Seconds\) in the node's Retry/);
		error.description = 'What an adapter said on top';
		expect(withAdvice(error).description).toBe('What an adapter said on top');
	});

	test('the NodeApiError keeps the failure for the node to reason about, and the item index', () => {
		const error = toNodeApiError(node, graphql('Unauthorized'), 2);
		expect(error.message).toBe('Unauthorized');
		expect(failureOf(error)?.kind).toBe('graphql');
		expect(error.context.itemIndex).toBe(2);
	});
});

describe('retry policy', () => {
	test('a 429 is retried even for creates: RunPod refused it before doing anything', () => {
		expect(isRetryable(http(429), false)).toBe(true);
	});

	test('gateway errors and timeouts are retried only when the request is idempotent', () => {
		for (const failure of [
			http(502),
			http(503),
			http(504),
			{ kind: 'timeout', messages: [], ambiguous: true } as RunPodFailure,
		]) {
			expect(isRetryable(failure, true)).toBe(true);
			expect(isRetryable(failure, false)).toBe(false);
		}
	});

	test('RunPod refusals and 500s are never retried', () => {
		expect(isRetryable(graphql('There are no longer any instances available'), true)).toBe(false);
		expect(isRetryable(http(500), true)).toBe(false);
		expect(isRetryable(http(401), true)).toBe(false);
	});

	test('a connection that was never made is safe to retry', () => {
		expect(
			isRetryable({ kind: 'network', code: 'ECONNREFUSED', messages: [], ambiguous: false }, false),
		).toBe(true);
	});

	test('backoff grows, is capped, and never waits less than Retry-After', () => {
		const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
		const failure = http(503);
		expect(retryDelayMs(1, policy, failure, () => 1)).toBe(100);
		expect(retryDelayMs(3, policy, failure, () => 1)).toBe(400);
		expect(retryDelayMs(10, policy, failure, () => 1)).toBe(1000);
		expect(retryDelayMs(1, policy, failure, () => 0)).toBe(50);
		expect(retryDelayMs(1, policy, { ...failure, retryAfterMs: 5000 }, () => 0)).toBe(5000);
	});

	test('Retry-After in seconds or as a date, and the RateLimit header', () => {
		const now = Date.parse('2026-11-26T12:00:00Z');
		expect(parseRetryAfter({ 'retry-after': '3' }, now)).toBe(3000);
		expect(parseRetryAfter({ 'Retry-After': 'Thu, 26 Nov 2026 12:00:10 GMT' }, now)).toBe(10000);
		expect(parseRetryAfter({ ratelimit: 'limit=100, remaining=0, reset=7' }, now)).toBe(7000);
		expect(parseRetryAfter({ ratelimit: 'limit=100, remaining=5, reset=7' }, now)).toBeUndefined();
		expect(parseRetryAfter({}, now)).toBeUndefined();
	});
});
