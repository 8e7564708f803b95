import type { FakeClock } from './fake-clock';

export declare function installFakeClock(
	fake: Pick<FakeClock, 'now' | 'sleep' | 'random'> & { requestTimeoutMs?: number },
): () => void;
