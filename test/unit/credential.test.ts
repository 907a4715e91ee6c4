import { RunPodApi } from '../../credentials/RunPodApi.credentials';

describe('RunPod API credential', () => {
	const credential = new RunPodApi();

	test('sends the key as a Bearer header', () => {
		expect(credential.authenticate.properties.headers).toEqual({ Authorization: '=Bearer {{$credentials.apiKey}}' });
	});

	test('the key field is a password field and the base URL defaults to RunPod', () => {
		const apiKey = credential.properties.find((p) => p.name === 'apiKey');
		const baseUrl = credential.properties.find((p) => p.name === 'baseUrl');
		expect(apiKey?.typeOptions?.password).toBe(true);
		expect(baseUrl?.default).toBe('https://api.runpod.io');
	});

	test('the test asks for the account, and fails on `myself: null` and on "Unauthorized"', () => {
		expect(credential.test.request).toMatchObject({ url: '/graphql', method: 'POST', body: { query: '{ myself { id } }' } });
		const rules = credential.test.rules ?? [];
		expect(rules).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ properties: expect.objectContaining({ key: 'data.myself', value: null }) }),
				expect.objectContaining({ properties: expect.objectContaining({ key: 'errors[0].message', value: 'Unauthorized' }) }),
			]),
		);
	});
});
