import type { INode } from 'n8n-workflow';

import { fromGraphqlPod } from '../../nodes/RunPod/api/graphql';
import type { GraphqlPod } from '../../nodes/RunPod/api/graphql/pods';
import type { Pod } from '../../nodes/RunPod/api/types';
import {
	connectionDetails,
	isReachable,
	proxyUrl,
	simplifyPod,
} from '../../nodes/RunPod/helpers/podOutput';
import { parseEnv } from '../../nodes/RunPod/helpers/env';
import { decodePorts, parsePorts } from '../../nodes/RunPod/helpers/ports';
import { checkNumber, checkText } from '../../nodes/RunPod/helpers/validation';

const node = {
	name: 'RunPod',
	type: 'n8n-nodes-runpod-cloud.runPod',
	typeVersion: 1,
	parameters: {},
} as unknown as INode;

/** A GraphQL pod as the GraphQL implementation hands it to the node (status unified). */
function pod(overrides: Partial<GraphqlPod> = {}): Pod {
	return fromGraphqlPod({
		id: 'abc123def45678',
		name: 'worker',
		desiredStatus: 'RUNNING',
		podType: 'RESERVED',
		ports: '8888/http,22/tcp',
		gpuCount: 1,
		costPerHr: 0.69,
		machine: {
			gpuTypeId: 'NVIDIA GeForce RTX 4090',
			gpuDisplayName: 'RTX 4090',
			dataCenterId: 'EU-RO-1',
		},
		runtime: {
			uptimeInSeconds: 120,
			ports: [
				{
					ip: '100.65.0.10',
					isIpPublic: false,
					privatePort: 8888,
					publicPort: 60141,
					type: 'http',
				},
				{ ip: '194.68.245.12', isIpPublic: true, privatePort: 22, publicPort: 22031, type: 'tcp' },
			],
			gpus: [],
			container: null,
		},
		...overrides,
	} as GraphqlPod);
}

describe('ports', () => {
	test('reads numbers with protocols, and RunPod notation typed into the number', () => {
		expect(
			parsePorts(node, 0, [
				{ number: 8888, protocol: 'http' },
				{ number: '22/tcp', protocol: 'http' },
				{ number: ' 7860 ', protocol: 'http' },
			]),
		).toEqual([
			{ port: 8888, protocol: 'http' },
			{ port: 22, protocol: 'tcp' },
			{ port: 7860, protocol: 'http' },
		]);
	});

	test.each([
		[[{ number: 0, protocol: 'http' }], /Ports \(entry 1\)/],
		[[{ number: 70000, protocol: 'tcp' }], /not a port number/],
		[[{ number: '88a8', protocol: 'http' }], /"88a8" is not a port/],
		[[{ number: 80, protocol: 'udp' }], /unknown protocol "udp"/],
		[[{ number: 80, protocol: 'http' }, { number: '80/tcp' }], /listed twice/],
	])('refuses %j', (entries, message) => {
		expect(() => parsePorts(node, 3, entries)).toThrow(message);
	});

	test('refuses more than 10 HTTP ports, as RunPod does', () => {
		const eleven = Array.from({ length: 11 }, (_, i) => ({ number: 8000 + i, protocol: 'http' }));
		expect(() => parsePorts(node, 0, eleven)).toThrow(/11 HTTP ports, RunPod allows at most 10/);
		expect(parsePorts(node, 0, eleven.slice(0, 10))).toHaveLength(10);
	});

	test('decodes RunPod notation and skips junk', () => {
		expect(decodePorts('8888/http, 22/tcp,bogus')).toEqual([
			{ port: 8888, protocol: 'http' },
			{ port: 22, protocol: 'tcp' },
		]);
		expect(decodePorts(null)).toEqual([]);
	});
});

describe('environment variables', () => {
	test('keeps values exactly as typed, including GraphQL-looking text', () => {
		expect(parseEnv(node, 0, [{ name: ' HF_TOKEN ', value: '"}) { id } mutation {' }])).toEqual([
			{ key: 'HF_TOKEN', value: '"}) { id } mutation {' },
		]);
	});

	test.each([['1ABC'], ['MY-VAR'], [''], ['A B']])('refuses the name %j', (name) => {
		expect(() => parseEnv(node, 0, [{ name, value: 'x' }])).toThrow(
			/Environment Variables \(entry 1\)/,
		);
	});

	test('refuses a name set twice', () => {
		expect(() =>
			parseEnv(node, 0, [
				{ name: 'A', value: '1' },
				{ name: 'A', value: '2' },
			]),
		).toThrow(/set twice/);
	});
});

