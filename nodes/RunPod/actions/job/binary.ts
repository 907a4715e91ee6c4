import { NodeOperationError } from 'n8n-workflow';
import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { asNodeError } from '../../api/errors';
import { downloadJobFile, downloadRefusalOf } from '../../api/serverlessJobs';
import type { DownloadFailure } from '../../api/serverlessJobs';
import { shownUrl } from '../../helpers/urlGuard';

/** Options that turn one field of the job's output into n8n binary data. */
export const binaryOptions: INodeProperties[] = [
	{
		displayName: 'Binary Output Field',
		name: 'binaryOutputField',
		type: 'string',
		default: '',
		placeholder: 'e.g. image or images[0].data',
		description:
			"A field of the job's output that holds a file as base64, a data: URL or an https URL (downloaded from public hosts only, see Download From URL). The node turns it into binary data (for Slack, Drive, S3 …) and removes it from the JSON. Empty: no binary output.",
	},
	{
		displayName: 'Binary Property',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary property the file is put in',
	},
	{
		displayName: 'Download From URL',
		name: 'binaryDownload',
		type: 'boolean',
		default: true,
		description:
			"Whether to download the file when the field holds an https URL. Public https hosts only (and the credential's own hosts): addresses of this machine, the local network or cloud metadata are refused. Turn off when job output may carry URLs you do not trust: a URL then fails the item.",
	},
	{
		displayName: 'Download Timeout (Seconds)',
		name: 'binaryDownloadTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 3600 },
		default: 120,
		description: 'A download that takes longer than this fails the item',
	},
	{
		displayName: 'File Name',
		name: 'binaryFileName',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.prompt }}.png',
		description:
			'File name of the binary data. Empty: the job ID with an extension matching the content.',
	},
	{
		displayName: 'Max Download Size (MB)',
		name: 'binaryMaxDownloadMb',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 2048 },
		default: 100,
		description: 'A download larger than this fails the item instead of filling the memory',
	},
	{
		displayName: 'MIME Type',
		name: 'binaryMimeType',
		type: 'string',
		default: '',
		placeholder: 'e.g. image/png',
		description:
			'MIME type of the binary data. Empty: taken from a data: URL or a download, or recognised from the content (PNG, JPEG, GIF, WebP, WAV, MP3, MP4, PDF).',
	},
];

const SIGNATURES: Array<{ mime: string; extension: string; test: (bytes: Buffer) => boolean }> = [
	{
		mime: 'image/png',
		extension: 'png',
		test: (b) => b.subarray(0, 4).toString('hex') === '89504e47',
	},
	{
		mime: 'image/jpeg',
		extension: 'jpg',
		test: (b) => b.subarray(0, 3).toString('hex') === 'ffd8ff',
	},
	{
		mime: 'image/gif',
		extension: 'gif',
		test: (b) => b.subarray(0, 4).toString('ascii') === 'GIF8',
	},
	{
		mime: 'image/webp',
		extension: 'webp',
		test: (b) =>
			b.subarray(0, 4).toString('ascii') === 'RIFF' &&
			b.subarray(8, 12).toString('ascii') === 'WEBP',
	},
	{
		mime: 'audio/wav',
		extension: 'wav',
		test: (b) =>
			b.subarray(0, 4).toString('ascii') === 'RIFF' &&
			b.subarray(8, 12).toString('ascii') === 'WAVE',
	},
	{
		mime: 'audio/mpeg',
		extension: 'mp3',
		test: (b) =>
			b.subarray(0, 3).toString('ascii') === 'ID3' || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0),
	},
	{
		mime: 'video/mp4',
		extension: 'mp4',
		test: (b) => b.subarray(4, 8).toString('ascii') === 'ftyp',
	},
	{
		mime: 'application/pdf',
		extension: 'pdf',
		test: (b) => b.subarray(0, 4).toString('ascii') === '%PDF',
	},
];

const EXTENSIONS: Record<string, string> = Object.fromEntries(
	SIGNATURES.map((s) => [s.mime, s.extension]),
);

/** Reads `images[0].data` style paths. */
function pathParts(path: string): string[] {
	return path
		.replace(/\[(\d+)\]/g, '.$1')
		.split('.')
		.map((part) => part.trim())
		.filter(Boolean);
}

function readPath(value: unknown, parts: string[]): unknown {
	let current = value;
	for (const part of parts) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

/** A copy of `value` without the field at `parts` (the file lives in binary data now). */
function withoutPath(value: unknown, parts: string[]): unknown {
	if (parts.length === 0 || value === null || typeof value !== 'object') return value;
	const [head, ...rest] = parts;
	const copy = (
		Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }
	) as Record<string, unknown>;
	if (rest.length === 0) {
		if (Array.isArray(copy)) copy[Number(head)] = null;
		else delete copy[head];
	} else copy[head] = withoutPath(copy[head], rest);
	return copy;
}

/**
 * Moves the chosen output field into binary data. Without the Binary Output Field option the item
 * is returned as it is.
 */
