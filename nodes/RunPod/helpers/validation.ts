import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode } from 'n8n-workflow';

import { locatorValue } from './locator';

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

/**
 * What an expression gave, in a user's words: "an object", "a list", "NaN (not a number)", or the
 * value itself. JSON would show NaN as null and an object as its whole contents.
 */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (typeof value === 'number' && Number.isNaN(value)) return 'NaN (not a number)';
	if (Array.isArray(value)) return 'a list';
	if (value !== null && typeof value === 'object') return 'an object';
	return JSON.stringify(value) ?? String(value);
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
			`expected ${expected}, got ${describeValue(value)}`,
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

/** Refuses what an expression gave that is not text: an object, a list, true or false. */
function refuseNonText(
	node: INode,
	itemIndex: number,
	parameter: string,
	value: unknown,
	fix: string,
): void {
	if (typeof value === 'object' && value !== null) {
		// An expression such as {{ $json }} or {{ $json.pod }} handed over a whole object: not "empty".
		const got = describeValue(value);
		throw invalidParameter(
			node,
			itemIndex,
			parameter,
			`expected text, got ${got}`,
			`The expression resolves to ${got}, not text. Point it at one text field, e.g. {{ $json.id }} instead of {{ $json }}. ${fix}`.trim(),
		);
	}
	if (typeof value === 'boolean') {
		throw invalidParameter(
			node,
			itemIndex,
			parameter,
			`expected text, got ${String(value)}`,
			`The expression resolves to true or false, not text. ${fix}`.trim(),
		);
	}
}

/** A required text parameter: trimmed, and refused when empty or only white space. */
export function checkText(
	node: INode,
	itemIndex: number,
	parameter: string,
	value: unknown,
	fix: string,
): string {
	refuseNonText(node, itemIndex, parameter, value, fix);
	const text =
		typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (!text) {
		throw invalidParameter(node, itemIndex, parameter, 'is empty', fix);
	}
	return text;
}

/**
 * An optional text parameter that changes what is done (placement, a filter): trimmed, undefined
 * when empty, and refused when an expression gave something else. Dropping an object silently would
 * rent a pod anywhere, or make a filter match everything.
 */
export function checkOptionalText(
	node: INode,
	itemIndex: number,
	parameter: string,
	value: unknown,
): string | undefined {
	if (value === undefined || value === null) return undefined;
	refuseNonText(node, itemIndex, parameter, value, `Or leave ${parameter} empty.`);
	return optionalText(value);
}

/**
 * The text filters of a Get Many (key → display name), checked before anything is sent: a filter
 * an expression turned into an object would otherwise match everything, and a Get Many that feeds
 * Stop or Terminate would reach what it was meant to spare.
 */
export function checkTextFilters(
	node: INode,
	itemIndex: number,
	filters: IDataObject,
	names: Record<string, string>,
): void {
	for (const [key, parameter] of Object.entries(names))
		checkOptionalText(node, itemIndex, parameter, locatorValue(filters[key]));
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
