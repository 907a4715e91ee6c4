/** /v2/account/ssh-keys: the account's SSH public keys, injected as PUBLIC_KEY into pods created with startSsh. */
import { ok } from './route';
import type { RestRoute } from './route';

export const accountRoutes: RestRoute[] = [
	{
		operationId: 'getSshKeys',
		handle: ({ ctx }) => ok({ keys: [...ctx.state.account.sshKeys] }),
	},
	{
		operationId: 'updateSshKeys',
		handle: ({ ctx, body }) => {
			ctx.state.account.sshKeys = [...(body as { keys: string[] }).keys];
			return ok({ keys: [...ctx.state.account.sshKeys] });
		},
	},
];
