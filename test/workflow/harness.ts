/**
 * Runs the RunPod node through n8n-core's own WorkflowExecute, the way n8n runs it, against a
 * RunPod GraphQL server (the sandbox) on 127.0.0.1. Credentials are resolved like n8n does: the
 * credential class's `authenticate` function is applied to every request.
 */
import { mock } from 'jest-mock-extended';
import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeConnectionTypes,
	Workflow,
	createRunExecutionData,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { RunPodApi } from '../../credentials/RunPodApi.credentials';
import { RunPod } from '../../nodes/RunPod/RunPod.node';
import { SETTLE_SCHEDULE } from '../../nodes/RunPod/transport/request';

// Test seam: after an ambiguous failure the node looks for a create's result for up to two
// minutes. Workflow tests keep the schedule's shape and shrink it; their late applies are due
// well inside it (timers fire in order), so no test races the clock.
Object.assign(SETTLE_SCHEDULE, { firstDelayMs: 20, maxDelayMs: 200, maxTotalMs: 1500 });

export const RUNPOD_NODE_TYPE = 'n8n-nodes-runpod-cloud.runPod';

/**
 * The API the workflow tests run on: jest runs the workflow tests twice, once per API (see
 * jest.config.js), and a test may still pass `api` in its credentials to pin one.
 */
export const TEST_API: 'graphql' | 'restV2' =
	process.env.RUNPOD_TEST_API === 'restV2' ? 'restV2' : 'graphql';
export const ON_REST = TEST_API === 'restV2';

/** For a test about something only GraphQL has or does (its documents, variables, spot pods). */
export const graphqlOnly = ON_REST ? test.skip : test;
/** For a test about something only REST v2 has or does. */
export const restOnly = ON_REST ? test : test.skip;

/** The GraphQL field each REST v2 operation stands for, so one test reads the sandbox's log on both APIs. */
const GRAPHQL_EQUIVALENT: Record<string, string[]> = {
	createPod: ['podFindAndDeployOnDemand'],
	podAction: ['podStop', 'podResume', 'podTerminate'],
	deletePod: ['podTerminate'],
	getPod: ['pod'],
	listPods: ['myself'],
	createTemplate: ['saveTemplate'],
	updateTemplate: ['saveTemplate'],
	listTemplates: ['myself'],
	getTemplate: ['myself'],
	listNetworkVolumes: ['myself'],
	getNetworkVolume: ['myself'],
	listGpuTypes: ['gpuTypes'],
	getGpuType: ['gpuTypes'],
	listDataCenters: ['dataCenters'],
	listEndpoints: ['myself'],
	createEndpoint: ['saveEndpoint'],
	updateEndpoint: ['saveEndpoint'],
};

const ACTION_FIELD: Record<string, string> = {
	stop: 'podStop',
	start: 'podResume',
	terminate: 'podTerminate',
};

type Body = Record<string, unknown>;

function envList(env: unknown): Array<{ key: string; value: string }> | undefined {
	return env && typeof env === 'object'
		? Object.entries(env as Record<string, string>).map(([key, value]) => ({ key, value }))
		: undefined;
}

