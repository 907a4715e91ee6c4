import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { listSearch, loadOptions } from './methods';
import { triggerProperties } from './trigger/description';
import { events } from './trigger/events';
import type { EventName } from './trigger/events';
import { sourceFor } from './trigger/source';
import { forgetRunCredentials } from './api';

/** What the trigger keeps in the workflow's static data between polls. */
interface TriggerState {
	key?: string;
	state?: unknown;
}

export class RunPodEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RunPod Trigger',
		name: 'runPodEventTrigger',
		icon: { light: 'file:runpod.svg', dark: 'file:runpod.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow when pods change, GPUs come into stock, or spend or balance cross a line',
		defaults: { name: 'RunPod Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'runPodApi', required: true }],
		properties: triggerProperties,
	};

	methods = { listSearch, loadOptions };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const eventName = this.getNodeParameter('event') as EventName;
		const event = events[eventName];
		if (!event) {
			throw new NodeOperationError(
				this.getNode(),
				`Event: "${eventName}" is not an event of this node`,
				{
					description: 'Choose one of the events in the Event list.',
				},
			);
		}
		const params = event.readParams(this);
		// The credential as it is now, not as it was when the workflow was published.
		forgetRunCredentials(this);
		const source = await sourceFor(this);
		// The only step that talks to RunPod: when it fails, nothing below runs and the state stays.
		const observation = await event.observe(source, params);
		const now = new Date();

		if (this.getMode() === 'manual') {
			return [this.helpers.returnJsonArray(event.sample(observation, params, now))];
		}

		const stored = this.getWorkflowStaticData('node') as TriggerState;
		// Per API: GraphQL and REST v2 describe pods differently (REST has no lastStatusChange, and
		// its IDs or fields may differ), so after a switch the first poll records anew and emits nothing.
		const key = `${eventName}:${source.api}:${event.stateKey(params)}`;
		if (stored.key !== key || stored.state === undefined) {
			stored.key = key;
			stored.state = event.seed(observation, params);
			return null;
		}
		const { state, events: emitted } = event.step(stored.state, observation, params, now);
		stored.state = state;
		return emitted.length ? [this.helpers.returnJsonArray(emitted)] : null;
	}
}
