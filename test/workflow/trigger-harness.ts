/**
 * Drives the RunPod triggers through n8n-core the way n8n does: `poll()` runs in n8n-core's
 * PollContext through TriggersAndPollers, and `webhook()` in its WebhookContext. Static data is
 * kept between calls as n8n keeps it (JSON, saved after every call, also after a failed one, so a
 * node that moved its state before failing would be caught).
 */
import { mock } from 'jest-mock-extended';
import { PollContext, TriggersAndPollers, WebhookContext } from 'n8n-core';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { RunPodJobTrigger } from '../../nodes/RunPod/RunPodJobTrigger.node';
import { RunPodEventTrigger } from '../../nodes/RunPod/RunPodEventTrigger.node';
import { TestCredentialsHelper } from './harness';

export const TRIGGER_NODE_TYPE = 'n8n-nodes-runpod-cloud.runPodEventTrigger';
export const JOB_TRIGGER_NODE_TYPE = 'n8n-nodes-runpod-cloud.runPodJobTrigger';

export interface TriggerCredentials {
	apiKey: string;
	baseUrl: string;
	api?: 'graphql' | 'restV2';
	serverlessBaseUrl?: string;
}

class TriggerNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[TRIGGER_NODE_TYPE]: new RunPodEventTrigger(),
		[JOB_TRIGGER_NODE_TYPE]: new RunPodJobTrigger(),
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

function additionalDataFor(
	credentials: TriggerCredentials,
	extra: IDataObject = {},
): IWorkflowExecuteAdditionalData {
	const additionalData = mock<IWorkflowExecuteAdditionalData>({
		credentialsHelper: new TestCredentialsHelper({ ...credentials }),
		currentNodeParameters: undefined,
		executionId: undefined,
		executionContext: undefined,
		encryptedRunnerIdentity: undefined,
		evalLlmMockHandler: undefined,
		restartExecutionId: undefined,
		evaluationRunId: undefined,
		variables: {},
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
	} as never);
	// Set after mocking: the deep mock would wrap the request body in proxies.
	return Object.assign(additionalData, extra);
}

function workflowOf(node: INode, staticData: IDataObject): Workflow {
	return new Workflow({
		id: 'trigger-test',
		name: 'RunPod trigger test',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: new TriggerNodeTypes(),
		staticData: JSON.parse(JSON.stringify(staticData)) as IDataObject,
	});
}

export interface PollOutcome {
	/** The items of the execution the poll would start; null when it starts none. */
	items: IDataObject[] | null;
	error?: Error & { description?: string };
}

/** One RunPod Trigger node with the static data n8n would keep for it. */
export class Poller {
	/** What n8n stores for the workflow between polls. */
	staticData: IDataObject = {};

	/** With `oneContext`: the workflow and poll context n8n keeps while the trigger is published. */
	private activation?: { workflow: Workflow; ctx: PollContext };

	/**
	 * `credentials` is read at every poll as n8n reads it (edit it to edit the credential).
	 * `oneContext`: one PollContext for every poll, as n8n 2.41 keeps one per activation (a
	 * published workflow); otherwise a new one per poll.
	 */
	constructor(
		private readonly parameters: IDataObject,
		readonly credentials: TriggerCredentials,
		private readonly options: { oneContext?: boolean } = {},
	) {}

	private node(): INode {
		return {
			id: 'trigger',
			name: 'RunPod Trigger',
			type: TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: this.parameters as INode['parameters'],
			credentials: { runPodApi: { id: '1', name: 'RunPod account' } },
		};
	}

	/** The state the node keeps (its part of the static data). */
	get nodeState(): IDataObject | undefined {
		return this.staticData['node:RunPod Trigger'] as IDataObject | undefined;
	}

	private contextFor(mode: WorkflowExecuteMode): { workflow: Workflow; ctx: PollContext } {
		if (this.options.oneContext && this.activation) return this.activation;
		const node = this.node();
		const workflow = workflowOf(node, this.staticData);
		const additionalData = additionalDataFor(this.credentials);
		if (this.options.oneContext) {
			// The credential as stored now, at every read (not a copy taken at activation).
			(additionalData as { credentialsHelper: unknown }).credentialsHelper =
				new TestCredentialsHelper(this.credentials as never);
		}
		const ctx = new PollContext(
			workflow,
			node,
			additionalData,
			mode,
			mode === 'manual' ? 'manual' : 'activate',
		);
		if (this.options.oneContext) this.activation = { workflow, ctx };
		return { workflow, ctx };
	}

	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<PollOutcome> {
		const { workflow, ctx } = this.contextFor(mode);
		let outcome: PollOutcome;
		try {
			const result: INodeExecutionData[][] | null = await new TriggersAndPollers().runPollFunction(
				workflow,
				workflow.getNode('RunPod Trigger')!,
				ctx,
			);
			outcome = { items: result ? result[0].map((item) => item.json) : null };
		} catch (error) {
			outcome = { items: null, error: error as PollOutcome['error'] };
		}
		this.staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		return outcome;
	}

