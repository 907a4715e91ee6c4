import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { runpodApiUrls } from '../../api/serverlessJobs';
import { originOf, shownUrl, urlProblem } from '../../helpers/urlGuard';

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

/** Redirects followed at most, each checked like the first URL. */
export const MAX_DOWNLOAD_REDIRECTS = 5;

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

type StreamBody = AsyncIterable<Buffer | Uint8Array | string>;

interface StreamResponse {
	body: StreamBody | undefined;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

function header(response: StreamResponse, name: string): string | undefined {
	const value = response.headers?.[name];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * Downloads a URL found in job output, which anyone who can feed the job may have chosen: https
 * to public hosts only (the credential's own hosts as they are), every redirect checked like the
 * first URL, the size and the time bounded.
 */
async function downloadChecked(
	this: IExecuteFunctions,
	itemIndex: number,
	field: string,
	firstUrl: string,
	options: IDataObject,
): Promise<{ bytes: Buffer; mimeType?: string }> {
	const refuse = (url: string, why: string, fix: string) =>
		new NodeOperationError(
			this.getNode(),
			`Binary Output Field: refused to download ${shownUrl(url)} from the job's output.${field}: ${why}`,
			{ itemIndex, description: fix },
		);
	const switchOff =
		"The node downloads only https URLs of public hosts (and of the credential's own hosts). If the job output may carry URLs you do not trust, turn off Options → Download From URL.";
	if (options.binaryDownload === false) {
		throw refuse(
			firstUrl,
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
	const maxBytes = Math.round(maxMb * 1024 * 1024);
	const timeoutMs = Math.round(timeoutSeconds * 1000);
	const trusted = (await runpodApiUrls(this))
		.map(originOf)
		.filter((origin): origin is string => Boolean(origin));
	const started = Date.now();
	const tooSlow = (url: string) =>
		refuse(
			url,
			`it took longer than ${timeoutSeconds} seconds`,
			'Raise Options → Download Timeout (Seconds), or have the worker return a smaller file.',
		);

	let url = firstUrl;
	let previous = firstUrl;
	for (let hop = 0; ; hop++) {
		const problem = urlProblem(url, trusted);
		if (problem) {
			throw refuse(
				url,
				hop === 0 ? problem : `a redirect from ${shownUrl(previous)} led there, and ${problem}`,
				switchOff,
			);
		}
		// Ends this request at once (redirect, refusal, size, time): the socket is closed, not drained.
		const abort = new AbortController();
		let response: StreamResponse;
		try {
			response = (await this.helpers.httpRequest({
				url,
				method: 'GET',
				encoding: 'stream',
				returnFullResponse: true,
				disableFollowRedirect: true,
				ignoreHttpStatusErrors: true,
				timeout: Math.max(1, timeoutMs - (Date.now() - started)),
				abortSignal: abort.signal,
			})) as StreamResponse;
		} catch (error) {
			const code = (error as { code?: unknown }).code;
			if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') throw tooSlow(url);
			throw refuse(
				url,
				`the download failed (${typeof code === 'string' ? code : (error as Error).message})`,
				'Check that the URL in the job output can be reached from n8n.',
			);
		}
		const status = response.statusCode;
		if (status >= 300 && status < 400 && header(response, 'location')) {
			abort.abort();
			if (hop >= MAX_DOWNLOAD_REDIRECTS) {
				throw refuse(
					url,
					`more than ${MAX_DOWNLOAD_REDIRECTS} redirects`,
					'Put the final URL of the file in the job output.',
				);
			}
			previous = url;
			url = new URL(header(response, 'location')!, url).toString();
			continue;
		}
		if (status < 200 || status >= 300) {
			abort.abort();
			throw refuse(
				url,
				`the server answered HTTP ${status}`,
				'Check that the URL in the job output is still valid.',
			);
		}
		const tooBig = () =>
			refuse(
				url,
				`the file is larger than ${maxMb} MB`,
				'Raise Options → Max Download Size (MB) if you expect files this large.',
			);
		const declared = Number(header(response, 'content-length'));
		if (Number.isFinite(declared) && declared > maxBytes) {
			abort.abort();
			throw tooBig();
		}
		const chunks: Buffer[] = [];
		let size = 0;
		// n8n's timeout covers the wait for the answer, not a body that stalls: a watchdog checks the
		// clock in short naps while the body is read and ends the download when the time is up.
		let reading = true;
		let timedOut = false;
		const body = response.body;
		const watchdog = (async () => {
			while (reading) {
				await sleep(Math.max(1, Math.min(250, timeoutMs - (Date.now() - started))));
				if (reading && Date.now() - started >= timeoutMs) {
					timedOut = true;
					abort.abort();
					return;
				}
			}
		})();
		let tooLarge = false;
		try {
			for await (const chunk of body ?? []) {
				const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
				size += piece.length;
				if (size > maxBytes) {
					tooLarge = true;
					abort.abort();
					break;
				}
				chunks.push(piece);
			}
		} catch (error) {
			abort.abort();
			if (timedOut) throw tooSlow(url);
			const code = (error as { code?: unknown }).code;
			throw refuse(
				url,
				`the download broke off (${typeof code === 'string' ? code : (error as Error).message})`,
				'Run the node again; if it keeps failing, check the server that holds the file.',
			);
		} finally {
			reading = false;
		}
		void watchdog.catch(() => undefined);
		if (tooLarge) throw tooBig();
		if (timedOut) throw tooSlow(url);
		return {
			bytes: Buffer.concat(chunks),
			mimeType: header(response, 'content-type')?.split(';')[0].trim() || undefined,
		};
	}
}
