/** The per-execution request window: bounded, narrower after a rate limit, paused for Retry-After. */
import { mapWithConcurrency } from '../../nodes/RunPod/helpers/concurrency';
import { RequestWindow } from '../../nodes/RunPod/transport/requestWindow';

const tick = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `count` requests through the window, each answered by `answer`; returns the most in flight at once. */
async function burst(
	window: RequestWindow,
	count: number,
	answer: (position: number) => Parameters<RequestWindow['release']>[0] = () => ({}),
) {
	let inFlight = 0;
	let most = 0;
	const startedAt: number[] = [];
	await mapWithConcurrency(
		Array.from({ length: count }, (_, position) => position),
		count,
		async (position) => {
			await window.acquire();
			startedAt[position] = Date.now();
			most = Math.max(most, ++inFlight);
			await tick();
			inFlight--;
			window.release(answer(position));
		},
	);
	return { most, startedAt };
}

test("500 items never become more than the window's width of simultaneous requests", async () => {
	const { most } = await burst(new RequestWindow(8), 500);
	expect(most).toBe(8);
});

test('a rate limit halves the width, down to one, and successes widen it again up to the limit', async () => {
	const window = new RequestWindow(8);
	await window.acquire();
	window.release({ rateLimited: true });
	expect(window.currentWidth).toBe(4);
	for (let i = 0; i < 3; i++) {
		await window.acquire();
		window.release({ rateLimited: true });
	}
	expect(window.currentWidth).toBe(1);
	await burst(window, 200);
	expect(window.currentWidth).toBe(8);
});

test('Retry-After holds every new request, not only the one that was refused', async () => {
	const window = new RequestWindow(4);
	const { startedAt } = await burst(window, 12, (position) =>
		position === 0 ? { rateLimited: true, waitMs: 300 } : {},
	);
	const first = Math.min(...startedAt);
	// The first four started at once; everything after the refusal waited out the 300 ms.
	const late = startedAt.filter((time) => time - first >= 290);
	expect(late.length).toBeGreaterThanOrEqual(12 - 4);
});

test('no more requests start than the RateLimit header says are left, counting those in flight as used', async () => {
	const window = new RequestWindow(8);
	for (let i = 0; i < 4; i++) await window.acquire();
	// One answer: 5 left, but 3 requests are still in flight and may not be counted yet.
	window.release({ quotaRemaining: 5 });
	await window.acquire();
	await window.acquire();
	let next = false;
	void window.acquire().then(() => (next = true));
	await tick(5);
	expect(next).toBe(false);
	window.release({ quotaRemaining: 4 });
	await tick(5);
	expect(next).toBe(false);
	// A fresh quota (RunPod's window reset) lets requests go again.
	window.release({ quotaRemaining: 60 });
	await tick(5);
	expect(next).toBe(true);
});

test('with the quota used up and nothing in flight, one request goes to learn the new quota', async () => {
	const window = new RequestWindow(8);
	await window.acquire();
	window.release({ quotaRemaining: 0 });
	const started: number[] = [];
	for (let i = 0; i < 3; i++) void window.acquire().then(() => started.push(i));
	await tick(5);
	expect(started).toHaveLength(1);
	window.release({ quotaRemaining: 9 });
	await tick(5);
	expect(started).toHaveLength(3);
});
