/** Reading RunPod's log streams: Server-Sent Events that stay open after the backfill. */
import { PassThrough } from 'stream';

import { collectEvents, parseEventStream } from '../../nodes/RunPod/transport/eventStream';

const event = (line: string) => `id: 2026-06-01T12:05:04Z/1\ndata: {"line":"${line}"}\n\n`;

test('each event gives its data; multi-line data is joined, comments and CRLF are handled', () => {
	expect(
		parseEventStream(
			`: keep-alive\r\n\r\nid: 1\r\ndata: {"line":"a"}\r\n\r\ndata: first\ndata: second\n\n`,
		),
	).toEqual(['{"line":"a"}', 'first\nsecond']);
	expect(parseEventStream('')).toEqual([]);
});

test('a stream left open is read until the wanted events came, then closed', async () => {
	const stream = new PassThrough();
	stream.write(event('one'));
	stream.write(event('two'));
	stream.write(event('three'));
	const text = await collectEvents(stream, 2, 1000);
	expect(parseEventStream(String(text)).length).toBeGreaterThanOrEqual(2);
	expect(stream.destroyed).toBe(true);
});

test('fewer events than wanted: read until the stream is quiet, then closed', async () => {
	const stream = new PassThrough();
	stream.write(event('only'));
	const text = await collectEvents(stream, 50, 20);
	expect(parseEventStream(String(text))).toEqual(['{"line":"only"}']);
	expect(stream.destroyed).toBe(true);
});

test('a character split between two chunks is decoded whole; a stream that ends is read to its end', async () => {
	const stream = new PassThrough();
	const bytes = Buffer.from(event('naïve ✨'));
	const cut = bytes.indexOf(0xe2) + 1;
	stream.write(bytes.subarray(0, cut));
	stream.end(bytes.subarray(cut));
	const text = await collectEvents(stream, 5, 1000);
	expect(parseEventStream(String(text))).toEqual(['{"line":"naïve ✨"}']);
});

test('a body that is not a stream is passed on as it is', async () => {
	expect(await collectEvents('data: x\n\n', 1)).toBe('data: x\n\n');
});
