/**
 * Runs the RunPod node through n8n-core's own WorkflowExecute, the way n8n runs it, against a
 * RunPod GraphQL server (the sandbox) on 127.0.0.1. Credentials are resolved like n8n does: the
 * credential class's `authenticate` template is applied to every request.
 */
import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
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

export const RUNPOD_NODE_TYPE = 'n8n-nodes-runpod-cloud.runPod';
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

/** Resolves `={{$credentials.x}}` templates the way n8n's CredentialsHelper does for generic auth. */
function resolveTemplate(template: string, credentials: ICredentialDataDecryptedObject): string {
	const body = template.startsWith('=') ? template.slice(1) : template;
	return body.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key: string) => String(credentials[key] ?? ''));
}

class TestCredentialsHelper extends ICredentialsHelper {
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
		const headers = new RunPodApi().authenticate.properties.headers ?? {};
		const resolved: IDataObject = {};
		for (const [name, value] of Object.entries(headers)) resolved[name] = resolveTemplate(String(value), credentials);
		return { ...requestOptions, headers: { ...(requestOptions.headers ?? {}), ...resolved } };
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
		return this.credentials;
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
	credentials: { apiKey: string; baseUrl: string; serverlessBaseUrl?: string; api?: 'graphql' | 'restV2' };
	continueOnFail?: boolean;
	/** n8n's "Retry On Fail" node setting: the whole node runs again, for every item, up to maxTries. */
	retryOnFail?: { maxTries: number };
	/** The execution's id, as n8n sets it; manual runs in these tests have none by default. */
	executionId?: string;
}

export interface RunResult {
	/** The RunPod node's output items (empty when the node failed without continueOnFail). */
	items: INodeExecutionData[];
	/** The workflow error, when the node failed and stopped the run. */
	error?: Error & { description?: string; context?: IDataObject };
	run: IRun;
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
		...(options.retryOnFail ? { retryOnFail: true, maxTries: options.retryOnFail.maxTries, waitBetweenTries: 1 } : {}),
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
		connections: { Items: { main: [[{ node: 'RunPod', type: NodeConnectionTypes.Main, index: 0 }]] } },
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

	const additionalData = mock<IWorkflowExecuteAdditionalData>({
		hooks,
		credentialsHelper: new TestCredentialsHelper({ ...options.credentials }),
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
			nodeExecutionStack: [
				{ node: itemsNode, data: { main: [[{ json: {} }]] }, source: null },
			],
		},
	});
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished;

	const taskData = run.data.resultData.runData.RunPod?.[0];
	const items = taskData?.data?.main?.[0] ?? [];
	const error = (run.data.resultData.error ?? taskData?.error) as RunResult['error'];
	return { items, error, run };
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
export function mutationsSent(requests: Array<{ query: string; fields: string[] }>): string[] {
	return requests.filter((r) => r.query.trimStart().startsWith('mutation')).flatMap((r) => r.fields);
}
