import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type {
	BillingBucketSize,
	BillingQuery,
	BillingRecord,
	BillingReport,
	BillingScope,
} from '../../api/billing.types';
import type { RunPodApi } from '../../api/contract';
import { checkNumber, checkOptionalText, invalidParameter } from '../../helpers/validation';
import { podLocator } from '../common.descriptions';
import { endpointLocator } from '../job/jobItem';
import { networkVolumeLocator } from '../networkVolume/volumeItem';

/** Each scope's filter field and the name its records' resource ID gets in the output. */
const FILTERS: Partial<Record<BillingScope, { parameter: string; label: string; idKey: string }>> =
	{
		pods: { parameter: 'podId', label: 'Pod', idKey: 'podId' },
		serverless: { parameter: 'endpointId', label: 'Endpoint', idKey: 'endpointId' },
		networkVolumes: {
			parameter: 'networkVolumeId',
			label: 'Network Volume',
			idKey: 'networkVolumeId',
		},
		clusters: { parameter: 'clusterId', label: 'Cluster ID', idKey: 'clusterId' },
	};

const show = (scope: BillingScope) => ({ show: { scope: [scope] } });
const optional = (field: INodeProperties, scope: BillingScope, what: string): INodeProperties => ({
	...field,
	required: false,
	description: `Only this ${what}; leave empty for every ${what}`,
	displayOptions: show(scope),
});

export const description = updateDisplayOptions(
	{ show: { resource: ['billing'], operation: ['getSpend'] } },
	[
		{
			displayName: 'Spend Of',
			name: 'scope',
			type: 'options',
			default: 'account',
			options: [
				{
					name: 'Clusters',
					value: 'clusters',
					description: 'Instant clusters: GPU, disk and networking',
				},
				{
					name: 'Everything',
					value: 'account',
					description: 'The whole account, with each kind of cost broken out',
				},
				{
					name: 'Network Volumes',
					value: 'networkVolumes',
					description: 'Network storage, standard and high-performance',
				},
				{ name: 'Pods', value: 'pods', description: 'GPU and CPU pods: compute and disk' },
				{
					name: 'Public Endpoints',
					value: 'endpoints',
					description: "RunPod's hosted public endpoints (models RunPod runs for you)",
				},
				{
					name: 'Serverless',
					value: 'serverless',
					description: 'Your serverless endpoints: GPU, CPU, disk and platform fee',
				},
			],
			description: 'What to report the spend of',
		},
		optional(podLocator, 'pods', 'pod'),
		optional(endpointLocator, 'serverless', 'endpoint'),
		optional(networkVolumeLocator, 'networkVolumes', 'network volume'),
		{
			displayName: 'Cluster ID',
			name: 'clusterId',
			type: 'string',
			default: '',
			placeholder: 'e.g. cluster_abc123',
			description: 'Only this cluster; leave empty for every cluster',
			displayOptions: show('clusters'),
		},
		{
			displayName: 'Bucket Size',
			name: 'bucketSize',
			type: 'options',
			default: 'day',
			options: [
				{ name: 'Day', value: 'day' },
				{ name: 'Hour', value: 'hour' },
				{ name: 'Month', value: 'month' },
				{ name: 'Week', value: 'week' },
				{ name: 'Year', value: 'year' },
			],
			description: 'The length of each item’s period',
		},
		{
			displayName: 'Period',
			name: 'period',
			type: 'options',
			default: 'last',
			options: [
				{
					name: 'Last Buckets',
					value: 'last',
					description: 'The last N buckets, ending with the current one',
				},
				{ name: 'Between Dates', value: 'range', description: 'From a start to an end' },
			],
			description: 'Which period to report',
		},
		{
			displayName: 'Number of Buckets',
			name: 'lastN',
			type: 'number',
			default: 7,
			typeOptions: { minValue: 1 },
			description: 'How many buckets, ending with the current (still running) one',
			displayOptions: { show: { period: ['last'] } },
		},
		{
			displayName: 'Start',
			name: 'startTime',
			type: 'dateTime',
			default: '',
			required: true,
			description: 'RunPod moves it back to the start of its bucket (midnight UTC for days)',
			displayOptions: { show: { period: ['range'] } },
		},
		{
			displayName: 'End',
			name: 'endTime',
			type: 'dateTime',
			default: '',
			description:
				'Exclusive; leave empty for now. RunPod moves it forward to the end of its bucket.',
			displayOptions: { show: { period: ['range'] } },
		},
		{
			displayName: 'Split by Resource',
			name: 'splitByResource',
			type: 'boolean',
			default: false,
			description:
				'Whether to return one item per pod, endpoint, volume or cluster per bucket, instead of one item per bucket with their spend added up',
			displayOptions: { show: { scope: ['pods', 'serverless', 'networkVolumes', 'clusters'] } },
		},
	],
);

const SCOPES = new Set<BillingScope>([
	'account',
	'pods',
	'serverless',
	'endpoints',
	'networkVolumes',
	'clusters',
]);
const BUCKETS = new Set<BillingBucketSize>(['hour', 'day', 'week', 'month', 'year']);

function readDate(
	this: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
): string | undefined {
	const value = this.getNodeParameter(name, itemIndex, '') as unknown;
	const text =
		value instanceof Date ? value.toISOString() : typeof value === 'string' ? value.trim() : '';
	if (!text) return undefined;
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) {
		throw invalidParameter(
			this.getNode(),
			itemIndex,
			label,
			`"${text}" is not a date`,
			'Pick a date, or give one such as 2026-12-01T00:00:00Z.',
		);
	}
	return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