	/** A poll that must succeed; returns its items (null: no execution). */
	async expectPoll(mode: WorkflowExecuteMode = 'trigger'): Promise<IDataObject[] | null> {
		const outcome = await this.poll(mode);
		if (outcome.error) throw outcome.error;
		return outcome.items;
	}
}

/** The webhooks n8n registers for a node: the description's paths, evaluated like n8n evaluates them. */
function webhooksOf(
	workflow: Workflow,
	node: INode,
	additionalData: IWorkflowExecuteAdditionalData,
): IWebhookData[] {
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	return (nodeType.description.webhooks ?? []).map((description) => {
		const path = String(
			workflow.expression.getSimpleParameterValue(node, description.path, 'internal', {}) ?? '',
		);
		return {
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node: node.name,
			path: NodeHelpers.getNodeWebhookPath(workflow.id, node, path, false),
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
		};
	});
}

export interface WebhookCall {
	statusCode: number;
	/** What the node answered itself (refusals, duplicates, ignored calls). */
	body?: IDataObject;
	/** The items of the execution the call starts; null when it starts none. */
	items: IDataObject[] | null;
	error?: Error;
}

/** One RunPod Job Trigger node with its static data, receiving calls as n8n hands them over. */
export class JobWebhook {
	staticData: IDataObject = {};

	constructor(
		private readonly parameters: IDataObject,
		private readonly credentials: TriggerCredentials = {
			apiKey: 'unused',
			baseUrl: 'http://127.0.0.1:1',
		},
	) {}

	node(): INode {
		return {
			id: 'job-trigger',
			name: 'RunPod Job Trigger',
			type: JOB_TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'a1b2c3d4-0000-4000-8000-000000000001',
			parameters: this.parameters as INode['parameters'],
			credentials: { runPodApi: { id: '1', name: 'RunPod account' } },
		};
	}

	/** The webhook n8n would register for this node (path resolved from the parameters). */
	registeredWebhooks(): IWebhookData[] {
		const node = this.node();
		const workflow = workflowOf(node, this.staticData);
		return webhooksOf(workflow, node, additionalDataFor(this.credentials));
	}

	async call(body: unknown): Promise<WebhookCall> {
		const node = this.node();
		// As n8n 2.41's live webhooks: the workflow's static data as loaded from the database (null
		// before anything was saved), wrapped by the Workflow; the execution a call starts wraps the
		// same object again, which clears its "changed" mark (n8n-workflow's ObservableObject).
		const stored =
			Object.keys(this.staticData).length === 0
				? undefined
				: (JSON.parse(JSON.stringify(this.staticData)) as IDataObject);
		const workflow = new Workflow({
			id: 'trigger-test',
			name: 'RunPod trigger test',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: new TriggerNodeTypes(),
			staticData: stored,
		});
		let statusCode = 200;
		let answered: IDataObject | undefined;
		const response = {
			status(code: number) {
				statusCode = code;
				return response;
			},
			json(data: IDataObject) {
				answered = data;
				return response;
			},
		};
		const request = {
			body,
			headers: { 'content-type': 'application/json' },
			params: {},
			query: {},
		};
		const additionalData = additionalDataFor(this.credentials, {
			httpRequest: request,
			httpResponse: response,
		} as never);
		const [webhookData] = webhooksOf(workflow, node, additionalData);
		const ctx = new WebhookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);
		// n8n saves the static data when the call is answered, and only if it is marked as changed.
		const saveIfChanged = () => {
			if (workflow.staticData.__dataChanged === true)
				this.staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		};
		let result: IWebhookResponseData;
		try {
			result = await new RunPodJobTrigger().webhook.call(ctx);
		} catch (error) {
			return { statusCode: 500, items: null, error: error as Error };
		}
		if (result.noWebhookResponse) saveIfChanged();
		if (result.workflowData) {
			// WorkflowRunner.run builds its own Workflow over the same object before n8n answers.
			new Workflow({
				id: 'trigger-test',
				nodes: [node],
				connections: {},
				active: true,
				nodeTypes: new TriggerNodeTypes(),
				staticData: stored,
			});
			if (!result.noWebhookResponse) saveIfChanged();
		}
		const items = result.workflowData ? result.workflowData[0].map((item) => item.json) : null;
		return { statusCode, body: answered, items };
	}
}
