/**
 * Runs `task` for every entry with at most `limit` tasks in flight, and returns each outcome at
 * its entry's position. A failing task never stops the others: it yields `{ error }`.
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

export async function mapWithConcurrency<I, T>(
	entries: readonly I[],
	limit: number,
	task: (entry: I, position: number) => Promise<T>,
): Promise<Array<Settled<T>>> {
	const results = new Array<Settled<T>>(entries.length);
	let next = 0;
	const worker = async () => {
		while (next < entries.length) {
			const position = next++;
			try {
				results[position] = { ok: true, value: await task(entries[position], position) };
			} catch (error) {
				results[position] = { ok: false, error: error as Error };
			}
		}
	};
	const width = Math.max(1, Math.min(Math.floor(limit) || 1, entries.length));
	await Promise.all(Array.from({ length: width }, worker));
	return results;
}
