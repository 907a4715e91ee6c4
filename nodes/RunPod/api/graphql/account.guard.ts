import { NodeApiError } from 'n8n-workflow';

import type { RequestContext } from '../../transport/graphql';

/**
 * RunPod answers `myself: null` (HTTP 200, no error) when the request carried no usable key.
 * Turn that silent null into an error the user can act on.
 */
export function requireAccount<T>(
	ctx: RequestContext,
	myself: T | null | undefined,
	itemIndex?: number,
): T {
	if (myself) return myself;
	throw new NodeApiError(
		ctx.getNode(),
		{ message: 'myself is null' },
		{
			message: 'RunPod did not recognise an API key in the request',
			description:
				'Open the RunPod API credential and check that the API key is filled in and saved.',
			itemIndex,
		},
	);
}
