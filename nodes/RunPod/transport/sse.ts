import { sleep } from 'n8n-workflow';

/** One Server-Sent Event: its `id:` and its `data:` (lines joined with a newline). */
export interface ServerSentEvent {
	id?: string;
	data: string;
}

/** When to stop reading a stream that a server may keep open (a live log). */
export interface StreamLimits {
	/** Stop after this many events. */
	maxEvents: number;
	/** Stop when nothing arrives for this long: the backfill is over, only live lines would follow. */
	quietMs: number;
	/** Stop after this long in any case (a chatty live stream). */
	maxMs: number;
}

/** A response body read as a stream (n8n's `encoding: 'stream'`): Node's readable. */
interface ReadableBody {
	[Symbol.asyncIterator](): AsyncIterator<unknown>;
	destroy?: () => void;
}

function isReadable(body: unknown): body is ReadableBody {
	return (
		!!body &&
		typeof (body as Partial<ReadableBody>)[Symbol.asyncIterator] === 'function' &&
		typeof body !== 'string'
	);
}

const chunkText = (chunk: unknown) =>
	typeof chunk === 'string'
		? chunk
		: chunk instanceof Uint8Array
			? Buffer.from(chunk).toString('utf8')
			: String(chunk);

/** Parses complete SSE blocks of `text`; returns the events and the incomplete rest. */
export function parseServerSentEvents(text: string): { events: ServerSentEvent[]; rest: string } {
	const normalized = text.replace(/\r\n?/g, '\n');
	const blocks = normalized.split('\n\n');
	const rest = blocks.pop() ?? '';
	const events: ServerSentEvent[] = [];
	for (const block of blocks) {
		let id: string | undefined;
		const data: string[] = [];
		for (const line of block.split('\n')) {
			if (line === '' || line.startsWith(':')) continue;
			const colon = line.indexOf(':');
			const field = colon < 0 ? line : line.slice(0, colon);
			const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
			if (field === 'id') id = value;
			else if (field === 'data') data.push(value);
		}
		if (data.length > 0)
			events.push({ ...(id !== undefined ? { id } : {}), data: data.join('\n') });
	}
	return { events, rest };
}

/**
 * Reads the events of a stream until the server ends it or a limit is reached, then hangs up.
 * A body that is not a stream (already read text) is parsed whole.
 */
export async function readServerSentEvents(
	body: unknown,
	limits: StreamLimits,
): Promise<ServerSentEvent[]> {
	if (!isReadable(body)) {
		const text = body === undefined || body === null ? '' : chunkText(body);
		return parseServerSentEvents(`${text}\n\n`).events.slice(0, limits.maxEvents);
	}
	const iterator = body[Symbol.asyncIterator]();
	const started = Date.now();
	const events: ServerSentEvent[] = [];
	let text = '';
	let pending: Promise<IteratorResult<unknown>> | undefined;
	try {
		while (events.length < limits.maxEvents) {
			const left = limits.maxMs - (Date.now() - started);
			if (left <= 0) break;
			pending ??= iterator.next();
			const next = await Promise.race([
				pending,
				sleep(Math.min(limits.quietMs, left)).then(() => 'quiet' as const),
			]);
			if (next === 'quiet') break;
			pending = undefined;
			if (next.done) {
				text += '\n\n';
				events.push(...parseServerSentEvents(text).events);
				text = '';
				break;
			}
			const parsed = parseServerSentEvents(text + chunkText(next.value));
			events.push(...parsed.events);
			text = parsed.rest;
		}
	} finally {
		// Hang up: a live stream would go on; the read still waiting ends with the stream.
		pending?.catch(() => undefined);
		body.destroy?.();
	}
	return events.slice(0, limits.maxEvents);
}

/** The whole body of a stream as text (an error answer: problem+json). */
export async function readStreamText(body: unknown): Promise<unknown> {
	if (!isReadable(body)) return body;
	let text = '';
	for await (const chunk of body) text += chunkText(chunk);
	return text;
}
