import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as pods from '../../api/pods';
import { simplifyOption } from '../common.descriptions';
import { podCreateFields, readCreateInput } from './create.fields';
import { createdPodOutput } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['pod'], operation: ['create'] } }, [
	...podCreateFields,
	simplifyOption,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const input = readCreateInput.call(this, itemIndex);
	const created = await pods.createOnDemand(this, input, { itemIndex });
	return createdPodOutput.call(this, itemIndex, created);
}
