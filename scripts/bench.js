#!/usr/bin/env node
'use strict';
// `npm run bench`: this node against n8n's HTTP Request node doing the same RunPod requests, in
// real n8n (`n8n execute`), against the local sandbox with injected latency per request. For each
// N it rents N pods in the sandbox, then runs one workflow whose nodes take turns (after one
// unmeasured warm-up Get each): Get (RunPod, HTTP), Stop (RunPod, HTTP), Get Many (RunPod, HTTP). Times are n8n's own
// per-node execution times; requests are counted in the sandbox's log by each node's time window.
//
// Both RunPod APIs: GraphQL, and REST v2 (the HTTP Request node then calls the same REST paths).
// Options: --sizes 1,10,100,500   --runs 3 (best run counts)   --latency-ms 50   --apis graphql,rest
//          --parallel N (the node's Max Parallel Requests; default: the node's default)
//          --work get,stop,getMany (which operations to measure; default: all three)
//          --cpu-prof DIR (writes a V8 CPU profile of every `n8n execute` into DIR, to find where time goes)

const fs = require('fs');
const os = require('os');
const path = require('path');

const { ensureN8nInstalled, N8N_VERSION } = require('./lib/n8n-install');
const { REPO_ROOT } = require('./lib/package-install');
const {
	freePort,
	n8nEnv,
	parseExecuteOutput,
	runN8nCli,
	runN8nCliOrThrow,
} = require('./lib/n8n-process');
const { EXAMPLE_CREDENTIAL, installPackageInto, importWorkflows } = require('./lib/n8n-instance');
const { loadSandbox } = require('./lib/sandbox-loader');

const RUNPOD = 'n8n-nodes-runpod-cloud.runPod';
const GPU = 'NVIDIA GeForce RTX 4090';

function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : process.argv[index + 1];
}

const SIZES = option('sizes', '1,10,100,500').split(',').map(Number);
const RUNS = Number(option('runs', '3'));
const LATENCY_MS = Number(option('latency-ms', '50'));
const APIS = option('apis', 'graphql,rest').split(',');
// The node's Max Parallel Requests; unset, the node's default applies.
const PARALLEL = option('parallel', undefined);
const ONLY_WORK = option('work', undefined)?.split(',');
const CPU_PROFILE_DIR = option('cpu-prof', undefined);
const REST_CREDENTIAL = { id: 'RunPodBenchRestV2', name: 'RunPod REST v2' };

function say(message) {
	process.stderr.write(`[bench] ${message}\n`);
}

/** The work measured, in the order the workflow runs it, with the same request by hand for each API. */
const ALL_WORK = [
	{
		label: 'Pod → Get',
		key: 'get',
		runPod: { operation: 'get' },
		graphql: 'GET',
		rest: { method: 'GET', path: '/{id}' },
		perItem: true,
	},
	{
		label: 'Pod → Stop',
		key: 'stop',
		runPod: { operation: 'stop' },
		graphql: 'STOP',
		rest: { method: 'POST', path: '/{id}/action', body: { action: 'stop' } },
		perItem: true,
		// Not measured: starts the pods again so that both nodes stop running pods.
		between: {
			graphql: 'RESUME',
			variables: { gpuCount: 1 },
			rest: { method: 'POST', path: '/{id}/action', body: { action: 'start' } },
		},
	},
	{
		label: 'Pod → Get Many',
		key: 'getMany',
		runPod: { operation: 'getAll', returnAll: true },
		graphql: 'LIST',
		rest: { method: 'GET', path: '' },
		perItem: false,
	},
];

const WORK = ONLY_WORK ? ALL_WORK.filter((work) => ONLY_WORK.includes(work.key)) : ALL_WORK;

const POD_ID = "$('Pods').item.json.id";

