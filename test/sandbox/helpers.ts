/** A tiny GraphQL client for the sandbox tests: real HTTP through Node's fetch. */
import type { Sandbox } from '../../sandbox';

export interface GraphqlAnswer {
	status: number;
	headers: Headers;
	/** Parsed JSON, or the raw text when the body is not JSON. */
	body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface AskOptions {
	/** null sends no key at all; default is the sandbox's full-access key. */
	key?: string | null;
	/** Send the key as ?api_key= instead of the Authorization header. */
	keyInQuery?: boolean;
	operationName?: string;
}

export async function ask(
	sandbox: Sandbox,
	query: string,
	variables: Record<string, unknown> = {},
	options: AskOptions = {},
): Promise<GraphqlAnswer> {
	const key = options.key === undefined ? sandbox.apiKey : options.key;
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	let url = `${sandbox.url}/graphql`;
	if (key !== null && options.keyInQuery) url += `?api_key=${encodeURIComponent(key)}`;
	else if (key !== null) headers.authorization = `Bearer ${key}`;
	const response = await fetch(url, {
		method: 'POST',
		headers,
		body: JSON.stringify({ query, variables, operationName: options.operationName }),
	});
	const text = await response.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// HTML error pages stay text.
	}
	return { status: response.status, headers: response.headers, body };
}

/** Asks and returns data, failing the test on any error. */
export async function data(
	sandbox: Sandbox,
	query: string,
	variables: Record<string, unknown> = {},
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads any field
): Promise<any> {
	const answer = await ask(sandbox, query, variables);
	if (answer.status !== 200 || answer.body.errors)
		throw new Error(`unexpected answer ${answer.status}: ${JSON.stringify(answer.body)}`);
	return answer.body.data;
}

export const GPU = 'NVIDIA GeForce RTX 4090';

export const POD_FIELDS = `id name imageName desiredStatus podType costPerHr gpuCount env ports templateId networkVolumeId
	lastStatusChange lowestBidPriceToResume machineId
	machine { id podHostId gpuTypeId gpuDisplayName dataCenterId location secureCloud supportPublicIp }
	networkVolume { id dataCenterId }
	runtime { uptimeInSeconds ports { ip isIpPublic privatePort publicPort type } gpus { id gpuUtilPercent memoryUtilPercent } container { cpuPercent memoryPercent } }`;

export const DEPLOY = `mutation Deploy($input: PodFindAndDeployOnDemandInput) { podFindAndDeployOnDemand(input: $input) { ${POD_FIELDS} } }`;
export const RENT_SPOT = `mutation Rent($input: PodRentInterruptableInput) { podRentInterruptable(input: $input) { ${POD_FIELDS} } }`;
export const GET_POD = `query Pod($input: PodFilter) { pod(input: $input) { ${POD_FIELDS} } }`;
export const STOP = `mutation Stop($input: PodStopInput) { podStop(input: $input) { id desiredStatus runtime { uptimeInSeconds } lastStatusChange } }`;
export const RESUME = `mutation Resume($input: PodResumeInput) { podResume(input: $input) { id desiredStatus costPerHr gpuCount runtime { uptimeInSeconds } } }`;
export const BID_RESUME = `mutation BidResume($input: PodBidResumeInput) { podBidResume(input: $input) { id desiredStatus costPerHr } }`;
export const TERMINATE = `mutation Terminate($input: PodTerminateInput!) { podTerminate(input: $input) }`;

export function podInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		name: 'test-pod',
		imageName: 'runpod/pytorch:2.4.0',
		gpuTypeId: GPU,
		gpuCount: 1,
		cloudType: 'SECURE',
		containerDiskInGb: 20,
		volumeInGb: 0,
		ports: '8888/http,22/tcp',
		env: [{ key: 'JUPYTER_PASSWORD', value: 'secret' }],
		...overrides,
	};
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
