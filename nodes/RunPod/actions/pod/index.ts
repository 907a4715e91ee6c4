import { defineResource } from '../node.type';
import * as create from './create.operation';
import * as createSpot from './createSpot.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getLogs from './getLogs.operation';
import * as restart from './restart.operation';
import * as resume from './resume.operation';
import * as stop from './stop.operation';
import * as terminate from './terminate.operation';
import * as update from './update.operation';
import * as wait from './wait.operation';

/** The Pod resource: one row per operation gives its dropdown option and what runs. */
export const pod = defineResource({
	name: 'Pod',
	default: 'getAll',
	operations: {
		create: {
			name: 'Create',
			action: 'Create a pod',
			description:
				'Rent an on-demand GPU pod. Costs money: billing starts at once and runs until the pod is stopped or terminated.',
			module: create,
		},
		createSpot: {
			name: 'Create Spot',
			action: 'Create a spot pod',
			description:
				'Rent an interruptible pod at a bid price. Costs money. RunPod is phasing spot pods out.',
			module: createSpot,
		},
		get: {
			name: 'Get',
			action: 'Get a pod',
			description: 'Get a pod with its status, cost per hour and connection details',
			module: get,
		},
		getLogs: {
			name: 'Get Logs',
			action: 'Get logs for a pod',
			description: "Get a pod's most recent log lines, e.g. right after it fails (REST v2)",
			module: getLogs,
		},
		getAll: {
			name: 'Get Many',
			action: 'Get many pods',
			description: "List the account's pods, one item per pod",
			module: getAll,
		},
		restart: {
			name: 'Restart',
			action: 'Restart a pod',
			description:
				"Restart a running pod's container: its work stops, the container disk is wiped, billing goes on (REST v2)",
			module: restart,
		},
		resume: {
			name: 'Resume',
			action: 'Resume a pod',
			description: 'Start a stopped pod again. Costs money: GPU billing resumes.',
			module: resume,
		},
		stop: {
			name: 'Stop',
			action: 'Stop a pod',
			description:
				'Stop a pod: GPU billing stops, the container disk is wiped, the pod volume is kept (storage is still billed)',
			module: stop,
		},
		terminate: {
			name: 'Terminate',
			action: 'Terminate a pod',
			description: 'Delete a pod for good with its disks. Destroys data and cannot be undone.',
			module: terminate,
		},
		update: {
			name: 'Update',
			action: 'Update a pod',
			description:
				"Change a pod's image, start command, variables, ports, disks or name; a running pod restarts to apply container changes (REST v2)",
			module: update,
		},
		wait: {
			name: 'Wait',
			action: 'Wait for a pod',
			description: 'Wait until a pod is running and reachable, stopped, or terminated',
			module: wait,
		},
	},
});
