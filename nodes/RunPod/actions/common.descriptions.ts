import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_PARALLEL_REQUESTS, REQUEST_POLICY_LIMITS } from '../api';
import { checkNumber } from '../helpers/validation';

export const podLocator: INodeProperties = {
	displayName: 'Pod',
	name: 'podId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The pod to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a pod...',
			typeOptions: { searchListMethod: 'searchPods', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 50qynxzilsxoey',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[A-Za-z0-9]+\\s*$',
						errorMessage: 'A pod ID has only letters and digits',
					},
				},
			],
		},
		{
			displayName: 'By Proxy URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://50qynxzilsxoey-8888.proxy.runpod.net',
			extractValue: { type: 'regex', regex: 'https?://([A-Za-z0-9]+)-\\d+\\.proxy\\.runpod\\.net' },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: 'https?://[A-Za-z0-9]+-\\d+\\.proxy\\.runpod\\.net.*',
						errorMessage: 'Paste a RunPod proxy URL such as https://<pod ID>-8888.proxy.runpod.net',
					},
				},
			],
		},
	],
};

export const simplifyOption: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

export const returnAllOption: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitOption: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	default: 50,
	typeOptions: { minValue: 1 },
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/** How many items Get Many may return: everything, or the Limit (validated, at least 1). */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number {
	if (this.getNodeParameter('returnAll', itemIndex, false) as boolean) return Infinity;
	return checkNumber(
		this.getNode(),
		itemIndex,
		'Limit',
		this.getNodeParameter('limit', itemIndex, 50),
		{ min: 1, integer: true },
	);
}

export const cloudTypeOptions = [
	{
		name: 'Any',
		value: 'ALL',
		description: 'Whichever of Secure or Community Cloud has a machine free',
	},
	{
		name: 'Community Cloud',
		value: 'COMMUNITY',
		description: 'Cheaper machines hosted by vetted third parties',
	},
	{
		name: 'Secure Cloud',
		value: 'SECURE',
		description: "Machines in RunPod's Tier 3/4 data centers; needed for network volumes",
	},
];

/** Environment variables as name/value pairs (RunPod's EnvironmentVariableInput). */
export const envField: INodeProperties = {
	displayName: 'Environment Variables',
	name: 'env',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add Variable',
	options: [
		{
			displayName: 'Variable',
			name: 'variable',
			values: [
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. HF_TOKEN',
				},
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
};

/** Ports as number + protocol; helpers/ports.ts reads them. */
export const portsField: INodeProperties = {
	displayName: 'Ports',
	name: 'ports',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add Port',
	description:
		'Ports to expose. HTTP ports get an HTTPS proxy URL; TCP ports get a public IP and port.',
	options: [
		{
			displayName: 'Port',
			name: 'port',
			values: [
				{
					displayName: 'Port Number',
					name: 'number',
					type: 'number',
					default: 8888,
					typeOptions: { minValue: 1, maxValue: 65535 },
				},
				{
					displayName: 'Protocol',
					name: 'protocol',
					type: 'options',
					default: 'http',
					options: [
						{ name: 'HTTP', value: 'http' },
						{ name: 'TCP', value: 'tcp' },
					],
				},
			],
		},
	],
};

/** The disks of a pod, shared by Pod → Create and the pod templates. */
export const containerDiskField: INodeProperties = {
	displayName: 'Container Disk (GB)',
	name: 'containerDiskInGb',
	type: 'number',
	default: 20,
	typeOptions: { minValue: 1 },
	description: 'Scratch disk of the container; wiped whenever the pod stops',
};

export const podVolumeField: INodeProperties = {
	displayName: 'Pod Volume (GB)',
	name: 'volumeInGb',
	type: 'number',
	default: 20,
	typeOptions: { minValue: 0 },
	description: 'Persistent disk that survives a stop (billed while the pod exists); 0 for none',
};

export const volumeMountPathField: INodeProperties = {
	displayName: 'Volume Mount Path',
	name: 'volumeMountPath',
	type: 'string',
	default: '/workspace',
	description: 'Where the pod volume (or network volume) is mounted inside the container',
};

/** The node-level "Retry and Timeout" options, shown for every resource and operation. */
export const requestPolicyProperty: INodeProperties = {
	displayName: 'Retry and Timeout',
	name: 'requestPolicy',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description:
		'How the node handles a slow or failing RunPod API. Reads, stop, terminate and deletes are retried; a create whose answer was lost is never resent: the node looks for what it made instead.',
	options: [
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			default: 4,
			typeOptions: {
				minValue: REQUEST_POLICY_LIMITS.maxAttempts.min,
				maxValue: REQUEST_POLICY_LIMITS.maxAttempts.max,
			},
			description: 'How many times one request is sent at most, the first time included',
		},
		{
			displayName: 'Max Parallel Requests',
			name: 'maxParallelRequests',
			type: 'number',
			default: DEFAULT_PARALLEL_REQUESTS,
			typeOptions: {
				minValue: REQUEST_POLICY_LIMITS.maxParallelRequests.min,
				maxValue: REQUEST_POLICY_LIMITS.maxParallelRequests.max,
			},
			description:
				"With many items: how many requests the node sends at the same time at most, and never more than RunPod's quota has left. A rate limit halves it for the rest of the run and pauses for as long as RunPod asks.",
		},
		{
			displayName: 'Max Total Wait (Seconds)',
			name: 'maxTotalWaitSeconds',
			type: 'number',
			default: 90,
			typeOptions: {
				minValue: REQUEST_POLICY_LIMITS.maxTotalWaitSeconds.min,
				maxValue: REQUEST_POLICY_LIMITS.maxTotalWaitSeconds.max,
			},
			description:
				'Stop retrying one request once this much time has passed, waits included. When RunPod asks to wait longer than what is left, the node fails at once.',
		},
		{
			displayName: 'Retry Failed Requests',
			name: 'retryEnabled',
			type: 'boolean',
			default: true,
			description:
				'Whether to retry requests that failed for a passing reason (rate limit, RunPod unavailable, network). Off: one attempt per request; a create whose answer was lost is still looked for, and never resent either way.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			default: 30,
			typeOptions: {
				minValue: REQUEST_POLICY_LIMITS.timeoutSeconds.min,
				maxValue: REQUEST_POLICY_LIMITS.timeoutSeconds.max,
				numberPrecision: 1,
			},
			description:
				'How long to wait for RunPod to answer one request before giving up on that attempt',
		},
	],
};
