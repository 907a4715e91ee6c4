/** REST v2 billing history from the sandbox's own ledger, and the account's SSH keys. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { data, sleep } from './helpers';
import { GPU, call, expectStatus, podBody } from './rest-helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 2 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const balance = async () =>
	(await data(sandbox, '{ myself { clientBalance } }')).myself.clientBalance as number;

describe('billing', () => {
	test('a fresh account: one zero record per day over the last 30 days, bucket-aligned', async () => {
		const answer = await expectStatus(sandbox, 200, 'listBilling');
		expect(answer.records.length).toBeGreaterThanOrEqual(30);
		expect(answer.records.length).toBeLessThanOrEqual(31);
		expect(answer.records.every((r: { totalAmount: number }) => r.totalAmount === 0)).toBe(true);
		expect(answer.metadata.query.startTime).toMatch(/T00:00:00Z$/);
		expect(answer.metadata.query.endTime).toMatch(/T00:00:00Z$/);
		expect(answer.metadata).toMatchObject({
			recordCount: answer.records.length,
			totals: { totalAmount: 0 },
		});
	});

	test('what running pods cost shows up as pod GPU spend, and adds up to what the balance lost', async () => {
		// $36,000/hr is $10 a second: visible within a test.
		sandbox.setPrice(GPU, { securePrice: 36000 });
		const a = await expectStatus(sandbox, 201, 'createPod', { body: podBody({ name: 'a' }) });
		await sleep(150);
		await expectStatus(sandbox, 200, 'podAction', { path: { id: a.id }, body: { action: 'stop' } });
		const b = await expectStatus(sandbox, 201, 'createPod', { body: podBody({ name: 'b' }) });
		await sleep(100);
		await expectStatus(sandbox, 200, 'podAction', { path: { id: b.id }, body: { action: 'stop' } });
		const spent = 100 - (await balance());
		const total = await expectStatus(sandbox, 200, 'listBilling', {
			query: { bucketSize: 'hour', lastN: 2 },
		});
		expect(total.records).toHaveLength(2);
		expect(total.metadata.totals.totalAmount).toBeGreaterThan(1);
		expect(total.metadata.totals.podGpuAmount).toBe(total.metadata.totals.totalAmount);
		// Both pods are stopped: the history and the balance tell the same story (up to rounding).
		expect(total.metadata.totals.totalAmount).toBeCloseTo(spent, 2);

		const perPod = await expectStatus(sandbox, 200, 'listPodBilling', { query: { lastN: 1 } });
		expect(perPod.metadata).toMatchObject({
			uniquePodCount: 2,
			recordCount: 2,
			query: { bucketSize: 'day', podId: null },
		});
		const stopped = await expectStatus(sandbox, 200, 'listPodBilling', {
			query: { lastN: 1, podId: a.id },
		});
		expect(stopped.records).toEqual([
			expect.objectContaining({ podId: a.id, gpuAmount: expect.any(Number), diskAmount: 0 }),
		]);
		// A stopped pod costs nothing more.
		await sleep(50);
		const later = await expectStatus(sandbox, 200, 'listPodBilling', {
			query: { lastN: 1, podId: a.id },
		});
		expect(later.records[0].totalAmount).toBe(stopped.records[0].totalAmount);
	});

	test('a terminated pod keeps its history; an explicit window is snapped to bucket boundaries', async () => {
		sandbox.setPrice(GPU, { securePrice: 36000 });
		const pod = await expectStatus(sandbox, 201, 'createPod', { body: podBody() });
		await sleep(50);
		await expectStatus(sandbox, 204, 'deletePod', { path: { id: pod.id } });
		const now = new Date();
		const startTime = new Date(now.getTime() - 3 * 3_600_000).toISOString();
		const answer = await expectStatus(sandbox, 200, 'listPodBilling', {
			query: { startTime, endTime: now.toISOString(), bucketSize: 'hour' },
		});
		expect(answer.records).toEqual([expect.objectContaining({ podId: pod.id })]);
		expect(answer.metadata.query.startTime).toMatch(/:00:00Z$/);
	});

	test('lastN with startTime is 400; a malformed time or bucket size is 422', async () => {
		expect(
			(
				await call(sandbox, 'listBilling', {
					query: { lastN: 3, startTime: '2026-01-01T00:00:00Z' },
				})
			).status,
		).toBe(400);
		expect((await call(sandbox, 'listBilling', { query: { startTime: 'yesterday' } })).status).toBe(
			422,
		);
		expect((await call(sandbox, 'listBilling', { query: { bucketSize: 'minute' } })).status).toBe(
			422,
		);
		expect((await call(sandbox, 'listBilling', { query: { lastN: 0 } })).status).toBe(422);
	});

	test('week, month and year buckets start on Monday, the 1st and 1 January (UTC)', async () => {
		const weeks = await expectStatus(sandbox, 200, 'listBilling', {
			query: { bucketSize: 'week', lastN: 2 },
		});
		expect(new Date(weeks.records[0].startTime).getUTCDay()).toBe(1);
		const months = await expectStatus(sandbox, 200, 'listBilling', {
			query: { bucketSize: 'month', lastN: 13 },
		});
		expect(months.records).toHaveLength(13);
		expect(
			months.records.every((r: { startTime: string }) => r.startTime.endsWith('-01T00:00:00Z')),
		).toBe(true);
		const year = await expectStatus(sandbox, 200, 'listBilling', {
			query: { bucketSize: 'year', lastN: 1 },
		});
		expect(year.records[0].startTime).toMatch(/^\d{4}-01-01T00:00:00Z$/);
	});

	test('network volumes cost nothing in the sandbox: no records', async () => {
		await expectStatus(sandbox, 201, 'createNetworkVolume', {
			body: { name: 'v', size: 10, dataCenter: 'EU-RO-1' },
		});
		const answer = await expectStatus(sandbox, 200, 'listNetworkVolumeBilling');
		expect(answer).toMatchObject({
			records: [],
			metadata: { recordCount: 0, totals: { totalAmount: 0 } },
		});
	});
});

describe('SSH keys', () => {
	const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxx user@laptop';

	test('PUT replaces the set, GET reads it, and a pod created with startSsh gets them as PUBLIC_KEY', async () => {
		expect(await expectStatus(sandbox, 200, 'getSshKeys')).toEqual({ keys: [] });
		expect(await expectStatus(sandbox, 200, 'updateSshKeys', { body: { keys: [KEY] } })).toEqual({
			keys: [KEY],
		});
		expect(await expectStatus(sandbox, 200, 'getSshKeys')).toEqual({ keys: [KEY] });
		const pod = await expectStatus(sandbox, 201, 'createPod', {
			body: podBody({ startSsh: true }),
		});
		expect(pod.env.PUBLIC_KEY).toBe(KEY);
	});

	test('a key that is not an SSH public key is 422; the read-only key may not replace them', async () => {
		expect((await call(sandbox, 'updateSshKeys', { body: { keys: ['not a key'] } })).status).toBe(
			422,
		);
		expect(
			(await call(sandbox, 'updateSshKeys', { body: { keys: [KEY] }, key: sandbox.readOnlyApiKey }))
				.status,
		).toBe(403);
	});
});

test('a state file from before the REST face loads (no ledger, no SSH keys yet), and the ledger is saved', async () => {
	const folder = mkdtempSync(join(tmpdir(), 'runpod-sandbox-rest-'));
	try {
		const stateFile = join(folder, 'state.json');
		const old = { ...sandbox.state, account: { ...sandbox.state.account } } as Record<
			string,
			unknown
		>;
		delete old.usage;
		delete (old.account as Record<string, unknown>).sshKeys;
		writeFileSync(stateFile, JSON.stringify(old));
		const restored = await startSandbox({ port: 0, stateFile });
		try {
			expect(await expectStatus(restored, 200, 'getSshKeys')).toEqual({ keys: [] });
			expect((await expectStatus(restored, 200, 'listPodBilling')).records).toEqual([]);
			const pod = await expectStatus(restored, 201, 'createPod', { body: podBody() });
			expect(JSON.parse(readFileSync(stateFile, 'utf8')).usage).toEqual([
				expect.objectContaining({ podId: pod.id, endMs: null }),
			]);
		} finally {
			await restored.close();
		}
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
});
