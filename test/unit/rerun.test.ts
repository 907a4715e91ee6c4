import type { IExecuteFunctions } from 'n8n-workflow';

import { createAttempt } from '../../nodes/RunPod/actions/createAttempt';

/** Just what createAttempt reads from n8n's execute context; `context` is shared like n8n's per-execution node context. */
function fakeContext(options: {
	executionId?: string;
	runIndex?: number;
	context?: Record<string, unknown>;
	nodeId?: string;
}) {
	const context = options.context ?? {};
	return {
		getContext: () => context,
		getExecutionId: () => options.executionId,
		getWorkflowDataProxy: () => ({ $runIndex: options.runIndex ?? 0 }),
		getInstanceId: () => 'instance',
		getWorkflow: () => ({ id: 'wf1' }),
		getNode: () => ({ id: options.nodeId ?? 'node-1', name: 'RunPod' }),
	} as unknown as IExecuteFunctions;
}

test('a rerun of the same execution, node, run and item gets the same marker and knows it was sent', () => {
	const context = {};
	const first = createAttempt.call(fakeContext({ executionId: '7', context }), 0, 'pod');
	expect(first.sentBefore).toBeUndefined();
	first.markSent({ note: 'x' });
	const rerun = createAttempt.call(fakeContext({ executionId: '7', context }), 0, 'pod');
	expect(rerun.marker).toBe(first.marker);
	expect(rerun.sentBefore).toEqual({ note: 'x' });
	expect(rerun.marker).toMatch(/^[a-z0-9]+$/);
});

test('another item, loop pass (run index), node, kind or execution gets another marker', () => {
	const base = createAttempt.call(fakeContext({ executionId: '7' }), 0, 'pod').marker;
	const others = [
		createAttempt.call(fakeContext({ executionId: '7' }), 1, 'pod').marker,
		createAttempt.call(fakeContext({ executionId: '7', runIndex: 1 }), 0, 'pod').marker,
		createAttempt.call(fakeContext({ executionId: '7', nodeId: 'node-2' }), 0, 'pod').marker,
		createAttempt.call(fakeContext({ executionId: '7' }), 0, 'volume').marker,
		createAttempt.call(fakeContext({ executionId: '8' }), 0, 'pod').marker,
	];
	expect(new Set([base, ...others]).size).toBe(6);
});

test('without an execution id, one run keeps one marker per item and another run gets new ones', () => {
	const context = {};
	const a = createAttempt.call(fakeContext({ context }), 0, 'pod').marker;
	expect(createAttempt.call(fakeContext({ context }), 0, 'pod').marker).toBe(a);
	expect(createAttempt.call(fakeContext({ context: {} }), 0, 'pod').marker).not.toBe(a);
});
