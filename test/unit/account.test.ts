import {
	accountOutput,
	hoursOfBalanceLeft,
} from '../../nodes/RunPod/actions/account/get.operation';

describe('hours of balance left', () => {
	test.each([
		[100, 0.69, 144.93],
		[10, 4, 2.5],
		[-3, 1, 0],
		[100, 0, null],
		[null, 1, null],
		[100, null, null],
	])('balance %p at %p/hr → %p hours', (balance, spend, hours) => {
		expect(hoursOfBalanceLeft(balance, spend)).toBe(hours);
	});
});

test('the account output counts running pods and all pods', () => {
	expect(
		accountOutput({
			id: 'user_1',
			email: 'me@example.com',
			clientBalance: 12,
			currentSpendPerHr: 1.5,
			spendLimit: 80,
			pods: [
				{ id: 'a', status: 'RUNNING' },
				{ id: 'b', status: 'EXITED' },
				{ id: 'c', status: 'STARTING' },
			],
		}),
	).toEqual({
		id: 'user_1',
		email: 'me@example.com',
		clientBalance: 12,
		currentSpendPerHr: 1.5,
		spendLimit: 80,
		hoursOfBalanceLeft: 8,
		runningPodCount: 2,
		podCount: 3,
	});
});
