import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

import type { RequestContext } from './request';

export const CREDENTIAL_TYPE = 'runPodApi';

/** The RunPod API credential's fields, as n8n decrypts them (expressions already resolved). */
export interface RunPodCredentialData {
	apiKey?: string;
	api?: string;
	baseUrl?: string;
	serverlessBaseUrl?: string;
}

/**
 * The credential, decrypted once per node run. Without it n8n reads the credential from its
 * database and decrypts it again for every request (and `runpodApi` for every item), which at
 * 500 items cost more time than the requests themselves. Kept per run (the context object), so
 * nothing outlives an execution or crosses to another node's credential.
 */
export async function runCredentials(ctx: RequestContext): Promise<ICredentialsDecrypted> {
	let credentials = credentialsByRun.get(ctx);
	if (!credentials) {
		credentials = ctx
			.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE)
			.then((data) => {
				const chosen = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
				return { id: chosen?.id ?? '', name: chosen?.name ?? '', type: CREDENTIAL_TYPE, data };
			});
		credentialsByRun.set(ctx, credentials);
		// A failed read (no credential chosen yet) is not remembered: the next call says why again.
		credentials.catch(() => credentialsByRun.delete(ctx));
	}
	return await credentials;
}

const credentialsByRun = new WeakMap<RequestContext, Promise<ICredentialsDecrypted>>();

/** The credential's fields for this node run. */
export async function credentialData(ctx: RequestContext): Promise<RunPodCredentialData> {
	return ((await runCredentials(ctx)).data ?? {}) as RunPodCredentialData;
}
