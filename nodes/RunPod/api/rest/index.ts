import type { RequestContext } from '../../transport/request';
import type { RunPodApi } from '../contract';
import { restAccountApi } from './account';
import { restBillingApi } from './billing';
import { restDataCentersApi, restGpuTypesApi } from './catalog';
import { restClustersApi } from './clusters';
import { restCpuTypesApi } from './cpuTypes';
import { restEndpointsApi } from './endpoints';
import { restNetworkVolumesApi } from './networkVolumes';
import { restPodsApi } from './pods';
import { restContainerRegistryAuthsApi } from './registries';
import { restTemplatesApi } from './templates';

/** RunPod's REST API v2 behind the contract: one module per resource, each with its own error mapping. */
export function restApi(ctx: RequestContext): RunPodApi {
	return {
		choice: 'restV2',
		pods: restPodsApi(ctx),
		templates: restTemplatesApi(ctx),
		networkVolumes: restNetworkVolumesApi(ctx),
		gpuTypes: restGpuTypesApi(ctx),
		dataCenters: restDataCentersApi(ctx),
		account: restAccountApi(ctx),
		endpoints: restEndpointsApi(ctx),
		containerRegistryAuths: restContainerRegistryAuthsApi(ctx),
		billing: restBillingApi(ctx),
		clusters: restClustersApi(ctx),
		cpuTypes: restCpuTypesApi(ctx),
	};
}
