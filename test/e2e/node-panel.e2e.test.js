'use strict';
// n8n's node panel (the node creator), searched for "RunPod" in the browser as a user would:
// each node has its own entry, with its own description. Before the polling trigger was renamed
// (runPodTrigger → runPodEventTrigger), n8n folded it into the RunPod node, and the entry with
// RunPod's 30-odd actions read "Starts the workflow when pods change…".
const { createN8nInstance } = require('./helpers/instance');
const { n8nRestClient } = require('./helpers/rest');
const { example } = require('./helpers/workflows');
const { launchChromium, screenshot } = require('./helpers/browser');
const { N8N_VERSION } = require('../../scripts/lib/n8n-install');

const OUR_NODES = [
	'n8n-nodes-runpod-cloud.runPod',
	'n8n-nodes-runpod-cloud.runPodEventTrigger',
	'n8n-nodes-runpod-cloud.runPodJobTrigger',
];

let n8n;
let server;
let rest;
let browser;
let page;
let nodeTypes;

beforeAll(async () => {
	n8n = await createN8nInstance();
	await n8n.importWorkflows([example('02-')]);
	server = await n8n.startServer();
	rest = n8nRestClient(server.url);
	await rest.login(n8n.owner);
	nodeTypes = (await rest.request('GET', '/types/nodes.json')).body;

	browser = await launchChromium();
	page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	await page.goto(`${server.url}/signin`);
	await page.fill('#emailOrLdapLoginId', n8n.owner.email);
	await page.fill('#password', n8n.owner.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
});

afterAll(async () => {
	await browser?.close();
	await n8n?.dispose();
});

function typeOf(name) {
	const type = nodeTypes.find((candidate) => candidate.name === name);
	if (!type) throw new Error(`n8n does not list the node type ${name}`);
	return type;
}

/** Opens the node panel on `path`, searches "RunPod" and reads each entry: node type, name, description. */
async function searchPanel(path, shot) {
	await page.goto(`${server.url}${path}`);
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	const search = page.locator('input[data-test-id="node-creator-search-bar"]');
	await search.fill('RunPod');
	const entries = page.locator('[data-test-id="item-iterator-item"]');
	// The panel swaps its default list for the search results; wait for the swap (if it never
	// comes, the assertions below show what the panel lists instead).
	await page
		.waitForFunction(
			() => {
				const items = [...document.querySelectorAll('[data-test-id="item-iterator-item"]')];
				return (
					items.length > 0 &&
					items.every((item) =>
						(item.getAttribute('data-keyboard-nav-id') || '').startsWith('n8n-nodes-runpod-cloud.'),
					)
				);
			},
			undefined,
			{ timeout: 15000 },
		)
		.catch(() => undefined);
	await screenshot(page, shot);
	return entries.evaluateAll((items) =>
		items.map((item) => ({
			// data-keyboard-nav-id is "<node type>-<uuid>"
			type: (item.getAttribute('data-keyboard-nav-id') || '').replace(/-[0-9a-f-]{36}$/, ''),
			name: item.querySelector('[data-test-id="node-creator-item-name"]')?.textContent?.trim(),
			description: item
				.querySelector('[data-test-id="node-creator-item-description"]')
				?.textContent?.trim(),
		})),
	);
}

test(`the n8n under test is the version asked for (N8N_VERSION, now ${N8N_VERSION})`, async () => {
	const settings = await rest.request('GET', '/rest/settings');
	expect(settings.body.data.versionCli).toBe(N8N_VERSION);
});

test.each([
	['a new workflow (the trigger panel)', '/workflow/new', 'e2e-node-panel-triggers'],
	[
		'after a trigger (the "what happens next" panel)',
		'/workflow/RunPodExample002',
		'e2e-node-panel-next',
	],
])('in %s, each RunPod node has its own entry with its own description', async (_, path, shot) => {
	try {
		const entries = await searchPanel(path, shot);

		expect(entries.map((entry) => entry.type).sort()).toEqual([...OUR_NODES].sort());
		for (const entry of entries) {
			expect({ type: entry.type, description: entry.description }).toEqual({
				type: entry.type,
				description: typeOf(entry.type).description,
			});
			expect(entry.name).toMatch(/^RunPod/);
		}
		const action = entries.find((entry) => entry.type === 'n8n-nodes-runpod-cloud.runPod');
		expect(action.name).toBe('RunPod');
		expect(action.description).toMatch(/^Run jobs on your RunPod serverless endpoints/);
	} catch (error) {
		await screenshot(page, `${shot}-failure`).catch(() => undefined);
		throw error;
	}
});

test('each node carries its own codex (categories, aliases, documentation) from its .node.json', () => {
	const codexes = OUR_NODES.map((name) => typeOf(name).codex);
	for (const codex of codexes) expect(codex.categories).toEqual(['Development']);
	expect(codexes[0].alias).toContain('Network Volume');
	expect(codexes[1].alias).toContain('Spend');
	expect(codexes[2].alias).toContain('Webhook');
	expect(codexes[1].resources.primaryDocumentation[0].url).toMatch(/#triggers$/);
});
