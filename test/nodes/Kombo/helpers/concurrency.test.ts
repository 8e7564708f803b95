import { ConcurrencyLimiter, mapWithConcurrency } from '../../../../nodes/Kombo/helpers/concurrency';

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}

async function flush() {
	for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('ConcurrencyLimiter', () => {
	it('keeps at most `limit` tasks in flight and runs the rest as slots free up', async () => {
		const limiter = new ConcurrencyLimiter(2);
		const gates = [deferred(), deferred(), deferred()];
		const started: number[] = [];
		const runs = gates.map((gate, index) =>
			limiter.run(async () => {
				started.push(index);
				await gate.promise;
			}),
		);
		await flush();
		expect(started).toEqual([0, 1]);
		gates[0].resolve();
		await flush();
		expect(started).toEqual([0, 1, 2]);
		gates[1].resolve();
		gates[2].resolve();
		await Promise.all(runs);
		expect(limiter.inFlight).toBe(0);
	});

	it('halves its limit on a concurrency rejection, never below one', () => {
		const limiter = new ConcurrencyLimiter(4);
		limiter.backOff();
		expect(limiter.limit).toBe(2);
		limiter.backOff();
		limiter.backOff();
		expect(limiter.limit).toBe(1);
	});

	it('lowers its limit to what Concurrency-Remaining allows', async () => {
		const limiter = new ConcurrencyLimiter(4);
		await limiter.run(async () => limiter.observeRemaining(0));
		expect(limiter.limit).toBe(1);
		limiter.observeRemaining(10);
		expect(limiter.limit).toBe(1);
	});

	it('lets a lowered limit take effect as running tasks finish', async () => {
		const limiter = new ConcurrencyLimiter(3);
		const gates = [deferred(), deferred(), deferred(), deferred()];
		let running = 0;
		let most = 0;
		const runs = gates.map((gate) =>
			limiter.run(async () => {
				running++;
				most = Math.max(most, running);
				await gate.promise;
				running--;
			}),
		);
		await flush();
		limiter.backOff();
		expect(limiter.limit).toBe(1);
		gates[0].resolve();
		gates[1].resolve();
		await flush();
		expect(running).toBe(1);
		gates[2].resolve();
		await flush();
		gates[3].resolve();
		await Promise.all(runs);
		expect(most).toBe(3);
	});
});

describe('mapWithConcurrency', () => {
	it('returns results in input order with at most `limit` workers at once', async () => {
		let running = 0;
		let most = 0;
		const results = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (value) => {
			running++;
			most = Math.max(most, running);
			await flush();
			running--;
			return value * 10;
		});
		expect(results).toEqual([50, 10, 40, 20, 30]);
		expect(most).toBe(2);
	});
});
