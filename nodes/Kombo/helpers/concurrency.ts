import {
	WRITE_GROWTH_SLOW_FACTOR,
	WRITE_GROWTH_SLOW_MIN_MS,
	WRITE_LIMIT_SAFETY_SHARE,
} from './constants';

/** A counting semaphore: at most `limit` tasks run at once, the rest wait in order. */
export class ConcurrencyLimiter {
	protected active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(protected currentLimit: number) {}

	get limit(): number {
		return this.currentLimit;
	}

	get inFlight(): number {
		return this.active;
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await task();
		} finally {
			this.release();
		}
	}

	/** Raises the limit (never lowers it) and lets waiting tasks start. */
	raise(limit: number): void {
		this.currentLimit = Math.max(this.currentLimit, limit);
		this.wake();
	}

	/** Lets waiting tasks start after the limit went up. */
	protected wake(): void {
		while (this.active < this.currentLimit && this.waiting.length > 0) {
			this.active++;
			(this.waiting.shift() as () => void)();
		}
	}

	private async acquire(): Promise<void> {
		if (this.active < this.currentLimit) {
			this.active++;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	private release(): void {
		const next = this.active <= this.currentLimit ? this.waiting.shift() : undefined;
		if (next) {
			next();
		} else {
			this.active--;
		}
	}
}

/** Kombo's Concurrency-Limit less a safety share, never below one: the most worth aiming for. */
export function usableLimit(reported: number): number {
	return Math.max(1, Math.floor(reported * (1 - WRITE_LIMIT_SAFETY_SHARE)));
}

/**
 * The writes in flight for one integration, found the way TCP finds its window: start modest,
 * add one after a full window of fast answers, halve on a rejection or an answer that comes
 * markedly slower than the fastest seen. Kombo's headers bound it from above: never more than
 * its Concurrency-Limit less a margin, and never more than it says it has room for right now.
 */
export class AdaptiveLimiter extends ConcurrencyLimiter {
	private ceiling: number;

	private streak = 0;

	private fastestMs = Infinity;

	private cuts = 0;

	constructor(initial: number, ceiling: number) {
		super(Math.max(1, Math.min(initial, ceiling)));
		this.ceiling = Math.max(1, ceiling);
	}

	get maximum(): number {
		return this.ceiling;
	}

	/**
	 * Which cut of the limit a request was sent under. Writes sent before the last cut say
	 * nothing about the new limit: one stall answers all of them slowly or with 429 at once,
	 * and halving for each would drop the limit to one in a moment.
	 */
	get generation(): number {
		return this.cuts;
	}

	/** An answer that was accepted, how long it took, and the generation it was sent under. */
	succeeded(latencyMs: number, sentUnder = this.cuts): void {
		this.fastestMs = Math.min(this.fastestMs, latencyMs);
		const slow = latencyMs > this.fastestMs * WRITE_GROWTH_SLOW_FACTOR && latencyMs - this.fastestMs > WRITE_GROWTH_SLOW_MIN_MS;
		if (slow) {
			this.backOff(sentUnder);
			return;
		}
		this.streak++;
		if (this.streak >= this.currentLimit && this.currentLimit < this.ceiling) {
			this.currentLimit++;
			this.streak = 0;
			this.wake();
		}
	}

	/**
	 * Halves the limit after a rejection (429, a concurrency-limit code) or a slowdown, never
	 * below one; once per generation.
	 */
	backOff(sentUnder = this.cuts): void {
		if (sentUnder !== this.cuts) return;
		this.currentLimit = Math.max(1, Math.floor(this.currentLimit / 2));
		this.streak = 0;
		this.cuts++;
	}

	/** Kombo's Concurrency-Limit header: aim below it from now on. */
	observeLimit(reported: number): void {
		if (!Number.isFinite(reported) || reported < 1) return;
		this.ceiling = Math.min(this.ceiling, usableLimit(reported));
		this.currentLimit = Math.min(this.currentLimit, this.ceiling);
	}

	/**
	 * Kombo reports how many more writes it would accept right now; requests already in flight
	 * (this one included) plus that number is the most worth having in flight.
	 */
	observeRemaining(remaining: number): void {
		if (!Number.isFinite(remaining) || remaining < 0) return;
		this.currentLimit = Math.max(1, Math.min(this.currentLimit, this.active + Math.floor(remaining)));
	}
}

/** Runs `worker` over `inputs` with at most `limit` calls in flight; results keep input order. */
export async function mapWithConcurrency<I, O>(
	inputs: readonly I[],
	limit: number,
	worker: (input: I, index: number) => Promise<O>,
): Promise<O[]> {
	// Stryker disable next-line ArrayDeclaration: only sizes the array ahead; every index is assigned below
	const results = new Array<O>(inputs.length);
	let next = 0;
	const lanes = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await worker(inputs[index], index);
		}
	});
	await Promise.all(lanes);
	return results;
}
