/** One vocabulary on both APIs: pod status and stock levels, from GraphQL's and REST v2's own words. */
import { graphqlPodState } from '../../nodes/RunPod/api/graphql';
import { unifiedStock } from '../../nodes/RunPod/api/rest/catalog';
import { fromRestPod, restPodState } from '../../nodes/RunPod/api/rest/pods';
import { simplifyPod } from '../../nodes/RunPod/helpers/podOutput';

const runtime = { uptimeInSeconds: 5, ports: [], gpus: [], container: null };

test.each([
	['RUNNING', runtime, 'RUNNING'],
	['RUNNING', null, 'STARTING'],
	['CREATED', null, 'STARTING'],
	['RESTARTING', null, 'STARTING'],
	['EXITED', null, 'EXITED'],
	['PAUSED', null, 'EXITED'],
	['DEAD', null, 'ERROR'],
	['TERMINATED', null, 'TERMINATED'],
] as const)(
	'GraphQL desiredStatus %s (runtime %p) reads %s',
	(desiredStatus, podRuntime, expected) => {
		expect(graphqlPodState({ desiredStatus, runtime: podRuntime })).toBe(expected);
	},
);

test.each([
	['PROVISIONING', 'STARTING'],
	['STARTING', 'STARTING'],
	['RUNNING', 'RUNNING'],
	['EXITED', 'EXITED'],
	['ERROR', 'ERROR'],
	['TERMINATED', 'TERMINATED'],
])('REST status %s reads %s', (status, expected) => {
	expect(restPodState(status)).toBe(expected);
});

test.each([
	['HIGH', 'High'],
	['MEDIUM', 'Medium'],
	['LOW', 'Low'],
	['NONE', null],
	['High', 'High'],
	[null, null],
])('stock %p reads %p', (level, expected) => {
	expect(unifiedStock(level)).toBe(expected);
});

test('a REST pod simplifies to the same flat shape as a GraphQL one: GPU, cost, uptime, ports, SSH', () => {
	const pod = fromRestPod({
		id: 'p1',
		name: 'worker',
		status: 'RUNNING',
		gpu: { id: 'NVIDIA GeForce RTX 4090', count: 2 },
		cost: 1.38,
		dataCenterId: 'EU-RO-1',
		ports: ['8888/http', '22/tcp'],
		env: { A: '1' },
		createdAt: '2026-12-07T10:00:00Z',
		startedAt: '2026-12-07T11:58:59Z',
		runtime: {
			uptime: 61,
			ports: [
				{ private: 8888, public: null, type: 'http', ip: '100.65.0.10' },
				{ private: 22, public: 22031, type: 'tcp', ip: '194.68.245.12' },
			],
		},
	});
	expect(pod.env).toEqual(['A=1']);
	expect(simplifyPod(pod, Date.parse('2026-12-07T12:00:00Z'))).toEqual({
		id: 'p1',
		name: 'worker',
		status: 'RUNNING',
		podType: 'on-demand',
		gpuType: 'NVIDIA GeForce RTX 4090',
		gpuCount: 2,
		costPerHr: 1.38,
		uptimeSeconds: 61,
		secondsSinceStart: 61,
		dataCenterId: 'EU-RO-1',
		publicIp: '194.68.245.12',
		portMappings: [
			{
				privatePort: 8888,
				publicPort: null,
				ip: '100.65.0.10',
				isIpPublic: false,
				protocol: 'http',
			},
			{
				privatePort: 22,
				publicPort: 22031,
				ip: '194.68.245.12',
				isIpPublic: true,
				protocol: 'tcp',
			},
		],
		proxyUrls: { '8888': 'https://p1-8888.proxy.runpod.net' },
		sshCommand: 'ssh root@194.68.245.12 -p 22031 -i ~/.ssh/id_ed25519',
	});
});

test('a stopped pod costs 0 per hour on both APIs', () => {
	expect(
		simplifyPod(fromRestPod({ id: 'p1', status: 'EXITED', cost: 0, runtime: null })).costPerHr,
	).toBe(0);
});
