/**
 * Which URLs the node may send a request to when the URL comes from data it does not control
 * (a job's output): the reasons a URL is refused, decided from the URL alone.
 *
 * A check of the URL cannot see where a DNS name resolves: `files.example.com` may point at
 * 10.0.0.5. Only n8n's own SSRF protection (N8N_SSRF_PROTECTION_ENABLED), which checks the address
 * it connects to, closes that gap; see docs/binary-output-downloads.md.
 */

/** Names that lead to the machine itself, the local network or a cloud's metadata service. */
const BLOCKED_NAMES = new Set([
	'localhost',
	'metadata',
	'metadata.google.internal',
	'metadata.goog',
	'metadata.azure.com',
	'instance-data',
	'instance-data.ec2.internal',
	'kubernetes',
	'kubernetes.default',
	'kubernetes.default.svc',
]);

/** Suffixes reserved for local or internal names (RFC 6761, RFC 6762, RFC 8375, common private zones). */
const BLOCKED_SUFFIXES = [
	'.localhost',
	'.local',
	'.localdomain',
	'.internal',
	'.intranet',
	'.lan',
	'.home.arpa',
	'.cluster.local',
	'.svc',
];

/** IPv4 ranges that are not the public internet: [first address, prefix length, what it is]. */
const BLOCKED_V4: Array<[string, number, string]> = [
	['0.0.0.0', 8, 'a "this network" address'],
	['10.0.0.0', 8, 'a private address'],
	['100.64.0.0', 10, 'a carrier-grade NAT address'],
	['127.0.0.0', 8, 'a loopback address'],
	['169.254.0.0', 16, 'a link-local address (cloud metadata services live here)'],
	['172.16.0.0', 12, 'a private address'],
	['192.0.0.0', 24, 'a reserved address'],
	['192.168.0.0', 16, 'a private address'],
	['198.18.0.0', 15, 'a reserved address'],
	['224.0.0.0', 4, 'a multicast address'],
	['240.0.0.0', 4, 'a reserved address'],
];

function v4Number(address: string): number | undefined {
	const parts = address.split('.');
	if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255))
		return undefined;
	return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
}

function v4Problem(address: number): string | undefined {
	for (const [first, prefix, what] of BLOCKED_V4) {
		const size = 2 ** (32 - prefix);
		const start = v4Number(first)!;
		if (address >= start && address < start + size) return what;
	}
	return undefined;
}

/** The 8 groups of an IPv6 address, or undefined when it is not one. */
function v6Groups(address: string): number[] | undefined {
	let text = address.toLowerCase();
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted) {
		const v4 = v4Number(dotted[1]);
		if (v4 === undefined) return undefined;
		text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
	}
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const parse = (half: string) => (half ? half.split(':') : []);
	const head = parse(halves[0]);
	const tail = halves.length === 2 ? parse(halves[1]) : [];
	const missing = 8 - head.length - tail.length;
	if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
	const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
	if (groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return undefined;
	return groups.map((group) => parseInt(group, 16));
}

function v6Problem(groups: number[]): string | undefined {
	const embeddedV4 = groups[6] * 65536 + groups[7];
	const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
	if (zeros(0, 8)) return 'the unspecified address';
	if (zeros(0, 7) && groups[7] === 1) return 'a loopback address';
	// ::ffff:a.b.c.d (IPv4-mapped), ::a.b.c.d (IPv4-compatible), 64:ff9b::a.b.c.d (NAT64): the IPv4 inside decides.
	if (zeros(0, 5) && (groups[5] === 0xffff || groups[5] === 0)) {
		const inside = v4Problem(embeddedV4);
		return inside ? `${inside}, written as IPv6` : undefined;
	}
	if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) {
		const inside = v4Problem(embeddedV4);
		return inside ? `${inside}, written as IPv6` : undefined;
	}
	// 2002:a.b.c.d::/48 (6to4)
	if (groups[0] === 0x2002) {
		const inside = v4Problem(groups[1] * 65536 + groups[2]);
		return inside ? `${inside}, written as IPv6` : undefined;
	}
	if ((groups[0] & 0xfe00) === 0xfc00)
		return 'a private (unique local) address (cloud metadata services live here too)';
	if ((groups[0] & 0xffc0) === 0xfe80) return 'a link-local address';
	if ((groups[0] & 0xff00) === 0xff00) return 'a multicast address';
	return undefined;
}

