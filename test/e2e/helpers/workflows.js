'use strict';
// The example workflows, and copies that `n8n execute` can run: the CLI starts a workflow
// only from a manual trigger, so a schedule trigger is swapped for one of the same name
// (the connections, keyed by node name, stay as they are).
const { loadExamples } = require('../../../scripts/lib/n8n-instance');

const CLI_STARTABLE = new Set(['n8n-nodes-base.manualTrigger']);
const SWAPPABLE_TRIGGERS = new Set(['n8n-nodes-base.scheduleTrigger']);

function example(fileStart) {
	const found = loadExamples().find(({ file }) => file.startsWith(fileStart));
	if (!found) throw new Error(`no example file starting with "${fileStart}" in examples/`);
	return found.workflow;
}

function withManualTrigger(workflow) {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes) {
		if (SWAPPABLE_TRIGGERS.has(node.type)) {
			Object.assign(node, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
		}
	}
	if (!copy.nodes.some((node) => CLI_STARTABLE.has(node.type))) {
		throw new Error(`workflow "${copy.name}" has no trigger that n8n execute can start`);
	}
	return copy;
}

module.exports = { example, withManualTrigger };
