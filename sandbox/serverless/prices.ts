/** What a serverless worker's GPU time costs in the sandbox (billing history and balance). */

/** Serverless price per GPU per second by pool (RunPod's flex prices); the first pool of an endpoint counts. */
const SERVERLESS_PRICE_PER_GPU_SECOND: Record<string, number> = {
	AMPERE_16: 0.00016,
	AMPERE_24: 0.00019,
	ADA_24: 0.00031,
	AMPERE_48: 0.00034,
	ADA_48_PRO: 0.00053,
	AMPERE_80: 0.00076,
	ADA_80_PRO: 0.00116,
	HOPPER_141: 0.00155,
};
const DEFAULT_SERVERLESS_PRICE = 0.00031;

function serverlessPricePerGpuSecond(gpuIds: string): number {
	const pool = gpuIds.split(',')[0]?.trim() ?? '';
	return SERVERLESS_PRICE_PER_GPU_SECOND[pool] ?? DEFAULT_SERVERLESS_PRICE;
}

/** What one run of a job cost: its GPU-seconds at the endpoint's pool price. */
export function serverlessRunCost(run: {
	startMs: number;
	endMs: number;
	gpuCount: number;
	gpuIds: string;
}): number {
	return (
		((run.endMs - run.startMs) / 1000) * run.gpuCount * serverlessPricePerGpuSecond(run.gpuIds)
	);
}