function defined(input: Body): Body {
	return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

/** A REST v2 body in GraphQL's input words, so one assertion on `variables` reads both APIs. */
function graphqlVariables(operationId: string, path: string, body: Body | undefined): Body {
	const id = decodeURIComponent(path.split('?')[0].split('/')[3] ?? '');
	const mounts = (body?.mounts ?? {}) as {
		persistent?: { size?: number; path?: string };
		network?: Array<{ volumeId?: string; path?: string }>;
	};
	switch (operationId) {
		case 'createPod': {
			const gpu = (body?.gpu ?? {}) as Body;
			return {
				input: defined({
					name: body?.name,
					imageName: body?.image,
					templateId: body?.templateId,
					gpuTypeId: gpu.id,
					gpuCount: gpu.count,
					cloudType: body?.cloud,
					containerDiskInGb: body?.disk,
					volumeInGb: mounts.persistent?.size,
					volumeMountPath: mounts.persistent?.path ?? mounts.network?.[0]?.path,
					networkVolumeId: mounts.network?.[0]?.volumeId,
					ports: Array.isArray(body?.ports) ? (body?.ports as string[]).join(',') : undefined,
					env: envList(body?.env),
					dataCenterId: (body?.dataCenterIds as string[] | undefined)?.[0],
					allowedCudaVersions: gpu.allowedCudaVersions,
					dockerArgs: body?.args,
					startSsh: body?.startSsh,
				}),
			};
		}
		case 'getPod':
		case 'deletePod':
		case 'podAction':
			return { input: { podId: id } };
		case 'createTemplate':
		case 'updateTemplate':
			return {
				input: defined({
					...(operationId === 'updateTemplate' ? { id } : {}),
					name: body?.name,
					imageName: body?.image,
					containerDiskInGb: body?.disk,
					volumeInGb: mounts.persistent?.size,
					volumeMountPath: mounts.persistent?.path,
					dockerArgs: body?.args,
					env: envList(body?.env),
					ports: Array.isArray(body?.ports) ? (body?.ports as string[]).join(',') : undefined,
					isServerless: body?.serverless,
					isPublic: body?.public,
					startSsh: body?.startSsh,
					startJupyter: body?.startJupyter,
					containerRegistryAuthId: body?.registry,
				}),
			};
		case 'createNetworkVolume':
			return {
				input: defined({ name: body?.name, size: body?.size, dataCenterId: body?.dataCenter }),
			};
		case 'updateNetworkVolume':
			return { input: defined({ id, name: body?.name, size: body?.size }) };
		case 'deleteNetworkVolume':
			return { input: { id } };
		default:
			return {};
	}
}

/**
 * On REST v2, makes the sandbox's request log and fault filters speak GraphQL's field names too:
 * a REST request's `fields` start with the GraphQL field it stands for (createPod → podFindAndDeployOnDemand)
 * and writes get a `mutation …` query line, so the same assertions hold on both APIs. No-op on GraphQL.
 */
export function speakTestApi(sandbox: {
	requests: Array<{
		fields: string[];
		query: string;
		variables: Record<string, unknown>;
		method?: string;
		body?: unknown;
		path?: string;
	}>;
	faults: { take: (fields: readonly string[]) => unknown };
}): void {
	if (!ON_REST) return;
	const push = sandbox.requests.push.bind(sandbox.requests);
	// Not enumerable, so `expect(sandbox.requests).toEqual([])` still compares the entries only.
	Object.defineProperty(sandbox.requests, 'push', {
		enumerable: false,
		value: (...entries: typeof sandbox.requests) => {
			for (const entry of entries) {
				if (!entry.method) continue;
				const action = (entry.body as { action?: string } | undefined)?.action;
				const equivalent = entry.fields.flatMap((field) =>
					field === 'podAction' && action && ACTION_FIELD[action]
						? [ACTION_FIELD[action]]
						: (GRAPHQL_EQUIVALENT[field] ?? []),
				);
				entry.variables = graphqlVariables(
					entry.fields[0] ?? '',
					entry.path ?? '',
					entry.body as Body | undefined,
				);
				entry.fields = [...equivalent, ...entry.fields];
				entry.query = `${entry.method === 'GET' ? 'query' : 'mutation'} /* REST ${entry.method} ${entry.path ?? ''} */`;
			}
			return push(...entries);
		},
	});
	const take = sandbox.faults.take.bind(sandbox.faults);
	sandbox.faults.take = (fields) =>
		take([...fields, ...fields.flatMap((field) => GRAPHQL_EQUIVALENT[field] ?? [])]);
}
const ITEMS_NODE_TYPE = 'test.items';

/** A tiny source node that emits the items a test gives it (n8n-nodes-base is not installed here). */
class ItemsSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string;
		const items = JSON.parse(raw) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[RUNPOD_NODE_TYPE]: new RunPod(),
		[ITEMS_NODE_TYPE]: new ItemsSource(),
	};

	getByName(nodeType: string): INodeType {
		return this.types[nodeType];
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.types[nodeType];
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export class TestCredentialsHelper extends ICredentialsHelper {
	/** How often n8n read and decrypted the credential (in n8n: a database read and a decryption). */
	decryptions = 0;

	constructor(private readonly credentials: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// n8n's CredentialsHelper calls a function-style authenticate with the decrypted data.
		return await new RunPodApi().authenticate(credentials, requestOptions);
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used in tests');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		this.decryptions++;
		return { ...this.credentials };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties() {
		return new RunPodApi().properties;
	}
}

export interface RunOptions {
	/** Parameters of the RunPod node (resource, operation, ...). */
	parameters: IDataObject;
	/** Input items; one empty item when omitted. */
	items?: IDataObject[];
	credentials: {
		apiKey: string;
		baseUrl: string;
		api?: 'graphql' | 'restV2';
		serverlessBaseUrl?: string;
	};
	continueOnFail?: boolean;
	/** n8n's Settings → On Error → "Continue (using error output)": failed items leave on a second output. */
	errorOutput?: boolean;
	/** n8n's "Retry On Fail" node setting: the whole node runs again, for every item, up to maxTries. */
	retryOnFail?: { maxTries: number };
	/** The execution's id, as n8n sets it; manual runs in these tests have none by default. */
	executionId?: string;
}

export interface RunResult {
	/** The RunPod node's output items (empty when the node failed without continueOnFail). */
	items: INodeExecutionData[];
	/** Items n8n routed to the error output (with `errorOutput`). */
	errorItems: INodeExecutionData[];
	/** The workflow error, when the node failed and stopped the run. */
	error?: Error & { description?: string; context?: IDataObject };
	run: IRun;
	/** How often the run read and decrypted the credential. */
	credentialDecryptions: number;
}

export async function runRunPodNode(options: RunOptions): Promise<RunResult> {
	const runPodNode: INode = {
		id: 'runpod',
		name: 'RunPod',
		type: RUNPOD_NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters as INodeParameters,
		credentials: { runPodApi: { id: '1', name: 'RunPod account' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.errorOutput ? { onError: 'continueErrorOutput' as const } : {}),
		...(options.retryOnFail
			? { retryOnFail: true, maxTries: options.retryOnFail.maxTries, waitBetweenTries: 1 }
			: {}),
	};
	const itemsNode: INode = {
		id: 'items',
		name: 'Items',
		type: ITEMS_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items ?? [{}]) },
	};
	const workflow = new Workflow({
		id: 'test',
		name: 'RunPod test',
		nodes: [itemsNode, runPodNode],
		connections: {
			Items: { main: [[{ node: 'RunPod', type: NodeConnectionTypes.Main, index: 0 }]] },
		},
		active: false,
		nodeTypes: new TestNodeTypes(),
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test',
		name: 'RunPod test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: workflow.nodes ? Object.values(workflow.nodes) : [],
		connections: {},
	} as never);
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolve(fullRunData));
	});

	const credentialsHelper = new TestCredentialsHelper({ api: TEST_API, ...options.credentials });
	const additionalData = mock<IWorkflowExecuteAdditionalData>({
		hooks,
		credentialsHelper,
		currentNodeParameters: undefined,
		executionId: options.executionId,
		executionContext: undefined,
		encryptedRunnerIdentity: undefined,
		evalLlmMockHandler: undefined,
		restartExecutionId: undefined,
		evaluationRunId: undefined,
		variables: {},
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
	} as never);

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: itemsNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished;

	const taskData = run.data.resultData.runData.RunPod?.[0];
	const items = taskData?.data?.main?.[0] ?? [];
	const errorItems = taskData?.data?.main?.[1] ?? [];
	const error = (run.data.resultData.error ?? taskData?.error) as RunResult['error'];
	return { items, errorItems, error, run, credentialDecryptions: credentialsHelper.decryptions };
}

