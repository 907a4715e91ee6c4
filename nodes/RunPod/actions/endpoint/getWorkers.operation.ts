import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { EndpointWorkers } from '../../api/types';
import { endpointLocator, readEndpointId } from './endpointFields';

export const description = updateDisplayOptions(
	{ show: { resource: ['endpoint'], operation: ['getWorkers'] } },
	[endpointLocator],
);

const plural = (count: number, one: string, many = `${one}s`) =>
	`${count} ${count === 1 ? one : many}`;

/** What the workers' states mean for a job waiting IN_QUEUE, in a sentence or a few. */
export function queueExplanation(summary: EndpointWorkers['summary']): string {
	const { running, idle, initializing, throttled, unhealthy, total } = summary;
	if (total === 0)
		return "No worker is active: a job waits IN_QUEUE until RunPod starts one (a cold start). If jobs stay queued, check that Max Workers is above 0 and that the endpoint's GPU types are available; Min Workers above 0 keeps workers warm (and billed).";
	const parts: string[] = [];
	if (idle > 0)
		parts.push(
			`${plural(idle, 'worker is', 'workers are')} idle and ready: a queued job starts at once.`,
		);
	if (running > 0 && idle === 0)
		parts.push(
			`${plural(running, 'worker is', 'workers are')} busy with jobs: queued jobs wait for one to finish (raise Max Workers to run more at once).`,
		);
	if (initializing > 0)
		parts.push(
			`${plural(initializing, 'worker is', 'workers are')} starting (pulling the image, loading the model): queued jobs start when ${initializing === 1 ? 'it is' : 'they are'} ready.`,
		);
	if (throttled > 0)
		parts.push(
			`${plural(throttled, 'worker waits', 'workers wait')} for a GPU (throttled): RunPod has none free of the endpoint's GPU types; allow more GPU types or data centers.`,
		);
	if (unhealthy > 0)
		parts.push(
			`${plural(unhealthy, 'worker fails', 'workers fail')} health checks: read ${unhealthy === 1 ? 'its' : 'their'} logs with Endpoint → Get Worker Logs.`,
		);
	return parts.join(' ');
}

/** The endpoint's active workers, how many are in each state, and what that means for queued jobs. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const endpointId = readEndpointId.call(this, itemIndex);
	const { endpointVersion, summary, workers } = await api.endpoints.listWorkers(endpointId, {
		itemIndex,
	});
	return {
		endpointId,
		endpointVersion,
		...summary,
		explanation: queueExplanation(summary),
		workers: workers as unknown as IDataObject[],
	};
}
