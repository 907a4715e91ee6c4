import type { IDataObject, INode } from 'n8n-workflow';

import { invalidParameter } from '../../helpers/validation';

/** RunPod's own rule for a key line (UpdateSshKeysRequest): `<type> <base64-key> [comment]`. */
const KEY_LINE = /^(ssh|ecdsa|sk)-\S+ \S+([ \t][^\n\r]*)?$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,3}$/;

/** A key line's parts, for an output item. */
export function sshKeyOutput(line: string): IDataObject {
	const [type, key, ...comment] = line.trim().split(/\s+/);
	return { type: type ?? null, key: key ?? null, comment: comment.join(' ') || null, line };
}

/** Checks a public key as pasted (one line of a .pub file), before anything is sent. */
export function checkSshKey(node: INode, itemIndex: number, value: unknown): string {
	const fix =
		'Paste one public key line, as in ~/.ssh/id_ed25519.pub: its type, the key, and an optional comment (e.g. ssh-ed25519 AAAAC3Nz… me@laptop). Never paste a private key.';
	if (typeof value !== 'string' || value.trim() === '')
		throw invalidParameter(node, itemIndex, 'Public Key', 'is empty', fix);
	const line = value.trim().replace(/\s+/g, ' ');
	if (/PRIVATE KEY/.test(line))
		throw invalidParameter(node, itemIndex, 'Public Key', 'is a private key', fix);
	if (/[\r\n]/.test(value.trim()))
		throw invalidParameter(node, itemIndex, 'Public Key', 'has more than one line', fix);
	const [type, key] = line.split(' ');
	if (!KEY_LINE.test(line) || !BASE64.test(key ?? ''))
		throw invalidParameter(
			node,
			itemIndex,
			'Public Key',
			`does not look like an SSH public key (starts with "${type?.slice(0, 20) ?? ''}")`,
			fix,
		);
	return line;
}
