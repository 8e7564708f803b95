import type { INodeExecutionData } from 'n8n-workflow';

import { useRuntime } from '../support/engine';
import { staticDataStore } from '../support/static-data';
import { createFakeClock } from '../helpers/fake-clock';
import type { OnError, Stub } from './fixtures';
import { course, courses, deactivations, jsonOf, listings, pairedIndexes, posts, startKomboStub, upsert } from './fixtures';

const DEACTIVATE = { method: 'POST', path: /\/deactivate$/ };
const LIST = { method: 'GET', path: '/lms/courses' };

const statusOf = (json: Record<string, unknown>) => (json.status ?? (json.details as { status?: string } | undefined)?.status) as string;
const retired = (items: INodeExecutionData[] | undefined) => (items ?? []).filter((item) => ['DEACTIVATED', 'WOULD_DEACTIVATE'].includes(item.json.status as string));

describe('Create or Update → Deactivate Courses Not in Input', () => {
	let stub: Stub;
	let clock: ReturnType<typeof createFakeClock>;
	let restoreClock: () => void;

	beforeAll(async () => {
		stub = await startKomboStub();
	});
	beforeEach(() => {
		clock = createFakeClock();
		restoreClock = useRuntime(clock);
	});
	afterEach(() => {
		restoreClock();
		expect(stub.violations).toEqual([]);
		stub.reset();
	});
	afterAll(async () => await stub.close());

	/** Create or Update with waiting and Deactivate Courses Not in Input on. */
	function start(items: Array<Record<string, unknown>>, options: Record<string, unknown> = {}, onError?: OnError) {
		return upsert({ stub, items, parameters: { waitForCompletion: true }, options: { deactivateMissing: true, ...options }, onError });
	}
	function sync(items: Array<Record<string, unknown>>, options: Record<string, unknown> = {}, onError?: OnError) {
		return start(items, options, onError).promise;
	}

	/** Resolves once the stub has received a request whose route matches. */
	function arrival(route: RegExp) {
		return new Promise<void>((resolve) => stub.configure({ onRequest: (request: { route: string }) => route.test(request.route) && resolve() }));
	}

	/** Puts a catalogue into Kombo the way a first run would, then forgets that run's requests. */
	async function catalogue(items: Array<Record<string, unknown>>, integrationId?: string) {
		const result = await upsert({ stub, items, parameters: { waitForCompletion: true }, integrationId }).promise;
		expect(result.error).toBeUndefined();
		stub.requests.length = 0;
	}

	const activeIn = (integrationId: string) =>
		stub
			.courses(integrationId)
			.filter((listed) => listed.revisions.at(-1)?.status === 'ACTIVE')
			.map((listed) => listed.origin_id);

	it('deactivates the courses that left the catalogue, and outputs each as DEACTIVATED after the courses of the input', async () => {
		await catalogue(courses(20));
		const result = await sync(courses(18));

		expect(result.error).toBeUndefined();
		expect(listings(stub).map((request) => [request.integrationId, request.query])).toEqual([['sandbox:demo', { page_size: '250', include_deleted: 'false' }]]);
		const goneIds = ['course-18', 'course-19'].map((originId) => stub.courseId('sandbox:demo', originId));
		expect(deactivations(stub).map((request) => [request.route, request.body]).sort()).toEqual(goneIds.map((id) => [`/lms/courses/${id}/deactivate`, {}]).sort());
		const output = result.outputs[0];
		expect(output).toHaveLength(20);
		expect(jsonOf(output.slice(0, 18)).map((json) => json.status)).toEqual(Array(18).fill('SUCCEEDED'));
		expect(output.slice(18)).toEqual(
			['course-18', 'course-19'].map((originId, index) => ({
				json: { origin_id: originId, status: 'DEACTIVATED', course_id: goneIds[index], task_id: null, integration_id: 'sandbox:demo' },
				pairedItem: { item: 0 },
			})),
		);
		expect(Object.keys(output[18].json).slice(0, 3)).toEqual(['origin_id', 'status', 'course_id']);
		expect(activeIn('sandbox:demo')).toEqual([null, null, null, ...courses(18).map((each) => each.origin_id)]);
	});

	it('deactivates nothing when every course is in the input, and never touches the LMS’s own courses', async () => {
		await catalogue(courses(5));
		const result = await sync(courses(5), { maxShareDeactivated: 100 });

		expect(result.error).toBeUndefined();
		expect(listings(stub)).toHaveLength(1);
		expect(deactivations(stub)).toEqual([]);
		expect(jsonOf(result.outputs[0]).map(statusOf)).toEqual(Array(5).fill('SUCCEEDED'));
		expect(activeIn('sandbox:demo')).toHaveLength(8);
	});

	it('never deactivates a course without an origin ID, even with no limit and almost nothing in the input', async () => {
		stub.seedCourses('sandbox:demo', [{ origin_id: null, title: 'Made in the LMS', status: 'ACTIVE' }]);
		await catalogue(courses(4));
		const result = await sync([course(0)], { maxShareDeactivated: 100 });

		expect(jsonOf(retired(result.outputs[0])).map((json) => json.origin_id)).toEqual(['course-1', 'course-2', 'course-3']);
		const natives = stub.courses('sandbox:demo').filter((listed) => listed.origin_id === null);
		expect(natives).toHaveLength(4);
		expect(natives.every((listed) => listed.revisions.at(-1)?.status === 'ACTIVE')).toBe(true);
		expect(deactivations(stub)).toHaveLength(3);
	});

	it('does not deactivate a missing course again once it is inactive', async () => {
		await catalogue(courses(20));
		await sync(courses(18));
		stub.requests.length = 0;
		const again = await sync(courses(18));

		expect(again.error).toBeUndefined();
		expect(retired(again.outputs[0])).toEqual([]);
		expect(deactivations(stub)).toEqual([]);
	});

	it('keeps to the Origin ID Prefix, so that two catalogues can share one integration', async () => {
		await catalogue([...courses(10, () => ({})).map((each, index) => ({ ...each, origin_id: `A-${index}` })), ...courses(10).map((each, index) => ({ ...each, origin_id: `B-${index}` }))]);
		const catalogueA = Array.from({ length: 9 }, (_, index) => course(index, { origin_id: `A-${index}` }));
		const scoped = await sync(catalogueA, { originIdPrefix: 'A-' });

		expect(scoped.error).toBeUndefined();
		expect(jsonOf(retired(scoped.outputs[0])).map((json) => json.origin_id)).toEqual(['A-9']);
		expect(activeIn('sandbox:demo').filter((originId) => String(originId).startsWith('B-'))).toHaveLength(10);
	});

	it('without the prefix, would retire the other catalogue too, which the share limit stops', async () => {
		await catalogue([...Array.from({ length: 10 }, (_, index) => course(index, { origin_id: `A-${index}` })), ...Array.from({ length: 10 }, (_, index) => course(index, { origin_id: `B-${index}` }))]);
		const result = await sync(Array.from({ length: 9 }, (_, index) => course(index, { origin_id: `A-${index}` })));

		expect(result.error.message).toBe('Did not deactivate the 11 courses missing from the input: in sandbox:demo, 11 of 20 courses in scope (55%) would go, more than Max Share Deactivated (10%)');
		expect(deactivations(stub)).toEqual([]);
	});

	it('refuses when more than Max Share Deactivated would go, saying what and how to raise the limit, and goes ahead once raised', async () => {
		await catalogue(courses(20));
		const refused = await sync(courses(17));

		expect(posts(stub)).toHaveLength(1);
		expect(deactivations(stub)).toEqual([]);
		expect(refused.error.message).toBe('Did not deactivate the 3 courses missing from the input: in sandbox:demo, 3 of 20 courses in scope (15%) would go, more than Max Share Deactivated (10%)');
		expect(refused.error.description).toContain('Would have deactivated in sandbox:demo: 3 courses of 20 in scope (course-17, course-18, course-19).');
		expect(refused.error.description).toContain('set Max Share Deactivated (%) to at least 15 for this run');
		expect(refused.error.description).toContain('Loop Over Items');
		expect(activeIn('sandbox:demo')).toHaveLength(23);

		const raised = await sync(courses(17), { maxShareDeactivated: 15 });
		expect(raised.error).toBeUndefined();
		expect(jsonOf(retired(raised.outputs[0])).map((json) => json.origin_id)).toEqual(['course-17', 'course-18', 'course-19']);
	});

	it('refuses after an invalid item under Continue On Fail, with the refusal as an error item after the courses', async () => {
		await catalogue(courses(20));
		const items = [...courses(19), course(19, { title: '' })];
		const result = await sync(items, { maxShareDeactivated: 100 }, 'continueRegularOutput');

		expect(result.error).toBeUndefined();
		expect(deactivations(stub)).toEqual([]);
		const output = result.outputs[0];
		expect(jsonOf(output).map(statusOf)).toEqual([...Array(19).fill('SUCCEEDED'), 'INVALID', 'NOT_DEACTIVATED']);
		expect(output[20]).toEqual({
			json: {
				error: 'Did not deactivate the 1 course missing from the input: 1 input item is invalid',
				details: {
					status: 'NOT_DEACTIVATED',
					would_deactivate: 1,
					origin_ids: ['course-19'],
					integration_ids: ['sandbox:demo'],
					description: expect.stringContaining('Fix or remove the invalid items and run again'),
				},
			},
			pairedItem: { item: 0 },
		});
	});

	it('sends the refusal to the error output under Continue (using error output)', async () => {
		await catalogue(courses(4));
		const result = await sync([...courses(3), course(3, { course_url: 'nope' })], { maxShareDeactivated: 100 }, 'continueErrorOutput');

		expect(jsonOf(result.outputs[0]).map(statusOf)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
		expect(jsonOf(result.outputs[1]).map((json) => json.error)).toEqual([expect.stringContaining('course_url'), 'Did not deactivate the 1 course missing from the input: 1 input item is invalid']);
	});

	it('refuses after a course failed in Kombo; without Continue On Fail, the run’s error says nothing was deactivated', async () => {
		await catalogue(courses(20));
		stub.configure({ failOriginIds: ['course-3'] });
		const continued = await sync(courses(19), {}, 'continueRegularOutput');
		const failed = await sync(courses(19));
		stub.configure({ failOriginIds: undefined });

		expect(deactivations(stub)).toEqual([]);
		expect(jsonOf(continued.outputs[0]).at(-1)).toEqual({
			error: 'Did not deactivate the 1 course missing from the input: 1 course failed',
			details: expect.objectContaining({ origin_ids: ['course-19'] }),
		});
		expect(failed.error.message).toBe('1 of 19 courses failed in Kombo');
		expect(failed.error.description).toMatch(/^course-3 \[item 3\]: The LMS rejected course "course-3"/);
		expect(failed.error.description).toMatch(/Nothing was deactivated \(Deactivate Courses Not in Input\): that needs a run in which every course succeeds\.$/);
	});

	it('refuses while courses are still pending at the timeout', async () => {
		await catalogue(courses(20));
		stub.configure({ completeAfterPolls: 1_000 });
		const result = await sync(courses(19), { timeout: 5 }, 'continueRegularOutput');
		stub.configure({ completeAfterPolls: 0 });

		expect(jsonOf(result.outputs[0]).map(statusOf)).toEqual([...Array(19).fill('PENDING'), 'NOT_DEACTIVATED']);
		expect(jsonOf(result.outputs[0]).at(-1)?.error).toBe('Did not deactivate the 1 course missing from the input: 19 courses are still pending');
		expect(deactivations(stub)).toEqual([]);
	});

	it('with Preview Only, outputs the candidates as WOULD_DEACTIVATE and deactivates nothing', async () => {
		await catalogue(courses(20));
		const result = await sync(courses(18), { previewOnly: true });

		expect(result.error).toBeUndefined();
		expect(deactivations(stub)).toEqual([]);
		expect(retired(result.outputs[0])).toEqual(
			['course-18', 'course-19'].map((originId) => ({
				json: { origin_id: originId, status: 'WOULD_DEACTIVATE', course_id: stub.courseId('sandbox:demo', originId), task_id: null, integration_id: 'sandbox:demo' },
				pairedItem: { item: 0 },
			})),
		);
		expect(activeIn('sandbox:demo')).toHaveLength(23);
	});

	it('with Preview Only, pairs each candidate with the first item of its integration', async () => {
		await catalogue(courses(10), 'sandbox:demo');
		await catalogue(courses(10), 'sandbox:second');
		const items = [...courses(10).map((each) => ({ ...each, customer: 'sandbox:demo' })), ...courses(9).map((each) => ({ ...each, customer: 'sandbox:second' }))];
		const result = await sync(items, { integrationId: '={{ $json.customer }}', previewOnly: true });

		expect(result.error).toBeUndefined();
		expect(retired(result.outputs[0])).toEqual([
			{
				json: { origin_id: 'course-9', status: 'WOULD_DEACTIVATE', course_id: stub.courseId('sandbox:second', 'course-9'), task_id: null, integration_id: 'sandbox:second' },
				pairedItem: { item: 10 },
			},
		]);
		expect(deactivations(stub)).toEqual([]);
	});

	it('with Preview Only, stops where a real run would, saying so', async () => {
		await catalogue(courses(20));
		const result = await sync(courses(10), { previewOnly: true });

		expect(result.error.message).toBe('A run would not deactivate the 10 courses missing from the input: in sandbox:demo, 10 of 20 courses in scope (50%) would go, more than Max Share Deactivated (10%)');
		expect(result.error.description).toMatch(/Preview Only: nothing was deactivated\.$/);
	});

	it('keeps integrations apart: compares each one’s courses with its own input, and pairs with its first item', async () => {
		await catalogue(courses(10), 'sandbox:demo');
		await catalogue(courses(10), 'sandbox:second');
		const items = [
			...courses(10).map((each) => ({ ...each, customer: 'sandbox:demo' })),
			...courses(9).map((each) => ({ ...each, customer: 'sandbox:second' })),
		];
		const result = await sync(items, { integrationId: '={{ $json.customer }}' });

		expect(result.error).toBeUndefined();
		expect(listings(stub).map((request) => request.integrationId).sort()).toEqual(['sandbox:demo', 'sandbox:second']);
		expect(deactivations(stub).map((request) => request.integrationId)).toEqual(['sandbox:second']);
		expect(retired(result.outputs[0])).toEqual([
			{
				json: { origin_id: 'course-9', status: 'DEACTIVATED', course_id: stub.courseId('sandbox:second', 'course-9'), task_id: null, integration_id: 'sandbox:second' },
				pairedItem: { item: 10 },
			},
		]);
		expect(activeIn('sandbox:demo')).toHaveLength(13);
	});

	it('stops every integration’s deactivations when one integration is over the limit', async () => {
		await catalogue(courses(10), 'sandbox:demo');
		await catalogue(courses(10), 'sandbox:second');
		const items = [...courses(9).map((each) => ({ ...each, customer: 'sandbox:demo' })), ...courses(5).map((each) => ({ ...each, customer: 'sandbox:second' }))];
		const result = await sync(items, { integrationId: '={{ $json.customer }}' });

		expect(result.error.message).toBe('Did not deactivate the 6 courses missing from the input: in sandbox:second, 5 of 10 courses in scope (50%) would go, more than Max Share Deactivated (10%)');
		expect(result.error.description).toContain('Would have deactivated in sandbox:demo: 1 course of 10 in scope (course-9).');
		expect(result.error.description).toContain('Would have deactivated in sandbox:second: 5 courses of 10 in scope (course-5, course-6, course-7, course-8, course-9).');
		expect(deactivations(stub)).toEqual([]);
	});

	it('refuses to start without Wait for Completion, sending nothing', async () => {
		const result = await upsert({ stub, items: courses(2), parameters: { waitForCompletion: false }, options: { deactivateMissing: true } }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.error.message).toBe('Deactivate Courses Not in Input needs Wait for Completion');
		expect(result.error.description).toContain('Turn Wait for Completion on');
	});

	it.each([
		[150, '150'],
		[-1, '-1'],
		['={{ "ten" }}', 'NaN'],
	])('refuses a Max Share Deactivated of %p, outside 0 to 100, sending nothing', async (maxShareDeactivated, shown) => {
		const result = await sync(courses(2), { maxShareDeactivated });

		expect(stub.requests).toEqual([]);
		expect(result.error.message).toBe(`Max Share Deactivated (%) must be a number from 0 to 100, got ${shown}`);
		expect(result.error.description).toBe('Set Max Share Deactivated (%) to e.g. 10: at most a tenth of the courses in scope may go in one run.');
	});

	it('takes a Max Share Deactivated of 0 as letting nothing go', async () => {
		await catalogue(courses(5));
		const result = await sync(courses(4), { maxShareDeactivated: 0 });

		expect(result.error.message).toBe('Did not deactivate the 1 course missing from the input: in sandbox:demo, 1 of 5 courses in scope (20%) would go, more than Max Share Deactivated (0%)');
		expect(deactivations(stub)).toEqual([]);
	});

	describe.each([
		['a listing answered 503', { match: LIST, status: 503 }],
		['a listing answered 429', { match: LIST, status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED' }],
		['a deactivation answered 503', { match: DEACTIVATE, status: 503 }],
		['a deactivation answered 429 (concurrency)', { match: DEACTIVATE, status: 429, code: 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED' }],
		['a deactivation whose connection is reset', { match: DEACTIVATE, reset: true }],
	])('%s', (_name, fault) => {
		it('is retried, and each missing course is deactivated once', async () => {
			await catalogue(courses(20));
			stub.script([fault]);
			const result = await sync(courses(18));

			expect(result.error).toBeUndefined();
			expect(jsonOf(retired(result.outputs[0])).map((json) => json.status)).toEqual(['DEACTIVATED', 'DEACTIVATED']);
			expect(new Set(deactivations(stub).map((request) => request.route)).size).toBe(2);
			expect(stub.requests.filter((request) => request.fault)).toHaveLength(1);
			expect(activeIn('sandbox:demo')).toHaveLength(21);
		});
	});

	it.each([
		[400, 'PLATFORM.INPUT_INVALID'],
		[404, 'PLATFORM.INTEGRATION_NOT_FOUND'],
	])('does not retry a listing answered %i, and says nothing was deactivated', async (status, code) => {
		await catalogue(courses(20));
		stub.script([{ match: LIST, status, code, message: `Kombo says ${code}` }]);
		const result = await sync(courses(18));

		expect(listings(stub)).toHaveLength(1);
		expect(result.error.message).toBe(`Kombo says ${code}`);
		expect(result.error.description).toContain('nothing was deactivated, since the courses in Kombo could not be listed');
		expect(deactivations(stub)).toEqual([]);
	});

	it('does not retry a deactivation answered 404, and stops starting others', async () => {
		await catalogue(courses(20));
		stub.script([{ match: DEACTIVATE, status: 404, code: 'PLATFORM.INPUT_INVALID', message: 'Course not found' }]);
		const result = await sync(courses(18));

		expect(deactivations(stub)).toHaveLength(2);
		expect(result.error.message).toMatch(/^Could not deactivate course course-1[89] \(course_\w+\) in sandbox:demo: No course "course_\w+" in integration sandbox:demo$/);
		expect(result.error.description).toContain('1 of 2 courses missing from the input were deactivated before this error');
		expect(result.error.description).toContain('Kombo answered HTTP 404: Course not found.');
		expect(result.error.httpCode).toBe('404');
		const [originId, courseId] = /^Could not deactivate course (\S+) \((\S+)\)/.exec(result.error.message)?.slice(1) ?? [];
		expect(result.error.errorResponse).toEqual({ message: result.error.message, origin_id: originId, course_id: courseId });
	});

	it('after a deactivation fails, starts (nearly) none of those still queued', async () => {
		await catalogue(courses(20));
		stub.script([{ match: DEACTIVATE, status: 404, code: 'PLATFORM.INPUT_INVALID', message: 'Course not found' }]);
		const result = await sync(courses(10), { maxShareDeactivated: 100, maxParallelRequests: 1 });

		expect(result.error.message).toMatch(/^Could not deactivate course course-10 /);
		// One at a time: the lane hands its slot to the next deactivation a moment before the failure is known.
		expect(deactivations(stub).length).toBeLessThanOrEqual(2);
		expect(activeIn('sandbox:demo').filter((originId) => originId !== null)).toHaveLength(20 - deactivations(stub).length + 1);
	});

	it('names the deactivation that failed, not one it then left unsent in another integration', async () => {
		await catalogue(courses(20), 'sandbox:demo');
		await catalogue(courses(10), 'sandbox:second');
		const failing = stub.courseId('sandbox:second', 'course-9') as string;
		stub.script([{ match: { method: 'POST', path: `/lms/courses/${failing}/deactivate` }, status: 404, code: 'PLATFORM.INPUT_INVALID', message: 'Course not found' }]);
		const items = [...courses(10).map((each) => ({ ...each, customer: 'sandbox:demo' })), ...courses(9).map((each) => ({ ...each, customer: 'sandbox:second' }))];
		const result = await sync(items, { integrationId: '={{ $json.customer }}', maxShareDeactivated: 100, maxParallelRequests: 1 });

		expect(result.error.message).toBe(`Could not deactivate course course-9 (${failing}) in sandbox:second: No course "${failing}" in integration sandbox:second`);
		expect(result.error.description).toMatch(/^\d of 11 courses missing from the input were deactivated before this error; the rest were not tried\. Kombo answered HTTP 404/);
		expect(deactivations(stub).filter((request) => request.integrationId === 'sandbox:demo').length).toBeLessThan(10);
	});

	it('with Continue On Fail, outputs a deactivation Kombo refused as an error item and the others as DEACTIVATED', async () => {
		await catalogue(courses(20));
		stub.script([{ match: DEACTIVATE, status: 400, code: 'PLATFORM.INPUT_INVALID', message: 'Kombo says no' }]);
		const result = await sync(courses(18), {}, 'continueRegularOutput');

		const tail = jsonOf(result.outputs[0]).slice(18);
		expect(tail.map(statusOf).sort()).toEqual(['DEACTIVATED', 'DEACTIVATION_FAILED']);
		expect(tail.find((json) => json.error)).toEqual({
			error: 'Kombo says no',
			details: expect.objectContaining({ status: 'DEACTIVATION_FAILED', task_id: null, integration_id: 'sandbox:demo', error: expect.objectContaining({ code: 'PLATFORM.INPUT_INVALID' }) }),
		});
		expect(pairedIndexes(result.outputs[0]).slice(18)).toEqual([0, 0]);
	});

	it('with Continue On Fail, goes on deactivating after one fails, and says how to fix the one that failed', async () => {
		await catalogue(courses(20));
		stub.script([{ match: DEACTIVATE, status: 400, code: 'PLATFORM.INPUT_INVALID', message: 'Kombo says no' }]);
		const result = await sync(courses(15), { maxShareDeactivated: 100, maxParallelRequests: 1 }, 'continueRegularOutput');

		const tail = jsonOf(result.outputs[0]).slice(15);
		expect(tail.map(statusOf)).toEqual(['DEACTIVATION_FAILED', 'DEACTIVATED', 'DEACTIVATED', 'DEACTIVATED', 'DEACTIVATED']);
		expect((tail[0].details as Record<string, unknown>).description).toMatch(/^Kombo error PLATFORM\.INPUT_INVALID, HTTP 400\. /);
		expect(activeIn('sandbox:demo').filter((originId) => originId !== null)).toHaveLength(16);
	});

	it('counts a course Kombo refuses to deactivate because it is inactive already as DEACTIVATED, with Kombo’s answer as a warning', async () => {
		await catalogue(courses(20));
		stub.script([{ match: DEACTIVATE, afterProcessing: true, status: 400, code: 'PLATFORM.INPUT_INVALID', message: 'The course is inactive' }]);
		const result = await sync(courses(19));

		expect(result.error).toBeUndefined();
		expect(result.outputs[0][19]).toEqual({
			json: {
				origin_id: 'course-19',
				status: 'DEACTIVATED',
				course_id: stub.courseId('sandbox:demo', 'course-19'),
				task_id: null,
				integration_id: 'sandbox:demo',
				warnings: ['The course was inactive already; Kombo answered: The course is inactive'],
			},
			pairedItem: { item: 0 },
		});
	});

	it('with Continue On Fail, outputs a listing Kombo refused as one NOT_DEACTIVATED error item, paired with the first valid item', async () => {
		await catalogue(courses(5));
		stub.script([{ match: LIST, status: 400, code: 'PLATFORM.INPUT_INVALID', message: 'Kombo says no' }]);
		const result = await sync([course(0, { title: '' }), ...courses(5).slice(1)], {}, 'continueRegularOutput');

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map(statusOf)).toEqual(['INVALID', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'NOT_DEACTIVATED']);
		expect(result.outputs[0][5]).toEqual({
			json: {
				error: 'Kombo says no',
				details: {
					status: 'NOT_DEACTIVATED',
					description: expect.stringMatching(
						/^Kombo error PLATFORM\.INPUT_INVALID, HTTP 400\. .* The courses were sent as reported; nothing was deactivated, since the courses in Kombo could not be listed\.$/,
					),
				},
			},
			pairedItem: { item: 1 },
		});
		expect(deactivations(stub)).toEqual([]);
	});

	it('with Continue On Fail, names in the refusal only the integrations with courses to go, and pairs it with the first of them', async () => {
		await catalogue(courses(5), 'sandbox:demo');
		await catalogue(courses(10), 'sandbox:second');
		const items = [...courses(5).map((each) => ({ ...each, customer: 'sandbox:demo' })), ...courses(3).map((each) => ({ ...each, customer: 'sandbox:second' }))];
		const result = await sync(items, { integrationId: '={{ $json.customer }}' }, 'continueRegularOutput');

		expect(result.error).toBeUndefined();
		expect(result.outputs[0][8]).toEqual({
			json: {
				error: 'Did not deactivate the 7 courses missing from the input: in sandbox:second, 7 of 10 courses in scope (70%) would go, more than Max Share Deactivated (10%)',
				details: {
					status: 'NOT_DEACTIVATED',
					would_deactivate: 7,
					origin_ids: ['course-3', 'course-4', 'course-5', 'course-6', 'course-7'],
					integration_ids: ['sandbox:second'],
					description: expect.stringContaining('Would have deactivated in sandbox:second: 7 courses of 10 in scope (course-3, course-4, course-5, course-6, course-7 and 2 more).'),
				},
			},
			pairedItem: { item: 5 },
		});
		expect(deactivations(stub)).toEqual([]);
	});

	it.each([
		['listing the courses', LIST, /^\/lms\/courses$/, 'NOT_DEACTIVATED'],
		['deactivating a course', DEACTIVATE, /\/deactivate$/, 'DEACTIVATION_FAILED'],
	])('stops at a cancel while %s, failing rather than reporting it as an error item under Continue On Fail', async (_name, match, route, reportedAs) => {
		await catalogue(courses(5));
		// The stub holds the request for an hour: the run can only end through the cancel.
		stub.script([{ match, delayMs: 3_600_000, drop: true }]);
		const held = arrival(route);
		const run = start(courses(4), { maxShareDeactivated: 100 }, 'continueRegularOutput');
		await held;
		run.cancel();
		const result = await run.promise;

		expect(result.runData.Kombo[0].executionStatus).toBe('error');
		expect(jsonOf(result.outputs[0]).map(statusOf)).not.toContain(reportedAs);
		expect(activeIn('sandbox:demo')).toHaveLength(8);
	});

	it('never shows the API key in what it outputs about deactivations', async () => {
		await catalogue(courses(20));
		stub.script([{ match: DEACTIVATE, status: 401, echoHeaders: true }]);
		const failed = await sync(courses(18));
		stub.script([{ match: DEACTIVATE, status: 400, echoHeaders: true }]);
		const continued = await sync(courses(18), {}, 'continueRegularOutput');
		const previewed = await sync(courses(18), { previewOnly: true });

		const everything = JSON.stringify([failed.error, failed.runData, continued.outputs, continued.runData, previewed.outputs, previewed.runData]);
		expect(everything).toContain('[redacted]');
		expect(everything).not.toContain(stub.apiKey);
	});
});

describe('Deactivate Courses Not in Input with Skip Unchanged Courses', () => {
	let stub: Stub;
	let restoreClock: () => void;
	const store = staticDataStore();

	beforeAll(async () => {
		stub = await startKomboStub();
	});
	beforeEach(() => {
		restoreClock = useRuntime(createFakeClock());
		store.reset();
	});
	afterEach(() => {
		restoreClock();
		expect(stub.violations).toEqual([]);
		stub.reset();
	});
	afterAll(async () => await stub.close());

	it('counts the unchanged courses, which it does not send, as in the input, and retires only the missing ones', async () => {
		const options = { skipUnchanged: true, deactivateMissing: true };
		const first = await upsert({ stub, items: courses(20), parameters: { waitForCompletion: true }, options, mode: 'webhook' }).promise;
		expect(first.error).toBeUndefined();
		stub.requests.length = 0;

		const second = await upsert({ stub, items: courses(18), parameters: { waitForCompletion: true }, options, mode: 'webhook' }).promise;

		expect(second.error).toBeUndefined();
		expect(posts(stub)).toEqual([]);
		expect(jsonOf(second.outputs[0]).map((json) => json.status)).toEqual([...Array(18).fill('UNCHANGED'), 'DEACTIVATED', 'DEACTIVATED']);
		expect(jsonOf(second.outputs[0]).slice(18).map((json) => json.origin_id)).toEqual(['course-18', 'course-19']);
		expect(deactivations(stub)).toHaveLength(2);
		stub.requests.length = 0;

		// Back in the input, the retired courses are sent again: the record let them go with the input.
		const third = await upsert({ stub, items: courses(20), parameters: { waitForCompletion: true }, options, mode: 'webhook' }).promise;
		expect(third.error).toBeUndefined();
		expect(posts(stub).flatMap((request) => request.body.items.map((item: { origin_id: string }) => item.origin_id))).toEqual(['course-18', 'course-19']);
		expect(jsonOf(third.outputs[0]).map((json) => json.status)).toEqual([...Array(18).fill('UNCHANGED'), 'SUCCEEDED', 'SUCCEEDED']);
	});
});
