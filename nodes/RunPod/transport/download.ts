import { NodeOperationError, sleep } from 'n8n-workflow';

import { shownUrl, urlProblem } from '../helpers/urlGuard';
import type { RequestContext } from './context';
import { findCode } from './request';

/** Redirects followed at most, each checked like the first URL. */
const MAX_REDIRECTS = 5;

export interface DownloadLimits {
	maxBytes: number;
	timeoutMs: number;
	/** Origins downloaded from as they are (the credential's own hosts), even when not public. */
	trustedOrigins: string[];
}

/** Why a download was refused or failed; the caller turns it into advice in its own words. */
export type DownloadFailure =
	| 'notAllowed'
	| 'tooManyRedirects'
	| 'unreachable'
	| 'httpStatus'
	| 'tooLarge'
	| 'tooSlow'
	| 'brokeOff';

/** A download that did not happen: which URL, why in a few words, and what kind of failure. */
export interface DownloadRefusal {
	url: string;
	failure: DownloadFailure;
	why: string;
}

const REFUSAL_KEY = 'runpodDownload';

function refused(ctx: RequestContext, url: string, failure: DownloadFailure, why: string) {
	const error = new NodeOperationError(ctx.getNode(), `${shownUrl(url)}: ${why}`);
	error.context[REFUSAL_KEY] = { url, failure, why } satisfies DownloadRefusal;
	return error;
}

/** The refusal behind an error of downloadFile, if it is one. */
export function downloadRefusalOf(error: unknown): DownloadRefusal | undefined {
	const context = (error as { context?: Record<string, unknown> } | undefined)?.context;
	return context?.[REFUSAL_KEY] as DownloadRefusal | undefined;
}

type StreamBody = AsyncIterable<Buffer | Uint8Array | string>;

interface StreamResponse {
	body: StreamBody | undefined;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

function header(response: StreamResponse, name: string): string | undefined {
	const value = response.headers?.[name];
	return Array.isArray(value) ? value[0] : value;
}

function codeOf(error: unknown): string {
	return findCode(error) ?? (error as Error).message;
}

/**
 * Downloads a URL that someone else chose (a job's output): https to public hosts only (the
 * trusted origins as they are), every redirect checked like the first URL, the size and the
 * time bounded. Sent without the credential: the file's host is not RunPod.
 */
export async function downloadFile(
	ctx: RequestContext,
	firstUrl: string,
	limits: DownloadLimits,
): Promise<{ bytes: Buffer; mimeType?: string }> {
	const { maxBytes, timeoutMs, trustedOrigins } = limits;
	const started = Date.now();
	const tooSlow = (url: string) =>
		refused(ctx, url, 'tooSlow', `it took longer than ${timeoutMs} ms`);

	let url = firstUrl;
	let previous = firstUrl;
	for (let hop = 0; ; hop++) {
		const problem = urlProblem(url, trustedOrigins);
		if (problem) {
			const why =
				hop === 0 ? problem : `a redirect from ${shownUrl(previous)} led there, and ${problem}`;
			throw refused(ctx, url, 'notAllowed', why);
		}
		// Ends this request at once (redirect, refusal, size, time): the socket is closed, not drained.
		const abort = new AbortController();
		let response: StreamResponse;
		try {
			response = (await ctx.helpers.httpRequest({
				url,
				method: 'GET',
				encoding: 'stream',
				returnFullResponse: true,
				disableFollowRedirect: true,
				ignoreHttpStatusErrors: true,
				timeout: Math.max(1, timeoutMs - (Date.now() - started)),
				abortSignal: abort.signal,
			})) as StreamResponse;
		} catch (error) {
			const code = codeOf(error);
			if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') throw tooSlow(url);
			throw refused(ctx, url, 'unreachable', `the download failed (${code})`);
		}
		const status = response.statusCode;
		if (status >= 300 && status < 400 && header(response, 'location')) {
			abort.abort();
			if (hop >= MAX_REDIRECTS) {
				throw refused(ctx, url, 'tooManyRedirects', `more than ${MAX_REDIRECTS} redirects`);
			}
			previous = url;
			url = new URL(header(response, 'location')!, url).toString();
			continue;
		}
		if (status < 200 || status >= 300) {
			abort.abort();
			throw refused(ctx, url, 'httpStatus', `the server answered HTTP ${status}`);
		}
		const tooBig = () => refused(ctx, url, 'tooLarge', `the file is larger than ${maxBytes} bytes`);
		const declared = Number(header(response, 'content-length'));
		if (Number.isFinite(declared) && declared > maxBytes) {
			abort.abort();
			throw tooBig();
		}
		const chunks: Buffer[] = [];
		let size = 0;
		// n8n's timeout covers the wait for the answer, not a body that stalls: a watchdog checks the
		// clock in short naps while the body is read and ends the download when the time is up.
		let reading = true;
		let timedOut = false;
		const watchdog = (async () => {
			while (reading) {
				await sleep(Math.max(1, Math.min(250, timeoutMs - (Date.now() - started))));
				if (reading && Date.now() - started >= timeoutMs) {
					timedOut = true;
					abort.abort();
					return;
				}
			}
		})();
		let tooLarge = false;
		try {
			for await (const chunk of response.body ?? []) {
				const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
				size += piece.length;
				if (size > maxBytes) {
					tooLarge = true;
					abort.abort();
					break;
				}
				chunks.push(piece);
			}
		} catch (error) {
			abort.abort();
			if (timedOut) throw tooSlow(url);
			throw refused(ctx, url, 'brokeOff', `the download broke off (${codeOf(error)})`);
		} finally {
			reading = false;
		}
		void watchdog.catch(() => undefined);
		if (tooLarge) throw tooBig();
		if (timedOut) throw tooSlow(url);
		return {
			bytes: Buffer.concat(chunks),
			mimeType: header(response, 'content-type')?.split(';')[0].trim() || undefined,
		};
	}
}
