/**
 * The queue-mode e2e test starts Redis and PostgreSQL side by side. When one fails to start, the
 * one that did start must be stopped too, or its process keeps jest from ever exiting.
 */
// Plain-JS e2e helper: required, as the e2e test requires it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startAll } = require('../e2e/helpers/queue-mode-services') as {
	startAll(starters: Array<() => Promise<{ stop(): Promise<void> }>>): Promise<unknown[]>;
};

function service(name: string, log: string[]) {
	return async () => {
		log.push(`start ${name}`);
		return {
			name,
			stop: async () => {
				log.push(`stop ${name}`);
			},
		};
	};
}

test('when Redis fails to start, the PostgreSQL that started is stopped before the failure is thrown', async () => {
	const log: string[] = [];
	const failingRedis = async () => {
		log.push('start redis');
		throw new Error('/usr/bin/redis-server is missing');
	};
	await expect(startAll([failingRedis, service('postgres', log)])).rejects.toThrow(
		'redis-server is missing',
	);
	expect(log).toEqual(['start redis', 'start postgres', 'stop postgres']);
});

test('when both start, both are returned in order and none is stopped', async () => {
	const log: string[] = [];
	const [redis, postgres] = (await startAll([
		service('redis', log),
		service('postgres', log),
	])) as Array<{
		name: string;
	}>;
	expect([redis.name, postgres.name]).toEqual(['redis', 'postgres']);
	expect(log).toEqual(['start redis', 'start postgres']);
});
