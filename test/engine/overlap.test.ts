import type { INodeExecutionData } from 'n8n-workflow';

import { useRuntime } from '../support/engine';
import { dedupStore } from '../support/dedup-store';
import { staticDataStore } from '../support/static-data';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { course, courses, jsonOf, posts, startKomboStub, upsert } from './fixtures';

// Skip Unchanged Courses when executions overlap or die. Each store a version of the node could
// keep its record in behaves here as n8n's does: the deduplication store reads its row, awaits,
// then writes it back; the workflow's static data is read when an execution starts and written
// when it ends. Two executions "start together" when both have begun before either has ended,
// and, for the deduplication store, when both have read its row before either has written it.

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

	const start = (items: Array<Record<string, unknown>>, extra: { staticDataLost?: boolean; runtime?: object } = {}) =>
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

	it('an execution that dies before its batch reached Kombo leaves its edit to be sent again', async () => {
		await run(courses(3));
		stub.reset();
		const edited = [course(0), course(1, { title: 'Edited' }), course(2)];

		stub.script([{ match: { method: 'POST' }, delayMs: 3_600_000, drop: true }]);
		const arrived = new Promise<void>((resolve) => stub.configure({ onRequest: () => resolve() }));
		const dying = start(edited);
		await arrived;
		dying.die();
		await dying.promise;
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

	it('an execution that dies while waiting for Kombo’s task leaves its edit to be sent again', async () => {
		await run(courses(3));
		stub.reset();
		const edited = [course(0), course(1, { title: 'Edited' }), course(2)];

		const held = heldClock();
		const dying = start(edited, { runtime: held.runtime });
		await held.reached;
		dying.die();
		await dying.promise;
		stub.reset();

		const next = await run(edited);
		expect(sentOriginIds()).toEqual(['course-1']);
		expect(statuses(next.outputs[0])).toEqual(['course-0 UNCHANGED', 'course-1 SUCCEEDED', 'course-2 UNCHANGED']);
	});

	it('remembers nothing from an execution whose end n8n never saved (its worker died after the node)', async () => {
		await run(courses(3));
		stub.reset();
		const edited = [course(0), course(1, { title: 'Edited' }), course(2)];
		const lost = await start(edited, { staticDataLost: true }).promise;
		expect(statuses(lost.outputs[0])).toEqual(['course-0 UNCHANGED', 'course-1 SUCCEEDED', 'course-2 UNCHANGED']);
		stub.reset();

		const next = await run(edited);
		expect(sentOriginIds()).toEqual(['course-1']);
		expect(statuses(next.outputs[0])).toEqual(['course-0 UNCHANGED', 'course-1 SUCCEEDED', 'course-2 UNCHANGED']);
	});

	it('leaves n8n’s deduplication store alone', async () => {
		await run(courses(3));
		await run([course(0), course(1, { title: 'Edited' }), course(2)]);
		expect(dedup.calls).toEqual([]);
	});
});