function readQuery(
	this: IExecuteFunctions,
	itemIndex: number,
): { scope: BillingScope; query: BillingQuery } {
	const node = this.getNode();
	const scope = this.getNodeParameter('scope', itemIndex, 'account') as BillingScope;
	if (!SCOPES.has(scope))
		throw invalidParameter(
			node,
			itemIndex,
			'Spend Of',
			`"${String(scope)}" is not known`,
			'Choose one from the list.',
		);
	const bucketSize = this.getNodeParameter('bucketSize', itemIndex, 'day') as BillingBucketSize;
	if (!BUCKETS.has(bucketSize))
		throw invalidParameter(
			node,
			itemIndex,
			'Bucket Size',
			`"${String(bucketSize)}" is not a bucket size`,
			'Choose hour, day, week, month or year.',
		);
	const query: BillingQuery = { bucketSize };
	if (this.getNodeParameter('period', itemIndex, 'last') === 'range') {
		const startTime = readDate.call(this, itemIndex, 'startTime', 'Start');
		if (!startTime)
			throw invalidParameter(
				node,
				itemIndex,
				'Start',
				'is empty',
				'Pick the first day of the period.',
			);
		const endTime = readDate.call(this, itemIndex, 'endTime', 'End');
		if (endTime && Date.parse(endTime) <= Date.parse(startTime))
			throw invalidParameter(
				node,
				itemIndex,
				'End',
				`${endTime} is not after Start (${startTime})`,
				'Set End after Start, or leave it empty for now.',
			);
		query.startTime = startTime;
		if (endTime) query.endTime = endTime;
	} else {
		query.lastN = checkNumber(
			node,
			itemIndex,
			'Number of Buckets',
			this.getNodeParameter('lastN', itemIndex, 7),
			{
				min: 1,
				max: 10_000,
				integer: true,
			},
		);
	}
	const filter = FILTERS[scope];
	if (filter) {
		const id = checkOptionalText(
			node,
			itemIndex,
			filter.label,
			this.getNodeParameter(filter.parameter, itemIndex, '', { extractValue: true }),
		);
		if (id) query.resourceId = id;
	}
	return { scope, query };
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

function recordItem(record: BillingRecord, idKey?: string): IDataObject {
	return {
		startTime: record.startTime,
		endTime: record.endTime,
		...(idKey && record.resourceId !== undefined ? { [idKey]: record.resourceId } : {}),
		totalAmount: record.totalAmount,
		...record.amounts,
	};
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** The bucket after the one starting at `start`, in UTC (RunPod's window is aligned to these). */
function nextBucket(start: number, size: BillingBucketSize): number {
	const d = new Date(start);
	if (size === 'hour') return start + 3_600_000;
	if (size === 'day') return start + 86_400_000;
	if (size === 'week') return start + 7 * 86_400_000;
	if (size === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
	return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
}

/** Every bucket of the window RunPod resolved, or none when it gave no window. */
function windowBuckets(report: BillingReport): Array<{ startTime: string; endTime: string }> {
	const start = Date.parse(report.startTime ?? '');
	const end = Date.parse(report.endTime ?? '');
	const buckets: Array<{ startTime: string; endTime: string }> = [];
	if (Number.isNaN(start) || Number.isNaN(end)) return buckets;
	for (let at = start; at < end && buckets.length <= 10_000; at = nextBucket(at, report.bucketSize))
		buckets.push({ startTime: iso(at), endTime: iso(nextBucket(at, report.bucketSize)) });
	return buckets;
}

/**
 * One item per bucket, in time order: the resources' records of each bucket added up, and a bucket
 * without any spend as 0 (RunPod lists only buckets a resource was billed in), so a chart has no gaps.
 */
function perBucket(report: BillingReport): IDataObject[] {
	const records = report.records;
	const buckets = new Map<string, IDataObject>();
	const window = windowBuckets(report);
	const starts = new Set(window.map((b) => b.startTime));
	// Only when RunPod's buckets are the ones computed here (the same boundaries).
	if (window.length > 0 && records.every((record) => starts.has(record.startTime))) {
		for (const bucket of window) buckets.set(bucket.startTime, { ...bucket, totalAmount: 0 });
	}
	for (const record of records) {
		const key = record.startTime;
		const bucket = buckets.get(key) ?? {
			startTime: record.startTime,
			endTime: record.endTime,
			totalAmount: 0,
		};
		bucket.totalAmount = round((bucket.totalAmount as number) + record.totalAmount);
		for (const [name, value] of Object.entries(record.amounts))
			bucket[name] = round(((bucket[name] as number | undefined) ?? 0) + value);
		buckets.set(key, bucket);
	}
	// The same columns in every item (a sheet's header): what a bucket lacks is 0.
	const columns = new Set(records.flatMap((record) => Object.keys(record.amounts)));
	return [...buckets.values()]
		.sort((a, b) => String(a.startTime).localeCompare(String(b.startTime)))
		.map((bucket) => {
			for (const column of columns) bucket[column] ??= 0;
			return bucket;
		});
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject[]> {
	const { scope, query } = readQuery.call(this, itemIndex);
	const report = await api.billing.list(scope, query, { itemIndex });
	const filter = FILTERS[scope];
	if (!filter) return report.records.map((record) => recordItem(record));
	if (this.getNodeParameter('splitByResource', itemIndex, false) === true)
		return report.records.map((record) => recordItem(record, filter.idKey));
	const items = perBucket(report);
	return query.resourceId
		? items.map((item) => ({ ...item, [filter.idKey]: query.resourceId }))
		: items;
}
