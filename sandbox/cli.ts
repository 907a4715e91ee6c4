/**
 * `npm run sandbox`: runs the RunPod sandbox until Ctrl-C.
 * Flags win over environment variables: --port / RUNPOD_SANDBOX_PORT (8787), --seed /
 * RUNPOD_SANDBOX_SEED (1), --boot-delay-ms / RUNPOD_SANDBOX_BOOT_DELAY_MS (5000),
 * --state-file / RUNPOD_SANDBOX_STATE_FILE, --faults / RUNPOD_SANDBOX_FAULTS (FaultConfig as JSON).
 */
import { DEMO_ENDPOINT_ID } from './serverless/endpoints';
import { startSandbox } from './index';
import type { FaultConfig, SandboxOptions } from './index';

const USAGE = `Usage: npm run sandbox -- [--port 8787] [--seed 1] [--boot-delay-ms 5000] [--state-file .sandbox-state.json] [--faults '{"latencyMs":200}']`;

const FLAGS: Record<string, string> = {
	'--port': 'RUNPOD_SANDBOX_PORT',
	'--seed': 'RUNPOD_SANDBOX_SEED',
	'--boot-delay-ms': 'RUNPOD_SANDBOX_BOOT_DELAY_MS',
	'--state-file': 'RUNPOD_SANDBOX_STATE_FILE',
	'--faults': 'RUNPOD_SANDBOX_FAULTS',
};

/** Reads `--flag value` and `--flag=value`, falling back to the flag's environment variable. */
export function readSettings(
	argv: readonly string[],
	env: NodeJS.ProcessEnv,
): Record<string, string | undefined> {
	const settings: Record<string, string | undefined> = {};
	for (const [flag, variable] of Object.entries(FLAGS)) settings[flag] = env[variable] || undefined;
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split(/=(.*)/s);
		if (!(flag in FLAGS)) throw new Error(`Unknown option ${argv[i]}\n${USAGE}`);
		const value = inline ?? argv[++i];
		if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
		settings[flag] = value;
	}
	return settings;
}

function whole(flag: string, value: string | undefined, fallback: number): number {
	if (value === undefined) return fallback;
	const number = Number(value);
	if (!Number.isInteger(number) || number < 0)
		throw new Error(`${flag} must be a whole number, not "${value}"`);
	return number;
}

export function optionsFrom(argv: readonly string[], env: NodeJS.ProcessEnv): SandboxOptions {
	const settings = readSettings(argv, env);
	const faults = settings['--faults'];
	return {
		port: whole('--port', settings['--port'], 8787),
		seed: whole('--seed', settings['--seed'], 1),
		bootDelayMs: whole('--boot-delay-ms', settings['--boot-delay-ms'], 5000),
		stateFile: settings['--state-file'],
		faults: faults ? (JSON.parse(faults) as FaultConfig) : undefined,
	};
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
	if (argv.includes('--help') || argv.includes('-h')) {
		console.log(USAGE);
		return;
	}
	const options = optionsFrom(argv, process.env);
	const sandbox = await startSandbox(options);
	console.log(
		[
			`RunPod sandbox listening (seed ${options.seed}, boot delay ${options.bootDelayMs} ms${options.stateFile ? `, state in ${options.stateFile}` : ''})`,
			`  Base URL (credential "Base URL"): ${sandbox.url}`,
			`  GraphQL URL:                      ${sandbox.url}/graphql`,
			`  REST v2 URL:                      ${sandbox.url}/v2`,
			`  Serverless Base URL (credential): ${sandbox.url}  (jobs: ${sandbox.url}/v2/${DEMO_ENDPOINT_ID}/run)`,
			`  API key:                          ${sandbox.apiKey}`,
			`  Read-only API key:                ${sandbox.readOnlyApiKey}`,
			'Press Ctrl-C to stop.',
		].join('\n'),
	);
	const stop = (signal: string) => {
		console.log(`\n${signal}: stopping the RunPod sandbox`);
		sandbox.close().then(
			() => process.exit(0),
			(error: Error) => {
				console.error(error.message);
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}
