import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	GRAPHQL_GONE,
	KEY_LACKS_SCOPE,
	KEY_MAY_NOT_DO_THIS,
	KEY_REJECTED,
	NO_KEY_SEEN,
	WRONG_BASE_URL,
} from './messages';

export class RunPodApi implements ICredentialType {
	name = 'runPodApi';

	displayName = 'RunPod API';

	icon: Icon = { light: 'file:runpod.svg', dark: 'file:runpod.dark.svg' };

	documentationUrl = 'https://docs.runpod.io/get-started/api-keys';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A RunPod API key (RunPod console → Settings → API Keys). Creating, stopping and deleting resources needs a key with Read/Write permission.',
		},
		{
			displayName: 'API',
			name: 'api',
			type: 'options',
			options: [
				{
					name: 'GraphQL',
					value: 'graphql',
					description:
						'RunPod retires its GraphQL API in early 2027. Spot pods and the account balance exist only here.',
				},
				{
					name: 'REST v2',
					value: 'restV2',
					description:
						"RunPod's REST API v2, generally available since 2026-08-18 and the one that stays",
				},
			],
			default: 'graphql',
			description:
				'Which RunPod API the node talks to. GraphQL is retired in early 2027: choose REST v2 before then. The same workflows work on both.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.runpod.io',
			placeholder: 'e.g. https://api.runpod.io',
			description:
				'Where the RunPod API lives. Keep the default for RunPod; point it at a proxy or at the local RunPod sandbox (npm run sandbox) for testing.',
		},
		{
			displayName: 'Serverless Base URL',
			name: 'serverlessBaseUrl',
			type: 'string',
			default: 'https://api.runpod.ai',
			placeholder: 'e.g. https://api.runpod.ai',
			description:
				"Where RunPod's serverless job API lives (jobs run at <this URL>/v2/<endpoint ID>). Keep the default for RunPod; point it at the local sandbox for testing.",
		},
	];

	// A function, not a `=Bearer {{$credentials.apiKey}}` template: n8n evaluates a template in
	// its expression sandbox for every request, which at 500 items cost more than the requests.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// The last guard for the key (the node refuses earlier, with the parameter's name): never in
		// clear text off this machine, also not for the credential test.
		const target = plainHttpOffThisMachine(requestOptions.baseURL ?? requestOptions.url);
		if (target) {
			throw new Error(
				`Plain http to ${target}: the API key would travel in clear text, so nothing was sent. Use an https:// Base URL (plain http only for localhost, 127.0.0.1 or [::1]).`,
			);
		}
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: bearerHeader(credentials.apiKey) },
		};
	}

	// One cheap authenticated read on the API the credential chose: the account on GraphQL, the
	// network volumes on REST v2 (REST has no account object). Each rule says what the node would say.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://api.runpod.io").trim().replace(/\\/+$/, "")}}',
			url: '={{$credentials.api === "restV2" ? "/v2/network-volumes" : "/graphql"}}',
			method: '={{$credentials.api === "restV2" ? "GET" : "POST"}}' as IHttpRequestMethods,
			// Parenthesised: n8n's template parser would end the expression at the object's closing braces.
			body: '={{ $credentials.api === "restV2" ? undefined : ({ query: "{ myself { id } }" }) }}' as unknown as IDataObject,
			json: true,
		},
		// n8n checks both kinds in one list; its type only allows one kind per list.
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: KEY_REJECTED } },
			{ type: 'responseCode', properties: { value: 403, message: KEY_LACKS_SCOPE } },
			{ type: 'responseCode', properties: { value: 404, message: WRONG_BASE_URL } },
			{ type: 'responseCode', properties: { value: 410, message: GRAPHQL_GONE } },
			// RunPod may answer `myself: null` beside its "Unauthorized": that error says more.
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errors[0].message',
					value: 'Unauthorized',
					message: KEY_MAY_NOT_DO_THIS,
				},
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'data.myself', value: null, message: NO_KEY_SEEN },
			},
		] as unknown as ICredentialTestRequest['rules'],
	};
}

/** `Bearer <key>`; spaces and line breaks pasted around the key are not part of it. */
function bearerHeader(apiKey: unknown): string {
	return `Bearer ${typeof apiKey === 'string' ? apiKey.trim() : ''}`;
}

/** The origin of `url` when it is plain http to another machine; undefined otherwise. */
function plainHttpOffThisMachine(url: string | undefined): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(String(url ?? ''));
	} catch {
		return undefined;
	}
	if (parsed.protocol !== 'http:') return undefined;
	const host = parsed.hostname.toLowerCase().replace(/\.+$/, '');
	const local =
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		host === '[::1]' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
	return local ? undefined : parsed.origin;
}
