/**
 * What a simulated worker does with a job's input: how long it runs, whether it fails, times
 * out or streams, and what it returns. The input is the whole contract, so tests and examples
 * can ask for any outcome.
 *
 *   sleepMs      execution time (default 100 ms)
 *   fail         true or a message: the job ends FAILED with that error
 *   crashWorker  the job FAILS and its worker turns unhealthy
 *   timeout      true: the job runs until its execution timeout (TIMED_OUT)
 *   stream       a list of chunks, or a count: streamed evenly over the execution time
 *   image        true or {width, height}: output.image is a base64 PNG
 *   output       returned as the output, verbatim
 *   otherwise    output = { echo: input, text: "You said: <prompt>" when input.prompt is set }
 */
import { deflateSync } from 'zlib';

export interface WorkPlan {
	durationMs: number;
	/** Runs until the execution timeout stops it. */
	untilTimeout: boolean;
	failure?: string;
	crashWorker: boolean;
	chunks: unknown[];
	output: unknown;
}

const DEFAULT_SLEEP_MS = 100;
const MAX_SLEEP_MS = 3_600_000;

export function planWork(input: unknown): WorkPlan {
	const fields = (
		input && typeof input === 'object' && !Array.isArray(input) ? input : {}
	) as Record<string, unknown>;
	const sleep = Number(fields.sleepMs);
	const durationMs = Number.isFinite(sleep)
		? Math.min(MAX_SLEEP_MS, Math.max(0, sleep))
		: DEFAULT_SLEEP_MS;
	const chunks = streamChunks(fields.stream);
	const failure =
		fields.fail || fields.crashWorker
			? typeof fields.fail === 'string'
				? fields.fail
				: fields.crashWorker
					? 'The worker crashed (out of memory)'
					: 'The handler raised an exception'
			: undefined;
	return {
		durationMs,
		untilTimeout: fields.timeout === true,
		failure,
		crashWorker: fields.crashWorker === true,
		chunks,
		output: outputFor(fields, chunks),
	};
}

function streamChunks(stream: unknown): unknown[] {
	if (Array.isArray(stream)) return stream;
	const count = Number(stream);
	if (Number.isInteger(count) && count > 0)
		return Array.from({ length: Math.min(count, 1000) }, (_, i) => ({
			chunk: i + 1,
			text: `part ${i + 1}`,
		}));
	return [];
}

function outputFor(fields: Record<string, unknown>, chunks: unknown[]): unknown {
	if ('output' in fields) return fields.output;
	if (chunks.length > 0) return chunks;
	if (fields.image) {
		const size = (fields.image && typeof fields.image === 'object' ? fields.image : {}) as {
			width?: unknown;
			height?: unknown;
		};
		const width = clampSize(size.width);
		const height = clampSize(size.height);
		return {
			image: pngBase64(width, height, String(fields.prompt ?? '')),
			width,
			height,
			format: 'png',
		};
	}
	return {
		echo: fields,
		...(typeof fields.prompt === 'string' ? { text: `You said: ${fields.prompt}` } : {}),
	};
}

function clampSize(value: unknown): number {
	const size = Number(value);
	return Number.isInteger(size) && size > 0 ? Math.min(size, 512) : 64;
}

// --- a real PNG, so a generated "image" opens in any viewer -----------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/** A gradient whose colour follows the prompt, so different prompts give different images. */
export function pngBase64(width: number, height: number, seedText: string): string {
	let hue = 0;
	for (const char of seedText) hue = (hue * 31 + char.charCodeAt(0)) % 256;
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.writeUInt8(8, 8); // bit depth
	header.writeUInt8(2, 9); // RGB
	const rows: Buffer[] = [];
	for (let y = 0; y < height; y++) {
		const row = Buffer.alloc(1 + width * 3);
		for (let x = 0; x < width; x++) {
			row[1 + x * 3] = hue;
			row[2 + x * 3] = Math.round((x / width) * 255);
			row[3 + x * 3] = Math.round((y / height) * 255);
		}
		rows.push(row);
	}
	const png = Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(Buffer.concat(rows))),
		chunk('IEND', Buffer.alloc(0)),
	]);
	return png.toString('base64');
}
