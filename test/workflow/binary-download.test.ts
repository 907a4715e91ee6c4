/**
 * Binary Output with a URL in the job's output: the URL comes from the worker, and through it from
 * whoever feeds the job. The abuse case: a job that echoes an internal address makes n8n fetch it.
 * A "metadata" server on 127.0.0.1 stands in for a cloud's metadata service; a file server on
 * 127.0.0.1 stands in for the credential's own host (the sandbox is http on loopback too).
 */
import http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { DEMO_ENDPOINT_ID } from '../../sandbox/serverless/endpoints';
import { byId, json, runRunPodNode } from './harness';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)]);

interface TestServer {
	url: string;
	paths: string[];
	close: () => Promise<void>;
}

async function serve(handler: http.RequestListener): Promise<TestServer> {
	const paths: string[] = [];
	const sockets = new Set<import('net').Socket>();
	const server = http.createServer((request, response) => {
		paths.push(request.url ?? '');
		handler(request, response);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		paths,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

let sandbox: Sandbox;
let metadata: TestServer;
let files: TestServer;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 19, serverless: { coldStartMs: 5 } });
	metadata = await serve((_request, response) => {
		response.writeHead(200, { 'content-type': 'text/plain' });
		response.end('iam/security-credentials/n8n-host-role');
	});
	files = await serve((request, response) => {
		const url = new URL(request.url ?? '/', 'http://x');
		if (url.pathname === '/image.png') {
			response.writeHead(200, { 'content-type': 'image/png' });
			response.end(PNG);
		} else if (url.pathname === '/moved') {
			response.writeHead(302, { location: '/image.png' });
			response.end();
		} else if (url.pathname === '/to-metadata') {
			response.writeHead(302, { location: `${metadata.url}/latest/meta-data/` });
			response.end();
		} else if (url.pathname === '/to-metadata-ip') {
			response.writeHead(301, { location: 'https://169.254.169.254/latest/meta-data/' });
			response.end();
		} else if (url.pathname === '/loop') {
			response.writeHead(302, { location: '/loop' });
			response.end();
		} else if (url.pathname === '/big') {
			// No Content-Length: the cap must hold while reading, not only on the header.
			response.writeHead(200, { 'content-type': 'application/octet-stream' });
			const chunk = Buffer.alloc(256 * 1024, 1);
			let sent = 0;
			const more = () => {
				while (sent < 12 && !response.destroyed) {
					sent++;
					if (!response.write(chunk)) return void response.once('drain', more);
				}
				response.end();
			};
			more();
		} else if (url.pathname === '/big-declared') {
			response.writeHead(200, { 'content-length': String(3 * 1024 * 1024) });
			response.end(Buffer.alloc(3 * 1024 * 1024));
		} else if (url.pathname === '/stall') {
			// Headers, then nothing: the download must end by the node's time limit.
			response.writeHead(200, { 'content-type': 'image/png' });
			response.write(PNG.subarray(0, 8));
		} else {
			response.writeHead(404);
			response.end();
		}
	});
});

afterAll(async () => {
	await sandbox.close();
	await metadata.close();
	await files.close();
});

beforeEach(() => {
	sandbox.reset();
	metadata.paths.length = 0;
	files.paths.length = 0;
});

/** Job → Run whose worker returns `url` in its output, with Binary Output Field "image". */
async function runWithUrl(url: string, options: IDataObject = {}) {
	return await runRunPodNode({
		parameters: {
			resource: 'job',
			endpointId: byId(DEMO_ENDPOINT_ID),
			operation: 'run',
			mode: 'wait',
			input: JSON.stringify({ output: { image: url }, sleepMs: 1 }),
			options: { binaryOutputField: 'image', ...options },
		},
		// The credential's own hosts: the sandbox (jobs) and the file server (its Base URL).
		credentials: { apiKey: sandbox.apiKey, baseUrl: files.url, serverlessBaseUrl: sandbox.url },
	});
}