export async function outputToBinary(
	this: IExecuteFunctions,
	itemIndex: number,
	item: IDataObject,
): Promise<{ json: IDataObject; binary?: IBinaryKeyData }> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const field = String(options.binaryOutputField ?? '').trim();
	if (!field) return { json: item };
	const parts = pathParts(field);
	const value = readPath(item.output, parts);
	const fail = (problem: string) =>
		new NodeOperationError(
			this.getNode(),
			`Binary Output Field: the job's output.${field} ${problem}`,
			{
				itemIndex,
				description: `Name a field of the job's output that holds base64, a data: URL or an http(s) URL. The output has: ${Object.keys((item.output as IDataObject) ?? {}).join(', ') || 'no fields'}.`,
			},
		);
	if (typeof value !== 'string' || value.trim() === '')
		throw fail(value === undefined ? 'does not exist' : 'is not text');

	let mimeType = String(options.binaryMimeType ?? '').trim() || undefined;
	let bytes: Buffer;
	const text = value.trim();
	const dataUrl = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(text);
	if (dataUrl) {
		mimeType ??= dataUrl[1];
		bytes = dataUrl[2]
			? Buffer.from(dataUrl[3], 'base64')
			: Buffer.from(decodeURIComponent(dataUrl[3]), 'utf8');
	} else if (/^https?:\/\//i.test(text)) {
		const download = await downloadChecked.call(this, itemIndex, field, text, options);
		bytes = download.bytes;
		mimeType ??= download.mimeType;
	} else if (/^[A-Za-z0-9+/=\s_-]+$/.test(text)) {
		bytes = Buffer.from(text, 'base64');
	} else {
		throw fail('is neither base64, a data: URL nor an http(s) URL');
	}
	if (bytes.length === 0) throw fail('is empty once decoded');
	const detected = SIGNATURES.find((signature) => signature.test(bytes));
	mimeType ??= detected?.mime ?? 'application/octet-stream';
	const fileName =
		String(options.binaryFileName ?? '').trim() ||
		`${String(item.jobId ?? 'output')}.${EXTENSIONS[mimeType] ?? detected?.extension ?? 'bin'}`;
	const property = String(options.binaryPropertyName ?? 'data').trim() || 'data';
	const binaryData = await this.helpers.prepareBinaryData(bytes, fileName, mimeType);
	return {
		json: { ...item, output: withoutPath(item.output, parts) as IDataObject },
		binary: { [property]: binaryData },
	};
}

/** What to do when a download did not happen, in the node's words. */
const DOWNLOAD_FIXES: Record<DownloadFailure, string> = {
	notAllowed:
		"The node downloads only https URLs of public hosts (and of the credential's own hosts). If the job output may carry URLs you do not trust, turn off Options → Download From URL.",
	tooManyRedirects: 'Put the final URL of the file in the job output.',
	unreachable: 'Check that the URL in the job output can be reached from n8n.',
	httpStatus: 'Check that the URL in the job output is still valid.',
	tooLarge: 'Raise Options → Max Download Size (MB) if you expect files this large.',
	tooSlow: 'Raise Options → Download Timeout (Seconds), or have the worker return a smaller file.',
	brokeOff: 'Run the node again; if it keeps failing, check the server that holds the file.',
};

/** Downloads a URL found in job output, within the item's size and time options. */
async function downloadChecked(
	this: IExecuteFunctions,
	itemIndex: number,
	field: string,
	url: string,
	options: IDataObject,
): Promise<{ bytes: Buffer; mimeType?: string }> {
	// The URL refused may be a redirect's target, not the one in the output.
	const refuse = (refusedUrl: string, why: string, fix: string) =>
		new NodeOperationError(
			this.getNode(),
			`Binary Output Field: refused to download ${shownUrl(refusedUrl)} from the job's output.${field}: ${why}`,
			{ itemIndex, description: fix },
		);
	if (options.binaryDownload === false) {
		throw refuse(
			url,
			'Download From URL is off',
			'Turn on Options → Download From URL to download files the job links to, or have the worker return base64 or a data: URL.',
		);
	}
	const maxMb = Number(options.binaryMaxDownloadMb ?? 100);
	const timeoutSeconds = Number(options.binaryDownloadTimeoutSeconds ?? 120);
	if (
		!Number.isFinite(maxMb) ||
		maxMb <= 0 ||
		!Number.isFinite(timeoutSeconds) ||
		timeoutSeconds <= 0
	) {
		throw new NodeOperationError(
			this.getNode(),
			'Max Download Size (MB) and Download Timeout (Seconds) must be positive numbers',
			{
				itemIndex,
				description: 'Set them in Options, or remove them to use the defaults (100 MB, 120 s).',
			},
		);
	}
	try {
		return await downloadJobFile(this, url, {
			maxBytes: Math.round(maxMb * 1024 * 1024),
			timeoutMs: Math.round(timeoutSeconds * 1000),
		});
	} catch (error) {
		const refusal = downloadRefusalOf(error);
		if (!refusal) throw asNodeError(this.getNode(), error, itemIndex);
		const why =
			refusal.failure === 'tooLarge'
				? `the file is larger than ${maxMb} MB`
				: refusal.failure === 'tooSlow'
					? `it took longer than ${timeoutSeconds} seconds`
					: refusal.why;
		throw refuse(refusal.url, why, DOWNLOAD_FIXES[refusal.failure]);
	}
}
