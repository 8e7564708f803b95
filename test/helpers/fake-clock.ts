export interface FakeClock {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	random(): number;
	/** The node's longest request, in real ms: the one thing a virtual clock cannot shorten. */
	requestTimeoutMs: number;
	/** Every wait asked for, in ms, in order. */
	sleeps: number[];
	/** Resolves when the first held wait begins. */
	held: Promise<void>;
}

export interface FakeClockOptions {
	/** Waits from this one on (0-based) hang until their signal aborts; default: none hang. */
	holdFrom?: number;
	requestTimeoutMs?: number;
}

/**
 * A virtual clock: a wait returns at once and moves time forward by its length, so schedules of
 * minutes run in microseconds. A wait still honours an abort signal, and `holdFrom` makes later
 * waits hang until aborted, to test cancellation.
 */
export function createFakeClock(start = 1_700_000_000_000, options: FakeClockOptions = {}): FakeClock {
	let now = start;
	const sleeps: number[] = [];
	let onHeld: () => void = () => undefined;
	const held = new Promise<void>((resolve) => (onHeld = resolve));
	return {
		now: () => now,
		random: () => 0.5,
		requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
		sleeps,
		held,
		async sleep(ms, signal) {
			const index = sleeps.push(ms) - 1;
			if (signal?.aborted) throw signal.reason ?? new Error('aborted');
			if (options.holdFrom !== undefined && index >= options.holdFrom) {
				await new Promise<void>((_resolve, reject) => {
					signal?.addEventListener('abort', () => reject(signal.reason ?? new Error('aborted')), { once: true });
					onHeld();
				});
			}
			now += ms;
			await Promise.resolve();
		},
	};
}
