import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api/contract';
import { checkSshKey, sshKeyOutput } from './sshKeys';

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['addSshKey'] } },
	[
		{
			displayName: 'Public Key',
			name: 'publicKey',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… me@laptop',
			description:
				'One public key line, as in ~/.ssh/id_ed25519.pub. Pods created afterwards with SSH accept it; running pods do not change.',
		},
	],
);

/** Adds the key and keeps the others; a key already there changes nothing, and the output says so. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
): Promise<IDataObject> {
	const key = checkSshKey(
		this.getNode(),
		itemIndex,
		this.getNodeParameter('publicKey', itemIndex, ''),
	);
	const { keys, added } = await api.account.addSshKey(key, { itemIndex });
	return {
		...sshKeyOutput(key),
		added,
		...(added ? {} : { note: 'The account already has this key: nothing was changed' }),
		keyCount: keys.length,
	};
}