describe('Binary Output: what a URL in the job output may make n8n fetch', () => {
	test('abuse: a job that echoes an internal metadata URL does not make n8n fetch it', async () => {
		const url = `${metadata.url}/latest/meta-data/`;
		const result = await runWithUrl(url);
		expect(result.error?.message).toBe(
			`Binary Output Field: refused to download ${url} from the job's output.image: it is plain http (only https is fetched, except from the credential's own hosts)`,
		);
		expect(result.error?.description).toContain('Download From URL');
		expect(metadata.paths).toEqual([]);
	});

	test.each([
		[
			'https://169.254.169.254/latest/meta-data/',
			'its host 169.254.169.254 is a link-local address',
		],
		['https://2130706433/latest/', 'its host 127.0.0.1 is a loopback address'],
		['https://0x7f.1/', 'its host 127.0.0.1 is a loopback address'],
		[
			'https://[::ffff:169.254.169.254]/',
			'link-local address (cloud metadata services live here), written as IPv6',
		],
		['https://[::1]:8443/', 'its host [::1] is a loopback address'],
		['https://metadata.google.internal/computeMetadata/v1/', 'a name for this machine'],
		['https://localhost./', 'a name for this machine'],
		['https://10.0.0.8/files/a.png', 'its host 10.0.0.8 is a private address'],
		['ftp://example.com/a.png', 'neither base64'],
	])('refused before any request: %s', async (url, why) => {
		const result = await runWithUrl(url);
		expect(result.error?.message).toContain(why);
		expect(metadata.paths).toEqual([]);
		expect(files.paths).toEqual([]);
	});

	test("the credential's own host is fetched over http, redirects included; the file becomes binary data", async () => {
		const result = await runWithUrl(`${files.url}/moved`);
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.binary?.data).toMatchObject({ mimeType: 'image/png', fileExtension: 'png' });
		expect(Buffer.from(item.binary!.data.data, 'base64')).toEqual(PNG);
		expect(json(result)[0].output).toEqual({});
		expect(files.paths).toEqual(['/moved', '/image.png']);
	});

	test('a redirect to an internal address is refused, and that address is never asked', async () => {
		const plain = await runWithUrl(`${files.url}/to-metadata`);
		expect(plain.error?.message).toBe(
			`Binary Output Field: refused to download ${metadata.url}/latest/meta-data/ from the job's output.image: a redirect from ${files.url}/to-metadata led there, and it is plain http (only https is fetched, except from the credential's own hosts)`,
		);
		const https = await runWithUrl(`${files.url}/to-metadata-ip`);
		expect(https.error?.message).toContain('its host 169.254.169.254 is a link-local address');
		expect(metadata.paths).toEqual([]);
	});

	test('redirects are followed a bounded number of times', async () => {
		const result = await runWithUrl(`${files.url}/loop`);
		expect(result.error?.message).toContain('more than 5 redirects');
		expect(files.paths).toHaveLength(6);
	});

	test('the size is capped (with and without Content-Length); the cap can be raised', async () => {
		for (const path of ['/big', '/big-declared']) {
			const capped = await runWithUrl(`${files.url}${path}`, { binaryMaxDownloadMb: 1 });
			expect(capped.error?.message).toContain('the file is larger than 1 MB');
			expect(capped.error?.description).toContain('Max Download Size (MB)');
		}
		const raised = await runWithUrl(`${files.url}/big`, { binaryMaxDownloadMb: 5 });
		expect(raised.error).toBeUndefined();
		expect(Buffer.from(raised.items[0].binary!.data.data, 'base64')).toHaveLength(12 * 256 * 1024);
	});

	test('a download that stalls ends at the time limit with an error that says so', async () => {
		const result = await runWithUrl(`${files.url}/stall`, { binaryDownloadTimeoutSeconds: 1 });
		expect(result.error?.message).toContain('it took longer than 1 seconds');
		expect(result.error?.description).toContain('Download Timeout (Seconds)');
	});

	test('with Download From URL off, a URL fails the item and nothing is fetched', async () => {
		const result = await runWithUrl(`${files.url}/image.png`, { binaryDownload: false });
		expect(result.error?.message).toContain('Download From URL is off');
		expect(files.paths).toEqual([]);
	});
});
