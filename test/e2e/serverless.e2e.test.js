'use strict';
// Serverless jobs in a real n8n against the sandbox's job face: a job run and waited for, a
// generated image arriving as binary data, a Wait node resumed by the sandbox's webhook, and
// prompts fanned out with the results collected by a webhook.
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const { parse } = require('flatted');

const { freePort } = require('../../scripts/lib/n8n-process');
const { createN8nInstance, itemsOf, errorOf } = require('./helpers/instance');
const { n8nRestClient } = require('./helpers/rest');
const { sandboxOnPort } = require('./helpers/sandbox');
const { example, withManualTrigger } = require('./helpers/workflows');

const ENDPOINT = 'sbxecho0000001';
const CREDENTIAL = { runPodApi: { id: 'RunPodCredential', name: 'RunPod account' } };

let n8n;
let sandboxes;
let sandbox;

/** Webhook → queue a job with $execution.resumeUrl → Wait for the callback → keep the result. */
const waitWorkflow = {
	id: 'RunPodE2eWait01',
	name: 'RunPod e2e: queue with webhook into a Wait node',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'e2e-wait-1',
			name: 'Start',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '0e2e0001-0000-4000-8000-000000000001',
			parameters: {
				httpMethod: 'POST',
				path: 'runpod/e2e-wait',
				responseMode: 'onReceived',
				options: {},
			},
		},
		{
			id: 'e2e-wait-2',
			name: 'Queue Job',
			type: 'n8n-nodes-runpod-cloud.runPod',
			typeVersion: 1,
			position: [220, 0],
			parameters: {
				resource: 'job',
				operation: 'run',
				endpointId: { __rl: true, mode: 'id', value: ENDPOINT },
				mode: 'webhook',
				webhookUrl: '={{ $execution.resumeUrl }}',
				input: '={{ JSON.stringify({ prompt: $json.body.prompt, sleepMs: 300 }) }}',
				options: {},
			},
			credentials: CREDENTIAL,
		},
		{
			id: 'e2e-wait-3',
			name: 'Wait for RunPod',
			type: 'n8n-nodes-base.wait',
			typeVersion: 1.1,
			position: [440, 0],
			webhookId: '0e2e0001-0000-4000-8000-000000000003',
			parameters: { resume: 'webhook', httpMethod: 'POST', options: {} },
		},
		{
			id: 'e2e-wait-4',
			name: 'Result',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [660, 0],
			parameters: {
				mode: 'manual',
				includeOtherFields: false,
				assignments: {
					assignments: [
						{ id: 'a', name: 'jobId', value: '={{ $json.body.id }}', type: 'string' },
						{ id: 'b', name: 'status', value: '={{ $json.body.status }}', type: 'string' },
						{ id: 'c', name: 'text', value: '={{ $json.body.output.text }}', type: 'string' },
						{
							id: 'd',
							name: 'queuedJobId',
							value: "={{ $('Queue Job').item.json.jobId }}",
							type: 'string',
						},
					],
				},
				options: {},
			},
		},
	],
	connections: {
		Start: { main: [[{ node: 'Queue Job', type: 'main', index: 0 }]] },
		'Queue Job': { main: [[{ node: 'Wait for RunPod', type: 'main', index: 0 }]] },
		'Wait for RunPod': { main: [[{ node: 'Result', type: 'main', index: 0 }]] },
	},
};

/**
 * A stand-in for OpenAI's chat completions on 127.0.0.1: the first answer calls the RunPod tool
 * with a prompt, the second repeats what the tool returned. Every request body is kept.
 */
