import type { INode } from 'n8n-workflow';

import { needsRestV2 } from '../errors';

/** The item an operation was called for: the contract passes it in the options, the last argument. */
function itemIndexOf(args: unknown[]): number | undefined {
	const options = args[args.length - 1] as { itemIndex?: unknown } | undefined;
	return typeof options?.itemIndex === 'number' ? options.itemIndex : undefined;
}

/**
 * A resource GraphQL does not have, as the contract's interface: every method refuses with
 * "needs REST v2", naming the item, before any request. `methods` lists them all (the type
 * checks that none is missing or misspelt).
 */
export function restV2Only<T extends object>(
	node: INode,
	what: string,
	methods: { [K in keyof T]: true },
): T {
	const api: Record<string, (...args: unknown[]) => Promise<never>> = {};
	for (const method of Object.keys(methods)) {
		api[method] = async (...args: unknown[]) => {
			throw needsRestV2(node, what, itemIndexOf(args));
		};
	}
	return api as unknown as T;
}

/** One operation GraphQL does not have, on a resource it has: refuses like restV2Only. */
export function restV2OnlyOperation(node: INode, what: string) {
	return async (...args: unknown[]): Promise<never> => {
		throw needsRestV2(node, what, itemIndexOf(args));
	};
}
