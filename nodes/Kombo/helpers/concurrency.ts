/**
 * A counting semaphore whose limit can only go down during a run: Kombo signals with
 * PLATFORM.CONCURRENCY_LIMIT_EXCEEDED or a low Concurrency-Remaining header that this
 * integration takes fewer writes at once, and raising the limit again would only provoke it.
 */
export class ConcurrencyLimiter {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private currentLimit: number) {}

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

	/** Halves the limit after a concurrency-limit rejection, never below one. */
	backOff(): void {
		this.currentLimit = Math.max(1, Math.floor(this.currentLimit / 2));
	}

	/**
	 * Kombo reports how many more writes it would accept right now; requests already in flight
	 * (this one included) plus that number is the most worth having in flight.
	 */
	observeRemaining(remaining: number): void {
		if (!Number.isFinite(remaining) || remaining < 0) return;
		this.currentLimit = Math.max(1, Math.min(this.currentLimit, this.active + Math.floor(remaining)));
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

/** Runs `worker` over `inputs` with at most `limit` calls in flight; results keep input order. */
export async function mapWithConcurrency<I, O>(
	inputs: readonly I[],
	limit: number,
	worker: (input: I, index: number) => Promise<O>,
): Promise<O[]> {
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
