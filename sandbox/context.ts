/** What every resolver gets: the state, the clock of this request, the caller's access. */
import type { SeededRandom } from './random';
import type { SandboxState } from './state';

export type Access = 'anonymous' | 'readOnly' | 'full';

export interface SandboxContext {
	state: SandboxState;
	/** Draws from state.rngState, so ids follow the seed. */
	random: SeededRandom;
	/** One clock reading per request, so every field of an answer agrees. */
	nowMs: number;
	bootDelayMs: number;
	access: Access;
}

/**
 * What kind of refusal an error is. GraphQL ignores it (every refusal is a 200 with errors[]);
 * REST turns it into the status code: invalid/capacity 400, balance 402, notFound 404, conflict 409.
 */
export type RefusalKind = 'invalid' | 'capacity' | 'balance' | 'notFound' | 'conflict';

/** Thrown by the business rules; GraphQL answers it as a 200 with errors[], REST as problem+json. */
export class RunPodError extends Error {
	constructor(
		message: string,
		readonly kind: RefusalKind = 'invalid',
	) {
		super(message);
	}
}

/** Rounds away float noise (0.69 * 3 → 2.07, not 2.0699999999999994). */
export function money(value: number): number {
	return Math.round(value * 10000) / 10000;
}

/** RunPod's free-text date, e.g. "Thu Aug 20 2026 03:29:12 GMT+0000 (Coordinated Universal Time)". */
export function runpodDateText(ms: number): string {
	const date = new Date(ms);
	const [weekday, month] = [
		['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][date.getUTCDay()],
		['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
			date.getUTCMonth()
		],
	];
	const two = (n: number) => String(n).padStart(2, '0');
	const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
	return `${weekday} ${month} ${two(date.getUTCDate())} ${date.getUTCFullYear()} ${time} GMT+0000 (Coordinated Universal Time)`;
}
