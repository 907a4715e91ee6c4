import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

/** Bad input found before anything is sent: says which parameter, which item, and what to do. */
export function invalidParameter(
	node: INode,
	itemIndex: number,
	parameter: string,
	problem: string,
	fix: string,
): NodeOperationError {
	return new NodeOperationError(node, `${parameter}: ${problem}`, { itemIndex, description: fix });
}

export interface NumberRule {
	min?: number;
	max?: number;
	integer?: boolean;
}

export function checkNumber(
	node: INode,
	itemIndex: number,
	parameter: string,
	value: unknown,
	rule: NumberRule,
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const range =
		rule.min !== undefined && rule.max !== undefined
			? `from ${rule.min} to ${rule.max}`
			: rule.min !== undefined
				? `of at least ${rule.min}`
				: rule.max !== undefined
					? `of at most ${rule.max}`
					: '';
	const kind = rule.integer ? 'a whole number' : 'a number';
	const expected = `${kind} ${range}`.trim();
	if (typeof number !== 'number' || !Number.isFinite(number)) {
		throw invalidParameter(
			node,
			itemIndex,
			parameter,
			`expected ${expected}, got ${JSON.stringify(value)}`,
			`Set ${parameter} to ${expected}.`,
		);
	}
	if (
		(rule.integer && !Number.isInteger(number)) ||
		(rule.min !== undefined && number < rule.min) ||
		(rule.max !== undefined && number > rule.max)
	) {
		throw invalidParameter(
			node,
			itemIndex,
			parameter,
			`expected ${expected}, got ${number}`,
			`Set ${parameter} to ${expected}.`,
		);
	}
	return number;
}

/** A required text parameter: trimmed, and refused when empty or only white space. */
export function checkText(
	node: INode,
	itemIndex: number,
	parameter: string,
	value: unknown,
	fix: string,
): string {
	const text =
		typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (!text) {
		throw invalidParameter(node, itemIndex, parameter, 'is empty', fix);
	}
	return text;
}

/** An optional text parameter: trimmed, undefined when empty. */
export function optionalText(value: unknown): string | undefined {
	if (typeof value !== 'string') return typeof value === 'number' ? String(value) : undefined;
	const text = value.trim();
	return text === '' ? undefined : text;
}

/** Case-insensitive "contains" for Name Contains filters; an empty filter matches everything. */
export function containsText(text: string | null | undefined, filter: unknown): boolean {
	const needle = optionalText(filter)?.toLowerCase();
	return !needle || (text ?? '').toLowerCase().includes(needle);
}
