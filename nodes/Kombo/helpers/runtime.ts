import { sleep } from 'n8n-workflow';

import { REQUEST_TIMEOUT_MS } from './constants';

/**
 * Everything the node needs from the world that tests must control: the time, waiting, jitter,
 * and how long one HTTP request may take. Each execution receives one runtime and passes it down;
 * nothing reads the time any other way.
 */
export interface Runtime {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	random(): number;
	/** The longest one HTTP request may take before it counts as failed (and may be retried). */
	requestTimeoutMs: number;
}

export const systemRuntime: Runtime = {
	now: () => Date.now(),
	sleep: async (ms, signal) => await sleep(ms, signal),
	random: () => Math.random(),
	requestTimeoutMs: REQUEST_TIMEOUT_MS,
};
