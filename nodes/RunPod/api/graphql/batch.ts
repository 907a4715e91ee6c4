import type { IDataObject } from 'n8n-workflow';

import { mapWithConcurrency } from '../../helpers/concurrency';
import { graphqlRequestWithRecovery } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/graphql';
import type { BatchOutcome } from '../contract';

/** Aliases per document: RunPod documents no limit; 50 keeps one answer small and one failure cheap. */
export const MAX_ALIASES_PER_DOCUMENT = 50;

/** One GraphQL mutation field that many items can share a document for. */
export interface AliasedMutation {
	operationName: string;
	field: string;
	inputType: string;
	/** The fields to select, e.g. `{ ...PodFields }`; empty for a scalar result. */
	selection: string;
	/** Fragment definitions the selection uses. */
	fragments?: string;
}

/** One document with `count` aliases `a0…`, each with its own input variable `$i0…`. */
export function aliasedDocument(mutation: AliasedMutation, count: number): string {
	const positions = Array.from({ length: count }, (_, position) => position);
	const variables = positions.map((position) => `$i${position}: ${mutation.inputType}`).join(', ');
	const selection = mutation.selection ? ` ${mutation.selection}` : '';
	const fields = positions
		.map((position) => `\ta${position}: ${mutation.field}(input: $i${position})${selection}`)
		.join('\n');
	return `mutation ${mutation.operationName}(${variables}) {\n${fields}\n}${mutation.fragments ? `\n${mutation.fragments}` : ''}`;
}

/** What happened to one input of an aliased batch: `refused` when RunPod refused its alias alone (`errors[].path`; `resent` when the document was sent more than once). */
export type AliasOutcome<T> =
	BatchOutcome<T> | { status: 'refused'; messages: string[]; resent: boolean };

/**
 * Sends one idempotent mutation for every input, up to 50 per document, documents in parallel
 * within the execution's request window. Outcomes come back in input order.
 */
export async function mutateMany<T>(
	ctx: RequestContext,
	mutation: AliasedMutation,
	inputs: IDataObject[],
	options: RequestOptions & { parallel: number; itemIndexes?: number[] },
): Promise<Array<AliasOutcome<T>>> {
	const chunks: IDataObject[][] = [];
	for (let start = 0; start < inputs.length; start += MAX_ALIASES_PER_DOCUMENT) {
		chunks.push(inputs.slice(start, start + MAX_ALIASES_PER_DOCUMENT));
	}
	const { parallel, itemIndexes, ...requestOptions } = options;
	const settled = await mapWithConcurrency(chunks, parallel, async (chunk, index) => {
		const variables: IDataObject = {};
		chunk.forEach((input, position) => (variables[`i${position}`] = input));
		const { data, errors, resent } = await graphqlRequestWithRecovery<Record<string, T | null>>(
			ctx,
			aliasedDocument(mutation, chunk.length),
			variables,
			// A failed request names the first item it carried.
			{
				...requestOptions,
				itemIndex: itemIndexes?.[index * MAX_ALIASES_PER_DOCUMENT] ?? requestOptions.itemIndex,
				idempotent: true,
				partialErrors: true,
			},
		);
		return chunk.map((_, position): AliasOutcome<T> => {
			const alias = `a${position}`;
			const own = (errors ?? []).filter((error) => error.path?.[0] === alias);
			if (own.length)
				return {
					status: 'refused',
					messages: own.map((error) => error.message ?? '').filter(Boolean),
					resent: !!resent,
				};
			return { status: 'done', value: data[alias] as T };
		});
	});
	return settled.flatMap((chunk, index) =>
		chunk.ok
			? chunk.value
			: chunks[index].map((): AliasOutcome<T> => ({ status: 'failed', error: chunk.error })),
	);
}
