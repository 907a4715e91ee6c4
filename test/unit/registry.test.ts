/**
 * The operation registry: one table per resource gives the Operation dropdown and the dispatch.
 * The node's description is what users' saved workflows depend on, so it is compared with a
 * snapshot of the description written by hand before the registry existed. A deliberate change to
 * a field or an operation updates it with `npx jest test/unit/registry.test.ts -u`.
 */
import { RunPod } from '../../nodes/RunPod/RunPod.node';

const description = new RunPod().description;

test("the node's description (resources, every Operation dropdown, every field) is unchanged", () => {
	// Through JSON, as n8n sends it to the editor.
	expect(JSON.parse(JSON.stringify(description))).toMatchSnapshot();
});
