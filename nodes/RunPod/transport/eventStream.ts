/**
 * REST v2 log streams (`text/event-stream`): RunPod sends the last lines asked for (`tail`) as
 * Server-Sent Events, then keeps the stream open for live lines. The node reads the backfill:
 * until it has the lines it asked for, or the stream ends, or nothing came for STREAM_QUIET_MS;
 * then it closes the stream and keeps each event's `data`.
 */
import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { baseUrl, send } from './request';
import type { Attempt, FullResponse, RequestContext, RequestOptions } from './request';
import { readRestAnswer } from './rest';

/** The `data` of each event, in order (a multi-line `data` joined by newlines); comments and empty events dropped. */
export function parseEventStream(text: string): string[] {
	const events: string[] = [];
	for (const block of text.replace(/\r\n?/g, '\n').split(/\n\n+/)) {
		const data = block
			.split('\n')
			.filter((line) => line.startsWith('data:'))
			.map((line) => line.slice(5).replace(/^ /, ''));
		if (data.length > 0) events.push(data.join('\n'));
	}
	return events;
}

/** How long a quiet stream is waited on: the backfill comes at once, live lines are not awaited. */
const STREAM_QUIET_MS = 1500;

interface ReadableBody {
	on(event: 'data', listener: (chunk: unknown) => void): unknown;
	on(event: 'end' | 'close' | 'error', listener: () => void): unknown;
	destroy?: () => unknown;
}

const isReadable = (body: unknown): body is ReadableBody =>
	!!body && typeof (body as { on?: unknown }).on === 'function';

const eventCount = (text: string) => (text.replace(/\r\n?/g, '\n').match(/\n\n/g) ?? []).length;

/** Reads a stream's text until `wanted` events came, it ended, or it was quiet for `quietMs`; then closes it. */
export async function collectEvents(
	body: unknown,
	wanted: number,
	quietMs = STREAM_QUIET_MS,
): Promise<unknown> {
	if (!isReadable(body)) return body;
	let text = '';
	let ended = false;
	let wake: (() => void) | undefined;
	// A character may be split between two chunks: decoded as one stream.
	const decoder = new TextDecoder();
	body.on('data', (chunk) => {
		text += chunk instanceof Uint8Array ? decoder.decode(chunk, { stream: true }) : String(chunk);
		wake?.();
	});
	const end = () => {
		ended = true;
		wake?.();
	};
	body.on('end', end);
	body.on('close', end);
	body.on('error', end);
	while (!ended && eventCount(text) < wanted) {
		const before = text.length;
		await Promise.race([new Promise<void>((resolve) => (wake = resolve)), sleep(quietMs)]);
		wake = undefined;
		if (!ended && text.length === before) break;
	}
	body.destroy?.();
	return text;
}

function readEventStream(response: FullResponse): Attempt<string[]> {
	const status = response.statusCode;
	if (status < 200 || status >= 300) return readRestAnswer<string[]>(response);
	const body = response.body;
	if (body === undefined || body === null || body === '') return { ok: true, data: [] };
	// A stream with one JSON event may reach here parsed: it is that event.
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	return { ok: true, data: parseEventStream(text) };
}

/** A GET of a REST v2 event stream: the `data` of the (at most `wanted`) events RunPod sent first. */
export async function restEventStream(
	ctx: RequestContext,
	path: string,
	qs: IDataObject,
	wanted: number,
	options: RequestOptions = {},
): Promise<string[]> {
	return (
		await send<string[]>(
			ctx,
			{
				method: 'GET',
				url: `${await baseUrl(ctx)}${path}`,
				qs,
				readOnly: true,
				collect: async (body) => await collectEvents(body, wanted),
				read: readEventStream,
			},
			{ ...options, idempotent: true },
		)
	).data;
}
