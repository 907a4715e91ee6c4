import { credentialData } from '../transport/credentials';
import type { RequestContext } from '../transport/request';
import type { RunPodApi } from './contract';
import type { ApiChoice } from './types';
import { graphqlApi } from './graphql';
import * as account from './graphql/account';
import * as dataCenters from './graphql/dataCenters';
import * as endpoints from './graphql/endpoints';
import * as gpuTypes from './graphql/gpuTypes';
import * as networkVolumes from './graphql/networkVolumes';
import * as pods from './graphql/pods';
import * as templates from './graphql/templates';
import { restApi } from './rest';

/** The selector: picks the adapter the credential chose. The contract itself is api/contract.ts. */
export type * from './contract';

/**
 * How the node sends requests, from its Retry and Timeout options: their bounds, their reading, and the
 * window one execution shares across many items. The transport applies them; actions pass them on.
 */
export { RequestWindow } from '../transport/requestWindow';
export {
	DEFAULT_PARALLEL_REQUESTS,
	parallelRequestsFromNode,
	policyFromNode,
	REQUEST_POLICY_LIMITS,
} from '../transport/policy';

/** Forgets the credential read for a poll context, so the next poll reads an edited credential. */
export { forgetRunCredentials } from '../transport/credentials';

/** The environment variable that carries a pod's create marker (both APIs). */
export { CREATE_MARKER_ENV } from './createMarker';

/** The API the credential chose (GraphQL unless it says REST v2). */
export async function apiChoice(ctx: RequestContext): Promise<ApiChoice> {
	return (await credentialData(ctx)).api === 'restV2' ? 'restV2' : 'graphql';
}

/** RunPod's API as the credential chose it, bound to this context. */
export async function runpodApi(ctx: RequestContext): Promise<RunPodApi> {
	return (await apiChoice(ctx)) === 'restV2' ? restApi(ctx) : graphqlApi(ctx);
}

/** Every GraphQL document the package can send, by module, for the contract tests. */
export const allDocuments: Record<string, Record<string, string>> = {
	account: account.documents,
	dataCenters: dataCenters.documents,
	endpoints: endpoints.documents,
	gpus: gpuTypes.documents,
	networkVolumes: networkVolumes.documents,
	pods: pods.documents,
	templates: templates.documents,
};
