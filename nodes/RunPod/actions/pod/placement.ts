import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunPodApi } from '../../api';
import type { CloudType, MachineRequirements } from '../../api/types';
import { locatorValue } from '../../helpers/locator';
import { checkText, invalidParameter } from '../../helpers/validation';
import type { PodSpec } from './create.fields';

/** One try at renting, as reported in the output. */
export interface GpuAttempt {
	gpuTypeId: string;
	cloudType: CloudType;
	outcome: 'created' | 'no capacity' | 'unknown GPU type' | 'over budget' | 'no price';
	/**
	 * On-demand USD/hour for the whole pod that the cost guard compared, when it looked it up: on
	 * GraphQL the larger reading of RunPod's price (docs/cost-guard.md).
	 */
	pricePerHour?: number;
}

/** The ordered GPU types of "First Available From a List" mode. */
export function readFallbackList(this: IExecuteFunctions, itemIndex: number): string[] {
	const entries = ((this.getNodeParameter('fallbackGpuTypes', itemIndex, {}) as IDataObject).gpu ??
		[]) as IDataObject[];
	const ids: string[] = [];
	for (const [position, entry] of entries.entries()) {
		const id = checkText(
			this.getNode(),
			itemIndex,
			`GPU Types (entry ${position + 1})`,
			locatorValue(entry.gpuTypeId),
			'Choose a GPU type from the list, or remove the empty entry.',
		);
		if (!ids.includes(id)) ids.push(id);
	}
	if (!ids.length) {
		throw invalidParameter(
			this.getNode(),
			itemIndex,
			'GPU Types',
			'the list is empty',
			'Add at least one GPU type, most preferred first.',
		);
	}
	return ids;
}

/** What the pod needs of its machine: prices and stock are looked up for exactly this. */
export function machineRequirements(spec: PodSpec): MachineRequirements {
	return {
		dataCenterId: spec.dataCenterId,
		minVcpuCount: spec.minVcpuCount,
		minMemoryInGb: spec.minMemoryInGb,
		allowedCudaVersions: spec.allowedCudaVersions,
		supportPublicIp: spec.supportPublicIp,
	};
}

/**
 * On-demand price of the whole pod in the given cloud, as the cost guard must read it: the larger
 * reading where the API leaves the unit open (`largerReading` is true then and it changed the
 * figure). For "Any" the dearer cloud counts: RunPod may place the pod in either, so a guard must
 * hold for both. Without a price, why: the catalog lacks the GPU type, or quotes no price.
 */
export async function pricePerHour(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	gpuTypeId: string,
	spec: PodSpec,
	cloudType: CloudType,
): Promise<{ price: number; largerReading: boolean } | 'unknown GPU type' | 'no price'> {
	const gpu = await api.gpuTypes.getPrices(
		gpuTypeId,
		spec.gpuCount,
		{ itemIndex },
		machineRequirements(spec),
	);
	// getPrices answers null for a GPU type RunPod does not know, on both APIs.
	if (!gpu) return 'unknown GPU type';
	const quotes =
		cloudType === 'ALL'
			? [gpu.secure, gpu.community]
			: [cloudType === 'SECURE' ? gpu.secure : gpu.community];
	const priced = quotes.filter(
		(q): q is typeof q & { onDemandPriceAtMost: number } => q.onDemandPriceAtMost !== null,
	);
	if (!priced.length) return 'no price';
	const dearest = priced.reduce((a, b) => (b.onDemandPriceAtMost > a.onDemandPriceAtMost ? b : a));
	return {
		price: dearest.onDemandPriceAtMost,
		largerReading: dearest.onDemandPriceAtMost !== dearest.onDemandPrice,
	};
}

/**
 * A network volume lives in one data center and works only with Secure Cloud, so the pod must go
 * there. Fills in what follows from the volume, or explains the conflict before anything is rented.
 */
export async function placeWithVolume(
	this: IExecuteFunctions,
	itemIndex: number,
	api: RunPodApi,
	spec: PodSpec,
): Promise<PodSpec> {
	if (!spec.networkVolumeId) return spec;
	const volume = (await api.networkVolumes.list({ itemIndex })).find(
		(v) => v.id === spec.networkVolumeId,
	);
	if (!volume) {
		throw new NodeOperationError(
			this.getNode(),
			`The network volume "${spec.networkVolumeId}" was not found`,
			{
				itemIndex,
				description:
					'Choose a volume from the Network Volume list, or create one with Network Volume → Create.',
			},
		);
	}
	if (spec.cloudType === 'COMMUNITY') {
		throw invalidParameter(
			this.getNode(),
			itemIndex,
			'Cloud Type',
			'Community Cloud cannot attach a network volume',
			`Network volumes work only on Secure Cloud. Set Cloud Type to Secure Cloud (or Any), or remove the network volume "${volume.name ?? volume.id}".`,
		);
	}
	if (spec.dataCenterId && volume.dataCenterId && spec.dataCenterId !== volume.dataCenterId) {
		throw invalidParameter(
			this.getNode(),
			itemIndex,
			'Data Center',
			`${spec.dataCenterId} differs from the network volume's data center ${volume.dataCenterId}`,
			`A pod can only attach a network volume in its own data center. Remove the data center, or set it to ${volume.dataCenterId}.`,
		);
	}
	return { ...spec, cloudType: 'SECURE', dataCenterId: volume.dataCenterId ?? spec.dataCenterId };
}
