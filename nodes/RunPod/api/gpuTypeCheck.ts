/**
 * "Is this a GPU type RunPod knows?", written once for both adapters. GraphQL answers an unknown
 * GPU type with its "no capacity" text (the adapter then reads the catalog); REST v2 refuses it
 * with a 400, so its adapter screens GPU types against the catalog before any create
 * (GpuTypesApi.unknownAmong). Either way actions get UnknownGpuType and never tell the two apart.
 */
import type { INode } from 'n8n-workflow';

import type { CallOptions } from './contract';
import { domainError } from './errors';
import type { GpuTypeSummary } from './types';

/** The IDs in RunPod's GPU catalog, read at most once per API object (one node run). */
export function gpuCatalogCheck(
	load: (options: CallOptions) => Promise<GpuTypeSummary[]>,
): (gpuTypeId: string, options: CallOptions) => Promise<boolean> {
	let ids: Promise<Set<string>> | undefined;
	return async (gpuTypeId, options) => {
		const loading = (ids ??= load(options).then(
			(catalog) => new Set(catalog.map((gpu) => gpu.id)),
		));
		// A failed read is not remembered: the next item asks again.
		loading.catch(() => {
			if (ids === loading) ids = undefined;
		});
		return (await loading).has(gpuTypeId);
	};
}

export function unknownGpuType(node: INode, gpuTypeId: string, itemIndex?: number): Error {
	return domainError(
		node,
		{ kind: 'UnknownGpuType', id: gpuTypeId },
		`RunPod does not know the GPU type "${gpuTypeId}"`,
		'Choose a GPU type from the list, or look up valid IDs with GPU Type → Get Many. IDs are long names such as "NVIDIA GeForce RTX 4090".',
		itemIndex,
	);
}
