import type { Clock } from './clock';
import { mapWithConcurrency } from './concurrency';
import { FIRST_POLL_DELAY_MS, MAX_POLL_INTERVAL_MS, POLL_BACKOFF_FACTOR } from './constants';

/** Delay from submission (poll 0) or from the previous poll to poll number `pollIndex`. */
export function pollDelayMs(pollIndex: number): number {
	return Math.min(FIRST_POLL_DELAY_MS * POLL_BACKOFF_FACTOR ** pollIndex, MAX_POLL_INTERVAL_MS);
}

/** How many polls a task that takes `taskMs` to finish needs under the schedule above. */
export function pollsUntil(taskMs: number): number {
	let elapsed = 0;
	let polls = 0;
	do {
		elapsed += pollDelayMs(polls);
		polls++;
	} while (elapsed < taskMs);
	return polls;
}

export interface PollOutcome<T> {
	finished: Map<string, T>;
	pending: string[];
}

export interface PollOptions<T> {
	taskIds: Array<{ id: string; submittedAt: number }>;
	/** Returns the finished task, or null while it is pending. */
	fetchTask: (taskId: string) => Promise<T | null>;
	deadline: number;
	concurrency: number;
	clock: Pick<Clock, 'now' | 'sleep'>;
	signal?: AbortSignal;
}

/**
 * Polls every task on its own backoff schedule until each one has finished or the deadline has
 * passed. Every wait is the shorter of the next due poll and the deadline, and is cut short by the
 * execution's cancel signal.
 */
export async function pollUntilFinished<T>(options: PollOptions<T>): Promise<PollOutcome<T>> {
	const { clock, deadline, signal } = options;
	const finished = new Map<string, T>();
	const open = options.taskIds.map(({ id, submittedAt }) => ({
		id,
		polls: 0,
		dueAt: submittedAt + pollDelayMs(0),
	}));
	while (open.length > 0) {
		const now = clock.now();
		if (now >= deadline) break;
		const nextDue = open.reduce((earliest, task) => Math.min(earliest, task.dueAt), Infinity);
		if (nextDue > now) {
			await clock.sleep(Math.min(nextDue, deadline) - now, signal);
			continue;
		}
		const due = open.filter((task) => task.dueAt <= now);
		const results = await mapWithConcurrency(due, options.concurrency, async (task) =>
			await options.fetchTask(task.id),
		);
		const polledAt = clock.now();
		due.forEach((task, index) => {
			const result = results[index];
			if (result === null) {
				task.polls++;
				task.dueAt = polledAt + pollDelayMs(task.polls);
				return;
			}
			finished.set(task.id, result);
			open.splice(open.indexOf(task), 1);
		});
	}
	return { finished, pending: open.map((task) => task.id) };
}
