/**
 * A small seeded PRNG (mulberry32). Its whole state is one 32-bit number kept in a plain
 * object, so the sandbox state can be saved to JSON and resumed with the same id sequence.
 */
export interface RandomHolder {
	rngState: number;
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

export class SeededRandom {
	constructor(private readonly holder: RandomHolder) {}

	/** A fresh generator with its own holder, for derived sequences (keys, random faults). */
	static fromSeed(seed: number): SeededRandom {
		return new SeededRandom({ rngState: scrambleSeed(seed) });
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.holder.rngState = (this.holder.rngState + 0x6d2b79f5) | 0;
		let t = this.holder.rngState;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Integer in [min, max], both inclusive. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	shuffle<T>(items: readonly T[]): T[] {
		const copy = [...items];
		for (let i = copy.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[copy[i], copy[j]] = [copy[j], copy[i]];
		}
		return copy;
	}

	chars(alphabet: string, length: number): string {
		let out = '';
		for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
		return out;
	}

	/** RunPod-style id: lowercase letters and digits. */
	id(length: number): string {
		return this.chars(LOWER_ALNUM, length);
	}

	hex(length: number): string {
		return this.chars(HEX, length);
	}

	uuid(): string {
		return `${this.hex(8)}-${this.hex(4)}-${this.hex(4)}-${this.hex(4)}-${this.hex(12)}`;
	}
}

/** Spreads nearby seeds (1, 2, 3…) into unrelated starting states. */
export function scrambleSeed(seed: number): number {
	let h = (Math.floor(seed) ^ 0x9e3779b9) | 0;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) | 0;
}
