/** /v2/network-volumes: CRUD over the shared volume rules (storage data centers, grow only, not while attached). */
import type { NetworkVolumeRecord } from '../state';
import {
	createNetworkVolume,
	deleteNetworkVolume,
	requireVolume,
	updateNetworkVolume,
} from '../volumes';
import type { VolumeSizeLimits } from '../volumes';
import { created, noContent, ok } from './route';
import type { RestRoute } from './route';

/** CreateNetworkVolumeRequest's own bounds; Ajv has already enforced them, the rules re-check on update. */
const REST_SIZE_LIMITS: VolumeSizeLimits = { min: 10, max: 4096 };

export function restNetworkVolumeView(volume: NetworkVolumeRecord) {
	return {
		id: volume.id,
		name: volume.name,
		size: volume.size,
		dataCenter: volume.dataCenterId,
		type: volume.type ?? 'STANDARD',
	};
}

export const networkVolumeRoutes: RestRoute[] = [
	{
		operationId: 'listNetworkVolumes',
		handle: ({ ctx }) =>
			ok({ networkVolumes: ctx.state.networkVolumes.map(restNetworkVolumeView) }),
	},
	{
		operationId: 'getNetworkVolume',
		handle: ({ ctx, params }) => ok(restNetworkVolumeView(requireVolume(ctx, String(params.id)))),
	},
	{
		operationId: 'createNetworkVolume',
		handle: ({ ctx, body }) => {
			const { name, size, dataCenter, type } = body as {
				name: string;
				size: number;
				dataCenter: string;
				type?: NetworkVolumeRecord['type'];
			};
			return created(
				restNetworkVolumeView(
					createNetworkVolume(
						ctx,
						{ name, size, dataCenterId: dataCenter, type },
						REST_SIZE_LIMITS,
					),
				),
			);
		},
	},
	{
		operationId: 'updateNetworkVolume',
		handle: ({ ctx, params, body }) => {
			const { name, size } = body as { name?: string; size?: number };
			return ok(
				restNetworkVolumeView(
					updateNetworkVolume(ctx, { id: String(params.id), name, size }, REST_SIZE_LIMITS),
				),
			);
		},
	},
	{
		operationId: 'deleteNetworkVolume',
		handle: ({ ctx, params }) => {
			deleteNetworkVolume(ctx, { id: String(params.id) });
			return noContent();
		},
	},
];
