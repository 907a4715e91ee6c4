import { NodeOperationError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, INode } from 'n8n-workflow';

import { isLoopbackUrl } from '../helpers/urlGuard';

import type { RequestContext } from './context';

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

/**
 * Forgets the credential read for this context. n8n keeps one poll context for as long as a
 * trigger is published: each poll starts here, so a rotated key, a new Base URL or another API
 * reaches the next poll.
 */
export function forgetRunCredentials(ctx: object): void {
	credentialsByRun.delete(ctx as RequestContext);
}

/** The credential's fields for this node run. */
export async function credentialData(ctx: RequestContext): Promise<RunPodCredentialData> {
	return ((await runCredentials(ctx)).data ?? {}) as RunPodCredentialData;
}

/**
 * A base URL of the credential, checked before anything is sent to it: the key travels in the
 * Authorization header, so plain http is refused except to this machine (the local sandbox).
 */
export function checkedBaseUrl(
	node: INode,
	label: 'Base URL' | 'Serverless Base URL',
	value: string | undefined,
	fallback: string,
): string {
	const url = (value || fallback).trim().replace(/\/+$/, '');
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	const fix = `Open the RunPod API credential and set ${label} to an https:// URL (the default is ${fallback}).`;
	if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
		throw new NodeOperationError(
			node,
			`The credential's ${label} is not an http(s) URL: ${JSON.stringify(url.slice(0, 100))}`,
			{ description: fix },
		);
	}
	if (parsed.protocol === 'http:' && !isLoopbackUrl(parsed)) {
		throw new NodeOperationError(
			node,
			`The credential's ${label} uses plain http (${parsed.origin}): the API key would travel in clear text, so nothing was sent`,
			{
				description: `${fix} Plain http is accepted only for this machine (localhost, 127.0.0.1, [::1]), e.g. the local RunPod sandbox.`,
			},
		);
	}
	return url;
}
