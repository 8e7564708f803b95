import type { INodeExecutionData } from 'n8n-workflow';

import { useRuntime } from '../support/engine';
import { dedupStore } from '../support/dedup-store';
import { staticDataStore } from '../support/static-data';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { course, courses, jsonOf, posts, startKomboStub, upsert } from './fixtures';

// Skip Unchanged Courses when executions overlap or are cut off. Each store a version of the node
// could keep its record in behaves here as n8n's does: the deduplication store reads its row,
// awaits, then writes it back; the workflow's static data is read when an execution starts and
// written when it ends. Two executions "start together" when both have begun before either has
// ended, and, for the deduplication store, when both have read its row before either has written
// it. (The node no longer calls the deduplication store; stepping it is what made 0.1.x fail the
// first two tests.)

const skipping = { waitForCompletion: true };
const skipOptions = { skipUnchanged: true };

type DedupStore = Awaited<ReturnType<typeof dedupStore>>;

/**
 * Steps n8n's deduplication store as two executions that start together go through it: their
 * first calls both read the row before either writes it back; every later call reads only once
 * the call before it has written.
 */
function startTogether(dedup: DedupStore) {
	const together: Array<() => void> = [];
	const holders = new Map<unknown, () => void>();
	let turn = Promise.resolve();
	let calls = 0;
	dedup.hooks.beforeRead = async (_method: string, values: unknown) => {
		if (++calls <= 2) return;
		const previous = turn;
		turn = new Promise<void>((resolve) => holders.set(values, resolve));
		await previous;
	};
	dedup.hooks.afterRead = async () => {
		if (together.length >= 2) return;
		await new Promise<void>((resolve) => {
			together.push(resolve);
			if (together.length === 2) for (const release of together) release();
		});
	};
	dedup.hooks.afterWrite = (_method: string, values: unknown) => holders.get(values)?.();
}

/** A virtual clock whose first wait (the one before the first status check) lasts until released. */
function heldClock() {
	const clock = createFakeClock();
	let release: () => void = () => undefined;
	let reach: () => void = () => undefined;
	const released = new Promise<void>((resolve) => (release = resolve));
	const reached = new Promise<void>((resolve) => (reach = resolve));
	const runtime = {
		...clock,
		async sleep(ms: number, signal?: AbortSignal) {
			reach();
			await Promise.race([
				released,
				new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason ?? new Error('aborted')), { once: true })),
			]);
			await clock.sleep(ms, signal);
		},
	};
	return { runtime, reached, release };
}

