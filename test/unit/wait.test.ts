import { maxPolls, waitedFor } from '../../nodes/RunPod/actions/pod/waitForPod';

describe('the wait schedule', () => {
	test('starts fast and backs off, so a 10-minute wait makes a bounded number of checks', () => {
		expect(maxPolls({ timeoutMs: 600_000, initialIntervalMs: 5_000 })).toBeLessThanOrEqual(30);
		expect(maxPolls({ timeoutMs: 600_000, initialIntervalMs: 5_000 })).toBeGreaterThan(15);
	});

	test('delays grow by half each time: 1 s, 1.5 s, 2.25 s… within 5 s makes 5 checks, the last at the deadline', () => {
		// checks at 0, 1, 2.5, 4.75 and 5 s
		expect(maxPolls({ timeoutMs: 5_000, initialIntervalMs: 1_000 })).toBe(5);
		// a schedule that lands on the deadline needs no extra check: 0, 1, 2.5 s
		expect(maxPolls({ timeoutMs: 2_500, initialIntervalMs: 1_000 })).toBe(3);
	});

	test('a timeout shorter than the first interval checks at the start and at the deadline', () => {
		expect(maxPolls({ timeoutMs: 500, initialIntervalMs: 1_000 })).toBe(2);
	});

	test('how long the node waited reads in seconds, or in minutes from 2 minutes on', () => {
		expect(waitedFor(300)).toBe('0.3 seconds');
		expect(waitedFor(90_000)).toBe('90 seconds');
		expect(waitedFor(600_000)).toBe('10 minutes');
	});
});
