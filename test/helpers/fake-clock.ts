export interface FakeClock {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	random(): number;
	/** Every wait asked for, in ms, in order. */
	sleeps: number[];
}

/**
 * A virtual clock: a wait returns at once and moves time forward by its length, so schedules of
 * minutes run in microseconds. A wait still honours an abort signal, and `hold` makes waits hang
 * until aborted, to test cancellation.
 */
export function createFakeClock(start = 1_700_000_000_000, options: { hold?: boolean } = {}): FakeClock {
	let now = start;
	const sleeps: number[] = [];
	return {
		now: () => now,
		random: () => 0.5,
		sleeps,
		async sleep(ms, signal) {
			sleeps.push(ms);
			if (signal?.aborted) throw signal.reason ?? new Error('aborted');
			if (options.hold) {
				await new Promise<void>((_resolve, reject) => {
					signal?.addEventListener('abort', () => reject(signal.reason ?? new Error('aborted')), { once: true });
				});
			}
			now += ms;
			await Promise.resolve();
		},
	};
}