describe('connection details', () => {
	test('derive public IP, proxy URLs per HTTP port and the SSH command', () => {
		const details = connectionDetails(pod());
		expect(details.publicIp).toBe('194.68.245.12');
		expect(details.proxyUrls).toEqual({ '8888': 'https://abc123def45678-8888.proxy.runpod.net' });
		expect(details.sshCommand).toBe('ssh root@194.68.245.12 -p 22031 -i ~/.ssh/id_ed25519');
		expect(details.portMappings).toHaveLength(2);
	});

	test('no SSH command or public IP while the pod boots', () => {
		const details = connectionDetails(pod({ runtime: null }));
		expect(details.publicIp).toBeNull();
		expect(details.sshCommand).toBeNull();
		expect(details.proxyUrls['8888']).toBe(proxyUrl('abc123def45678', 8888));
	});

	test('a pod is reachable only when running with every port mapped', () => {
		expect(isReachable(pod())).toBe(true);
		expect(isReachable(pod({ runtime: null }))).toBe(false);
		expect(isReachable(pod({ desiredStatus: 'EXITED' }))).toBe(false);
		expect(isReachable(pod({ ports: '8888/http,22/tcp,7860/http' }))).toBe(false);
	});

	test('simplify gives the flat fields people chain on', () => {
		expect(simplifyPod(pod())).toMatchObject({
			id: 'abc123def45678',
			status: 'RUNNING',
			podType: 'on-demand',
			gpuType: 'NVIDIA GeForce RTX 4090',
			costPerHr: 0.69,
			uptimeSeconds: 120,
			publicIp: '194.68.245.12',
			sshCommand: expect.stringContaining('-p 22031'),
		});
		expect(simplifyPod(pod({ podType: 'INTERRUPTABLE' })).podType).toBe('spot');
	});
});

describe('time since start (issue 18, item 9)', () => {
	const now = Date.parse('2026-12-07T12:00:00Z');
	test('counts from the last start, not the container uptime, while the pod is billed', () => {
		const stuck = pod({
			runtime: null,
			createdAt: '2026-12-06T20:00:00Z',
			lastStartedAt: '2026-12-06T23:00:00Z',
		} as Partial<GraphqlPod>);
		expect(stuck.status).toBe('STARTING');
		expect(simplifyPod(stuck, now)).toMatchObject({
			uptimeSeconds: 0,
			secondsSinceStart: 13 * 3600,
		});
	});

	test('falls back to the creation time when RunPod reports no start, and is null once stopped', () => {
		const fresh = pod({
			runtime: null,
			createdAt: '2026-12-07T11:00:00Z',
			lastStartedAt: '',
		} as Partial<GraphqlPod>);
		expect(simplifyPod(fresh, now).secondsSinceStart).toBe(3600);
		const stopped = pod({
			desiredStatus: 'EXITED',
			runtime: null,
			createdAt: '2026-12-07T11:00:00Z',
		} as Partial<GraphqlPod>);
		expect(simplifyPod(stopped, now).secondsSinceStart).toBeNull();
		const unknown = pod({
			runtime: null,
			createdAt: null,
			lastStartedAt: null,
		} as Partial<GraphqlPod>);
		expect(simplifyPod(unknown, now).secondsSinceStart).toBeNull();
	});
});

describe('validation', () => {
	test('numbers: range, whole numbers, numeric strings from expressions', () => {
		expect(checkNumber(node, 0, 'GPU Count', '2', { min: 1, integer: true })).toBe(2);
		expect(() => checkNumber(node, 0, 'GPU Count', 0, { min: 1, max: 8, integer: true })).toThrow(
			'GPU Count: expected a whole number from 1 to 8, got 0',
		);
		expect(() => checkNumber(node, 0, 'GPU Count', 1.5, { min: 1, integer: true })).toThrow(
			/whole number/,
		);
		expect(() => checkNumber(node, 0, 'Bid', 'cheap', { min: 0 })).toThrow(/got "cheap"/);
	});

	test('text: trimmed, and empty or blank refused with the item index', () => {
		expect(checkText(node, 0, 'Image', '  ubuntu  ', 'fix')).toBe('ubuntu');
		try {
			checkText(node, 4, 'Image', '   ', 'Enter an image.');
			throw new Error('expected a failure');
		} catch (error) {
			expect((error as Error).message).toBe('Image: is empty');
			expect((error as { description?: string }).description).toBe('Enter an image.');
			expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(4);
		}
	});

	test('text given an object, a list or true by an expression says what it got and what it needs', () => {
		const failure = (value: unknown) => {
			try {
				checkText(node, 2, 'Pod', value, 'Choose a pod from the list, or enter its ID.');
			} catch (error) {
				return error as Error & { description?: string; context?: { itemIndex?: number } };
			}
			throw new Error('expected a failure');
		};
		const object = failure({ id: 'abc123' });
		expect(object.message).toBe('Pod: expected text, got an object');
		expect(object.description).toMatch(/resolves to an object, not text/);
		expect(object.description).toMatch(/\{\{ \$json\.id \}\}/);
		expect(object.description).toMatch(/Choose a pod from the list, or enter its ID\./);
		expect(object.context?.itemIndex).toBe(2);
		expect(failure(['a', 'b']).message).toBe('Pod: expected text, got a list');
		expect(failure(true).message).toBe('Pod: expected text, got true');
		// Nothing at all is still "empty".
		expect(failure(undefined).message).toBe('Pod: is empty');
		expect(failure(null).message).toBe('Pod: is empty');
	});

	test('numbers: NaN from an expression is named as such, not as null', () => {
		expect(() =>
			checkNumber(node, 3, 'Max Parallel Jobs', NaN, { min: 1, max: 100, integer: true }),
		).toThrow('Max Parallel Jobs: expected a whole number from 1 to 100, got NaN (not a number)');
		expect(() => checkNumber(node, 3, 'Bid Per GPU', { usd: 1 }, { min: 0 })).toThrow(
			'Bid Per GPU: expected a number of at least 0, got an object',
		);
	});
});
