/**
 * /v2/catalog/cpus: CPU flavors (sandbox/cpuFlavors.ts) with their price per vCPU and, on request
 * (include=AVAILABILITY with product), stock for a vCPU count from the free vCPUs CPU pods use.
 * The sandbox keeps no serverless CPU stock: product SERVERLESS alone reads NONE.
 */
import { findDataCenter } from '../catalog';
import type { SandboxContext } from '../context';
import { CPU_FLAVORS, cpuLevel, findCpuFlavor, freeVcpus } from '../cpuFlavors';
import type { CpuAvailability, CpuFlavor } from '../cpuFlavors';
import { RestProblem, ok } from './route';
import type { RestRoute } from './route';

const RANK: Record<CpuAvailability, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

interface CpuQuery {
	products: string[];
	/** Absent: each flavor's smallest size. */
	vcpuCount?: number;
}

/** include/product/vcpuCount rules of the CPU endpoints (400 either way, per the parameter descriptions). */
function cpuQuery(params: Record<string, unknown>): CpuQuery | undefined {
	const include = (params.include as string[] | undefined) ?? [];
	const products = (params.product as string[] | undefined) ?? [];
	const vcpuCount = params.vcpuCount as number | undefined;
	if (!include.includes('AVAILABILITY')) {
		const misplaced = [products.length ? 'product' : '', vcpuCount !== undefined ? 'vcpuCount' : '']
			.filter(Boolean)
			.join(', ');
		if (misplaced) throw new RestProblem(400, `${misplaced} valid only with include=AVAILABILITY.`);
		return undefined;
	}
	if (products.length === 0)
		throw new RestProblem(400, 'product is required with include=AVAILABILITY.');
	if (vcpuCount !== undefined && (vcpuCount & (vcpuCount - 1)) !== 0)
		throw new RestProblem(400, 'vcpuCount must be a power of two.');
	return { products, vcpuCount };
}

function cpuView(ctx: SandboxContext, flavor: CpuFlavor, query: CpuQuery | undefined) {
	const view: Record<string, unknown> = {
		id: flavor.id,
		name: flavor.name,
		group: flavor.group,
		vcpu: { ...flavor.vcpu },
		ramGbPerVcpu: flavor.ramGbPerVcpu,
		price: { securePerVcpu: flavor.securePerVcpu, serverlessPerVcpu: flavor.serverlessPerVcpu },
	};
	if (!query) return view;
	const size = query.vcpuCount ?? flavor.vcpu.min;
	const fits = size >= flavor.vcpu.min && size <= flavor.vcpu.max;
	const perDc = flavor.dataCenters.map((id) => ({
		id,
		name: findDataCenter(id)?.id ?? id,
		availability:
			fits && query.products.includes('POD')
				? cpuLevel(freeVcpus(ctx.state, flavor.id, id), size)
				: ('NONE' as CpuAvailability),
	}));
	view.availability = perDc.reduce<CpuAvailability>(
		(best, dc) => (RANK[dc.availability] > RANK[best] ? dc.availability : best),
		'NONE',
	);
	// Omitted entirely when the flavor is unavailable everywhere (spec).
	const listed = perDc.filter((dc) => dc.availability !== 'NONE');
	if (listed.length > 0) view.dataCenters = listed;
	return view;
}

export const cpuRoutes: RestRoute[] = [
	{
		operationId: 'listCpuTypes',
		handle: ({ ctx, params }) => {
			const query = cpuQuery(params);
			return ok({ cpus: CPU_FLAVORS.map((flavor) => cpuView(ctx, flavor, query)) });
		},
	},
	{
		operationId: 'getCpuType',
		handle: ({ ctx, params }) => {
			const flavor = findCpuFlavor(params.id as string);
			if (!flavor) throw new RestProblem(404, `CPU type ${String(params.id)} not found`);
			return ok(cpuView(ctx, flavor, cpuQuery(params)));
		},
	},
];
