/** Account → Get SSH Keys and Add SSH Key through n8n's executor against the sandbox. */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { graphqlOnly, json, restOnly, runRunPodNode, speakTestApi } from './harness';

const LAPTOP =
	'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILXGDN/SclOozk1xsDztpmhGiKkkrfQB9SKoO8dSIQQZ me@laptop';
const CI = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 ci@runner';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 22 });
	speakTestApi(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function run(parameters: IDataObject) {
	return await runRunPodNode({
		parameters: { resource: 'account', ...parameters },
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url },
	});
}

const writes = () => sandbox.requests.filter((r) => r.fields.includes('updateSshKeys'));

describe('Account → Get SSH Keys', () => {
	test('one item per key, with its type and comment (GraphQL reads them from the account too)', async () => {
		sandbox.state.account.sshKeys = [LAPTOP, CI];
		const result = await run({ operation: 'getSshKeys' });
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([
			{
				type: 'ssh-ed25519',
				key: 'AAAAC3NzaC1lZDI1NTE5AAAAILXGDN/SclOozk1xsDztpmhGiKkkrfQB9SKoO8dSIQQZ',
				comment: 'me@laptop',
				line: LAPTOP,
			},
			{ type: 'ssh-rsa', key: 'AAAAB3NzaC1yc2EAAAADAQABAAABAQC7', comment: 'ci@runner', line: CI },
		]);
	});

	test('no keys: no items', async () => {
		const result = await run({ operation: 'getSshKeys' });
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([]);
	});
});

describe('Account → Add SSH Key', () => {
	restOnly('adds the key and keeps the ones already there', async () => {
		sandbox.state.account.sshKeys = [LAPTOP];
		const result = await run({ operation: 'addSshKey', publicKey: `  ${CI}\n` });
		expect(result.error).toBeUndefined();
		expect(json(result)).toEqual([
			expect.objectContaining({ type: 'ssh-rsa', comment: 'ci@runner', added: true, keyCount: 2 }),
		]);
		expect(sandbox.state.account.sshKeys).toEqual([LAPTOP, CI]);
		expect(writes()).toHaveLength(1);
	});

	restOnly('a key already there (whatever its comment) changes nothing and says so', async () => {
		sandbox.state.account.sshKeys = [LAPTOP, CI];
		const sameKey = LAPTOP.replace('me@laptop', 'another comment');
		const result = await run({ operation: 'addSshKey', publicKey: sameKey });
		expect(json(result)).toEqual([
			expect.objectContaining({
				added: false,
				note: 'The account already has this key: nothing was changed',
				keyCount: 2,
			}),
		]);
		expect(writes()).toEqual([]);
		expect(sandbox.state.account.sshKeys).toEqual([LAPTOP, CI]);
	});

	test.each([
		['', 'Public Key: is empty'],
		[
			'-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA',
			'Public Key: is a private key',
		],
		[
			'AAAAC3NzaC1lZDI1NTE5AAAAILXGDN me@laptop',
			'Public Key: does not look like an SSH public key (starts with "AAAAC3NzaC1lZDI1NTE5")',
		],
		[`${LAPTOP}\n${CI}`, 'Public Key: has more than one line'],
		[
			'ssh-ed25519 not*base64 me',
			'Public Key: does not look like an SSH public key (starts with "ssh-ed25519")',
		],
	])('%j is refused before any request', async (publicKey, message) => {
		const result = await run({
			operation: 'addSshKey',
			publicKey: `={{ ${JSON.stringify(publicKey)} }}`,
		});
		expect(result.error?.message).toBe(message);
		expect(sandbox.requests).toEqual([]);
	});

	graphqlOnly('on GraphQL it needs REST v2 and sends nothing', async () => {
		const result = await run({ operation: 'addSshKey', publicKey: CI });
		expect(result.error?.message).toBe("Account → Add SSH Key needs RunPod's REST API v2");
		expect(sandbox.requests).toEqual([]);
	});
});
