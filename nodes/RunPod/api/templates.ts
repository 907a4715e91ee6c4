import { graphqlRequest } from '../transport/graphql';
import type { RequestContext, RequestOptions } from '../transport/graphql';
import { requireAccount } from './account.guard';
import type { PodTemplate } from './types';

export const TEMPLATE_FIELDS = `fragment TemplateFields on PodTemplate {
	id name imageName containerDiskInGb volumeInGb volumeMountPath dockerArgs
	env { key value } ports isServerless isPublic startSsh startJupyter readme containerRegistryAuthId
}`;

export const LIST = `query ListTemplates {
	myself { id podTemplates { ...TemplateFields } }
}
${TEMPLATE_FIELDS}`;

export const documents = { LIST };

export async function list(ctx: RequestContext, options: RequestOptions = {}): Promise<PodTemplate[]> {
	const data = await graphqlRequest<{ myself: { podTemplates: PodTemplate[] | null } | null }>(ctx, LIST, {}, { ...options, idempotent: true });
	return (requireAccount(ctx, data.myself, options.itemIndex).podTemplates ?? []).filter(Boolean);
}
