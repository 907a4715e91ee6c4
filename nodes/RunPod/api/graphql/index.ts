import type { RequestContext } from '../../transport/request';
import type {
	BillingApi,
	ClustersApi,
	ContainerRegistryAuthsApi,
	CpuTypesApi,
	RunPodApi,
} from '../contract';
import { graphqlAccountApi } from './account';
import { graphqlDataCentersApi } from './dataCenters';
import { graphqlEndpointsApi } from './endpoints';
import { graphqlGpuTypesApi } from './gpuTypes';
import { graphqlNetworkVolumesApi } from './networkVolumes';
import { graphqlPodsApi } from './pods';
import { restV2Only } from './restV2Only';
import { graphqlTemplatesApi } from './templates';

export { fromGraphqlPod, graphqlPodState } from './pods';

/** RunPod's GraphQL API behind the contract: one module per resource, each with its own error mapping. */
export function graphqlApi(ctx: RequestContext): RunPodApi {
	const node = ctx.getNode();
	return {
		choice: 'graphql',
		pods: graphqlPodsApi(ctx),
		templates: graphqlTemplatesApi(ctx),
		networkVolumes: graphqlNetworkVolumesApi(ctx),
		gpuTypes: graphqlGpuTypesApi(ctx),
		dataCenters: graphqlDataCentersApi(ctx),
		account: graphqlAccountApi(ctx),
		endpoints: graphqlEndpointsApi(ctx),
		containerRegistryAuths: restV2Only<ContainerRegistryAuthsApi>(node, 'Container Registry Auth', {
			list: true,
			get: true,
			create: true,
			remove: true,
			listEcrDelegations: true,
			createEcrDelegation: true,
			revokeEcrDelegation: true,
		}),
		billing: restV2Only<BillingApi>(node, 'Billing', { list: true }),
		cpuTypes: restV2Only<CpuTypesApi>(node, 'CPU Type', { list: true, get: true }),
		clusters: restV2Only<ClustersApi>(node, 'Cluster', {
			create: true,
			findByCreateMarker: true,
			get: true,
			list: true,
			rename: true,
			remove: true,
			listPods: true,
		}),
	};
}
