/** CPU types (CPU flavors) from REST v2's catalog: GET /v2/catalog/cpus and /v2/catalog/cpus/{id}. */
import type { IDataObject } from 'n8n-workflow';

import { asNodeError } from '../../transport/errors';
import { restRequest, segment } from '../requests';
import type { RequestContext } from '../../transport/request';
import type { CpuTypesApi } from '../contract';
import type { CpuType, CpuTypeQuery } from '../cpuTypes.types';
import { transportFailureOf } from '../errors';
import { unifiedStock } from './catalog';

/** A CPU flavor as REST v2 returns it. */
interface RestCpuType {
	id: string;
	name?: string;
	group?: string;
	vcpu?: { min?: number; max?: number };
	ramGbPerVcpu?: number;
	price?: { securePerVcpu?: number; serverlessPerVcpu?: number };
	availability?: string;
	dataCenters?: Array<{ id?: string; availability?: string }>;
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

function fromRestCpuType(cpu: RestCpuType, query: CpuTypeQuery): CpuType {
	const min = cpu.vcpu?.min ?? null;
	const max = cpu.vcpu?.max ?? null;
	const vcpuCount = query.vcpuCount ?? min;
	const fits =
		vcpuCount !== null && (min === null || vcpuCount >= min) && (max === null || vcpuCount <= max);
	const perVcpu = cpu.price?.securePerVcpu ?? null;
	return {
		id: cpu.id,
		source: cpu as unknown as IDataObject,
		name: cpu.name ?? null,
		group: cpu.group ?? null,
		minVcpuCount: min,
		maxVcpuCount: max,
		ramGbPerVcpu: cpu.ramGbPerVcpu ?? null,
		pricePerVcpu: perVcpu,
		serverlessPricePerVcpu: cpu.price?.serverlessPerVcpu ?? null,
		vcpuCount,
		memoryInGb:
			fits && cpu.ramGbPerVcpu !== undefined
				? round(cpu.ramGbPerVcpu * (vcpuCount as number))
				: null,
		pricePerHour: fits && perVcpu !== null ? round(perVcpu * (vcpuCount as number)) : null,
		stockStatus: fits ? unifiedStock(cpu.availability) : null,
		dataCenters: fits
			? (cpu.dataCenters ?? [])
					.filter((dc) => dc?.id)
					.map((dc) => ({ id: dc.id as string, stockStatus: unifiedStock(dc.availability) }))
			: [],
	};
}

/** Pod stock for the size: REST reports availability only when asked, per product. */
function availabilityQuery(query: CpuTypeQuery): IDataObject {
	const qs: IDataObject = { include: 'AVAILABILITY', product: 'POD' };
	if (query.vcpuCount !== undefined) qs.vcpuCount = query.vcpuCount;
	return qs;
}

export function restCpuTypesApi(ctx: RequestContext): CpuTypesApi {
	const node = ctx.getNode();

	return {
		list: async (query, options = {}) => {
			const answer = await restRequest<{ cpus?: RestCpuType[] }>(
				ctx,
				{ method: 'GET', path: '/v2/catalog/cpus', qs: availabilityQuery(query) },
				{ ...options, idempotent: true },
			);
			return (answer?.cpus ?? [])
				.filter((cpu) => cpu && cpu.id)
				.map((cpu) => fromRestCpuType(cpu, query));
		},
		get: async (cpuTypeId, query, options = {}) => {
			try {
				const cpu = await restRequest<RestCpuType>(
					ctx,
					{
						method: 'GET',
						path: `/v2/catalog/cpus/${segment(cpuTypeId)}`,
						qs: availabilityQuery(query),
					},
					{ ...options, idempotent: true },
				);
				return cpu?.id ? fromRestCpuType(cpu, query) : null;
			} catch (error) {
				if (transportFailureOf(error)?.status === 404) return null;
				throw asNodeError(node, error, options.itemIndex);
			}
		},
	};
}
