import { randomString } from 'n8n-workflow';

/**
 * Environment variable that tags every pod the node creates with a value unique to that create,
 * so the pod can be found again when RunPod's answer is lost. Pod names are not unique. Both
 * APIs' adapters and the env field's validation read it from here.
 */
export const CREATE_MARKER_ENV = 'N8N_RUNPOD_CREATE_ID';

export function newCreateMarker(): string {
	return randomString(24);
}
