import { sleep } from 'n8n-workflow';

export interface Clock {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	random(): number;
}

/**
 * The one place the node reads time, waits or draws jitter. Tests replace these members with a
 * virtual clock so that polling and retry schedules run instantly and deterministically.
 */
export const clock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => await sleep(ms, signal),
	random: () => Math.random(),
};
