import { KEY_LACKS_SCOPE, KEY_MAY_NOT_DO_THIS } from '../../../credentials/messages';
import { failureCase, failureMessage, failureOf, uncheckedOf } from '../transport/errors';
import type { FailureCase, RunPodFailure } from '../transport/errors';

/**
 * What to do about a failed request, in the node's words (its options, operations and credential
 * fields). The transport says what happened (transport/errors.ts); this layer adds the advice before
 * an error leaves api/ (api/requests.ts), so every operation, list search and trigger shows it.
 */

/** RunPod's capacity message; it is also what RunPod answers for an unknown GPU type. */
export const NO_CAPACITY_PATTERN = /no longer any instances available/i;

/** RunPod's own messages that need more than "check the values you passed". */
const HINTS: Array<[RegExp, string]> = [
	[
		NO_CAPACITY_PATTERN,
		'RunPod has no free machine matching this request right now. Try another GPU type, set Cloud Type to Any, pick another data center, or lower the GPU count. RunPod gives the same answer for a GPU type it does not know, so check the GPU type against the GPU Type → Get Many operation.',
	],
	[/^unauthorized$/i, KEY_MAY_NOT_DO_THIS],
	[
		/not enough free GPUs on the host machine/i,
		'The machine this pod lives on has no free GPUs at the moment. Try again later, or create a new pod elsewhere (data on the pod volume stays on the old machine; network volumes move with you).',
	],
	[
		/cannot resume a spot pod as an on demand pod/i,
		'This is a spot pod: resume it with a bid. The Resume operation does that automatically for spot pods; set "Bid Per GPU" if the last bid is too low.',
	],
	[
		/something went wrong/i,
		'RunPod reported an internal failure. Try again in a few minutes; if it keeps happening, check status.runpod.io or contact RunPod support.',
	],
	[
		/is not defined by type|Cannot query field|Unknown argument|Expected type|Variable "\$/i,
		'RunPod refused the request format. RunPod may have changed its API; update the n8n-nodes-runpod-cloud package, and report it if the problem stays.',
	],
];

function hintFor(message: string): string | undefined {
	return HINTS.find(([pattern]) => pattern.test(message))?.[1];
}

const seconds = (ms: number | undefined) => Math.ceil((ms ?? 0) / 1000);

const ADVICE: Record<FailureCase, (failure: RunPodFailure, first: string) => string> = {
	unsettled: (failure) =>
		`Such a failure does not mean that nothing was done: RunPod may still create it, and bill for it. The node did not send the request again. Before running again, look for ${failure.unsettled?.lookingFor ?? 'what it would have made'}. A rerun of this item in the same execution (Retry On Fail) looks for it first and returns it when it is there.`,
	retired: () =>
		'RunPod retires its GraphQL API in early 2027. Open the RunPod API credential and set API to REST v2: the same workflows work there (spot pods and the account balance do not exist on REST v2). If you use a proxy or the sandbox, also check the Base URL.',
	network: (failure) =>
		failure.ambiguous
			? 'The connection broke after the request was sent, so RunPod may have carried it out. Check the result (for example with Get Many) before running it again. Also check the Base URL in the RunPod API credential.'
			: 'Check the network and the Base URL in the RunPod API credential.',
	timeout: (failure) =>
		failure.ambiguous
			? "The request may still have been carried out by RunPod. Check the result before running it again, or raise Timeout (Seconds) in the node's Retry and Timeout options."
			: "Try again later, or raise Timeout (Seconds) in the node's Retry and Timeout options.",
	keyRejected: () =>
		'Check the API key in the RunPod API credential, or create a new key in the RunPod console → Settings → API Keys.',
	scopeMissing: () => KEY_LACKS_SCOPE,
	firewall: () =>
		"RunPod's firewall blocked the request. This is usually not about the API key: wait a moment and try again.",
	quotaNotSent: (failure) =>
		`RunPod said no more requests are allowed for ${seconds(failure.retryAfterMs)} s, longer than Max Total Wait allows. Nothing was sent. Reduce the number of items per run, or raise Max Total Wait in the node's Retry and Timeout options.`,
	balanceTooLow: () =>
		'Nothing was created. Add funds in the RunPod console → Billing, then run the node again.',
	stateConflict: () =>
		'Read the resource with Get to see its state, and choose an operation that state allows (for example Resume a stopped pod, Stop a running one).',
	formatRefused: (failure) =>
		`${failure.messages.slice(1).join('; ') || 'RunPod named no field.'} RunPod may have changed its API; update the n8n-nodes-runpod-cloud package, and report it if the problem stays.`,
	notFound: () =>
		'Check the ID (list them with Get Many), and the Base URL in the RunPod API credential.',
	rateLimited: (failure) =>
		`Too many requests in a short time${failure.retryAfterMs ? ` (RunPod asked to wait ${seconds(failure.retryAfterMs)} s)` : ''}. Reduce the number of items per run, or raise Max Attempts and Max Total Wait in the node's Retry and Timeout options.`,
	invalidRequest: (_, first) =>
		hintFor(first) ?? 'RunPod refused the request format. Check the values you passed.',
	unavailable: (failure) =>
		failure.ambiguous
			? 'RunPod may have carried out the request before failing. Check the result (for example with Get Many) before running it again.'
			: 'Try again in a few minutes; check status.runpod.io if it persists.',
	otherHttp: (_, first) => hintFor(first) ?? 'Check the Base URL in the RunPod API credential.',
	refused: (_, first) =>
		hintFor(first) ??
		"RunPod refused the request. The message above is RunPod's own; check the values you passed.",
};

/** A failure as the user reads it: the transport's message, and what to do about it. */
export function describeFailure(failure: RunPodFailure): { message: string; description: string } {
	const message = failureMessage(failure);
	const kind = failureCase(failure);
	const advice = ADVICE[kind](failure, failure.messages[0] ?? '');
	if (kind === 'unsettled') return { message, description: advice };
	const notes: string[] = [];
	if (failure.earlierAnswerLost) {
		notes.push(
			'An earlier attempt lost its answer and RunPod may have carried that one out: check the current state.',
		);
	}
	if ((failure.attempts ?? 1) > 1) notes.push(`The request was sent ${failure.attempts} times.`);
	return { message, description: [advice, ...notes].join(' ') };
}

const ADVISED_KEY = 'runpodAdvised';

/**
 * Adds the advice to an error the transport raised, once: the innermost request that failed words
 * it, and what the api layer says on top of that (a domain error's own words) stays.
 */
export function withAdvice<E>(error: E): E {
	const context = (error as { context?: Record<string, unknown> } | undefined)?.context;
	if (!context || context[ADVISED_KEY]) return error;
	const failure = failureOf(error);
	const unchecked = uncheckedOf(error);
	const target = error as { description?: string | null };
	if (failure) target.description = describeFailure(failure).description;
	else if (unchecked) {
		target.description = `RunPod may have done it (and may be billing for it). Before running again, look for ${unchecked.lookingFor}, for example with Get Many. The check failed because: ${unchecked.why}.`;
	} else return error;
	context[ADVISED_KEY] = true;
	return error;
}
