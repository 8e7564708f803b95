import { useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { complete, enroll, jsonOf, pairedIndexes, startKomboStub } from './fixtures';

const DEMO = 'sandbox:demo';

describe('Course Progression → Enroll through n8n’s engine', () => {
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
		expect(stats.duplicateEnrolments).toBe(0);
	});
	afterAll(async () => await stub.close());

	const enrollments = () => stub.requests.filter((request) => request.method === 'POST' && request.route === '/lms/course-progressions');
	const ada = () => stub.learner(DEMO, { workEmail: 'ada@example.com' }) as { id: string };

	it('enrolls a learner named by email in the active revision of a course named by origin ID', async () => {
		const [course] = stub.seedCourses(DEMO, [{ origin_id: 'CAT-0', revisions: [{ title: 'v1', status: 'INACTIVE' }, { title: 'v2', status: 'ACTIVE' }] }]);
		const result = await enroll({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }] }).promise;

		expect(result.error).toBeUndefined();
		expect(enrollments().map((request) => request.body)).toEqual([{ user_id: ada().id, course_revision_id: course.revisions[1].id }]);
		const [made] = stub.progressions(DEMO);
		expect(result.outputs[0]).toEqual([
			{
				json: {
					status: 'ENROLLED',
					course_progression_id: made.id,
					progression_status: 'ENROLLED',
					user_id: ada().id,
					work_email: 'ada@example.com',
					course_id: course.id,
					origin_id: 'CAT-0',
					course_revision_id: course.revisions[1].id,
					enrolled_at: made.enrolled_at,
					completed_at: null,
					integration_id: DEMO,
					progression: expect.objectContaining({ id: made.id }),
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('does not enroll twice: an enrolled learner comes out ALREADY_ENROLLED with the existing enrollment', async () => {
		stub.seedCourses(DEMO, [{ origin_id: 'CAT-0' }, { origin_id: 'CAT-1' }]);
		const [existing] = stub.seedProgressions(DEMO, [{ work_email: 'ada@example.com', origin_id: 'CAT-0', status: 'IN_PROGRESS' }]);
		const items = [
			{ email: 'ada@example.com', course: 'CAT-0' },
			{ email: 'ada@example.com', course: 'CAT-1' },
			{ email: 'ada@example.com', course: 'CAT-1' },
		];
		const result = await enroll({ stub, items }).promise;

		expect(enrollments()).toHaveLength(1);
		expect(jsonOf(result.outputs[0]).map((json) => [json.status, json.progression_status])).toEqual([
			['ALREADY_ENROLLED', 'IN_PROGRESS'],
			['ENROLLED', 'ENROLLED'],
			['ALREADY_ENROLLED', 'ENROLLED'],
		]);
		expect(jsonOf(result.outputs[0])[0].course_progression_id).toBe(existing.id);
		expect(pairedIndexes(result.outputs[0])).toEqual([0, 1, 2]);
	});

	it('enrolls again a learner who dropped the course', async () => {
		stub.seedCourses(DEMO, [{ origin_id: 'CAT-0' }]);
		stub.seedProgressions(DEMO, [{ work_email: 'ada@example.com', origin_id: 'CAT-0', status: 'DROPPED' }]);
		const result = await enroll({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }] }).promise;

		expect(enrollments()).toHaveLength(1);
		expect(jsonOf(result.outputs[0])[0].status).toBe('ENROLLED');
	});

	it('takes the learner by User ID and the course by Course ID or by Course Revision ID', async () => {
		const [one, two] = stub.seedCourses(DEMO, [{ origin_id: 'CAT-0' }, { origin_id: 'CAT-1' }]);
		const items = [
			{ user: ada().id, by: 'courseId', course: one.id },
			{ user: ada().id, by: 'revisionId', course: two.revisions[0].id },
		];
		const result = await enroll({
			stub,
			items,
			parameters: { learnerBy: 'userId', userId: '={{ $json.user }}', courseBy: '={{ $json.by }}', courseId: '={{ $json.course }}', courseRevisionId: '={{ $json.course }}' },
		}).promise;

		expect(result.error).toBeUndefined();
		expect(enrollments().map((request) => request.body)).toEqual([
			{ user_id: ada().id, course_revision_id: one.revisions[0].id },
			{ user_id: ada().id, course_revision_id: two.revisions[0].id },
		]);
		expect(jsonOf(result.outputs[0]).map((json) => [json.status, json.course_id, json.origin_id])).toEqual([
			['ENROLLED', one.id, 'CAT-0'],
			['ENROLLED', two.id, 'CAT-1'],
		]);
	});

	it('refuses a course with no active revision, naming it, before enrolling anyone', async () => {
		stub.seedCourses(DEMO, [{ origin_id: 'CAT-0' }, { origin_id: 'CAT-OFF', status: 'INACTIVE' }]);
		const result = await enroll({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }, { email: 'ada@example.com', course: 'CAT-OFF' }] }).promise;

		expect(result.error.message).toBe(`'Course Origin ID' names a course with no active revision in the integration sandbox:demo, so no learner can be enrolled in it: "CAT-OFF" [item 1]`);
		expect(result.error.description).toContain('Send it again with Course → Create or Update');
		expect(enrollments()).toEqual([]);
	});

	it.each([
		['learnerEmail', 'Learner Email', { email: '  ' }, `'Learner Email' is empty [item 0]`],
		['learnerEmail', 'Learner Email', { email: 'ada at example' }, `'Learner Email' must be an email address such as ada@example.com, got "ada at example" [item 0]`],
		['courseOriginId', 'Course Origin ID', { email: 'ada@example.com', course: '' }, `'Course Origin ID' is empty [item 0]`],
	])('names the field %s when it is unusable', async (_name, _label, item, message) => {
		const result = await enroll({ stub, items: [item] }).promise;

		expect(result.error.message).toBe(message);
		expect(stub.requests).toEqual([]);
	});

	describe('when the answer goes wrong', () => {
		it('sends an enrollment again after a limit, which says it was not carried out', async () => {
			stub.seedCourses(DEMO, [{ origin_id: 'CAT-0' }]);
			stub.script([{ match: { method: 'POST' }, status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED', retryAfter: '1' }]);
			const result = await enroll({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }] }).promise;

			expect(result.error).toBeUndefined();
			expect(enrollments()).toHaveLength(2);
			expect(stub.progressions(DEMO)).toHaveLength(1);
		});

		it.each([
			['a 502 after the enrollment was made', { status: 502, afterProcessing: true }],
			['a connection reset after the enrollment was made', { reset: true, afterProcessing: true }],
		])('does not send it again after %s, and says how to find out', async (_case, fault) => {
			stub.seedCourses(DEMO, [{ origin_id: 'CAT-0' }]);
			stub.script([{ match: { method: 'POST' }, ...fault }]);
			const result = await enroll({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }], onError: 'continueErrorOutput' }).promise;

			expect(enrollments()).toHaveLength(1);
			expect(stub.progressions(DEMO)).toHaveLength(1);
			const [error] = jsonOf(result.outputs[1]);
			expect((error.details as Record<string, unknown>).description).toContain('Kombo may have enrolled the learner all the same, so the node did not send the enrollment again');

			// The next run finds the enrollment and does not make a second one.
			stub.script([]);
			const again = await enroll({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }] }).promise;
			expect(jsonOf(again.outputs[0])[0].status).toBe('ALREADY_ENROLLED');
		});

		it('sends a completion again after a lost answer, with the same date and score', async () => {
			stub.seedCourses(DEMO, [{ origin_id: 'CAT-0' }]);
			stub.seedProgressions(DEMO, [{ work_email: 'ada@example.com', origin_id: 'CAT-0' }]);
			stub.script([{ match: { method: 'POST', path: /\/complete$/ }, status: 503 }]);
			const result = await complete({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0', completed_at: '2026-04-15', score: 80 }] }).promise;

			expect(result.error).toBeUndefined();
			const sent = stub.requests.filter((request) => request.route.endsWith('/complete')).map((request) => request.body);
			expect(sent).toEqual([
				{ completed_at: '2026-04-15', score: 80 },
				{ completed_at: '2026-04-15', score: 80 },
			]);
			expect(jsonOf(result.outputs[0])[0].status).toBe('COMPLETED');
		});

		it('retries a lookup that failed, and stops with Kombo’s error before writing when it keeps failing', async () => {
			stub.seedCourses(DEMO, [{ origin_id: 'CAT-0' }]);
			stub.script((request) => (request.route === '/lms/users' ? { status: 500, code: 'PLATFORM.UNKNOWN_ERROR', message: 'Kombo is down' } : undefined));
			const result = await enroll({ stub, items: [{ email: 'ada@example.com', course: 'CAT-0' }] }).promise;

			expect(result.error.message).toBe('Kombo is down');
			expect(result.error.description).toContain('The node tried 6 times');
			expect(enrollments()).toEqual([]);
		});
	});
});
