/**
 * The RunPod sandbox: a local, stateful RunPod server (GraphQL at /graphql, REST v2 under /v2,
 * one state) for tests, examples and "try your workflow without spending a cent".
 * Not part of the published package.
 */
import { createServer } from 'http';
import type { ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';

import { CLOUDS, findDataCenter } from './catalog';
import type { Cloud, GpuPrices } from './catalog';
import { FaultController } from './faults';
import type { FaultConfig } from './faults';
import { findGpuType } from './market';
import { logOutput } from './podLogs';
import { findPod, interruptSpot } from './pods';
import { createSandboxSchema } from './resolvers';
import { handleGraphql } from './server';
import { attachJobEngine } from './serverless/graphql';
import { handleJobRequest, matchJobPath } from './serverless/http';
import { JobEngine } from './serverless/jobs';
import type { ServerlessOptions } from './serverless/jobs';
import type { RequestLogEntry } from './server';
import { RateLimiter } from './rest/rateLimit';
import type { RateLimitWindow } from './rest/rateLimit';
import { handleRest } from './rest/router';
import {
	createInitialState,
	loadStateFile,
	replaceState,
	saveStateFile,
	setStockLevel,
} from './state';
import type { SandboxState } from './state';

export { FaultController } from './faults';
export type { FaultConfig, FaultFilter, FaultKind } from './faults';
export { RunPodMessages, SandboxMessages } from './messages';
export type { RequestLogEntry } from './server';
export type { NetworkVolumeRecord, PodRecord, SandboxState, TemplateRecord } from './state';
export { SCHEMA_PATH } from './resolvers';
export { OPENAPI_PATH } from './rest/openapi';
export { DEFAULT_RATE_LIMITS } from './rest/rateLimit';
export type { RateLimitWindow } from './rest/rateLimit';

export interface SandboxOptions {
	/** 0 (the default) picks a free port. The sandbox always listens on 127.0.0.1 only. */
	port?: number;
	/** Seeds ids, IPs, stock and random faults (default 1). */
	seed?: number;
	/** How long a created or resumed pod keeps runtime: null (default 0). */
	bootDelayMs?: number;
	/** Load the state from this JSON file if it exists; save to it after each mutation and on close. */
	stateFile?: string;
	/** Initial fault configuration. */
	faults?: FaultConfig;
	/** Timing of the simulated serverless workers and webhooks. */
	serverless?: ServerlessOptions;
	/** REST v2 quota windows per API key (default DEFAULT_RATE_LIMITS: 600/minute, 20000/hour, 200000/day). */
	rateLimits?: RateLimitWindow[];
}

export interface Sandbox {
	/** Base URL, e.g. "http://127.0.0.1:41234"; GraphQL is served at `${url}/graphql`, REST v2 at `${url}/v2`. */
	url: string;
	/** A key with full access. */
	apiKey: string;
	/** A key whose mutations answer "Unauthorized". */
	readOnlyApiKey: string;
	/** Live state; tests may read and tweak it (the object stays the same across reset()). */
	state: SandboxState;
	/** Every request (GraphQL and REST, see `api`), oldest first; clear with `requests.length = 0`. */
	requests: RequestLogEntry[];
	faults: FaultController;
	/** The serverless job face: jobs, webhook deliveries, expire(jobId). Jobs are served at `${url}/v2/<endpointId>/…`. */
	jobs: JobEngine;
	/** GPUs free per cloud. Without a data center, all of them sit in the GPU type's first host data center. */
	setStock(
		gpuTypeId: string,
		stock: { secure?: number; community?: number },
		dataCenterId?: string,
	): void;
	setPrice(
		gpuTypeId: string,
		prices: Partial<{
			securePrice: number;
			communityPrice: number;
			secureSpotPrice: number;
			communitySpotPrice: number;
		}>,
	): void;
	/** RunPod reclaims a spot pod: EXITED, runtime null, "Exited by Runpod". */
	interruptSpotPod(podId: string): void;
	/** The pod's program prints these lines (its log, `container` source, stamped now). */
	writePodLog(podId: string, lines: readonly string[]): void;
	/** Back to the seeded initial state, request log cleared, faults off, REST quotas refilled. */
	reset(): void;
	/** Stops the server (ending hanging requests) and saves the state if there is a stateFile. */
	close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const loaded = options.stateFile ? loadStateFile(options.stateFile) : undefined;
	const seed = loaded?.seed ?? options.seed ?? 1;
	const state = loaded ?? createInitialState(seed);
	const faults = new FaultController(seed, options.faults);
	const requests: RequestLogEntry[] = [];
	const schema = createSandboxSchema();
	const rateLimiter = new RateLimiter(options.rateLimits);
	const hangTimers = new Set<NodeJS.Timeout>();
	const sockets = new Set<Socket>();

	const save = () => {
		if (options.stateFile) saveStateFile(options.stateFile, state);
	};
	const onHang = (response: ServerResponse, hangMs: number) => {
		const timer = setTimeout(() => {
			hangTimers.delete(timer);
			response.socket?.destroy();
		}, hangMs);
		hangTimers.add(timer);
	};
	const jobs = new JobEngine(state, seed, options.serverless);
	attachJobEngine(state, jobs);
	const graphqlOptions = {
		schema,
		state,
		bootDelayMs: options.bootDelayMs ?? 0,
		faults,
		requests,
		onMutation: save,
		onHang,
	};
	const restOptions = {
		state,
		bootDelayMs: options.bootDelayMs ?? 0,
		faults,
		requests,
		rateLimiter,
		onMutation: save,
		onHang,
	};

	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const jobRoute = matchJobPath(url.pathname);
		if (jobRoute) {
			handleJobRequest(
				{ state, engine: jobs, faults, requests, onHang },
				jobRoute,
				request,
				response,
			).catch((error: Error) => {
				if (!response.headersSent) {
					response.writeHead(500, { 'content-type': 'application/json' });
					response.end(JSON.stringify({ error: `Sandbox failure: ${error.message}` }));
				}
			});
		} else if (url.pathname === '/graphql' && request.method === 'POST') {
			handleGraphql(graphqlOptions, request, response, url).catch((error: Error) => {
				if (!response.headersSent) {
					response.writeHead(500, { 'content-type': 'application/json' });
					response.end(
						JSON.stringify({ errors: [{ message: `Sandbox failure: ${error.message}` }] }),
					);
				}
			});
		} else if (url.pathname === '/v2' || url.pathname.startsWith('/v2/')) {
			handleRest(restOptions, request, response, url).catch((error: Error) => {
				if (!response.headersSent) {
					response.writeHead(500, { 'content-type': 'application/problem+json' });
					response.end(
						JSON.stringify({
							title: 'Internal Server Error',
							status: 500,
							detail: `Sandbox failure: ${error.message}`,
						}),
					);
				}
			});
		} else if (url.pathname === '/health' && request.method === 'GET') {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"status":"ok"}');
		} else {
			response.writeHead(404, { 'content-type': 'application/json' });
			response.end('{"error":"Not Found"}');
		}
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;

	const keyWith = (access: 'full' | 'readOnly') => {
		const found = state.apiKeys.find((k) => k.access === access);
		if (!found) throw new Error(`The sandbox state has no ${access} API key`);
		return found.key;
	};
	const requireGpuType = (gpuTypeId: string) => {
		if (!findGpuType(gpuTypeId))
			throw new Error(`The sandbox catalog has no GPU type "${gpuTypeId}"`);
	};
	let closed: Promise<void> | undefined;

	return {
		url: `http://127.0.0.1:${port}`,
		apiKey: keyWith('full'),
		readOnlyApiKey: keyWith('readOnly'),
		state,
		requests,
		faults,
		jobs,
		setStock(gpuTypeId, stock, dataCenterId) {
			requireGpuType(gpuTypeId);
			if (dataCenterId !== undefined && !findDataCenter(dataCenterId))
				throw new Error(`The sandbox has no data center "${dataCenterId}"`);
			const wanted: Record<Cloud, number | undefined> = {
				SECURE: stock.secure,
				COMMUNITY: stock.community,
			};
			for (const cloud of CLOUDS) {
				const free = wanted[cloud];
				if (free !== undefined) setStockLevel(state, gpuTypeId, cloud, free, dataCenterId);
			}
			save();
		},
		setPrice(gpuTypeId, prices) {
			requireGpuType(gpuTypeId);
			Object.assign(state.prices[gpuTypeId] as GpuPrices, prices);
			save();
		},
		interruptSpotPod(podId) {
			interruptSpot(state, podId, Date.now());
			save();
		},
		writePodLog(podId, lines) {
			const pod = findPod(state, podId);
			if (!pod) throw new Error(`The sandbox has no pod "${podId}"`);
			logOutput(pod, Date.now(), lines);
			save();
		},
		reset() {
			replaceState(state, createInitialState(seed));
			requests.length = 0;
			faults.clear();
			jobs.reset();
			rateLimiter.clear();
			save();
		},
		close() {
			closed ??= Promise.all([
				jobs.close(),
				new Promise<void>((resolve) => {
					faults.cancelLate();
					for (const timer of hangTimers) clearTimeout(timer);
					hangTimers.clear();
					server.close(() => resolve());
					for (const socket of sockets) socket.destroy();
					save();
				}),
			]).then(() => undefined);
			return closed;
		},
	};
}
