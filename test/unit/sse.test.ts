/** Reading RunPod's SSE log stream: events across chunks, and hanging up on a stream that stays open. */
import { PassThrough, Readable } from 'stream';

import { parseServerSentEvents, readServerSentEvents } from '../../nodes/RunPod/transport/sse';

const limits = { maxEvents: 100, quietMs: 100, maxMs: 5000 };

test('events split across chunks, CRLF, comments and multi-line data', async () => {
	const body = Readable.from([
		': keep-alive\r\nid: a\r\ndata: {"line":"one"}\r\n\r\nid: b\ndata: first',
		'\ndata: second\n\n',
		'data: no id\n\n',
	]);
	expect(await readServerSentEvents(body, limits)).toEqual([
		{ id: 'a', data: '{"line":"one"}' },
		{ id: 'b', data: 'first\nsecond' },
		{ data: 'no id' },
	]);
});

test('a stream that stays open: the node hangs up after a quiet moment, or once it has enough events', async () => {
	const open = new PassThrough();
	open.write('data: 1\n\ndata: 2\n\n');
	expect((await readServerSentEvents(open, limits)).map((e) => e.data)).toEqual(['1', '2']);
	expect(open.destroyed).toBe(true);

	const chatty = new PassThrough();
	chatty.write('data: 1\n\ndata: 2\n\ndata: 3\n\n');
	expect(await readServerSentEvents(chatty, { ...limits, maxEvents: 2 })).toHaveLength(2);
	expect(chatty.destroyed).toBe(true);
});

test('an incomplete last block is kept for the next chunk', () => {
	expect(parseServerSentEvents('data: 1\n\ndata: 2')).toEqual({
		events: [{ data: '1' }],
		rest: 'data: 2',
	});
});
