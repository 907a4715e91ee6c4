/** `npm run sandbox`: options from flags and environment, and the launcher working with no build step. */
import { spawn } from 'child_process';
import { join } from 'path';

import { optionsFrom } from '../../sandbox/cli';

describe('options', () => {
	test('defaults suit a person trying workflows: port 8787, seed 1, a 5 s boot', () => {
		expect(optionsFrom([], {})).toEqual({
			port: 8787,
			seed: 1,
			bootDelayMs: 5000,
			stateFile: undefined,
			faults: undefined,
		});
	});

	test('flags win over the environment, in both --flag value and --flag=value forms', () => {
		const env = {
			RUNPOD_SANDBOX_PORT: '9000',
			RUNPOD_SANDBOX_SEED: '3',
			RUNPOD_SANDBOX_STATE_FILE: 'env.json',
		};
		expect(
			optionsFrom(['--port', '9100', '--boot-delay-ms=0', '--faults', '{"latencyMs":50}'], env),
		).toEqual({
			port: 9100,
			seed: 3,
			bootDelayMs: 0,
			stateFile: 'env.json',
			faults: { latencyMs: 50 },
		});
	});

	test('unknown flags and bad numbers are refused with the usage', () => {
		expect(() => optionsFrom(['--prot', '1'], {})).toThrow(
			/Unknown option --prot\nUsage: npm run sandbox/,
		);
		expect(() => optionsFrom(['--seed', 'abc'], {})).toThrow(
			'--seed must be a whole number, not "abc"',
		);
	});
});

test('scripts/sandbox.js starts from the TypeScript sources, prints URL and keys, answers, and stops on SIGTERM', async () => {
	const child = spawn(
		process.execPath,
		[join(__dirname, '../../scripts/sandbox.js'), '--port', '0', '--boot-delay-ms', '0'],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	try {
		let output = '';
		const banner = await new Promise<string>((resolve, reject) => {
			child.stdout.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				if (output.includes('Ctrl-C')) resolve(output);
			});
			child.stderr.on('data', (chunk: Buffer) => reject(new Error(chunk.toString())));
			child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
		});
		const baseUrl = /Base URL.*: (http:\/\/127\.0\.0\.1:\d+)\n/.exec(banner)?.[1];
		const apiKey = /API key:\s+(rpa_sandbox_\S+)/.exec(banner)?.[1];
		expect(banner).toContain(`GraphQL URL:`);
		expect(banner).toMatch(/REST v2 URL:\s+http:\/\/127\.0\.0\.1:\d+\/v2\n/);
		expect(banner).toMatch(/Read-only API key:\s+rpa_sandbox_readonly_/);
		const response = await fetch(`${baseUrl}/graphql`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
			body: JSON.stringify({ query: '{ myself { email } }' }),
		});
		expect(await response.json()).toEqual({ data: { myself: { email: 'sandbox@example.com' } } });
		const restUrl = /REST v2 URL:\s+(\S+)\n/.exec(banner)?.[1];
		const pods = await fetch(`${restUrl}/pods`, { headers: { authorization: `Bearer ${apiKey}` } });
		expect(await pods.json()).toEqual({ pods: [] });

		const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	} finally {
		if (child.exitCode === null) child.kill('SIGKILL');
	}
}, 20_000);
