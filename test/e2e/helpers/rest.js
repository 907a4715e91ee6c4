'use strict';
// n8n's internal REST API as its editor uses it: a session cookie from /rest/login, bound to
// the `browser-id` header the editor sends with every request.
const crypto = require('crypto');

function n8nRestClient(baseUrl) {
	const browserId = crypto.randomUUID();
	let cookie = '';

	async function request(method, path, body) {
		const response = await fetch(`${baseUrl}${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': browserId, cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const auth = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
		if (auth) cookie = auth.split(';')[0];
		const text = await response.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, body: json ?? text };
	}

	return {
		request,
		async login({ email, password }) {
			const result = await request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
			if (result.status !== 200)
				throw new Error(`login failed: ${result.status} ${JSON.stringify(result.body)}`);
			return result.body.data;
		},
	};
}

module.exports = { n8nRestClient };
