import { maxPolls } from '../../nodes/RunPod/actions/pod/wait.fields';

describe('the wait schedule', () => {
	test('starts fast and backs off, so a 10-minute wait makes a bounded number of checks', () => {
		expect(maxPolls({ timeoutMs: 600_000, initialIntervalMs: 5_000 })).toBeLessThanOrEqual(30);
		expect(maxPolls({ timeoutMs: 600_000, initialIntervalMs: 5_000 })).toBeGreaterThan(15);
	});

	test('delays grow by half each time: 1 s, 1.5 s, 2.25 s… within 5 s makes 4 checks', () => {
		// checks at 0, 1, 2.5 and 4.75 s
		expect(maxPolls({ timeoutMs: 5_000, initialIntervalMs: 1_000 })).toBe(4);
	});

	test('a timeout shorter than the first interval checks once', () => {
		expect(maxPolls({ timeoutMs: 500, initialIntervalMs: 1_000 })).toBe(1);
	});
});
