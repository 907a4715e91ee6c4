/**
 * REST v2 log streams (`text/event-stream`): RunPod sends the last lines asked for (`tail`) as
 * Server-Sent Events. The node reads the answer whole and keeps each event's `data`.
 */
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

function readEventStream(response: FullResponse): Attempt<string[]> {
	const status = response.statusCode;
	if (status < 200 || status >= 300) return readRestAnswer<string[]>(response);
	const body = response.body;
	if (body === undefined || body === null || body === '') return { ok: true, data: [] };
	// A stream with one JSON event may reach here parsed: it is that event.
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	return { ok: true, data: parseEventStream(text) };
}

/** A GET of a REST v2 event stream: the `data` of each event RunPod sent. */
export async function restEventStream(
	ctx: RequestContext,
	path: string,
	qs: IDataObject,
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
				read: readEventStream,
			},
			{ ...options, idempotent: true },
		)
	).data;
}
