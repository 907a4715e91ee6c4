import { graphqlRequest } from '../transport/graphql';
import type { RequestContext, RequestOptions } from '../transport/graphql';
import type { DataCenterSummary } from './types';

export const LIST = `query ListDataCenters {
	dataCenters { id name location storageSupport }
}`;

export const documents = { LIST };

export async function list(ctx: RequestContext, options: RequestOptions = {}): Promise<DataCenterSummary[]> {
	const data = await graphqlRequest<{ dataCenters: DataCenterSummary[] | null }>(ctx, LIST, {}, { ...options, idempotent: true });
	return (data.dataCenters ?? []).filter((dc) => dc && dc.id);
}
