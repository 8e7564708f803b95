import { sleep } from 'n8n-workflow';

import { REQUEST_TIMEOUT_MS } from './constants';

export interface Clock {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	random(): number;
	/** How long one HTTP request may take before it counts as failed (and may be retried). */
	requestTimeoutMs: number;
}

/**
 * The one place the node reads time, waits, draws jitter or sets a request timeout. Tests replace these members with a
 * virtual clock so that polling and retry schedules run instantly and deterministically.
 */
export const clock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => await sleep(ms, signal),
	random: () => Math.random(),
	requestTimeoutMs: REQUEST_TIMEOUT_MS,
};
