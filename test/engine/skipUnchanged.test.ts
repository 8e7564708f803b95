import { useRuntime } from '../support/engine';
import { staticDataStore } from '../support/static-data';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { course, courses, jsonOf, posts, startKomboStub, upsert } from './fixtures';

const skipping = { waitForCompletion: true };
const skipOptions = { skipUnchanged: true };

describe('Skip Unchanged Courses', () => {
	let stub: Stub;
	let restoreClock: () => void;
	const store = staticDataStore();

	beforeAll(async () => {
		stub = await startKomboStub();
	});
	beforeEach(() => {
		restoreClock = useRuntime(createFakeClock());
		store.reset();
		stub.reset();
	});
	afterEach(() => {
		restoreClock();
		expect(stub.violations).toEqual([]);
	});
	afterAll(async () => await stub.close());

	// As a published workflow's trigger starts it: n8n saves no static data from the editor's runs.
	const run = (items: Array<Record<string, unknown>>, options: Record<string, unknown> = {}, onError?: 'continueRegularOutput') =>
		upsert({ stub, items, parameters: skipping, options: { ...skipOptions, ...options }, onError, mode: 'webhook' }).promise;
	const hintsOf = (result: Awaited<ReturnType<typeof run>>) => result.runData.Kombo[0].hints ?? [];
	const sentOriginIds = () => posts(stub).flatMap((request) => request.body.items.map((item: { origin_id: string }) => item.origin_id));

	it('sends nothing on a second run of the same catalogue, and outputs every course as UNCHANGED', async () => {
		const first = await run(courses(5));
		expect(jsonOf(first.outputs[0]).map((json) => json.status)).toEqual(Array(5).fill('SUCCEEDED'));
		stub.reset();

		const second = await run(courses(5));
		expect(posts(stub)).toHaveLength(0);
		expect(second.outputs[0]).toEqual(
			courses(5).map((row, index) => ({
				json: { origin_id: row.origin_id, status: 'UNCHANGED', course_id: null, task_id: null, integration_id: 'sandbox:demo' },
				pairedItem: { item: index },
			})),
		);
	});

	it('sends exactly the one course that was edited', async () => {
		await run(courses(5));
		stub.reset();
		const edited = courses(5);
		edited[3] = course(3, { title: 'Course 3, second edition' });
		const result = await run(edited);

		expect(sentOriginIds()).toEqual(['course-3']);
		expect(jsonOf(result.outputs[0]).map((json) => json.status)).toEqual(['UNCHANGED', 'UNCHANGED', 'UNCHANGED', 'SUCCEEDED', 'UNCHANGED']);
	});

	it('counts any change to what would be sent, even one that only the node’s cleaning reveals', async () => {
		await run([course(1, { languages: 'en, de' })]);
		stub.reset();
		await run([course(1, { languages: ' EN ; de ' })]);
		expect(posts(stub)).toHaveLength(0);
		await run([course(1, { languages: 'en' })]);
		expect(sentOriginIds()).toEqual(['course-1']);
	});

	it('sends a course edited back to a version that Kombo no longer holds', async () => {
		await run([course(1, { title: 'First' })]);
		await run([course(1, { title: 'Second' })]);
		stub.reset();
		await run([course(1, { title: 'First' })]);
		expect(sentOriginIds()).toEqual(['course-1']);
	});

	it('sends a course that failed again next time', async () => {
		stub.configure({ failOriginIds: { 'course-1': { code: 'REMOTE.INPUT_INVALID', message: 'Bad' } } });
		await run(courses(3), {}, 'continueRegularOutput');
		stub.configure({ failOriginIds: undefined });
		stub.reset();

		await run(courses(3));
		expect(sentOriginIds()).toEqual(['course-1']);
	});

	it('records nothing it did not confirm when the run times out', async () => {
		stub.configure({ completeAfterPolls: 1_000 });
		const result = await run(courses(3), { timeout: 5 });
		expect(result.error.message).toMatch(/had not finished after 5 s/);
		stub.configure({ completeAfterPolls: 0 });
		stub.reset();

		await run(courses(3));
		expect(sentOriginIds()).toEqual(['course-0', 'course-1', 'course-2']);
	});

	it('keeps what earlier runs confirmed when a run times out', async () => {
		await run(courses(2));
		stub.configure({ completeAfterPolls: 1_000 });
		const changed = [course(0), course(1, { title: 'New' })];
		await run(changed, { timeout: 5 });
		stub.configure({ completeAfterPolls: 0 });
		stub.reset();

		await run(changed);
		expect(sentOriginIds()).toEqual(['course-1']);
	});

	it('records nothing it did not confirm when the run is stopped', async () => {
		restoreClock();
		const clock = createFakeClock(undefined, { holdFrom: 0 });
		restoreClock = useRuntime(clock);
		stub.configure({ completeAfterPolls: 1_000 });
		// Saved as the node left it, although n8n saves nothing of a stopped execution: the worst case.
		const running = upsert({ stub, items: courses(3), parameters: skipping, options: skipOptions, mode: 'webhook', staticDataKeptAsLeft: true });
		await clock.held;
		running.cancel();
		await running.promise;
		restoreClock();
		restoreClock = useRuntime(createFakeClock());
		stub.configure({ completeAfterPolls: 0 });
		stub.reset();

		await run(courses(3));
		expect(sentOriginIds()).toEqual(['course-0', 'course-1', 'course-2']);
	});

	it('records the valid courses of a run with invalid ones under Continue On Fail, and sends a fixed one next time', async () => {
		const rows = [course(0), course(1, { title: '' }), course(2)];
		const first = await run(rows, {}, 'continueRegularOutput');
		expect(jsonOf(first.outputs[0]).map((json) => json.status ?? 'INVALID')).toEqual(['SUCCEEDED', 'INVALID', 'SUCCEEDED']);
		stub.reset();

		const fixed = await run(courses(3));
		expect(sentOriginIds()).toEqual(['course-1']);
		expect(jsonOf(fixed.outputs[0]).map((json) => json.status)).toEqual(['UNCHANGED', 'SUCCEEDED', 'UNCHANGED']);
	});

	it('keeps two integrations apart', async () => {
		const both = (customerOf: (index: number) => string) => courses(4, (index) => ({ customer: customerOf(index) }));
		await upsert({ stub, items: both(() => 'sandbox:demo'), parameters: skipping, options: { ...skipOptions, integrationId: '={{ $json.customer }}' }, mode: 'webhook' }).promise;
		stub.reset();
		await upsert({ stub, items: both((index) => (index < 2 ? 'sandbox:demo' : 'sandbox:second')), parameters: skipping, options: { ...skipOptions, integrationId: '={{ $json.customer }}' }, mode: 'webhook' }).promise;

		expect(posts(stub).map((request) => [request.integrationId, request.body.items.map((item: { origin_id: string }) => item.origin_id)])).toEqual([
			['sandbox:second', ['course-2', 'course-3']],
		]);
	});

	it('sends every course again with Forget Sent Courses, and remembers them from then on', async () => {
		await run(courses(3));
		stub.reset();
		await run(courses(3), { forgetSentCourses: true });
		expect(sentOriginIds()).toEqual(['course-0', 'course-1', 'course-2']);
		stub.reset();
		await run(courses(3));
		expect(posts(stub)).toHaveLength(0);
	});

	it('refuses to run without Wait for Completion, before sending anything', async () => {
		const result = await upsert({ stub, items: courses(2), parameters: { waitForCompletion: false }, options: skipOptions }).promise;
		expect(result.error.message).toBe('Skip Unchanged Courses needs Wait for Completion');
		expect(result.error.description).toBe('The node remembers only courses that Kombo confirmed, which it learns by waiting. Turn Wait for Completion on, or Skip Unchanged Courses off.');
		expect(stub.requests).toHaveLength(0);
	});

	it('leaves the static data alone when the option is off', async () => {
		await upsert({ stub, items: courses(2), parameters: skipping, mode: 'webhook' }).promise;
		expect(store.saved()).toEqual({});
		expect(store.writes).toEqual([]);
	});

	it('keeps the record in the node’s static data, 16 characters a course, and saves nothing when nothing was sent', async () => {
		await run(courses(3));
		expect(store.node()).toEqual({ confirmedCourses: { format: 1, fingerprints: expect.stringMatching(/^[A-Za-z0-9_-]{48}$/) } });
		expect(store.writes).toHaveLength(1);
		await run(courses(3));
		expect(store.writes).toHaveLength(1);
	});

	it('says in the output pane when a run started by a trigger found no record, and nothing once it has one', async () => {
		expect(hintsOf(await run(courses(2)))).toEqual([expect.objectContaining({ type: 'info', message: expect.stringContaining('found no record of confirmed courses') })]);
		expect(hintsOf(await run(courses(2)))).toEqual([]);
	});

	it('uses the record on a run started from the editor, says that n8n will keep nothing of it, and keeps nothing', async () => {
		await run(courses(2));
		stub.reset();
		const edited = [course(0), course(1, { title: 'Edited in the editor' })];
		const manual = await upsert({ stub, items: edited, parameters: skipping, options: skipOptions, mode: 'manual' }).promise;
		expect(jsonOf(manual.outputs[0]).map((json) => json.status)).toEqual(['UNCHANGED', 'SUCCEEDED']);
		expect(hintsOf(manual)).toEqual([expect.objectContaining({ type: 'info', location: 'outputPane', message: expect.stringContaining('started from the editor') })]);
		stub.reset();

		await run(edited);
		expect(sentOriginIds()).toEqual(['course-1']);
	});

	it('sends everything when the record is unreadable, says so, and writes it anew', async () => {
		store.replace({ 'node:Kombo': { confirmedCourses: { format: 1, fingerprints: 'not fingerprints' } } });
		const result = await run(courses(3));
		expect(sentOriginIds()).toEqual(['course-0', 'course-1', 'course-2']);
		expect(jsonOf(result.outputs[0]).map((json) => json.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
		expect(hintsOf(result)).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringContaining('could not read its record') })]);
		stub.reset();
		await run(courses(3));
		expect(posts(stub)).toHaveLength(0);
	});
});
