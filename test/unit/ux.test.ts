/** What a user reads in n8n's editor: subtitles, names, order, and warnings about money. */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { RunPod } from '../../nodes/RunPod/RunPod.node';

const description = new RunPod().description;

/** Evaluates the subtitle expression the way the editor does, with $parameter. */
function subtitle(parameters: Record<string, string>): unknown {
	const body = /^=\{\{([\s\S]*)\}\}$/.exec(description.subtitle ?? '')?.[1];
	if (!body) throw new Error(`subtitle is not one expression: ${description.subtitle}`);
	return new Function('$parameter', `return (${body});`)(parameters);
}

function operationsByResource(): Array<[string, string]> {
	return description.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) =>
			((p.options ?? []) as INodePropertyOptions[]).map(
				(option) =>
					[(p.displayOptions?.show?.resource as string[])[0], String(option.value)] as [
						string,
						string,
					],
			),
		);
}

function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...allProperties(
			(property.options ?? []).flatMap((option) => {
				if ('values' in option) return (option as INodePropertyCollection).values;
				if ('type' in option) return [option as INodeProperties];
				return [];
			}),
		),
	]);
}

describe('subtitles show what the user reads', () => {
	test.each([
		['gpuType', 'getAll', 'Get Many GPU Types'],
		['pod', 'create', 'Create Pod'],
		['pod', 'createSpot', 'Create Spot Pod'],
		['pod', 'wait', 'Wait for Pod'],
		['networkVolume', 'delete', 'Delete Network Volume'],
		['account', 'get', 'Get Account'],
	])('%s → %s reads "%s"', (resource, operation, expected) => {
		expect(subtitle({ resource, operation })).toBe(expected);
	});

	test('every operation of every resource has a readable subtitle', () => {
		for (const [resource, operation] of operationsByResource()) {
			const text = subtitle({ resource, operation });
			// Words as the editor shows them: "Get Many GPU Types", "Wait for Pod"; no internal values.
			expect(text).toMatch(/^[A-Z][A-Za-z]*( ([A-Z][A-Za-z]*|for))+$/);
			expect(text).not.toMatch(/[a-z][A-Z]/);
		}
	});
});

describe('one name per concept', () => {
	const names = new Set(allProperties(description.properties).map((p) => p.displayName));

	test.each([
		['Minimum GPU Memory (GB)', 'Minimum VRAM (GB)'],
		['Max Cost Per Hour (USD)', 'Maximum Price Per Hour (USD)'],
		['Minimum vCPUs', 'Minimum VCPUs'],
	])('"%s", never "%s"', (kept, dropped) => {
		expect(names.has(kept)).toBe(true);
		expect(names.has(dropped)).toBe(false);
	});
});

test('the options of every collection are in alphabetical order (Template Update Fields too)', () => {
	const collections = allProperties(description.properties).filter((p) => p.type === 'collection');
	expect(collections.length).toBeGreaterThan(5);
	for (const collection of collections) {
		const shown = (collection.options as INodeProperties[]).map((option) => option.displayName);
		expect({ [collection.name]: shown }).toEqual({
			[collection.name]: [...shown].sort((a, b) => a.localeCompare(b)),
		});
	}
});

describe('money and destruction are said plainly', () => {
	test('Pod → Create shows a notice that billing starts at once', () => {
		const notice = description.properties.find(
			(p) =>
				p.type === 'notice' &&
				(p.displayOptions?.show?.operation as string[] | undefined)?.includes('create') &&
				(p.displayOptions?.show?.resource as string[]).includes('pod'),
		);
		expect(notice?.displayName).toMatch(/costs money from the first second/i);
	});

	test('the node description (what an AI agent reads) says Create spends money and Terminate destroys', () => {
		expect(description.description).toMatch(/Create.*(cost|spend)s? money/i);
		expect(description.description).toMatch(/Terminate.*(destroy|delete)/i);
	});
});
