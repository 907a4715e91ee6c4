import type { CloudQuote, GpuTypePrices } from '../../nodes/RunPod/api/types';
import {
	cheapestOffer,
	fullGpuType,
	isInStock,
	matchesGpuFilters,
	simplifyGpuType,
	sortGpuTypes,
} from '../../nodes/RunPod/helpers/gpuType';

function quote(onDemandPrice: number | null, stockStatus: string | null): CloudQuote {
	return {
		onDemandPrice,
		onDemandPriceAtMost: onDemandPrice,
		minimumBid: null,
		stockStatus,
		availableGpuCounts: stockStatus ? [1, 2] : [],
	};
}

function gpu(
	id: string,
	memoryInGb: number,
	secure: CloudQuote,
	community: CloudQuote,
	extra: Partial<GpuTypePrices> = {},
): GpuTypePrices {
	return {
		id,
		displayName: id,
		memoryInGb,
		secureCloud: secure.onDemandPrice !== null,
		communityCloud: community.onDemandPrice !== null,
		securePrice: secure.onDemandPrice,
		communityPrice: community.onDemandPrice,
		secureSpotPrice: null,
		communitySpotPrice: null,
		gpuCount: 1,
		secure,
		community,
		...extra,
	};
}

const cheapCommunity = gpu('A', 24, quote(0.69, 'High'), quote(0.34, 'Low'));
const communityOut = gpu('B', 48, quote(0.79, 'Medium'), quote(0.39, null));
const secureOnly = gpu('C', 80, quote(2.39, 'Low'), quote(null, null), {
	communityCloud: false,
	communityPrice: null,
});
const nothing = gpu('D', 80, quote(2.69, null), quote(2.19, 'Out'));

describe('stock and the cheapest offer', () => {
	test.each([
		['High', 0.5, true],
		['Low', 0.5, true],
		[null, 0.5, false],
		['None', 0.5, false],
		['Out', 0.5, false],
		['High', null, false],
	])('stock status %p at price %p → in stock %p', (status, price, expected) => {
		expect(isInStock(quote(price, status))).toBe(expected);
	});

	test('the cheaper cloud wins only when it has stock', () => {
		expect(cheapestOffer(cheapCommunity)).toEqual({ cloud: 'COMMUNITY', price: 0.34 });
		expect(cheapestOffer(communityOut)).toEqual({ cloud: 'SECURE', price: 0.79 });
		expect(cheapestOffer(nothing)).toBeNull();
	});

	test('a cloud choice limits where the cheapest offer is looked for', () => {
		expect(cheapestOffer(cheapCommunity, 'SECURE')).toEqual({ cloud: 'SECURE', price: 0.69 });
		expect(cheapestOffer(communityOut, 'COMMUNITY')).toBeNull();
	});
});

describe('filters', () => {
	const all = [cheapCommunity, communityOut, secureOnly, nothing];
	const ids = (filters: Parameters<typeof matchesGpuFilters>[1]) =>
		all.filter((g) => matchesGpuFilters(g, filters)).map((g) => g.id);

	test('no filter keeps everything, stock or not', () => {
		expect(ids({ cloudType: 'ALL', inStockOnly: false })).toEqual(['A', 'B', 'C', 'D']);
	});

	test('cloud type leaves out GPU types the cloud does not offer', () => {
		expect(ids({ cloudType: 'COMMUNITY', inStockOnly: false })).toEqual(['A', 'B', 'D']);
	});

	test('in stock only, minimum VRAM and maximum price combine', () => {
		expect(ids({ cloudType: 'ALL', inStockOnly: true })).toEqual(['A', 'B', 'C']);
		expect(ids({ cloudType: 'ALL', inStockOnly: false, minMemoryInGb: 48 })).toEqual([
			'B',
			'C',
			'D',
		]);
		expect(ids({ cloudType: 'ALL', inStockOnly: false, maxPricePerHour: 0.79 })).toEqual([
			'A',
			'B',
		]);
		// The price limit is on what can be rented: a community quote with no stock does not count.
		expect(ids({ cloudType: 'COMMUNITY', inStockOnly: false, maxPricePerHour: 1 })).toEqual(['A']);
	});
});

describe('sorting', () => {
	test('price: cheapest rentable first, no stock last, ties by memory then name', () => {
		const twin = gpu('E', 48, quote(0.34, 'High'), quote(null, null));
		const input = [nothing, secureOnly, communityOut, twin, cheapCommunity];
		expect(sortGpuTypes(input, 'price').map((g) => g.id)).toEqual(['E', 'A', 'B', 'C', 'D']);
		expect(input.map((g) => g.id)).toEqual(['D', 'C', 'B', 'E', 'A']);
	});

	test('VRAM either way, ties by price', () => {
		const input = [cheapCommunity, nothing, communityOut, secureOnly];
		expect(sortGpuTypes(input, 'vramDesc').map((g) => g.id)).toEqual(['C', 'D', 'B', 'A']);
		expect(sortGpuTypes(input, 'vramAsc').map((g) => g.id)).toEqual(['A', 'B', 'C', 'D']);
	});
});

describe('output', () => {
	test('Simplify gives ten flat fields', () => {
		const simple = simplifyGpuType(cheapCommunity);
		expect(Object.keys(simple)).toHaveLength(10);
		expect(Object.values(simple).every((v) => v === null || typeof v !== 'object')).toBe(true);
		expect(simple).toMatchObject({
			cheapestOnDemandPrice: 0.34,
			cheapestCloud: 'COMMUNITY',
			secureOnDemandPrice: 0.69,
		});
	});

	test('the full view says per cloud whether it is in stock', () => {
		expect(fullGpuType(communityOut)).toMatchObject({
			secure: { inStock: true, onDemandPrice: 0.79 },
			community: { inStock: false, onDemandPrice: 0.39, stockStatus: null },
			inStock: true,
			cheapestCloud: 'SECURE',
		});
	});
});
