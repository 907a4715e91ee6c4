/** Shared by unit and contract tests: record what the api layer sends, and check it against the schema. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { buildSchema, getOperationAST, parse, validate } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import type { IDataObject } from 'n8n-workflow';

import type { RequestContext } from '../../nodes/RunPod/transport/graphql';

/** The project's copy of RunPod's schema: the one source for the sandbox and the contract tests. */
export const schema = buildSchema(
	readFileSync(join(__dirname, '../../sandbox/schema.graphql'), 'utf8'),
);

/** Validation errors of a document against the schema. */
export function documentErrors(query: string): string[] {
	return validate(schema, parse(query)).map((e) => e.message);
}

/** Validation errors of a document, plus coercion errors of its variables. */
export function schemaErrors(query: string, variables: IDataObject): string[] {
	const operation = getOperationAST(parse(query));
	if (!operation) return ['the document has no single operation'];
	return [
		...documentErrors(query),
		...(getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors ?? []).map(
			(e) => e.message,
		),
	];
}

/** A request context that records every GraphQL request the api layer sends and answers with `answer`. */
export function recordingContext(answer: IDataObject = {}) {
	const sent: Array<{ query: string; variables: IDataObject }> = [];
	const ctx = {
		getNode: () => ({
			name: 'RunPod',
			type: 'n8n-nodes-runpod-cloud.runPod',
			typeVersion: 1,
			parameters: {},
		}),
		getCredentials: async () => ({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' }),
		getNodeParameter: (_name: string, _itemIndex: number, fallback: unknown) => fallback,
		helpers: {
			httpRequestWithAuthentication: async (
				_type: string,
				request: { body: { query: string; variables: IDataObject } },
			) => {
				sent.push(request.body);
				return { statusCode: 200, headers: {}, body: { data: answer } };
			},
		},
	} as unknown as RequestContext;
	return { ctx, sent };
}