describe('Skip Unchanged Courses when executions overlap or die', () => {
	let stub: Stub;
	let restoreClock: () => void;
	let dedup: DedupStore;
	const statics = staticDataStore();

	beforeAll(async () => {
		dedup = await dedupStore();
		stub = await startKomboStub();
	});
	beforeEach(() => {
		restoreClock = useRuntime(createFakeClock());
		dedup.reset();
		statics.reset();
		stub.reset();
	});
	afterEach(() => {
		restoreClock();
		expect(stub.violations).toEqual([]);
	});
	afterAll(async () => await stub.close());

	const start = (items: Array<Record<string, unknown>>, extra: { staticDataKeptAsLeft?: boolean; runtime?: object } = {}) =>
		upsert({ stub, items, parameters: skipping, options: skipOptions, mode: 'webhook', ...extra });
	const run = async (items: Array<Record<string, unknown>>) => await start(items).promise;
	const sentOriginIds = () => posts(stub).flatMap((request) => request.body.items.map((item: { origin_id: string }) => item.origin_id));
	const statuses = (items: INodeExecutionData[] | undefined) => jsonOf(items).map((json) => `${json.origin_id} ${json.status}`);
	const titleInKombo = (originId: string) => stub.course('sandbox:demo', { originId })?.revisions[0].title;

	it('two executions that start together with the same edit both send it, and neither calls it UNCHANGED', async () => {
		await run(courses(5));
		stub.reset();
		const edited = courses(5);
		edited[3] = course(3, { title: 'Course 3, second edition' });

		startTogether(dedup);
		const [first, second] = await Promise.all([start(edited).promise, start(edited).promise]);

		const expected = ['course-0 UNCHANGED', 'course-1 UNCHANGED', 'course-2 UNCHANGED', 'course-3 SUCCEEDED', 'course-4 UNCHANGED'];
		expect([first.error?.message, second.error?.message]).toEqual([undefined, undefined]);
		expect(statuses(first.outputs[0])).toEqual(expected);
		expect(statuses(second.outputs[0])).toEqual(expected);
		expect(sentOriginIds()).toEqual(['course-3', 'course-3']);
		expect(titleInKombo('course-3')).toBe('Course 3, second edition');

		stub.reset();
		const next = await run(edited);
		expect(posts(stub)).toHaveLength(0);
		expect(statuses(next.outputs[0])).toEqual(Array.from({ length: 5 }, (_, index) => `course-${index} UNCHANGED`));
	});

	it('two executions that start together on an empty record both send everything, with no error', async () => {
		startTogether(dedup);
		const [first, second] = await Promise.all([start(courses(3)).promise, start(courses(3)).promise]);

		expect([first.error?.message, second.error?.message]).toEqual([undefined, undefined]);
		const sent = ['course-0 SUCCEEDED', 'course-1 SUCCEEDED', 'course-2 SUCCEEDED'];
		expect(statuses(first.outputs[0])).toEqual(sent);
		expect(statuses(second.outputs[0])).toEqual(sent);

		stub.reset();
		await run(courses(3));
		expect(posts(stub)).toHaveLength(0);
	});

	it('an execution that starts while another waits for its edit sends the edit too', async () => {
		await run(courses(4));
		stub.reset();
		const edited = courses(4);
		edited[1] = course(1, { title: 'Course 1, revised' });

		const held = heldClock();
		const first = start(edited, { runtime: held.runtime });
		await held.reached;
		expect(sentOriginIds()).toEqual(['course-1']);
		const second = await run(edited);
		held.release();
		const firstResult = await first.promise;

		const expected = ['course-0 UNCHANGED', 'course-1 SUCCEEDED', 'course-2 UNCHANGED', 'course-3 UNCHANGED'];
		expect(statuses(second.outputs[0])).toEqual(expected);
		expect(statuses(firstResult.outputs[0])).toEqual(expected);
		expect(sentOriginIds()).toEqual(['course-1', 'course-1']);
	});

	it('of two executions with different versions of a course, each sends its own; the one that ends last writes the record, so the version Kombo got last is sent once more', async () => {
		await run(courses(2));
		stub.reset();
		const second = [course(0), course(1, { title: 'Second edition' })];
		const third = [course(0), course(1, { title: 'Third edition' })];

		const held = heldClock();
		const early = start(second, { runtime: held.runtime });
		await held.reached;
		const late = await run(third);
		held.release();
		const earlyResult = await early.promise;

		expect(statuses(earlyResult.outputs[0])).toEqual(['course-0 UNCHANGED', 'course-1 SUCCEEDED']);
		expect(statuses(late.outputs[0])).toEqual(['course-0 UNCHANGED', 'course-1 SUCCEEDED']);
		// Kombo got the third edition last, while the execution that sent the second ended last.
		expect(titleInKombo('course-1')).toBe('Third edition');
		stub.reset();
		await run(third);
		expect(sentOriginIds()).toEqual(['course-1']);
		stub.reset();
		await run(third);
		expect(posts(stub)).toHaveLength(0);
	});

	describe.each([
		['before its batch reached Kombo', 'sending'],
		['while it waits for Kombo’s task', 'waiting'],
	])('an execution cut off %s', (_when, point) => {
		it('leaves nothing in its static data that Kombo did not confirm, even were n8n to keep it', async () => {
			await run(courses(3));
			stub.reset();
			const edited = [course(0), course(1, { title: 'Edited' }), course(2)];

			let cutOff;
			if (point === 'sending') {
				stub.script([{ match: { method: 'POST' }, delayMs: 3_600_000, drop: true }]);
				const arrived = new Promise<void>((resolve) => stub.configure({ onRequest: () => resolve() }));
				cutOff = start(edited, { staticDataKeptAsLeft: true });
				await arrived;
			} else {
				const held = heldClock();
				cutOff = start(edited, { runtime: held.runtime, staticDataKeptAsLeft: true });
				await held.reached;
			}
			cutOff.cancel();
			await cutOff.promise;
			stub.configure({ onRequest: undefined });
			stub.script([]);
			stub.reset();

			const next = await run(edited);
			expect(sentOriginIds()).toEqual(['course-1']);
			expect(statuses(next.outputs[0])).toEqual(['course-0 UNCHANGED', 'course-1 SUCCEEDED', 'course-2 UNCHANGED']);
			stub.reset();
			await run(edited);
			expect(posts(stub)).toHaveLength(0);
		});
	});

	it('leaves n8n’s deduplication store alone', async () => {
		await run(courses(3));
		await run([course(0), course(1, { title: 'Edited' }), course(2)]);
		expect(dedup.calls).toEqual([]);
	});
});
