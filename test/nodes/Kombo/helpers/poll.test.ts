import { pollDelayMs, pollsUntil, pollUntilFinished } from '../../../../nodes/Kombo/helpers/poll';
import { createFakeClock } from '../../../helpers/fake-clock';

describe('poll schedule', () => {
	it('waits 1 s, then 1.5 times longer each time, up to 15 s', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(pollDelayMs)).toEqual([
			1000, 1500, 2250, 3375, 5062.5, 7593.75, 11390.625, 15000, 15000,
		]);
	});

	it.each([
		[1_000, 1],
		[10_000, 5],
		[60_000, 9],
		[600_000, 45],
	])('a task done after %i ms is polled %i times', (taskMs, polls) => {
		expect(pollsUntil(taskMs)).toBe(polls);
	});
});

describe('pollUntilFinished', () => {
	function taskServer(finishAfterPolls: Record<string, number>) {
		const polls: Array<{ id: string; at: number }> = [];
		return {
			polls,
			fetchTaskAt: (now: () => number) => async (id: string) => {
				polls.push({ id, at: now() });
				const seen = polls.filter((poll) => poll.id === id).length;
				return seen > finishAfterPolls[id] ? `${id} done` : null;
			},
		};
	}

	it('polls a task that is PENDING twice, then finished, three times on the schedule', async () => {
		const clock = createFakeClock(0);
		const server = taskServer({ a: 2 });
		const outcome = await pollUntilFinished({
			taskIds: [{ id: 'a', submittedAt: 0 }],
			fetchTask: server.fetchTaskAt(clock.now),
			deadline: 600_000,
			concurrency: 4,
			clock,
		});
		expect(outcome).toEqual({ finished: new Map([['a', 'a done']]), pending: [] });
		expect(server.polls.map((poll) => poll.at)).toEqual([1000, 2500, 4750]);
	});

	it('follows tasks that finish in another order than they were submitted', async () => {
		const clock = createFakeClock(0);
		const server = taskServer({ a: 3, b: 0, c: 1 });
		const outcome = await pollUntilFinished({
			taskIds: ['a', 'b', 'c'].map((id) => ({ id, submittedAt: 0 })),
			fetchTask: server.fetchTaskAt(clock.now),
			deadline: 600_000,
			concurrency: 2,
			clock,
		});
		expect([...outcome.finished.keys()]).toEqual(['b', 'c', 'a']);
		expect(server.polls.filter((poll) => poll.id === 'b')).toHaveLength(1);
	});

	it('stops at the deadline and names the tasks still pending', async () => {
		const clock = createFakeClock(0);
		const server = taskServer({ a: 1000, b: 0 });
		const outcome = await pollUntilFinished({
			taskIds: ['a', 'b'].map((id) => ({ id, submittedAt: 0 })),
			fetchTask: server.fetchTaskAt(clock.now),
			deadline: 30_000,
			concurrency: 4,
			clock,
		});
		expect(outcome.pending).toEqual(['a']);
		expect(clock.now()).toBe(30_000);
		expect(Math.max(...server.polls.map((poll) => poll.at))).toBeLessThan(30_000);
	});

	it('ends as soon as the signal aborts a wait, without polling again', async () => {
		const clock = createFakeClock(0, { holdFrom: 0 });
		const controller = new AbortController();
		const server = taskServer({ a: 1000 });
		const polling = pollUntilFinished({
			taskIds: [{ id: 'a', submittedAt: 0 }],
			fetchTask: server.fetchTaskAt(clock.now),
			deadline: 600_000,
			concurrency: 1,
			clock,
			signal: controller.signal,
		});
		await Promise.resolve();
		controller.abort(new Error('cancelled by the user'));
		await expect(polling).rejects.toThrow('cancelled by the user');
		expect(server.polls).toEqual([]);
	});

	it('never polls more than `concurrency` tasks at once', async () => {
		const clock = createFakeClock(0);
		let running = 0;
		let most = 0;
		await pollUntilFinished({
			taskIds: Array.from({ length: 10 }, (_, index) => ({ id: String(index), submittedAt: 0 })),
			fetchTask: async (id) => {
				running++;
				most = Math.max(most, running);
				await Promise.resolve();
				running--;
				return id;
			},
			deadline: 600_000,
			concurrency: 3,
			clock,
		});
		expect(most).toBe(3);
	});
});
