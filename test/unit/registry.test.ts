/**
 * The operation registry: one table per resource gives the Operation dropdown and the dispatch.
 * The node's description is what users' saved workflows depend on, so it is compared with a
 * snapshot of the description written by hand before the registry existed. A deliberate change to
 * a field or an operation updates it with `npx jest test/unit/registry.test.ts -u`.
 */
import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { defineResource } from '../../nodes/RunPod/actions/node.type';
import * as getPod from '../../nodes/RunPod/actions/pod/get.operation';
import {
	findOperation,
	operationModule,
	registry,
	type RunPodMap,
	type RunPodOperation,
} from '../../nodes/RunPod/actions/registry';
import { router } from '../../nodes/RunPod/actions/router';
import { RunPod } from '../../nodes/RunPod/RunPod.node';

const description = new RunPod().description;

test("the node's description (resources, every Operation dropdown, every field) is unchanged", () => {
	// Through JSON, as n8n sends it to the editor.
	expect(JSON.parse(JSON.stringify(description))).toMatchSnapshot();
});

function context(parameters: Record<string, string>): IExecuteFunctions {
	const node: INode = {
		id: 'node',
		name: 'RunPod',
		type: 'n8n-nodes-runpod-cloud.runPod',
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	return {
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name: string) => parameters[name],
		getNode: () => node,
		continueOnFail: () => false,
	} as unknown as IExecuteFunctions;
}

test.each([
	['pod', 'crate'],
	['pod', 'constructor'],
	['constructor', 'create'],
	['toString', 'get'],
])(
	'an unknown operation (%s → %s) stops the node with a clear error, before anything is sent',
	async (resource, operation) => {
		await expect(router.call(context({ resource, operation }))).rejects.toThrow(
			`The operation "${operation}" is not known for "${resource}"`,
		);
	},
);

test("every field shown for an operation names an operation of its resource's table", () => {
	const known = (resource: string, operation: string) => !!findOperation(resource, operation);
	const misplaced = description.properties.flatMap((property: INodeProperties) => {
		const show = property.displayOptions?.show ?? {};
		const operations = (show.operation ?? []) as string[];
		const resources = (show.resource ?? Object.keys(registry)) as string[];
		return operations
			.filter((operation) => !resources.some((resource) => known(resource, operation)))
			.map((operation) => `${property.name} → ${resources.join('/')} ${operation}`);
	});
	expect(misplaced).toEqual([]);
});

test('the dispatch runs the module of the row the dropdown option comes from', () => {
	const pair = findOperation('pod', 'get');
	expect(pair).toEqual({ resource: 'pod', operation: 'get' });
	expect(operationModule(pair!)).toBe(getPod);
	expect(findOperation('pod', 'getHealth')).toBeUndefined();
});

/*
 * Type tests: `npm run typecheck` compiles this file, and an `@ts-expect-error` whose line
 * compiles is itself an error. So these prove that a misspelt or missing operation does not build.
 */
test('a misspelt or missing operation is a compile error', () => {
	const chosen: RunPodOperation[] = [
		{ resource: 'pod', operation: 'createSpot' },
		{ resource: 'job', operation: 'purgeQueue' },
		// @ts-expect-error: misspelt operation
		{ resource: 'pod', operation: 'crate' },
		// @ts-expect-error: an operation of another resource
		{ resource: 'account', operation: 'terminate' },
		// @ts-expect-error: misspelt resource
		{ resource: 'pods', operation: 'get' },
	];
	// Something kept per operation (here: one flag per operation of a resource) must name them all.
	const templateOperations: Record<RunPodMap['template'], boolean> = {
		create: true,
		delete: true,
		get: true,
		getAll: true,
		update: true,
	};
	// @ts-expect-error: `update` is missing
	const incomplete: Record<RunPodMap['networkVolume'], boolean> = {
		create: true,
		delete: true,
		get: true,
		getAll: true,
	};
	const misspeltDefault = () =>
		defineResource({
			name: 'Example',
			// @ts-expect-error: the default names no row of the table
			default: 'getAl',
			operations: {
				getAll: {
					name: 'Get Many',
					action: 'Get many examples',
					description: 'List',
					module: getPod,
				},
			},
		});
	const rowWithoutModule = () =>
		defineResource({
			name: 'Example',
			default: 'get',
			// @ts-expect-error: a row without the module that runs it
			operations: { get: { name: 'Get', action: 'Get an example', description: 'Get one' } },
		});
	// The values the tables declare are the ones the router finds.
	for (const pair of chosen.slice(0, 2))
		expect(findOperation(pair.resource, pair.operation)).toEqual(pair);
	expect(Object.keys(templateOperations).sort()).toEqual(
		Object.keys(registry.template.operations).sort(),
	);
	expect([incomplete, misspeltDefault, rowWithoutModule]).toHaveLength(3);
});
