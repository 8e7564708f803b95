import { AdaptiveLimiter, ConcurrencyLimiter, mapWithConcurrency, usableLimit } from '../../../../nodes/Kombo/helpers/concurrency';

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}

async function flush() {
	for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Starts `count` tasks that each wait for their own gate, counting how many run at once. */
function hold(limiter: ConcurrencyLimiter, count: number) {
	const gates = Array.from({ length: count }, deferred);
	const state = { running: 0, most: 0, started: [] as number[] };
	const runs = gates.map((gate, index) =>
		limiter.run(async () => {
			state.started.push(index);
			state.running++;
			state.most = Math.max(state.most, state.running);
			await gate.promise;
			state.running--;
		}),
	);
	return { gates, state, runs };
}

describe('ConcurrencyLimiter', () => {
	it('raises its limit, never lowers it, and starts the tasks that waited', async () => {
		const limiter = new ConcurrencyLimiter(1);
		const { gates, state, runs } = hold(limiter, 3);
		await flush();
		expect(state.started).toEqual([0]);
		limiter.raise(3);
		await flush();
		expect(state.started).toEqual([0, 1, 2]);
		limiter.raise(2);
		expect(limiter.limit).toBe(3);
		for (const gate of gates) gate.resolve();
		await Promise.all(runs);
	});

	it('keeps at most `limit` tasks in flight and runs the rest in order as slots free up', async () => {
		const limiter = new ConcurrencyLimiter(2);
		const { gates, state, runs } = hold(limiter, 3);
		await flush();
		expect(state.started).toEqual([0, 1]);
		expect(limiter.inFlight).toBe(2);
		gates[0].resolve();
		await flush();
		expect(state.started).toEqual([0, 1, 2]);
		gates[1].resolve();
		gates[2].resolve();
		await Promise.all(runs);
		expect(limiter.inFlight).toBe(0);
	});

	it('frees the slot of a task that fails', async () => {
		const limiter = new ConcurrencyLimiter(1);
		await expect(limiter.run(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
		expect(limiter.inFlight).toBe(0);
		expect(await limiter.run(async () => 'next')).toBe('next');
	});
});

describe('usableLimit', () => {
	it.each([
		[30, 27],
		[5, 4],
		[1, 1],
		[0, 1],
	])('aims below a Concurrency-Limit of %i at %i', (reported, usable) => {
		expect(usableLimit(reported)).toBe(usable);
	});
});

describe('AdaptiveLimiter', () => {
	it('starts at the initial limit, never above its ceiling', () => {
		expect(new AdaptiveLimiter(4, 27).limit).toBe(4);
		expect(new AdaptiveLimiter(4, 2).limit).toBe(2);
		expect(new AdaptiveLimiter(4, 0).limit).toBe(1);
		expect(new AdaptiveLimiter(4, 2).maximum).toBe(2);
	});

	it('adds one after a full window of fast answers, up to its ceiling', () => {
		const limiter = new AdaptiveLimiter(2, 4);
		limiter.succeeded(40);
		expect(limiter.limit).toBe(2);
		limiter.succeeded(40);
		expect(limiter.limit).toBe(3);
		for (let i = 0; i < 3; i++) limiter.succeeded(40);
		expect(limiter.limit).toBe(4);
		for (let i = 0; i < 20; i++) limiter.succeeded(40);
		expect(limiter.limit).toBe(4);
	});

	it('climbs from 4 towards Kombo’s limit less its margin', () => {
		const limiter = new AdaptiveLimiter(4, usableLimit(30));
		for (let i = 0; i < 1_000; i++) limiter.succeeded(40);
		expect(limiter.limit).toBe(27);
	});

	it('halves on a rejection, never below one, and starts its window again', () => {
		const limiter = new AdaptiveLimiter(8, 27);
		limiter.succeeded(40);
		limiter.backOff();
		expect(limiter.limit).toBe(4);
		for (let i = 0; i < 3; i++) limiter.succeeded(40);
		expect(limiter.limit).toBe(4);
		limiter.succeeded(40);
		expect(limiter.limit).toBe(5);
		limiter.backOff();
		limiter.backOff();
		limiter.backOff();
		limiter.backOff();
		expect(limiter.limit).toBe(1);
	});

	it('halves once for all the answers sent under the same limit, however many come back rejected', () => {
		const limiter = new AdaptiveLimiter(16, 27);
		const sentUnder = limiter.generation;
		for (let i = 0; i < 5; i++) limiter.backOff(sentUnder);
		expect(limiter.limit).toBe(8);
		limiter.succeeded(40, sentUnder);
		limiter.succeeded(1_000, sentUnder);
		expect(limiter.limit).toBe(8);
		limiter.backOff(limiter.generation);
		expect(limiter.limit).toBe(4);
	});

	it('halves on an answer markedly slower than the fastest, not on a little jitter', () => {
		const limiter = new AdaptiveLimiter(8, 27);
		limiter.succeeded(100);
		limiter.succeeded(290);
		expect(limiter.limit).toBe(8);
		limiter.succeeded(340);
		expect(limiter.limit).toBe(8);
		limiter.succeeded(360);
		expect(limiter.limit).toBe(4);
	});

	it.each([
		['over 3× the fastest but only 250 ms slower', 100, 350, false],
		['251 ms slower but not over 3× the fastest', 1000, 1251, false],
		['exactly 3× the fastest', 200, 600, false],
		['just over 3× the fastest and over 250 ms slower', 200, 601, true],
	])('halving on an answer %s: %s', (_name, fastest, latency, halves) => {
		const limiter = new AdaptiveLimiter(8, 27);
		limiter.succeeded(fastest);
		limiter.succeeded(latency);
		expect(limiter.limit).toBe(halves ? 4 : 8);
	});

	it('does not count a slow answer that is only a few ms slower, when answers are very fast', () => {
		const limiter = new AdaptiveLimiter(2, 27);
		limiter.succeeded(1);
		limiter.succeeded(200);
		expect(limiter.limit).toBe(3);
	});

	it('aims below a reported Concurrency-Limit from then on', () => {
		const limiter = new AdaptiveLimiter(8, 27);
		limiter.observeLimit(5);
		expect([limiter.limit, limiter.maximum]).toEqual([4, 4]);
		for (let i = 0; i < 20; i++) limiter.succeeded(40);
		expect(limiter.limit).toBe(4);
		limiter.observeLimit(30);
		expect(limiter.maximum).toBe(4);
		limiter.observeLimit(Number.NaN);
		limiter.observeLimit(0);
		expect(limiter.maximum).toBe(4);
		limiter.observeLimit(1);
		expect([limiter.limit, limiter.maximum]).toEqual([1, 1]);
	});

	it('ignores a negative or unreadable Concurrency-Remaining', () => {
		const limiter = new AdaptiveLimiter(4, 27);
		limiter.observeRemaining(-1);
		limiter.observeRemaining(Number.NaN);
		expect(limiter.limit).toBe(4);
	});

	it('never has more in flight than Concurrency-Remaining allows', async () => {
		const limiter = new AdaptiveLimiter(4, 27);
		await limiter.run(async () => limiter.observeRemaining(0));
		expect(limiter.limit).toBe(1);
		limiter.observeRemaining(10);
		expect(limiter.limit).toBe(1);
		limiter.observeRemaining(-1);
		limiter.observeRemaining(Number.POSITIVE_INFINITY);
		expect(limiter.limit).toBe(1);
	});

	it('counts the writes in flight when reading Concurrency-Remaining', async () => {
		const limiter = new AdaptiveLimiter(6, 27);
		const { gates, runs } = hold(limiter, 3);
		await flush();
		limiter.observeRemaining(1.7);
		expect(limiter.limit).toBe(4);
		gates.forEach((gate) => gate.resolve());
		await Promise.all(runs);
	});

	it('lets a lowered limit take effect as running tasks finish', async () => {
		const limiter = new AdaptiveLimiter(3, 27);
		const { gates, state, runs } = hold(limiter, 4);
		await flush();
		limiter.backOff();
		expect(limiter.limit).toBe(1);
		gates[0].resolve();
		gates[1].resolve();
		await flush();
		expect(state.running).toBe(1);
		gates[2].resolve();
		await flush();
		gates[3].resolve();
		await Promise.all(runs);
		expect(state.most).toBe(3);
	});

	it('starts waiting tasks as soon as the limit grows', async () => {
		const limiter = new AdaptiveLimiter(1, 27);
		const { gates, state, runs } = hold(limiter, 3);
		await flush();
		expect(state.started).toEqual([0]);
		limiter.succeeded(10);
		await flush();
		expect(state.started).toEqual([0, 1]);
		gates.forEach((gate) => gate.resolve());
		await Promise.all(runs);
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

	it('does nothing for no inputs', async () => {
		expect(await mapWithConcurrency([], 3, async () => 1)).toEqual([]);
	});
});
