import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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
					description: 'RunPod retires its GraphQL API in early 2027. Spot pods and the account balance exist only here.',
				},
				{
					name: 'REST v2',
					value: 'restV2',
					description: 'RunPod\'s REST API v2, generally available since 2026-08-18 and the one that stays',
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
				'Where RunPod\'s serverless job API lives (jobs run at <this URL>/v2/<endpoint ID>). Keep the default for RunPod; point it at the local sandbox for testing.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// RunPod answers HTTP 401 for an unknown key, and HTTP 200 with `myself: null` when it saw no key at all.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://api.runpod.io").replace(/\\/+$/, "")}}',
			url: '/graphql',
			method: 'POST',
			body: { query: '{ myself { id } }' },
			json: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'data.myself',
					value: null,
					message:
						'RunPod did not recognise an API key in the request. Check that the API key field is filled in.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errors[0].message',
					value: 'Unauthorized',
					message: 'RunPod rejected the API key. Check the key, or create a new one in the RunPod console.',
				},
			},
		],
	};
}
