/**
 * The credential's Test, run through n8n-core's RoutingNode as n8n's credential dialog runs it,
 * on both APIs: a working key passes, and each kind of failure gets the message the node itself
 * would give (issue 11 item 7: the dialog and the node never disagree).
 */
import { createServer } from 'http';
import type { Server } from 'http';
import type { AddressInfo } from 'net';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { describeFailure } from '../../nodes/RunPod/api/failureAdvice';
import {
	GRAPHQL_GONE,
	KEY_LACKS_SCOPE,
	KEY_MAY_NOT_DO_THIS,
	KEY_REJECTED,
	NO_KEY_SEEN,
	WRONG_BASE_URL,
} from '../../credentials/messages';
import { runRunPodNode, testCredential } from './harness';

let sandbox: Sandbox;
let fake: Server;
let fakeUrl: string;
/** What the fake RunPod answers next, and what it was asked. */
let script: { status: number; body: unknown } = { status: 200, body: {} };
const asked: Array<{ method?: string; url?: string; body: string; authorization?: string }> = [];

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 3 });
	fake = createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			asked.push({
				method: request.method,
				url: request.url,
				body,
				authorization: request.headers.authorization,
			});
			response.writeHead(script.status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(script.body));
		});
	});
	await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
	fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await sandbox.close();
	await new Promise((resolve) => fake.close(resolve));
});

beforeEach(() => {
	asked.length = 0;
});

describe('GraphQL', () => {
	test('a working key passes, asking for the account with the Bearer key', async () => {
		expect(
			await testCredential({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, api: 'graphql' }),
		).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});

	test('a rejected key (401) says so', async () => {
		expect(
			await testCredential({ apiKey: 'rpa_not_a_real_key', baseUrl: sandbox.url, api: 'graphql' }),
		).toEqual({
			status: 'Error',
			message: KEY_REJECTED,
		});
	});

	test('"Unauthorized" in the answer says what the node says for it, not "key rejected"', async () => {
		script = {
			status: 200,
			body: { data: { myself: null }, errors: [{ message: 'Unauthorized' }] },
		};
		expect(await testCredential({ apiKey: 'k', baseUrl: fakeUrl, api: 'graphql' })).toEqual({
			status: 'Error',
			message: KEY_MAY_NOT_DO_THIS,
		});
		expect(
			describeFailure({ kind: 'graphql', messages: ['Unauthorized'], ambiguous: false })
				.description,
		).toBe(KEY_MAY_NOT_DO_THIS);
		script = {
			status: 200,
			body: { data: { myself: { id: 'u1' } }, errors: [{ message: 'Unauthorized' }] },
		};
		expect(await testCredential({ apiKey: 'k', baseUrl: fakeUrl, api: 'graphql' })).toEqual({
			status: 'Error',
			message: KEY_MAY_NOT_DO_THIS,
		});
	});

	test('no key seen (`myself: null` without an error)', async () => {
		script = { status: 200, body: { data: { myself: null } } };
		expect(await testCredential({ apiKey: 'k', baseUrl: fakeUrl, api: 'graphql' })).toEqual({
			status: 'Error',
			message: NO_KEY_SEEN,
		});
		expect(asked[0]).toMatchObject({ method: 'POST', url: '/graphql', authorization: 'Bearer k' });
		expect(JSON.parse(asked[0].body)).toEqual({ query: '{ myself { id } }' });
	});

	test('a wrong base URL (404) and a retired GraphQL (410) are told apart', async () => {
		script = { status: 404, body: { message: 'not found' } };
		expect((await testCredential({ apiKey: 'k', baseUrl: fakeUrl, api: 'graphql' })).message).toBe(
			WRONG_BASE_URL,
		);
		script = { status: 410, body: { message: 'gone' } };
		expect((await testCredential({ apiKey: 'k', baseUrl: fakeUrl, api: 'graphql' })).message).toBe(
			GRAPHQL_GONE,
		);
	});

	test('a plain http Base URL off this machine is not tested with the key: the test fails naming why', async () => {
		const result = await testCredential({
			apiKey: 'k',
			baseUrl: 'http://api.runpod.example',
			api: 'graphql',
		});
		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			'Plain http to http://api.runpod.example: the API key would travel in clear text, so nothing was sent. Use an https:// Base URL (plain http only for localhost, 127.0.0.1 or [::1]).',
		);
	});

	test('nothing listening at the base URL names the connection error', async () => {
		const result = await testCredential({
			apiKey: 'k',
			baseUrl: 'http://127.0.0.1:9',
			api: 'graphql',
		});
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});

describe('GraphQL answering as retired', () => {
	test.each([
		['Pod → Get Many', { resource: 'pod', operation: 'getAll', returnAll: true }],
		['Account → Get', { resource: 'account', operation: 'get' }],
		['GPU Type → Get Many', { resource: 'gpuType', operation: 'getAll', returnAll: true }],
	])('%s fails telling the user to choose REST v2 in the credential', async (_name, parameters) => {
		script = { status: 410, body: { message: 'GraphQL has been retired' } };
		const result = await runRunPodNode({
			parameters,
			credentials: { apiKey: 'k', baseUrl: fakeUrl, api: 'graphql' },
		});
		expect(result.error?.message).toBe("RunPod's GraphQL API answered as retired (HTTP 410)");
		expect(result.error?.description).toMatch(
			/Open the RunPod API credential and set API to REST v2/,
		);
		expect(asked).toHaveLength(1);
	});
});

describe('REST v2', () => {
	test('reads the network volumes with GET and the Bearer key, no body', async () => {
		script = { status: 200, body: { networkVolumes: [] } };
		expect(await testCredential({ apiKey: 'k', baseUrl: `${fakeUrl}/`, api: 'restV2' })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(asked[0]).toMatchObject({
			method: 'GET',
			url: '/v2/network-volumes',
			authorization: 'Bearer k',
			body: '',
		});
	});

	test.each([
		[401, KEY_REJECTED],
		[403, KEY_LACKS_SCOPE],
		[404, WRONG_BASE_URL],
	])('HTTP %s gets its own message', async (status, message) => {
		script = { status, body: { title: 'x', status, detail: 'x' } };
		expect(await testCredential({ apiKey: 'k', baseUrl: fakeUrl, api: 'restV2' })).toEqual({
			status: 'Error',
			message,
		});
	});
});
