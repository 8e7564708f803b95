import { checkDelayMs, checksUntil, nextCheckAt, waitUntilSettled } from '../../../../nodes/Kombo/helpers/poll';
import { createFakeClock } from '../../../helpers/fake-clock';
import { listenerCount } from '../../../support/node-builtins';

describe('check schedule', () => {
	it('waits 1 s, then 1.5 times longer each time, up to 15 s', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(checkDelayMs)).toEqual([
			1000, 1500, 2250, 3375, 5062.5, 7593.75, 11390.625, 15000, 15000,
		]);
	});

	it.each([
		[1_000, 1],
		[10_000, 5],
		[60_000, 9],
		[600_000, 45],
	])('a task done after %i ms is checked %i times', (taskMs, checks) => {
		expect(checksUntil(taskMs)).toBe(checks);
	});

	it('never schedules a check later than the deadline', () => {
		expect(nextCheckAt(20_000, 6, 30_000)).toBe(30_000);
		expect(nextCheckAt(0, 0, 500)).toBe(500);
		expect(nextCheckAt(0, 0, 60_000)).toBe(1_000);
	});
});

describe('waitUntilSettled', () => {
	/** Tasks that settle once checked at or after their finish time (virtual ms). */
	function tasks(finishAt: number[], now: () => number) {
		const checks: Array<{ index: number; at: number }> = [];
		return {
			checks,
			check: async (index: number) => {
				checks.push({ index, at: now() });
				return now() >= finishAt[index] ? `task ${index} done` : null;
			},
		};
	}

	/**
	 * Tasks whose checks, once all `together` of them are asked at the same moment, answer in
	 * reverse order: the last task asked answers first.
	 */
	function answeringLastFirst(finishAt: number[], together: number, now: () => number) {
		const checks: Array<{ index: number; at: number }> = [];
		let waiting: Array<() => void> = [];
		return {
			checks,
			check: async (index: number) =>
				await new Promise<string | null>((resolve) => {
					checks.push({ index, at: now() });
					waiting.push(() => resolve(now() >= finishAt[index] ? `task ${index} done` : null));
					if (waiting.length === together) {
						const answers = waiting.reverse();
						waiting = [];
						// Answered once the last check has been asked, as a server's answers arrive.
						queueMicrotask(() => answers.forEach((answer) => answer()));
					}
				}),
		};
	}

	it('checks a task on the schedule until it is done', async () => {
		const clock = createFakeClock(0);
		const server = tasks([4_000], clock.now);
		const outcome = await waitUntilSettled({ firstCheckAt: [1_000], check: server.check, deadline: 600_000, concurrency: 4, runtime: clock });
		expect(outcome).toEqual({ settled: new Map([[0, 'task 0 done']]), pending: [] });
		expect(server.checks.map((check) => check.at)).toEqual([1000, 2500, 4750]);
	});

	it('checks once more at the deadline and sees a task that finished just before it', async () => {
		const clock = createFakeClock(0);
		const server = tasks([25_000], clock.now);
		const outcome = await waitUntilSettled({ firstCheckAt: [1_000], check: server.check, deadline: 30_000, concurrency: 4, runtime: clock });
		expect(server.checks.map((check) => Math.round(check.at))).toEqual([1000, 2500, 4750, 8125, 13188, 20781, 30000]);
		expect(outcome.settled.get(0)).toBe('task 0 done');
		expect(outcome.pending).toEqual([]);
	});

	it('checks every task at least once, at the deadline, when the Timeout is shorter than the first delay', async () => {
		const clock = createFakeClock(0);
		const server = tasks([0, 5_000], clock.now);
		const outcome = await waitUntilSettled({ firstCheckAt: [1_000, 1_000], check: server.check, deadline: 500, concurrency: 4, runtime: clock });
		expect(server.checks).toEqual([
			{ index: 0, at: 500 },
			{ index: 1, at: 500 },
		]);
		expect(outcome.settled.get(0)).toBe('task 0 done');
		expect(outcome.pending).toEqual([1]);
	});

	it('checks once, at once, when the deadline has already passed', async () => {
		const clock = createFakeClock(10_000);
		const server = tasks([Infinity], clock.now);
		const outcome = await waitUntilSettled({ firstCheckAt: [11_000], check: server.check, deadline: 9_000, concurrency: 4, runtime: clock });
		expect(server.checks).toEqual([{ index: 0, at: 10_000 }]);
		expect(outcome.pending).toEqual([0]);
		expect(clock.sleeps).toEqual([]);
	});

	it('makes no check after the one at the deadline, and names the tasks still pending in order', async () => {
		const clock = createFakeClock(0);
		const server = tasks([Infinity, 0, Infinity], clock.now);
		const outcome = await waitUntilSettled({ firstCheckAt: [1_000, 1_000, 1_000], check: server.check, deadline: 30_000, concurrency: 4, runtime: clock });
		expect(outcome.pending).toEqual([0, 2]);
		expect(clock.now()).toBe(30_000);
		expect(Math.max(...server.checks.map((check) => check.at))).toBe(30_000);
		expect(server.checks.filter((check) => check.at === 30_000).map((check) => check.index)).toEqual([0, 2]);
	});

	it('stops checking a task as soon as its check settles it, whatever the others do', async () => {
		const clock = createFakeClock(0);
		const server = tasks([Infinity, 1_000, 3_000], clock.now);
		const outcome = await waitUntilSettled({ firstCheckAt: [1_000, 1_000, 1_000], check: server.check, deadline: 10_000, concurrency: 2, runtime: clock });
		expect([...outcome.settled.keys()]).toEqual([1, 2]);
		expect(server.checks.filter((check) => check.index === 1)).toHaveLength(1);
		const third = server.checks.filter((check) => check.index === 2);
		expect(third.slice(0, -1).every((check) => check.at < 3_000)).toBe(true);
		expect(third.at(-1)?.at).toBeGreaterThanOrEqual(3_000);
	});

	it('checks the task due first first, whatever the order of the items', async () => {
		const clock = createFakeClock(0);
		const server = tasks([0, 0], clock.now);
		await waitUntilSettled({ firstCheckAt: [5_000, 1_000], check: server.check, deadline: 600_000, concurrency: 4, runtime: clock });
		expect(server.checks).toEqual([
			{ index: 1, at: 1_000 },
			{ index: 0, at: 5_000 },
		]);
	});

	it('checks tasks due at the same moment in item order, whatever order their last answers came in', async () => {
		const clock = createFakeClock(0);
		const server = answeringLastFirst([2_500, 2_500], 2, clock.now);
		const outcome = await waitUntilSettled({ firstCheckAt: [1_000, 1_000], check: server.check, deadline: 600_000, concurrency: 4, runtime: clock });
		expect(server.checks).toEqual([
			{ index: 0, at: 1_000 },
			{ index: 1, at: 1_000 },
			{ index: 0, at: 2_500 },
			{ index: 1, at: 2_500 },
		]);
		expect(outcome.pending).toEqual([]);
	});

	it('names the tasks still pending in item order, whatever order their last answers came in', async () => {
		const clock = createFakeClock(0);
		const server = answeringLastFirst([Infinity, Infinity, Infinity], 3, clock.now);
		const outcome = await waitUntilSettled({ firstCheckAt: [1_000, 1_000, 1_000], check: server.check, deadline: 500, concurrency: 4, runtime: clock });
		expect(outcome.pending).toEqual([0, 1, 2]);
	});

	it('waits for a check to finish, not for a timer, while every place for checks is taken', async () => {
		const clock = createFakeClock(0);
		const server = tasks([0, 0, 0], clock.now);
		const outcome = await waitUntilSettled({ firstCheckAt: [0, 0, 0], check: server.check, deadline: 600_000, concurrency: 1, runtime: clock });
		expect([...outcome.settled.keys()]).toEqual([0, 1, 2]);
		expect(clock.sleeps).toEqual([]);
	});

	it('fails with the error of a check that failed', async () => {
		const clock = createFakeClock(0);
		const waiting = waitUntilSettled({
			firstCheckAt: [1_000],
			check: async () => {
				throw new Error('Kombo answered HTTP 500');
			},
			deadline: 600_000,
			concurrency: 4,
			runtime: clock,
		});
		await expect(waiting).rejects.toThrow('Kombo answered HTTP 500');
	});

	it('stops at the first failed check, without checking the other tasks again', async () => {
		const clock = createFakeClock(0);
		const server = tasks([Infinity, Infinity], clock.now);
		const waiting = waitUntilSettled({
			firstCheckAt: [1_000, 1_000],
			check: async (index) => {
				if (index === 0) throw new Error('Kombo answered HTTP 500');
				return await server.check(index);
			},
			deadline: 600_000,
			concurrency: 4,
			runtime: clock,
		});
		await expect(waiting).rejects.toThrow('Kombo answered HTTP 500');
		expect(server.checks).toEqual([{ index: 1, at: 1_000 }]);
		expect(clock.now()).toBe(1_000);
	});

	it('ends at once, without waiting, when the execution was stopped before the wait began', async () => {
		const clock = createFakeClock(0, { holdFrom: 0 });
		const controller = new AbortController();
		controller.abort(new Error('stopped before the wait'));
		const server = tasks([Infinity], clock.now);
		const waiting = waitUntilSettled({ firstCheckAt: [1_000], check: server.check, deadline: 600_000, concurrency: 1, runtime: clock, signal: controller.signal });
		await expect(waiting).rejects.toThrow('stopped before the wait');
		expect(server.checks).toEqual([]);
	});

	it('makes no further check once the execution is stopped during a check', async () => {
		const clock = createFakeClock(0);
		const controller = new AbortController();
		const server = tasks([Infinity, Infinity], clock.now);
		const waiting = waitUntilSettled({
			firstCheckAt: [0, 0],
			check: async (index) => {
				await Promise.resolve();
				controller.abort(new Error('stopped during a check'));
				return await server.check(index);
			},
			deadline: 600_000,
			concurrency: 1,
			runtime: clock,
			signal: controller.signal,
		});
		await expect(waiting).rejects.toThrow('stopped during a check');
		expect(server.checks.map((check) => check.index)).toEqual([0]);
	});

	it('leaves no listener on the execution’s cancel signal once it is done', async () => {
		const clock = createFakeClock(0);
		const controller = new AbortController();
		const server = tasks([4_000, 0], clock.now);
		await waitUntilSettled({ firstCheckAt: [1_000, 1_000], check: server.check, deadline: 600_000, concurrency: 4, runtime: clock, signal: controller.signal });
		expect(server.checks.length).toBeGreaterThan(2);
		expect(listenerCount(controller.signal, 'abort')).toBe(0);
	});

	it('ends as soon as the signal aborts a wait, without checking again', async () => {
		const clock = createFakeClock(0, { holdFrom: 0 });
		const controller = new AbortController();
		const server = tasks([Infinity], clock.now);
		const waiting = waitUntilSettled({ firstCheckAt: [1_000], check: server.check, deadline: 600_000, concurrency: 1, runtime: clock, signal: controller.signal });
		await clock.held;
		controller.abort(new Error('cancelled by the user'));
		await expect(waiting).rejects.toThrow('cancelled by the user');
		expect(server.checks).toEqual([]);
	});

	it('never has more than `concurrency` checks in flight', async () => {
		const clock = createFakeClock(0);
		let running = 0;
		let most = 0;
		await waitUntilSettled({
			firstCheckAt: Array.from({ length: 10 }, () => 0),
			check: async (index) => {
				running++;
				most = Math.max(most, running);
				await Promise.resolve();
				running--;
				return index;
			},
			deadline: 600_000,
			concurrency: 3,
			runtime: clock,
		});
		expect(most).toBe(3);
	});
});
