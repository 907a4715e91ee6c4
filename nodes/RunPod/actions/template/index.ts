import { defineResource } from '../node.type';
import * as create from './create.operation';
import * as deleteTemplate from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

/** The Template resource: one row per operation gives its dropdown option and what runs. */
export const template = defineResource({
	name: 'Template',
	default: 'getAll',
	operations: {
		create: {
			name: 'Create',
			action: 'Create a template',
			description:
				'Save a pod or serverless template: image, disks, ports, environment, start command. Free.',
			module: create,
		},
		delete: {
			name: 'Delete',
			action: 'Delete a template',
			description: 'Delete a template for good. Destroys the template and cannot be undone.',
			module: deleteTemplate,
		},
		get: {
			name: 'Get',
			action: 'Get a template',
			description: 'Get one of your templates',
			module: get,
		},
		getAll: {
			name: 'Get Many',
			action: 'Get many templates',
			description: 'List your templates, one item per template',
			module: getAll,
		},
		update: {
			name: 'Update',
			action: 'Update a template',
			description: 'Change some fields of a template; the others are kept',
			module: update,
		},
	},
});
