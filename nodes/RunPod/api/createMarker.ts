import { randomString } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { duplicated } from './errors';

/**
 * Environment variable that tags every pod the node creates with a value unique to that create,
 * so the pod can be found again when RunPod's answer is lost. Pod names are not unique. Both
 * APIs' adapters and the env field's validation read it from here.
 */
export const CREATE_MARKER_ENV = 'N8N_RUNPOD_CREATE_ID';

export function newCreateMarker(): string {
	return randomString(24);
}

/** The one pod a create with this marker made, if any; Duplicated when RunPod made several. */
export function onlyPodWithMarker<Pod extends { id: string }>(
	node: INode,
	found: Pod[],
	marker: string,
	itemIndex?: number,
): Pod | undefined {
	if (found.length > 1) {
		throw duplicated(
			node,
			'pod',
			found.map((pod) => pod.id),
			`${CREATE_MARKER_ENV}=${marker}`,
			itemIndex,
		);
	}
	return found[0];
}
