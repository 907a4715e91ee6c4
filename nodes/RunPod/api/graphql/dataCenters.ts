import { graphqlRequest } from '../requests';
import type { RequestContext, RequestOptions } from '../../transport/graphql';
import { isRealGpuType } from '../domain';
import type { DataCenter, DataCenterSummary } from '../types';
import type { DataCentersApi } from '../contract';
import { retirementGuard } from './failures';
import { restV2OnlyOperation } from './restV2Only';

export const LIST = `query ListDataCenters {
	dataCenters { id name location storageSupport }
}`;

export const LIST_WITH_AVAILABILITY = `query ListDataCentersWithAvailability {
	dataCenters {
		id name location storageSupport
		gpuAvailability { gpuTypeId displayName stockStatus available }
	}
}`;

export const documents = { LIST, LIST_WITH_AVAILABILITY };

export async function list(
	ctx: RequestContext,
	options: RequestOptions = {},
): Promise<DataCenterSummary[]> {
	const data = await graphqlRequest<{ dataCenters: DataCenterSummary[] | null }>(
		ctx,
		LIST,
		{},
		{ ...options, idempotent: true },
	);
	return (data.dataCenters ?? []).filter((dc) => dc && dc.id);
}

/** Data centers with the stock of each GPU type there; RunPod's "unknown" GPU entry is left out. */
export async function listWithAvailability(
	ctx: RequestContext,
	options: RequestOptions = {},
): Promise<DataCenter[]> {
	const data = await graphqlRequest<{ dataCenters: DataCenter[] | null }>(
		ctx,
		LIST_WITH_AVAILABILITY,
		{},
		{ ...options, idempotent: true },
	);
	return (data.dataCenters ?? [])
		.filter((dc) => dc && dc.id)
		.map((dc) => ({
			...dc,
			gpuAvailability: (dc.gpuAvailability ?? []).filter(
				(gpu) => gpu && isRealGpuType({ id: gpu.gpuTypeId }),
			),
		}));
}

/** Data centers on GraphQL. */
export function graphqlDataCentersApi(ctx: RequestContext): DataCentersApi {
	const guard = retirementGuard(ctx.getNode());
	return {
		get: restV2OnlyOperation(ctx.getNode(), 'Data Center → Get'),
		list: async (options = {}) => await guard(options, async () => await list(ctx, options)),
		listWithAvailability: async (options = {}) =>
			await guard(options, async () => await listWithAvailability(ctx, options)),
	};
}
