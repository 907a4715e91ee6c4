import type { INode } from 'n8n-workflow';

import type { CallOptions } from '../contract';
import { retiredOr, transportFailureOf } from '../errors';

/** True for a GraphQL error answer, and when `pattern` is given, one whose first message matches. */
export const isGraphqlError = (error: unknown, pattern?: RegExp) => {
	const failure = transportFailureOf(error);
	return failure?.kind === 'graphql' && (!pattern || pattern.test(failure.messages[0] ?? ''));
};

/** Every failure passes here: a retired GraphQL becomes the GraphqlRetired domain error. */
export function retirementGuard(node: INode) {
	return async function guard<T>(
		options: CallOptions | undefined,
		run: () => Promise<T>,
	): Promise<T> {
		try {
			return await run();
		} catch (error) {
			throw retiredOr(node, error, options?.itemIndex);
		}
	};
}
