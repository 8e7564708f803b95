import { useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { complete, jsonOf, pairedIndexes, startKomboStub } from './fixtures';

const DEMO = 'sandbox:demo';

describe('Course Progression → Complete through n8n’s engine', () => {
	let stub: Stub;
	let clock: ReturnType<typeof createFakeClock>;
	let restoreClock: () => void;

	beforeAll(async () => {
		stub = await startKomboStub({ nativeCourses: 0 });
	});
	beforeEach(() => {
		clock = createFakeClock();
		restoreClock = useRuntime(clock);
	});
	afterEach(() => {
		restoreClock();
		const violations = [...stub.violations];
		const stats = stub.stats();
		stub.reset();
		expect(violations).toEqual([]);
		expect(stats).toMatchObject({ duplicateEnrolments: 0, recompletions: 0 });
	});
	afterAll(async () => await stub.close());

	const seedCourses = (count: number, integrationId = DEMO) =>
		stub.seedCourses(integrationId, Array.from({ length: count }, (_, index) => ({ origin_id: `CAT-${index}`, title: `Course ${index}` })));
	const enrolled = (email: string, originId: string, status: 'ENROLLED' | 'IN_PROGRESS' | 'COMPLETED' | 'DROPPED' = 'ENROLLED', integrationId = DEMO) =>
		stub.seedProgressions(integrationId, [{ work_email: email, origin_id: originId, status }])[0];
	const writes = () => stub.requests.filter((request) => request.method === 'POST');

	it('completes the enrollment of a learner named by email in a course named by origin ID, with the date and score', async () => {
		const [course] = seedCourses(1);
		const progression = enrolled('ada@example.com', 'CAT-0');
		const result = await complete({ stub, items: [{ email: 'Ada@Example.com', course: 'CAT-0', completed_at: '2026-04-15', score: '93 %' }] }).promise;

		expect(result.error).toBeUndefined();
		expect(writes().map((request) => [request.route, request.body])).toEqual([[`/lms/course-progressions/${progression.id}/complete`, { completed_at: '2026-04-15', score: 93 }]]);
		const ada = stub.learner(DEMO, { workEmail: 'ada@example.com' });
		expect(result.outputs[0]).toEqual([
			{
				json: {
					status: 'COMPLETED',
					course_progression_id: progression.id,
					progression_status: 'COMPLETED',
					user_id: ada?.id,
					work_email: 'ada@example.com',
					course_id: course.id,
					origin_id: 'CAT-0',
					course_revision_id: course.revisions[0].id,
					enrolled_at: progression.enrolled_at,
					completed_at: '2026-04-15T00:00:00.000Z',
					score: 93,
					enrolled: false,
					integration_id: DEMO,
					progression: expect.objectContaining({ id: progression.id, status: 'COMPLETED' }),
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(stub.completionsOf(DEMO)).toEqual([{ progression_id: progression.id, completed_at: '2026-04-15T00:00:00.000Z', score: 93 }]);
	});

	it('enrolls a learner who is not enrolled yet in the active revision, then completes that enrollment', async () => {
		const [course] = stub.seedCourses(DEMO, [{ origin_id: 'CAT-0', revisions: [{ title: 'Old', status: 'INACTIVE' }, { title: 'New', status: 'ACTIVE' }] }]);
		const result = await complete({ stub, items: [{ email: 'grace@example.com', course: 'CAT-0', completed_at: '2026-04-15T14:30:00Z', score: 88 }] }).promise;

		expect(result.error).toBeUndefined();
		const [enrollment, completion] = writes();
		expect(enrollment.route).toBe('/lms/course-progressions');
		expect(enrollment.body).toEqual({ user_id: stub.learner(DEMO, { workEmail: 'grace@example.com' })?.id, course_revision_id: course.revisions[1].id });
		const [made] = stub.progressions(DEMO);
		expect(completion.route).toBe(`/lms/course-progressions/${made.id}/complete`);
		expect(jsonOf(result.outputs[0])[0]).toMatchObject({ status: 'COMPLETED', enrolled: true, course_progression_id: made.id, course_revision_id: course.revisions[1].id, completed_at: '2026-04-15T14:30:00.000Z', score: 88 });
	});

	it('does not complete again a course the learner completed, and gives Kombo’s completion date', async () => {
		seedCourses(1);
		const done = enrolled('ada@example.com', 'CAT-0', 'COMPLETED');
		const result = await complete({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0', completed_at: '2026-04-15', score: 93 }] }).promise;

		expect(writes()).toEqual([]);
		expect(jsonOf(result.outputs[0])[0]).toMatchObject({ status: 'ALREADY_COMPLETED', course_progression_id: done.id, completed_at: done.completed_at, score: null, enrolled: false });
	});

	it('writes each completion once when one run names the same learner and course twice', async () => {
		seedCourses(1);
		const items = [
			{ email: 'ada@example.com', course: 'CAT-0', score: 70 },
			{ email: 'ADA@example.com', course: 'CAT-0', score: 90 },
		];
		const result = await complete({ stub, items }).promise;

		expect(writes().map((request) => request.route.endsWith('/complete') ? 'complete' : 'enroll')).toEqual(['enroll', 'complete']);
		expect(jsonOf(result.outputs[0]).map((json) => [json.status, json.enrolled, json.score])).toEqual([
			['COMPLETED', true, 70],
			['ALREADY_COMPLETED', false, null],
		]);
		expect(pairedIndexes(result.outputs[0])).toEqual([0, 1]);
	});

	it('with Enroll If Needed off, calls a learner who is not enrolled an error naming the item, before writing anything', async () => {
		seedCourses(2);
		enrolled('ada@example.com', 'CAT-0');
		const items = [
			{ email: 'ada@example.com', course: 'CAT-0' },
			{ email: 'grace@example.com', course: 'CAT-1' },
		];
		const result = await complete({ stub, items, parameters: { options: { enrollIfNeeded: false } } }).promise;

		expect(result.error.message).toBe('The learner grace@example.com is not enrolled in this course (Course Origin ID "CAT-1") [item 1]');
		expect(result.error.description).toContain('Turn on Enroll If Needed');
		expect(writes()).toEqual([]);
	});

	describe('what it cannot look up', () => {
		it.each([
			[
				'an unknown learner',
				{ email: 'nobody@example.com', course: 'CAT-0' },
				`'Learner Email' matches no learner in the integration sandbox:demo: "nobody@example.com" [item 1]`,
				'one created minutes ago may appear only after the next sync',
			],
			[
				'an unknown origin ID',
				{ email: 'ada@example.com', course: 'CAT-404' },
				`'Course Origin ID' matches no course in the integration sandbox:demo: "CAT-404" [item 1]`,
				'Check that its task completed',
			],
		])('stops at %s before writing anything, naming the item, the field and the value', async (_case, item, message, hint) => {
			seedCourses(1);
			const result = await complete({ stub, items: [{ email: 'grace@example.com', course: 'CAT-0' }, item] }).promise;

			expect(result.error.message).toBe(message);
			expect(result.error.description).toContain(hint);
			expect(writes()).toEqual([]);
		});

		it('with Continue On Fail, puts each on the error output and completes the others, in input order', async () => {
			seedCourses(1);
			stub.seedLearners(DEMO, [{ first_name: 'Ada', last_name: 'Again', work_email: 'ada@example.com' }]);
			stub.seedCourses(DEMO, [{ origin_id: 'CAT-OFF', title: 'Retired', status: 'INACTIVE' }]);
			const items = [
				{ email: 'grace@example.com', course: 'CAT-0' },
				{ email: 'ada@example.com', course: 'CAT-0' },
				{ email: 'nobody@example.com', course: 'CAT-0' },
				{ email: 'alan@example.com', course: 'CAT-OFF' },
				{ email: 'alan@example.com', course: 'CAT-0', score: 'abc' },
				{ email: 'alan@example.com', course: 'CAT-0', score: 101 },
				{ email: 'alan@example.com', course: 'CAT-0', completed_at: 'last Tuesday' },
				{ email: 'alan@example.com', course: 'CAT-0', score: '100' },
			];
			const result = await complete({ stub, items, onError: 'continueErrorOutput' }).promise;

			expect(result.error).toBeUndefined();
			expect(jsonOf(result.outputs[0]).map((json) => [json.work_email, json.status])).toEqual([
				['grace@example.com', 'COMPLETED'],
				['alan@example.com', 'COMPLETED'],
			]);
			expect(pairedIndexes(result.outputs[0])).toEqual([0, 7]);
			const errors = jsonOf(result.outputs[1]);
			expect(pairedIndexes(result.outputs[1])).toEqual([1, 2, 3, 4, 5, 6]);
			expect(errors.map((json) => json.error)).toEqual([
				`'Learner Email' matches 2 learners in the integration sandbox:demo: "ada@example.com" [item 1]`,
				`'Learner Email' matches no learner in the integration sandbox:demo: "nobody@example.com" [item 2]`,
				`'Course Origin ID' names a course with no active revision in the integration sandbox:demo, so no learner can be enrolled in it: "CAT-OFF" [item 3]`,
				`'Score' must be a number from 0 to 100, got "abc" [item 4]`,
				`'Score' must be a whole number from 0 to 100, got 101 [item 5]`,
				`'Completed At' must be a date such as 2026-04-15 or a date and time such as 2026-04-15T14:30:00, got "last Tuesday" [item 6]`,
			]);
			expect(errors.map((json) => [(json.details as Record<string, unknown>).status, (json.details as Record<string, unknown>).field, (json.details as Record<string, unknown>).value])).toEqual([
				['NOT_FOUND', 'Learner Email', 'ada@example.com'],
				['NOT_FOUND', 'Learner Email', 'nobody@example.com'],
				['NOT_FOUND', 'Course Origin ID', 'CAT-OFF'],
				['INVALID', 'Score', 'abc'],
				['INVALID', 'Score', 101],
				['INVALID', 'Completed At', 'last Tuesday'],
			]);
			// n8n puts the input row under the error, so the builder sees their own data beside the reason.
			expect(errors[1]).toMatchObject({ email: 'nobody@example.com', course: 'CAT-0' });
			expect((errors[0].details as Record<string, unknown>).description).toContain('Set Learner to By User ID');
		});

		it('stops at invalid input before looking anything up', async () => {
			const result = await complete({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0', score: 101 }] }).promise;

			expect(result.error.message).toBe(`'Score' must be a whole number from 0 to 100, got 101 [item 0]`);
			expect(result.error.description).toBe('Give a whole number from 0 to 100, e.g. 93, or leave Score empty.');
			expect(stub.requests).toEqual([]);
		});
	});

	describe('Completed At and Score as a builder gives them', () => {
		it.each([
			['a date from a spreadsheet', '2026-04-15', '2026-04-15'],
			// n8n's default time zone, which the test workflow keeps, is America/New_York (UTC-4 in April).
			['the date picker, in the workflow’s time zone', '2026-04-15T14:30:00', '2026-04-15T18:30:00Z'],
			['an ISO date-time with an offset', '2026-04-15T16:30:00+02:00', '2026-04-15T14:30:00Z'],
			['a Luxon date from an expression', '={{ DateTime.fromISO("2026-04-15T14:30:00Z") }}', '2026-04-15T14:30:00Z'],
			['a JavaScript date from an expression', '={{ new Date(Date.UTC(2026, 3, 15, 14, 30)) }}', '2026-04-15T14:30:00Z'],
		])('sends %s as Kombo takes it', async (_case, completedAt, sent) => {
			seedCourses(1);
			enrolled('ada@example.com', 'CAT-0');
			const result = await complete({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }], parameters: { completedAt, score: '' } }).promise;

			expect(result.error).toBeUndefined();
			expect(writes()[0].body).toEqual({ completed_at: sent });
		});

		it('sends no date and no score when both are blank, so that Kombo uses today', async () => {
			seedCourses(1);
			enrolled('ada@example.com', 'CAT-0');
			const result = await complete({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0', completed_at: '', score: '' }] }).promise;

			expect(result.error).toBeUndefined();
			expect(writes()[0].body).toEqual({});
			expect(jsonOf(result.outputs[0])[0]).toMatchObject({ status: 'COMPLETED', score: null });
		});

		it.each([['93'], ['93.0'], ['93 %'], [93]])('reads the score %p as 93', async (score) => {
			seedCourses(1);
			enrolled('ada@example.com', 'CAT-0');
			await complete({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0', score }] }).promise;

			expect(writes()[0].body).toEqual({ score: 93 });
		});
	});

	describe('by Course Progression ID', () => {
		const byId = { progressionBy: 'progressionId', progressionId: '={{ $json.progression }}' };

		it('completes Kombo’s ID and the LMS’s own as remote:<ID>, looking both up first', async () => {
			seedCourses(2);
			const one = enrolled('ada@example.com', 'CAT-0');
			const two = enrolled('grace@example.com', 'CAT-1', 'IN_PROGRESS');
			const result = await complete({ stub, items: [{ progression: one.id, score: 50 }, { progression: `remote:${two.remote_id}` }] , parameters: byId }).promise;

			expect(result.error).toBeUndefined();
			expect(writes().map((request) => request.route)).toEqual([`/lms/course-progressions/${one.id}/complete`, `/lms/course-progressions/remote:${two.remote_id}/complete`]);
			expect(jsonOf(result.outputs[0]).map((json) => [json.status, json.course_progression_id, json.work_email, json.origin_id])).toEqual([
				['COMPLETED', one.id, 'ada@example.com', 'CAT-0'],
				['COMPLETED', two.id, 'grace@example.com', 'CAT-1'],
			]);
			expect(stub.progressionListings().map((request) => request.query)).toEqual(
				expect.arrayContaining([expect.objectContaining({ ids: one.id }), expect.objectContaining({ remote_ids: two.remote_id })]),
			);
		});

		it('reads "remote: 88231 " as remote:88231', async () => {
			seedCourses(1);
			const [open] = stub.seedProgressions(DEMO, [{ work_email: 'ada@example.com', origin_id: 'CAT-0', remote_id: '88231' }]);
			const result = await complete({ stub, items: [{ progression: 'remote: 88231 ' }], parameters: byId }).promise;

			expect(writes().map((request) => request.route)).toEqual(['/lms/course-progressions/remote:88231/complete']);
			expect(jsonOf(result.outputs[0])[0]).toMatchObject({ status: 'COMPLETED', course_progression_id: open.id });
		});

		it('does not complete a completed one again', async () => {
			seedCourses(1);
			const done = enrolled('ada@example.com', 'CAT-0', 'COMPLETED');
			const result = await complete({ stub, items: [{ progression: done.id }], parameters: byId }).promise;

			expect(writes()).toEqual([]);
			expect(jsonOf(result.outputs[0])[0]).toMatchObject({ status: 'ALREADY_COMPLETED', course_progression_id: done.id });
		});

		it('sends one Kombo has not listed yet, and says clearly when Kombo does not know it', async () => {
			const result = await complete({ stub, items: [{ progression: 'prog_unknown' }], parameters: byId }).promise;

			expect(writes().map((request) => request.route)).toEqual(['/lms/course-progressions/prog_unknown/complete']);
			expect(result.error.httpCode).toBe('404');
			expect(result.error.message).toMatch(/prog_unknown/);
		});
	});

	describe('what the LMS refuses', () => {
		it('names the permission, the integration and where to turn it on when it is missing', async () => {
			seedCourses(1);
			enrolled('ada@example.com', 'CAT-0');
			stub.configure({ missingProgressionPermission: [DEMO] });
			const result = await complete({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }] }).promise;

			expect(result.error.description).toContain('Enable the "Create and manage course progressions" permission for the integration sandbox:demo');
			expect(result.error.description).toContain('INTEGRATION.PERMISSION_MISSING');
			expect(writes()).toHaveLength(1);
		});

		it('says which integration’s LMS cannot take completions', async () => {
			seedCourses(1);
			enrolled('ada@example.com', 'CAT-0');
			stub.configure({ refuseCompletion: [DEMO] });
			const result = await complete({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }], onError: 'continueErrorOutput' }).promise;

			const [error] = jsonOf(result.outputs[1]);
			expect((error.details as Record<string, unknown>).description).toContain('The LMS of the integration sandbox:demo does not support completing course progressions through Kombo');
			expect((error.details as Record<string, { code: string }>).error.code).toBe('INTEGRATION.ACTION_NOT_AVAILABLE');
			expect((error.details as Record<string, unknown>).status).toBe('FAILED');
		});

		it('says that it enrolled the learner when the completion after it fails', async () => {
			seedCourses(1);
			stub.configure({ refuseCompletion: [DEMO] });
			const result = await complete({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }], onError: 'continueErrorOutput' }).promise;

			const [made] = stub.progressions(DEMO);
			const details = jsonOf(result.outputs[1])[0].details as Record<string, unknown>;
			expect(details).toMatchObject({ enrolled: true, course_progression_id: made.id });
			expect(details.description).toContain(`The node enrolled the learner (course progression ${made.id}) before the completion failed`);
		});
	});

	it('says so when an item has no integration, naming the item, and writes the others', async () => {
		seedCourses(1);
		const items = [{ email: 'ada@example.com', course: 'CAT-0', integration: '' }, { email: 'grace@example.com', course: 'CAT-0', integration: DEMO }];
		const result = await complete({ stub, items, integrationId: '', parameters: { options: { integrationId: '={{ $json.integration }}' } }, onError: 'continueErrorOutput' }).promise;

		expect(jsonOf(result.outputs[0]).map((json) => json.work_email)).toEqual(['grace@example.com']);
		expect(result.outputs[1].map((item) => item.json.error)).toEqual(['No integration ID for this item [item 0]']);
		expect(result.outputs[1][0].json.details).toEqual({
			status: 'INVALID',
			item: 0,
			field: null,
			value: null,
			integration_id: null,
			description: expect.stringContaining("Enter the integration ID in the Kombo credential, or set the node's Integration ID option"),
		});
	});

	it('serves several integrations in one run, each looked up in its own', async () => {
		seedCourses(1, DEMO);
		seedCourses(1, 'sandbox:second');
		const items = [
			{ email: 'ada@example.com', course: 'CAT-0', integration: DEMO },
			{ email: 'ada@example.com', course: 'CAT-0', integration: 'sandbox:second' },
		];
		const result = await complete({ stub, items, parameters: { options: { integrationId: '={{ $json.integration }}' } } }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map((json) => [json.integration_id, json.status])).toEqual([
			[DEMO, 'COMPLETED'],
			['sandbox:second', 'COMPLETED'],
		]);
		expect(stub.completionsOf(DEMO)).toHaveLength(1);
		expect(stub.completionsOf('sandbox:second')).toHaveLength(1);
	});

	it('looks up in bulk: 300 completions over 60 learners and 5 courses cost 3 lookups', async () => {
		seedCourses(5);
		stub.seedLearners(DEMO, Array.from({ length: 60 }, (_, index) => ({ work_email: `learner${index}@example.com` })));
		const items = Array.from({ length: 300 }, (_, index) => ({ email: `learner${index % 60}@example.com`, course: `CAT-${Math.floor(index / 60)}` }));
		const result = await complete({ stub, items }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).every((json) => json.status === 'COMPLETED')).toBe(true);
		expect(stub.stats()).toMatchObject({ userListings: 1, listings: 1, progressionListings: 1, enrolments: 300, completions: 300 });
		const [progressions] = stub.progressionListings();
		expect(progressions.query.course_ids?.split(',')).toHaveLength(5);
	});

	it('never shows the API key, not even when Kombo echoes it', async () => {
		seedCourses(1);
		enrolled('ada@example.com', 'CAT-0');
		stub.script([{ match: { method: 'POST' }, status: 403, code: 'INTEGRATION.PERMISSION_MISSING', echoHeaders: true }]);
		const result = await complete({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }], onError: 'continueErrorOutput' }).promise;

		expect(JSON.stringify(result.outputs)).not.toContain(stub.apiKey);
		expect(JSON.stringify(result.runData)).not.toContain(stub.apiKey);
	});
});
