import { mapWithConcurrency } from './concurrency';
import { CHECK_BACKOFF_FACTOR, FIRST_CHECK_DELAY_MS, MAX_CHECK_INTERVAL_MS } from './constants';
import type { Runtime } from './runtime';

/** Delay from submission (check 0) or from the end of the previous check to check number `checkIndex`. */
export function checkDelayMs(checkIndex: number): number {
	return Math.min(FIRST_CHECK_DELAY_MS * CHECK_BACKOFF_FACTOR ** checkIndex, MAX_CHECK_INTERVAL_MS);
}

/**
 * When the next check of a task is due: on the backoff schedule, but never later than the
 * deadline, so that a task finishing just before it is still seen, however short the Timeout.
 */
export function nextCheckAt(previousAt: number, checkIndex: number, deadline: number): number {
	return Math.min(previousAt + checkDelayMs(checkIndex), deadline);
}

/** How many checks a task that takes `taskMs` to finish needs under the schedule above. */
export function checksUntil(taskMs: number): number {
	let elapsed = 0;
	let checks = 0;
	do {
		elapsed += checkDelayMs(checks);
		checks++;
	} while (elapsed < taskMs);
	return checks;
}

export interface WaitOutcome<T> {
	settled: Map<number, T>;
	/** Indexes of the tasks still unsettled after their check at the deadline. */
	pending: number[];
}

export interface WaitOptions<T> {
	/** When each task's first check is due (ms, the runtime's clock); one entry per task. */
	firstCheckAt: number[];
	/** Checks task `index`: a value once it is settled (finished, or beyond help), else null. */
	check: (index: number) => Promise<T | null>;
	deadline: number;
	concurrency: number;
	runtime: Pick<Runtime, 'now' | 'sleep'>;
	signal?: AbortSignal;
}

/**
 * Checks every task on its own backoff schedule until each is settled or has had its last check
 * at the deadline. Every wait ends at the next due check or the deadline, whichever is first, and
 * is cut short by the execution's cancel signal.
 */
export async function waitUntilSettled<T>(options: WaitOptions<T>): Promise<WaitOutcome<T>> {
	const { runtime, deadline, signal } = options;
	const settled = new Map<number, T>();
	const pending: number[] = [];
	const open = options.firstCheckAt.map((at, index) => ({ index, checks: 0, dueAt: Math.min(at, deadline) }));
	while (open.length > 0) {
		const now = runtime.now();
		const nextDue = open.reduce((earliest, task) => Math.min(earliest, task.dueAt), Infinity);
		if (nextDue > now) {
			await runtime.sleep(nextDue - now, signal);
			continue;
		}
		const due = open.filter((task) => task.dueAt <= now);
		const results = await mapWithConcurrency(due, options.concurrency, async (task) => await options.check(task.index));
		const checkedAt = runtime.now();
		due.forEach((task, position) => {
			const result = results[position];
			if (result === null && checkedAt < deadline) {
				task.checks++;
				task.dueAt = nextCheckAt(checkedAt, task.checks, deadline);
				return;
			}
			if (result === null) pending.push(task.index);
			else settled.set(task.index, result);
			open.splice(open.indexOf(task), 1);
		});
	}
	pending.sort((a, b) => a - b);
	return { settled, pending };
}
