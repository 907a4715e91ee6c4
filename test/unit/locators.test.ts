/**
 * One control per concept: a GPU type, a network volume or a template is chosen with the same
 * resource locator (From List / By ID) in every operation. A locator keeps its value when its list
 * cannot load (e.g. a credential whose key fails), where an options drop-down drops it.
 */
import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';

import { RunPod } from '../../nodes/RunPod/RunPod.node';

const CONCEPTS: Record<string, string> = {
	cpuTypeId: 'searchCpuTypes',
	gpuTypeId: 'searchGpuTypes',
	networkVolumeId: 'searchNetworkVolumes',
	templateId: 'searchTemplates',
};

/** Every property, including those inside collections and fixed collections, with a path for messages. */
function allProperties(
	properties: INodeProperties[],
	path = '',
): Array<{ path: string; property: INodeProperties }> {
	return properties.flatMap((property) => {
		const here = `${path}${property.name}`;
		const nested = (property.options ?? []).flatMap((option) => {
			if ('values' in option)
				return allProperties((option as INodePropertyCollection).values, `${here}.${option.name}.`);
			if ('type' in option) return allProperties([option as INodeProperties], `${here}.`);
			return [];
		});
		return [{ path: here, property }, ...nested];
	});
}

const found = allProperties(new RunPod().description.properties).filter(
	({ property }) => property.name in CONCEPTS,
);

test('GPU type, network volume and template fields exist in several operations', () => {
	const names = new Set(found.map(({ property }) => property.name));
	expect([...names].sort()).toEqual(Object.keys(CONCEPTS).sort());
	expect(
		found.filter(({ property }) => property.name === 'gpuTypeId').length,
	).toBeGreaterThanOrEqual(4);
	expect(
		found.filter(({ property }) => property.name === 'networkVolumeId').length,
	).toBeGreaterThanOrEqual(4);
});

test.each(found.map(({ path, property }) => [path, property] as const))(
	'%s is a resource locator: From List and By ID',
	(_path, property) => {
		expect(property.type).toBe('resourceLocator');
		expect(property.modes?.map((mode) => mode.name)).toEqual(['list', 'id']);
		const list = property.modes?.find((mode) => mode.name === 'list');
		expect(list?.typeOptions?.searchListMethod).toBe(CONCEPTS[property.name]);
	},
);

test('every list search a locator names exists on the node', () => {
	const methods = new RunPod().methods.listSearch as Record<string, unknown>;
	for (const method of Object.values(CONCEPTS)) expect(typeof methods[method]).toBe('function');
});
