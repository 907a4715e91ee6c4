import { RunPodApi } from '../../credentials/RunPodApi.credentials';

describe('RunPod API credential', () => {
	const credential = new RunPodApi();

	test('sends the key as a Bearer header, keeping the headers already set', async () => {
		const options = await credential.authenticate(
			{ apiKey: 'rpa_key' },
			{ url: 'https://api.runpod.io/graphql', headers: { 'x-request': '1' } },
		);
		expect(options.headers).toEqual({ 'x-request': '1', Authorization: 'Bearer rpa_key' });
		expect(options.url).toBe('https://api.runpod.io/graphql');
	});

	test('spaces and line breaks pasted around the key are not sent', async () => {
		const options = await credential.authenticate({ apiKey: '  rpa_key\n' }, { url: 'x' });
		expect(options.headers).toEqual({ Authorization: 'Bearer rpa_key' });
	});

	test('the key field is a password field and the base URL defaults to RunPod', () => {
		const apiKey = credential.properties.find((p) => p.name === 'apiKey');
		const baseUrl = credential.properties.find((p) => p.name === 'baseUrl');
		expect(apiKey?.typeOptions?.password).toBe(true);
		expect(baseUrl?.default).toBe('https://api.runpod.io');
	});

	test('the API choice defaults to GraphQL and its description names the retirement', () => {
		const api = credential.properties.find((p) => p.name === 'api');
		expect(api?.default).toBe('graphql');
		expect(api?.description).toMatch(/early 2027/);
		expect((api?.options ?? []).map((o) => (o as { value: string }).value)).toEqual([
			'graphql',
			'restV2',
		]);
	});
});
