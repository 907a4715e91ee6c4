import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { account } from './account';
import { requestPolicyProperty } from './common.descriptions';
import { billing } from './billing';
import { containerRegistryAuth } from './containerRegistryAuth';
import { cluster } from './cluster';
import { cpuType } from './cpuType';
import { dataCenter } from './dataCenter';
import { endpoint } from './endpoint';
import { gpuType } from './gpuType';
import { job } from './job';
import { networkVolume } from './networkVolume';
import type { AllEntities, OperationModule, OperationTable, Resource } from './node.type';
import { pod } from './pod';
import { template } from './template';

/**
 * Resource value → its operation table: the one list the Resource and Operation dropdowns, their
 * fields and the router's dispatch all come from. A new resource is one line here; a new
 * operation is one row in its resource's table (`actions/<resource>/index.ts`).
 */
export const registry = {
	account,
	billing,
	containerRegistryAuth,
	cluster,
	cpuType,
	dataCenter,
	endpoint,
	gpuType,
	job,
	networkVolume,
	pod,
	template,
} satisfies Record<string, Resource>;

/** Resource value → the values of its operations, read from the tables (n8n's node map). */
export type RunPodMap = {
	[R in keyof typeof registry]: keyof (typeof registry)[R]['operations'] & string;
};

/** Every valid { resource, operation } pair: a misspelt or missing operation does not compile. */
export type RunPodOperation = AllEntities<RunPodMap>;

const has = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** The pair the user chose, if this version of the node knows it. */
export function findOperation(resource: string, operation: string): RunPodOperation | undefined {
	if (!has(registry, resource)) return undefined;
	const table: OperationTable = registry[resource as keyof typeof registry].operations;
	return has(table, operation) ? ({ resource, operation } as RunPodOperation) : undefined;
}

/** What runs for a known pair. */
export function operationModule({ resource, operation }: RunPodOperation): OperationModule {
	const table: OperationTable = registry[resource].operations;
	return table[operation].module;
}

/** n8n's order for options: alphabetical by name (the `options-type-unsorted-items` lint rule). */
const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** A resource's Operation dropdown, then its operations' fields in the table's order. */
function resourceDescription(resource: string, definition: Resource): INodeProperties[] {
	const rows = Object.entries(definition.operations);
	// A name, not `definition.default`: n8n's lint (node-param-default-missing) lets a default it
	// cannot read pass only when it is a name or a call.
	const startWith = definition.default;
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: rows
				.map(([value, { name, action, description }]) => ({ name, value, action, description }))
				.sort(byName),
			default: startWith,
		},
		...rows.flatMap(([, { module }]) => module.description),
	];
}

const resources = Object.entries(registry) as Array<[string, Resource]>;
const firstResource: keyof typeof registry = 'pod';

/** The Resource selector followed by every resource's operation and fields. */
export const resourceProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources.map(([value, { name }]) => ({ name, value })).sort(byName),
		default: firstResource,
	},
	...resources.flatMap(([resource, definition]) => resourceDescription(resource, definition)),
	// Shown for every resource and operation: keep it last, after all resources' fields.
	requestPolicyProperty,
];
