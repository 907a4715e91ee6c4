import { NodeOperationError } from 'n8n-workflow';
import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Options that turn one field of the job's output into n8n binary data. */
export const binaryOptions: INodeProperties[] = [
	{
		displayName: 'Binary Output Field',
		name: 'binaryOutputField',
		type: 'string',
		default: '',
		placeholder: 'e.g. image or images[0].data',
		description:
			"A field of the job's output that holds a file as base64, a data: URL or an http(s) URL. The node turns it into binary data (for Slack, Drive, S3 …) and removes it from the JSON. Empty: no binary output.",
	},
	{
		displayName: 'Binary Property',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary property the file is put in',
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
		const response = (await this.helpers.httpRequest({
			url: text,
			method: 'GET',
			encoding: 'arraybuffer',
			returnFullResponse: true,
		})) as {
			body: ArrayBuffer | Buffer;
			headers: Record<string, string>;
		};
		bytes = Buffer.from(response.body as ArrayBuffer);
		mimeType ??= response.headers?.['content-type']?.split(';')[0];
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