/**
 * Why a host may not be fetched from job output, or undefined when it may. `hostname` as WHATWG
 * URL gives it: IPv4 in any form (decimal, hex, octal, short) already normalised to a.b.c.d,
 * IPv6 in brackets.
 */
export function hostProblem(hostname: string): string | undefined {
	const host = hostname.toLowerCase().replace(/\.+$/, '');
	if (host.startsWith('[') && host.endsWith(']')) {
		const groups = v6Groups(host.slice(1, -1));
		return groups ? v6Problem(groups) : 'an IPv6 address the node cannot read';
	}
	const v4 = v4Number(host);
	if (v4 !== undefined) return v4Problem(v4);
	if (/^[\d.]+$/.test(host) || /^0x/i.test(host)) return 'an IP address the node cannot read';
	if (BLOCKED_NAMES.has(host))
		return 'a name for this machine, the local network or a cloud metadata service';
	if (BLOCKED_SUFFIXES.some((suffix) => host.endsWith(suffix)))
		return 'a name reserved for local or internal networks';
	if (!host.includes('.')) return 'a name without a domain (resolved on the local network)';
	return undefined;
}

/** The origin (`scheme://host:port`) of a base URL, or undefined when it is not a URL. */
export function originOf(url: string | undefined): string | undefined {
	if (!url) return undefined;
	try {
		return new URL(url.trim()).origin;
	} catch {
		return undefined;
	}
}

/** A URL as it may be shown in an error: without its query and fragment (presigned URLs carry secrets there). */
export function shownUrl(url: string): string {
	try {
		const parsed = new URL(url);
		const cut = parsed.search || parsed.hash ? ' (query left out)' : '';
		return `${parsed.origin}${parsed.pathname}${cut}`;
	} catch {
		return url.slice(0, 200);
	}
}

/**
 * Why `url` may not be fetched, or undefined when it may. `trustedOrigins` are the credential's own
 * hosts (RunPod, or the sandbox on http://127.0.0.1): they are fetched as they are.
 */
export function urlProblem(url: string, trustedOrigins: string[]): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'it is not a valid URL';
	}
	if (trustedOrigins.includes(parsed.origin)) return undefined;
	if (parsed.protocol !== 'https:') {
		return parsed.protocol === 'http:'
			? "it is plain http (only https is fetched, except from the credential's own hosts)"
			: `${parsed.protocol} is not fetched (only https)`;
	}
	if (parsed.username || parsed.password) return 'it carries a user name or password';
	const problem = hostProblem(parsed.hostname);
	return problem ? `its host ${parsed.hostname} is ${problem}` : undefined;
}

/** Whether a URL points at this machine (loopback), where plain http stays on the machine. */
export function isLoopbackUrl(url: URL): boolean {
	const host = url.hostname.toLowerCase().replace(/\.+$/, '');
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	if (host === '[::1]') return true;
	const v4 = v4Number(host);
	return v4 !== undefined && v4 >>> 24 === 127;
}

/**
 * A webhook URL as the node may show it: where results go (scheme, host, path) without what may be
 * its secret (the last path segment, e.g. the Job Trigger's token; query values; a user and password).
 */
export function redactedWebhookUrl(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return '***';
	}
	const segments = parsed.pathname.split('/');
	const last = segments.map((segment) => segment !== '').lastIndexOf(true);
	if (last > 0) segments[last] = '***';
	const query = [...parsed.searchParams.keys()].map((key) => `${key}=***`).join('&');
	return `${parsed.origin}${segments.join('/')}${query ? `?${query}` : ''}`;
}
