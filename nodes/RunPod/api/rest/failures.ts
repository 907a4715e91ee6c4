import type { INode } from 'n8n-workflow';

import { mapWithConcurrency } from '../../helpers/concurrency';
import type { BatchCallOptions, BatchOutcome, BatchTarget, CallOptions } from '../contract';
import { domainError, notOffered, transportFailureOf } from '../errors';
import type { MachineRequirements } from '../types';

/** What every "REST v2 does not offer this" error suggests besides its own alternative. */
export const GRAPHQL_UNTIL =
	'or switch the RunPod API credential to GraphQL (until RunPod retires it in early 2027)';

/** The HTTP status of a failed REST request, if it got an answer. */
export const statusOf = (error: unknown) => transportFailureOf(error)?.status;
/** RunPod's own words about a failed REST request (problem+json detail), or ''. */
export const detailOf = (error: unknown) => transportFailureOf(error)?.messages[0] ?? '';

/** 404 as the NotFound domain error, with where to find the right ID (`how`). */
export function notFound(
	node: INode,
	resource: string,
	id: string,
	options: CallOptions,
	how: string,
): Error {
	return domainError(
		node,
		{ kind: 'NotFound', resource, id },
		`The ${resource} "${id}" was not found`,
		`Your RunPod account has no ${resource} with this ID. Check the ID, or list them with ${how}.`,
		options.itemIndex,
	);
}

/** REST v2 gives each GPU type its standard vCPUs and memory: a minimum cannot be asked for. */
export function checkMachine(
	node: INode,
	machine: MachineRequirements,
	options: CallOptions,
): void {
	if ((machine.minVcpuCount ?? 0) > 0 || (machine.minMemoryInGb ?? 0) > 0) {
		throw notOffered(
			node,
			'Minimum vCPUs and memory',
			`Remove Minimum vCPUs and Minimum Memory from the pod's options (REST v2 gives each GPU type its standard vCPUs and memory), ${GRAPHQL_UNTIL}.`,
			options.itemIndex,
		);
	}
}

/** REST v2 has no batch endpoint: one request per target, at most `parallel` in flight. */
export async function each<T>(
	targets: BatchTarget[],
	options: BatchCallOptions,
	work: (id: string, callOptions: CallOptions) => Promise<T>,
): Promise<Array<BatchOutcome<T>>> {
	const settled = await mapWithConcurrency(
		targets,
		options.parallel,
		async (target) =>
			await work(target.id, {
				itemIndex: target.itemIndex,
				policy: options.policy,
				window: options.window,
			}),
	);
	return settled.map((outcome): BatchOutcome<T> =>
		outcome.ok
			? { status: 'done', value: outcome.value }
			: { status: 'failed', error: outcome.error },
	);
}