/** Output items' JSON, for terse assertions. */
export function json(result: RunResult): IDataObject[] {
	return result.items.map((item) => item.json);
}

/** A resource locator value in "By ID" mode, as a workflow JSON holds it. */
export function byId(id: string) {
	return { __rl: true, mode: 'id', value: id };
}

/** The mutations a sandbox received, by top-level field, in order. */
export function mutationsSent(
	requests: Array<{ query: string; fields: string[]; operationName?: string; api?: string }>,
): string[] {
	// On REST v2 the GraphQL field a request stands for is listed beside its operation id (speakTestApi).
	return requests
		.filter((r) => r.query.trimStart().startsWith('mutation'))
		.flatMap((r) => {
			const equivalent = r.api === 'rest' ? r.fields.filter((f) => f !== r.operationName) : [];
			return equivalent.length ? equivalent : r.fields;
		});
}

/**
 * Runs the credential's Test the way n8n 2.41's CredentialsTester does for a declarative test
 * (packages/cli/src/services/credentials-tester.service.ts): the test request becomes the routing
 * of a temporary node run by n8n-core's RoutingNode; a failed request is matched against the
 * `responseCode` rules, a successful one against the `responseSuccessBody` rules.
 */
export async function testCredential(
	credentials: IDataObject,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const credential = new RunPodApi();
	const testRequest = credential.test;
	const node: INode = {
		id: 'credential-test',
		name: 'Temp-Node',
		type: RUNPOD_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { temp: '' },
		credentials: { runPodApi: { id: '1', name: 'RunPod account' } },
	};
	const nodeType = {
		description: {
			...new RunPod().description,
			credentials: [{ name: 'runPodApi', required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	} as unknown as INodeType;
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = mock<IWorkflowExecuteAdditionalData>({
		credentialsHelper: new TestCredentialsHelper(credentials as ICredentialDataDecryptedObject),
		currentNodeParameters: node.parameters,
		executionId: undefined,
		executionContext: undefined,
		variables: {},
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
	} as never);
	const executeData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const rules = (testRequest.rules ?? []) as Array<{
		type: string;
		properties: { value: unknown; key?: string; message: string };
	}>;
	let response: INodeExecutionData[][] | undefined;
	const expression = workflow.expression as unknown as {
		acquireIsolate?: () => Promise<void>;
		releaseIsolate?: () => Promise<void>;
	};
	await expression.acquireIsolate?.();
	try {
		response = await new RoutingNode(context, nodeType, {
			id: '1',
			name: 'RunPod account',
			type: 'runPodApi',
			data: credentials as ICredentialDataDecryptedObject,
		}).runNode();
	} catch (error) {
		const cause = (
			error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }
		).cause;
		if (cause?.response) {
			const rule = rules.find(
				(r) => r.type === 'responseCode' && r.properties.value === cause.response?.status,
			);
			if (rule) return { status: 'Error', message: rule.properties.message };
			return {
				status: 'Error',
				message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
			};
		}
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: String((error as Error).message) };
	} finally {
		await expression.releaseIsolate?.();
	}
	const body = response?.[0]?.[0]?.json ?? {};
	for (const rule of rules) {
		if (rule.type !== 'responseSuccessBody') continue;
		const value = String(rule.properties.key)
			.split(/[.[\]]/)
			.filter(Boolean)
			.reduce<unknown>(
				(at, part) => (at && typeof at === 'object' ? (at as IDataObject)[part] : undefined),
				body,
			);
		if (value === rule.properties.value)
			return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * The sandbox's REST face compiles each operation's validator on its first request, which can take
 * a second on a busy machine; tests that time a pod's boot warm it up first. No-op on GraphQL.
 */
export async function warmUpRest(sandbox: {
	url: string;
	apiKey: string;
	reset: () => void;
}): Promise<void> {
	if (!ON_REST) return;
	const headers = { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` };
	const created = await fetch(`${sandbox.url}/v2/pods`, {
		method: 'POST',
		headers,
		body: JSON.stringify({
			name: 'warm-up',
			image: 'ubuntu:22.04',
			gpu: { id: 'NVIDIA GeForce RTX 4090', count: 1 },
		}),
	});
	const { id } = (await created.json()) as { id: string };
	await fetch(`${sandbox.url}/v2/pods/${id}`, { headers });
	await fetch(`${sandbox.url}/v2/pods`, { headers });
	await fetch(`${sandbox.url}/v2/pods/${id}/action`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ action: 'stop' }),
	});
	await fetch(`${sandbox.url}/v2/pods/${id}`, { method: 'DELETE', headers });
	sandbox.reset();
}
