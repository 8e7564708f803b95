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
 * at the deadline. Checks are pipelined: a task is checked when it is due and a place among the
 * `concurrency` checks in flight is free, so one slow check delays only its own task. Every wait
 * ends at the next due check, a finished check, or the deadline, whichever is first, and is cut
 * short by the execution's cancel signal.
 */
export async function waitUntilSettled<T>(options: WaitOptions<T>): Promise<WaitOutcome<T>> {
	const { runtime, deadline, signal, concurrency } = options;
	const settled = new Map<number, T>();
	const pending: number[] = [];
	const queued = options.firstCheckAt.map((at, index) => ({ index, checks: 0, dueAt: Math.min(at, deadline) }));
	const running = new Set<Promise<void>>();
	let failure: { error: unknown } | undefined;

	const start = (task: (typeof queued)[number]) => {
		const check = (async () => {
			const result = await options.check(task.index);
			const checkedAt = runtime.now();
			if (result !== null) settled.set(task.index, result);
			else if (checkedAt >= deadline) pending.push(task.index);
			else {
				task.checks++;
				task.dueAt = nextCheckAt(checkedAt, task.checks, deadline);
				queued.push(task);
			}
		})();
		const tracked = check.then(
			() => undefined,
			(error: unknown) => {
				failure = failure ?? { error };
			},
		);
		running.add(tracked);
		void tracked.then(() => running.delete(tracked));
	};

	while (queued.length > 0 || running.size > 0) {
		if (failure) throw failure.error;
		const now = runtime.now();
		queued.sort((a, b) => a.dueAt - b.dueAt || a.index - b.index);
		while (running.size < concurrency && queued.length > 0 && queued[0].dueAt <= now) {
			start(queued.shift() as (typeof queued)[number]);
		}
		const waits: Array<Promise<unknown>> = [...running];
		const canStartMore = running.size < concurrency && queued.length > 0;
		const wake = new AbortController();
		// The wake signal only cuts the wait short (its rejection is swallowed below); the cancel's
		// reason is thrown from the signal itself. The listener is removed after every wait.
		const forward = () => wake.abort();
		signal?.addEventListener('abort', forward);
		if (canStartMore) {
			waits.push(runtime.sleep(queued[0].dueAt - now, wake.signal).catch(() => undefined));
		}
		try {
			if (signal?.aborted) throw signal.reason ?? new Error('The execution was stopped');
			await Promise.race(waits);
		} finally {
			signal?.removeEventListener('abort', forward);
			wake.abort();
		}
		if (signal?.aborted) throw signal.reason ?? new Error('The execution was stopped');
	}
	if (failure) throw failure.error;
	pending.sort((a, b) => a - b);
	return { settled, pending };
}