/** An HTTP Request node that sends the request itself: one request per item, as a user would build it. */
function httpNode(name, position, work, api, sandbox, documents) {
	let request;
	if (api === 'graphql') {
		const query = JSON.stringify(documents[work.graphql].replace(/\s+/g, ' '));
		const extra = Object.entries(work.variables ?? {})
			.map(([key, value]) => `, ${key}: ${JSON.stringify(value)}`)
			.join('');
		const variables = work.perItem ? `{ input: { podId: ${POD_ID}${extra} } }` : '{}';
		request = {
			method: 'POST',
			url: `${sandbox.url}/graphql`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ query: ${query}, variables: ${variables} }) }}`,
		};
	} else {
		const path = work.rest.path.replace('{id}', `{{ ${POD_ID} }}`);
		request = {
			method: work.rest.method,
			url: `=${sandbox.url}/v2/pods${path}`,
			...(work.rest.body
				? { sendBody: true, specifyBody: 'json', jsonBody: JSON.stringify(work.rest.body) }
				: {}),
		};
	}
	return {
		id: `http-${name}`,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		...(work.perItem ? {} : { executeOnce: true }),
		parameters: {
			...request,
			sendHeaders: true,
			headerParameters: {
				parameters: [{ name: 'Authorization', value: `Bearer ${sandbox.apiKey}` }],
			},
			options: {},
		},
	};
}

function runPodNode(name, position, parameters, perItem, credential) {
	return {
		id: `runpod-${name}`,
		name,
		type: RUNPOD,
		typeVersion: 1,
		position,
		...(perItem ? {} : { executeOnce: true }),
		credentials: { runPodApi: credential },
		parameters: {
			resource: 'pod',
			...parameters,
			...(PARALLEL ? { requestPolicy: { maxParallelRequests: Number(PARALLEL) } } : {}),
			...(perItem
				? { podId: { __rl: true, mode: 'id', value: "={{ $('Pods').item.json.id }}" } }
				: {}),
		},
	};
}

function workflowId(api) {
	return api === 'graphql' ? 'RunPodBenchGraphql' : 'RunPodBenchRestV2';
}

function benchWorkflow(sandbox, documents, api) {
	const credential = api === 'graphql' ? EXAMPLE_CREDENTIAL : REST_CREDENTIAL;
	const nodes = [
		{
			id: 'trigger',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		runPodNode('Pods', [200, 0], { operation: 'getAll', returnAll: true }, false, credential),
		// Not measured: the first node to run a per-item expression pays n8n's warm-up.
		runPodNode('Warm-up RunPod', [400, 0], ALL_WORK[0].runPod, true, credential),
		httpNode('Warm-up HTTP', [600, 0], ALL_WORK[0], api, sandbox, documents),
	];
	for (const [index, work] of WORK.entries()) {
		nodes.push(
			runPodNode(
				`RunPod: ${work.label}`,
				[800 + index * 600, 0],
				work.runPod,
				work.perItem,
				credential,
			),
		);
		if (work.between) {
			nodes.push(
				httpNode(
					`Between: ${work.label}`,
					[1000 + index * 600, 0],
					{ ...work.between, perItem: true },
					api,
					sandbox,
					documents,
				),
			);
		}
		nodes.push(
			httpNode(`HTTP: ${work.label}`, [1200 + index * 600, 0], work, api, sandbox, documents),
		);
	}
	const connections = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		connections[nodes[index].name] = {
			main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]],
		};
	}
	return {
		id: workflowId(api),
		name: `RunPod benchmark (${api})`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
	};
}

async function rentPods(sandbox, count) {
	for (let index = 0; index < count; index++) {
		const response = await fetch(`${sandbox.url}/graphql`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
			body: JSON.stringify({
				query:
					'mutation Create($input: PodFindAndDeployOnDemandInput) { podFindAndDeployOnDemand(input: $input) { id } }',
				variables: {
					input: {
						name: `bench-${index}`,
						imageName: 'runpod/base:0.6.2',
						gpuTypeId: GPU,
						gpuCount: 1,
						cloudType: 'SECURE',
						containerDiskInGb: 10,
					},
				},
			}),
		});
		const body = await response.json();
		if (body.errors)
			throw new Error(`renting pods for the benchmark failed: ${JSON.stringify(body.errors)}`);
	}
}

/** Per measured node: its execution time and the sandbox requests that arrived while it ran. */
function measure(run, requests) {
	const times = requests.map((request) => Date.parse(request.time));
	const result = {};
	for (const [name, [task]] of Object.entries(run.data.resultData.runData)) {
		const end = task.startTime + task.executionTime;
		result[name] = {
			ms: task.executionTime,
			requests: times.filter((time) => time >= task.startTime && time <= end).length,
			items: task.data?.main?.[0]?.length ?? 0,
			error: task.error?.message,
		};
	}
	return result;
}

/** Imports credentials whose data is a plain object (n8n encrypts it), from a private temp file. */
async function importCredentials(install, env, credentials) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runpod-bench-import-'));
	const file = path.join(dir, 'credentials.json');
	fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
	try {
		await runN8nCliOrThrow(install, ['import:credentials', `--input=${file}`], env);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

function formatMs(ms) {
	return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

async function main() {
	const install = await ensureN8nInstalled();
	const { startSandbox } = loadSandbox();
	// The REST quota is lifted: the HTTP Request node's bursts would otherwise be refused.
	const sandbox = await startSandbox({
		port: 0,
		seed: 1,
		rateLimits: [{ name: 'minute', quota: 1000000, windowSeconds: 60 }],
	});
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'runpod-bench-n8n-'));
	try {
		say('building and installing the package...');
		installPackageInto(userFolder);
		const documents = require(
			path.join(REPO_ROOT, 'dist', 'nodes', 'RunPod', 'api', 'graphql', 'pods.js'),
		);
		const env = n8nEnv({ userFolder, port: await freePort(), brokerPort: await freePort() });
		const executeEnv = CPU_PROFILE_DIR
			? { ...env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(CPU_PROFILE_DIR)}` }
			: env;
		await importCredentials(install, env, [
			{
				...EXAMPLE_CREDENTIAL,
				type: 'runPodApi',
				data: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, api: 'graphql' },
			},
			{
				...REST_CREDENTIAL,
				type: 'runPodApi',
				data: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, api: 'restV2' },
			},
		]);
		await importWorkflows(
			install,
			env,
			APIS.map((api) => benchWorkflow(sandbox, documents, api)),
		);

		const best = {};
		let incompleteRuns = 0;
		for (const api of APIS)
			for (const size of SIZES) {
				for (let attempt = 1; attempt <= RUNS; attempt++) {
					sandbox.reset();
					sandbox.setStock(GPU, { secure: size + 10 });
					await rentPods(sandbox, size);
					sandbox.faults.set({ latencyMs: LATENCY_MS });
					sandbox.requests.length = 0;
					say(`${api}, N = ${size}, run ${attempt} of ${RUNS}...`);
					const { code, stdout, stderr } = await runN8nCli(
						install,
						['execute', `--id=${workflowId(api)}`],
						executeEnv,
						{ timeoutMs: 600000 },
					);
					let run;
					try {
						run = parseExecuteOutput(stdout);
					} catch (error) {
						// n8n sometimes exits before a very large run's JSON is fully written: run it again.
						if (++incompleteRuns > 3) throw error;
						say('n8n execute printed an incomplete run; running it again');
						attempt--;
						continue;
					}
					if (code !== 0)
						throw new Error(
							`the benchmark workflow failed (exit ${code}): ${JSON.stringify(run.data.resultData.error)}\n${stderr}`,
						);
					const measured = measure(run, sandbox.requests);
					for (const [name, value] of Object.entries(measured)) {
						if (value.error) throw new Error(`${name} failed: ${value.error}`);
						const key = `${api}|${size}|${name}`;
						if (!best[key] || value.ms < best[key].ms) best[key] = value;
					}
				}
			}

		const lines = [
			`RunPod sandbox, ${LATENCY_MS} ms latency per request, n8n ${N8N_VERSION}, best of ${RUNS} run(s); \`npm run bench\`.`,
			'',
			'| API | Work | N | RunPod node | requests | HTTP Request node | requests | RunPod ÷ HTTP |',
			'|---|---|---:|---:|---:|---:|---:|---:|',
		];
		for (const api of APIS) {
			for (const work of WORK) {
				for (const size of SIZES) {
					const ours = best[`${api}|${size}|RunPod: ${work.label}`];
					const theirs = best[`${api}|${size}|HTTP: ${work.label}`];
					const ratio = (ours.ms / Math.max(1, theirs.ms)).toFixed(2);
					const apiName = api === 'graphql' ? 'GraphQL' : 'REST v2';
					lines.push(
						`| ${apiName} | ${work.label} | ${size} | ${formatMs(ours.ms)} | ${ours.requests} | ${formatMs(theirs.ms)} | ${theirs.requests} | ${ratio}× |`,
					);
				}
			}
		}
		console.log(lines.join('\n'));
	} finally {
		await sandbox.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