function fakeOpenAi() {
	const requests = [];
	const server = http.createServer((request, response) => {
		let text = '';
		request.on('data', (chunk) => (text += chunk));
		request.on('end', () => {
			const body = text ? JSON.parse(text) : {};
			requests.push({ path: request.url, body });
			const toolResult = (body.messages ?? []).find((message) => message.role === 'tool');
			const tool = body.tools?.[0]?.function?.name;
			const message = toolResult
				? { role: 'assistant', content: `The endpoint answered: ${toolResult.content}` }
				: {
						role: 'assistant',
						content: null,
						tool_calls: [
							{
								id: 'call_1',
								type: 'function',
								function: { name: tool, arguments: JSON.stringify({ prompt: 'hello agent' }) },
							},
						],
					};
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(
				JSON.stringify({
					id: `chatcmpl-${requests.length}`,
					object: 'chat.completion',
					created: Math.floor(Date.now() / 1000),
					model: body.model ?? 'gpt-4o-mini',
					choices: [{ index: 0, message, finish_reason: toolResult ? 'stop' : 'tool_calls' }],
					usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
				}),
			);
		});
	});
	return {
		requests,
		listen: () =>
			new Promise((resolve) =>
				server.listen(0, '127.0.0.1', () =>
					resolve(`http://127.0.0.1:${server.address().port}/v1`),
				),
			),
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

/** Example 7, startable by `n8n execute`: a manual trigger and a fixed prompt instead of the chat. */
function agentForCli() {
	const copy = structuredClone(example('07-'));
	for (const node of copy.nodes) {
		if (node.type === '@n8n/n8n-nodes-langchain.chatTrigger')
			Object.assign(node, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
		if (node.type === '@n8n/n8n-nodes-langchain.agent')
			Object.assign(node.parameters, {
				promptType: 'define',
				text: 'Ask my endpoint to say hello.',
			});
	}
	return copy;
}

const openAi = fakeOpenAi();

beforeAll(async () => {
	const openAiUrl = await openAi.listen();
	n8n = await createN8nInstance();
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'runpod-e2e-cred-')), 'openai.json');
	fs.writeFileSync(
		file,
		JSON.stringify([
			{
				id: 'OpenAiCredential',
				name: 'OpenAI account',
				type: 'openAiApi',
				data: { apiKey: 'sk-test', url: openAiUrl },
			},
		]),
	);
	await n8n.cli(['import:credentials', `--input=${file}`]);
	sandboxes = sandboxOnPort(await freePort());
	sandbox = await sandboxes.start({ serverless: { coldStartMs: 50, webhookRetryDelayMs: 200 } });
	await n8n.importCredential({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	await n8n.importWorkflows([
		withManualTrigger(example('05-')),
		example('06-'),
		waitWorkflow,
		agentForCli(),
	]);
});

afterAll(async () => {
	await sandboxes?.stop();
	await n8n?.dispose();
	await openAi.close();
});

async function until(condition, what, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await condition();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

test('run a job and wait: the generated image arrives as binary data and the result is used', async () => {
	const { code, run } = await n8n.execute('RunPodExample005');

	expect(errorOf(run)).toBeUndefined();
	expect(code).toBe(0);
	const [result] = itemsOf(run, 'Use Result');
	expect(result).toMatchObject({
		jobId: expect.stringMatching(/-u1$/),
		status: 'COMPLETED',
		size: '256x256',
		seconds: expect.any(Number),
		fileName: 'A lighthouse at dawn, watercolor.png',
	});
	const generated = run.data.resultData.runData['Generate Image'][0].data.main[0][0];
	expect(generated.json.output).toEqual({ width: 256, height: 256, format: 'png' });
	expect(generated.binary.data).toMatchObject({
		mimeType: 'image/png',
		fileExtension: 'png',
		fileName: 'A lighthouse at dawn, watercolor.png',
	});
	// The image went through n8n's binary data handling: the item keeps it by reference or inline.
	const passed = run.data.resultData.runData['Use Result'][0].data.main[0][0];
	expect(passed.binary.data.mimeType).toBe('image/png');
	expect(sandbox.requests.filter((r) => r.fields[0] === 'job.runsync')).toHaveLength(1);
});

test('AI agent: the chat model calls the RunPod endpoint as a tool and answers with its output', async () => {
	sandbox.requests.length = 0;
	const { code, run, stderr } = await n8n.execute('RunPodExample007');

	expect({ error: errorOf(run), stderr: code === 0 ? '' : stderr }).toEqual({
		error: undefined,
		stderr: '',
	});
	const [answer] = itemsOf(run, 'AI Agent');
	expect(answer.output).toContain('You said: hello agent');
	// The tool's input came from the model ($fromAI), and the job ran on the endpoint.
	const runs = sandbox.requests.filter((r) => r.fields[0] === 'job.runsync');
	expect(runs.map((r) => r.body.input)).toEqual([{ prompt: 'hello agent' }]);
	const toolOffered = openAi.requests[0].body.tools.map((t) => t.function);
	expect(toolOffered).toEqual([
		expect.objectContaining({ description: expect.stringContaining('RunPod serverless endpoint') }),
	]);
});

describe('with n8n running', () => {
	let server;
	let rest;

	beforeAll(async () => {
		server = await n8n.startServer();
		rest = n8nRestClient(server.url);
		await rest.login(n8n.owner);
	});

	async function publish(workflowId, path) {
		const workflow = await rest.request('GET', `/rest/workflows/${workflowId}`);
		const published = await rest.request('POST', `/rest/workflows/${workflowId}/activate`, {
			versionId: workflow.body.data.versionId,
		});
		expect(published.status).toBe(200);
		await until(async () => {
			const probe = await fetch(`${server.url}/webhook/${path}`);
			return /make a POST request/.test(await probe.text());
		}, `webhook /webhook/${path}`);
	}

	/** The finished executions of a workflow, newest first, with their run data. */
	async function finishedExecutions(workflowId) {
		const list = await rest.request(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`,
		);
		const results = list.body?.data?.results ?? [];
		const finished = results.filter(
			(execution) => execution.status === 'success' || execution.status === 'error',
		);
		return await Promise.all(
			finished.map(async (execution) => {
				const full = await rest.request('GET', `/rest/executions/${execution.id}`);
				return { ...execution, run: parse(full.body.data.data) };
			}),
		);
	}

	test("queue with webhook into a Wait node: the sandbox's callback resumes the execution", async () => {
		await publish('RunPodE2eWait01', 'runpod/e2e-wait');
		sandbox.requests.length = 0;
		const started = await fetch(`${server.url}/webhook/runpod/e2e-wait`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ prompt: 'resume me' }),
		});
		expect(started.status).toBe(200);

		const [execution] = await until(async () => {
			const done = await finishedExecutions('RunPodE2eWait01');
			return done.length ? done : undefined;
		}, 'the resumed execution');
		expect(execution.status).toBe('success');
		const [result] = execution.run.resultData.runData.Result[0].data.main[0].map(
			(item) => item.json,
		);
		expect(result).toEqual({
			jobId: result.queuedJobId,
			status: 'COMPLETED',
			text: 'You said: resume me',
			queuedJobId: expect.stringMatching(/-e1$/),
		});
		// The sandbox POSTed to n8n's resume URL and n8n answered 200 at the first attempt.
		const deliveries = sandbox.jobs.webhookDeliveries.filter((d) => d.jobId === result.jobId);
		expect(deliveries).toEqual([
			expect.objectContaining({
				attempt: 1,
				status: 200,
				url: expect.stringContaining('/webhook-waiting/'),
			}),
		]);
	});

	test('fan out prompts: one job per prompt, each result collected by the Job Done webhook and checked', async () => {
		await publish('RunPodExample006', 'runpod/fan-out');
		await publish('RunPodExample006', 'runpod/job-done').catch(() => undefined);
		sandbox.requests.length = 0;
		const prompts = ['a red fox', 'a blue whale', 'a green parrot'];
		const response = await fetch(`${server.url}/webhook/runpod/fan-out`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ prompts }),
		});
		if (response.status !== 200) {
			const failed = await finishedExecutions('RunPodExample006');
			throw new Error(
				`fan-out answered ${response.status}: ${await response.text()} ${JSON.stringify(failed.map((e) => e.run.resultData.error))}`,
			);
		}
		const reply = await response.json();
		const jobIds = reply.jobId;
		expect(jobIds).toHaveLength(3);
		expect(new Set(jobIds).size).toBe(3);

		// Every job's result reached the Job Done webhook (200), and each was read again from RunPod.
		await until(
			() =>
				jobIds.every((id) =>
					sandbox.jobs.webhookDeliveries.some((d) => d.jobId === id && d.status === 200),
				),
			'three webhook deliveries',
		);
		await until(
			() =>
				jobIds.every((id) =>
					sandbox.requests.some(
						(r) => r.fields[0] === 'job.status' && r.path.endsWith(`/status/${id}`),
					),
				),
			'three status checks',
		);
		const collected = await until(async () => {
			const done = (await finishedExecutions('RunPodExample006')).filter(
				(e) => e.run.resultData.runData.Result,
			);
			return done.length >= 3 ? done : undefined;
		}, 'three Job Done executions');
		const results = collected.map((e) => e.run.resultData.runData.Result[0].data.main[0][0].json);
		const received = collected.map(
			(e) => e.run.resultData.runData['Job Done'][0].data.main[0][0].json.body,
		);
		expect(received.map((body) => body.input)).toEqual(
			expect.arrayContaining(prompts.map((prompt) => ({ prompt }))),
		);
		expect(results.map((r) => r.prompt).sort()).toEqual([...prompts].sort());
		for (const result of results) {
			expect(result).toEqual({
				jobId: expect.any(String),
				status: 'COMPLETED',
				prompt: result.prompt,
				text: `You said: ${result.prompt}`,
			});
		}
	});
});
