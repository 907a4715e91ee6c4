import type { INodeProperties } from 'n8n-workflow';

import { gpuTypeLocator } from '../helpers/gpuType';

const podEvents = ['podStatusChanged', 'podCreated', 'podTerminated'];

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'podStatusChanged',
		options: [
			{
				name: 'Balance Below',
				value: 'balanceBelow',
				description:
					'The account balance drops below an amount (GraphQL API only; one request per poll)',
			},
			{
				name: 'GPU Available',
				value: 'gpuAvailable',
				description: 'A GPU type comes into stock within your price (one request per poll)',
			},
			{
				name: 'Pod Created',
				value: 'podCreated',
				description: 'A pod appears in the account (one request per poll)',
			},
			{
				name: 'Pod Status Changed',
				value: 'podStatusChanged',
				description: 'A pod starts, stops, fails or is terminated (one request per poll)',
			},
			{
				name: 'Pod Terminated',
				value: 'podTerminated',
				description: 'A pod disappears from the account (one request per poll)',
			},
			{
				name: 'Spend Rate Above',
				value: 'spendRateAbove',
				description: 'The account spend per hour goes above an amount (one request per poll)',
			},
		],
	},
	{
		displayName:
			'The first poll after activation only records what it sees, so activating never floods the workflow. Fetch Test Event returns a sample from your account (marked "sample": true) without moving the trigger\'s state.',
		name: 'stateNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Filters',
		name: 'podFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { event: podEvents } },
		options: [
			{
				displayName: 'Name Contains',
				name: 'nameContains',
				type: 'string',
				default: '',
				placeholder: 'e.g. worker',
				description: 'Only pods whose name contains this text (not case-sensitive)',
			},
			{
				displayName: 'Status',
				name: 'statuses',
				type: 'multiOptions',
				default: [],
				description: 'Only changes to these statuses; none selected means every change',
				displayOptions: { show: { '/event': ['podStatusChanged'] } },
				options: [
					{ name: 'Error', value: 'ERROR' },
					{ name: 'Exited (Stopped)', value: 'EXITED' },
					{ name: 'Running', value: 'RUNNING' },
					{ name: 'Starting', value: 'STARTING' },
					{ name: 'Terminated', value: 'TERMINATED' },
				],
			},
		],
	},
	{
		displayName: 'GPU Selection',
		name: 'gpuSelection',
		type: 'options',
		default: 'type',
		displayOptions: { show: { event: ['gpuAvailable'] } },
		options: [
			{ name: 'A GPU Type', value: 'type', description: 'Watch one GPU type' },
			{
				name: 'Any GPU With Minimum VRAM',
				value: 'minMemory',
				description: 'Watch every GPU type with at least this much memory; each fires on its own',
			},
		],
	},
	{
		...gpuTypeLocator,
		description: 'The GPU type to watch',
		displayOptions: { show: { event: ['gpuAvailable'], gpuSelection: ['type'] } },
	},
	{
		displayName: 'Minimum VRAM (GB)',
		name: 'minMemoryInGb',
		type: 'number',
		default: 80,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { event: ['gpuAvailable'], gpuSelection: ['minMemory'] } },
	},
	{
		displayName: 'Cloud Type',
		name: 'cloudType',
		type: 'options',
		default: 'ALL',
		displayOptions: { show: { event: ['gpuAvailable'] } },
		options: [
			{ name: 'Any', value: 'ALL', description: 'Secure or Community Cloud, whichever is cheaper' },
			{ name: 'Community Cloud', value: 'COMMUNITY' },
			{ name: 'Secure Cloud', value: 'SECURE' },
		],
	},
	{
		displayName: 'GPU Count',
		name: 'gpuCount',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, maxValue: 8 },
		displayOptions: { show: { event: ['gpuAvailable'] } },
		description: 'Stock and price are for a pod with this many GPUs of the type',
	},
	{
		displayName: 'Max Price Per Hour (USD)',
		name: 'maxPricePerHr',
		type: 'number',
		default: 3,
		required: true,
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		displayOptions: { show: { event: ['gpuAvailable'] } },
		description: "Fire only when RunPod's live on-demand price for all the GPUs is at most this",
	},
	{
		displayName: 'Spend Per Hour Above (USD)',
		name: 'spendThreshold',
		type: 'number',
		default: 5,
		required: true,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		displayOptions: { show: { event: ['spendRateAbove'] } },
		description:
			"Fire when the account's spend per hour goes above this; again only after it has come back down",
	},
	{
		displayName: 'Balance Below (USD)',
		name: 'balanceThreshold',
		type: 'number',
		default: 10,
		required: true,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		displayOptions: { show: { event: ['balanceBelow'] } },
		description:
			'Fire when the account balance drops below this; again only after a top-up. Needs the GraphQL API.',
	},
];
