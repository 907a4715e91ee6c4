import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { endpointBaseUrl } from './jobRequest';
import { CREDENTIAL_TYPE } from './credentials';
import { findCode } from './request';
import type { RequestContext } from './request';

export type StatusCheck =
	| { outcome: 'found'; job: IDataObject }
	| { outcome: 'notFound' }
	| { outcome: 'unavailable'; reason: string };

interface FullResponse {
	statusCode: number;
	body: unknown;
}

/**
 * For the Job Trigger's re-check: asks RunPod's serverless job API for the job (`GET /v2/{endpointId}/status/{jobId}`), once:
 * a webhook answer must not wait for retries, and RunPod retries the webhook itself. (The Job
 * resource's api/serverlessJobs.ts `status` retries by the node's policy, which a webhook cannot bound.)
 */
export async function checkJobStatus(
	ctx: IWebhookFunctions,
	endpointId: string,
	jobId: string,
): Promise<StatusCheck> {
	// The webhook context offers what endpointBaseUrl reads (getCredentials).
	const base = await endpointBaseUrl(ctx as unknown as RequestContext, endpointId);
	const url = `${base}/status/${encodeURIComponent(jobId)}`;
	let response: FullResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			method: 'GET',
			url,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 15_000,
		})) as FullResponse;
	} catch (error) {
		// Only the code: n8n's request errors carry the request headers, and with them the key.
		const code = findCode(error);
		return {
			outcome: 'unavailable',
			reason: `no answer from RunPod${code ? ` (${code})` : ''}`,
		};
	}
	if (response.statusCode === 404) return { outcome: 'notFound' };
	const body = response.body;
	if (response.statusCode !== 200 || !body || typeof body !== 'object') {
		return { outcome: 'unavailable', reason: `RunPod answered HTTP ${response.statusCode}` };
	}
	return { outcome: 'found', job: body as IDataObject };
}
