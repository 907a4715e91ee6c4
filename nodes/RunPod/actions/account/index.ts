import { defineResource } from '../node.type';
import * as addSshKey from './addSshKey.operation';
import * as get from './get.operation';
import * as getSshKeys from './getSshKeys.operation';

/** The Account resource: one row per operation gives its dropdown option and what runs. */
export const account = defineResource({
	name: 'Account',
	default: 'get',
	operations: {
		get: {
			name: 'Get',
			action: 'Get the account',
			description:
				'Get the balance, the current spend per hour, the spend limit, hours of balance left and how many pods run',
			module: get,
		},
		getSshKeys: {
			name: 'Get SSH Keys',
			action: 'Get the SSH keys',
			description: "List the account's SSH public keys, one item per key",
			module: getSshKeys,
		},
		addSshKey: {
			name: 'Add SSH Key',
			action: 'Add an SSH key',
			description:
				'Add an SSH public key to the account and keep the others; pods created afterwards with SSH accept it',
			module: addSshKey,
		},
	},
});
