/**
 * The chosen value of a resource locator nested in a collection or fixed collection, where n8n
 * does not extract it: `{ __rl, mode, value }` → value. A plain string (saved by versions that used
 * a drop-down, or set by an expression) is taken as it is.
 */
export function locatorValue(value: unknown): unknown {
	if (value && typeof value === 'object' && 'value' in value)
		return (value as { value: unknown }).value;
	return value;
}
