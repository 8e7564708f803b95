import { useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { jsonOf, listRecords, pairedIndexes, startKomboStub } from './fixtures';

const DEMO = 'sandbox:demo';

describe('User → Get Many and Course Progression → Get Many through n8n’s engine', () => {
	let stub: Stub;
	let clock: ReturnType<typeof createFakeClock>;
	let restoreClock: () => void;

	beforeAll(async () => {
		stub = await startKomboStub({ nativeCourses: 0, learners: 0 });
	});
	beforeEach(() => {
		clock = createFakeClock();
		restoreClock = useRuntime(clock);
	});
	afterEach(() => {
		restoreClock();
		const violations = [...stub.violations];
		stub.reset();
		expect(violations).toEqual([]);
	});
	afterAll(async () => await stub.close());

	const seedLearners = (count: number) =>
		stub.seedLearners(DEMO, Array.from({ length: count }, (_, index) => ({ first_name: `First${index}`, last_name: `Last${index}`, work_email: `learner${index}@example.com` })));
	const queries = (requests: Array<{ query: Record<string, string> }>) => requests.map(({ query: { cursor, ...rest } }) => ({ ...rest, ...(cursor ? { cursor: 'yes' } : {}) }));

	describe('User → Get Many', () => {
		it('with Return All, follows the cursor in pages of 250 and outputs each learner simplified, paired with the item', async () => {
			const seeded = seedLearners(260);
			const result = await listRecords('user', { stub, items: [{}], parameters: { returnAll: true } }).promise;

			expect(result.error).toBeUndefined();
			expect(queries(stub.userListings())).toEqual([{ page_size: '250' }, { page_size: '250', cursor: 'yes' }]);
			expect(result.outputs[0]).toHaveLength(260);
			expect(result.outputs[0][0]).toEqual({
				json: { id: seeded[0].id, remote_id: seeded[0].remote_id, first_name: 'First0', last_name: 'Last0', work_email: 'learner0@example.com', status: 'ACTIVE' },
				pairedItem: { item: 0 },
			});
		});

		it('sends every filter as Kombo names it, and returns Kombo’s whole record with Simplify off', async () => {
			const [one] = seedLearners(3);
			const filters = { workEmails: 'LEARNER0@example.com, learner2@example.com', updatedAfter: '2020-01-01T00:00:00Z', includeDeleted: true, ids: `${one.id}, x`, remoteIds: one.remote_id };
			const result = await listRecords('user', { stub, items: [{}], parameters: { limit: 5, filters, simplify: false } }).promise;

			expect(result.error).toBeUndefined();
			expect(queries(stub.userListings())).toEqual([
				{ page_size: '5', updated_after: '2020-01-01T00:00:00Z', include_deleted: 'true', ids: `${one.id},x`, remote_ids: one.remote_id, work_emails: 'LEARNER0@example.com,learner2@example.com' },
			]);
			expect(jsonOf(result.outputs[0])).toEqual([expect.objectContaining({ id: one.id, custom_fields: {}, integration_fields: [] })]);
		});

		it('names the item and the filter when a filter cannot be read', async () => {
			const result = await listRecords('user', { stub, items: [{}, { emails: { a: 1 } }], parameters: { filters: { workEmails: '={{ $json.emails }}' } } }).promise;

			expect(result.error.message).toBe(`'Work Emails' must be IDs separated by commas, or a list of IDs, got {"a":1} [item 1]`);
		});
	});

	describe('Course Progression → Get Many', () => {
		function seedLoop() {
			const courses = stub.seedCourses(DEMO, [{ origin_id: 'CAT-0' }, { origin_id: 'CAT-1' }, { origin_id: null, title: 'The LMS’s own' }]);
			const learners = seedLearners(2);
			const progressions = stub.seedProgressions(DEMO, [
				{ work_email: 'learner0@example.com', origin_id: 'CAT-0', status: 'COMPLETED', completed_at: '2026-03-01T00:00:00.000Z' },
				{ work_email: 'learner1@example.com', origin_id: 'CAT-1', status: 'IN_PROGRESS' },
				{ work_email: 'learner0@example.com', course_id: courses[2].id },
			]);
			return { courses, learners, progressions };
		}

		it('gives each enrollment flat, with the learner’s email and the course’s origin ID beside their Kombo IDs', async () => {
			const { courses, learners, progressions } = seedLoop();
			const result = await listRecords('courseProgression', { stub, items: [{}], parameters: { returnAll: true } }).promise;

			expect(result.error).toBeUndefined();
			expect(jsonOf(result.outputs[0])).toEqual([
				{
					id: progressions[0].id,
					status: 'COMPLETED',
					enrolled_at: progressions[0].enrolled_at,
					completed_at: '2026-03-01T00:00:00.000Z',
					user_id: learners[0].id,
					work_email: 'learner0@example.com',
					course_id: courses[0].id,
					origin_id: 'CAT-0',
					course_revision_id: courses[0].revisions[0].id,
					remote_id: progressions[0].remote_id,
				},
				expect.objectContaining({ id: progressions[1].id, status: 'IN_PROGRESS', origin_id: 'CAT-1', work_email: 'learner1@example.com' }),
				expect.objectContaining({ id: progressions[2].id, origin_id: null, course_id: courses[2].id }),
			]);
			// The origin IDs come from one lookup of the courses in the results.
			expect(stub.listings().map((request) => request.query.ids?.split(',').length)).toEqual([3]);
		});

		it('filters by learner and by course, naming courses by Kombo ID or by origin ID', async () => {
			const { courses, learners } = seedLoop();
			const parameters = { filters: { userIds: learners[0].id, courseIds: courses[1].id, courseOriginIds: 'CAT-0' }, simplify: false };
			const result = await listRecords('courseProgression', { stub, items: [{}], parameters }).promise;

			expect(result.error).toBeUndefined();
			expect(stub.progressionListings().map((request) => request.query)).toEqual([{ page_size: '50', user_ids: learners[0].id, course_ids: `${courses[1].id},${courses[0].id}` }]);
			expect(jsonOf(result.outputs[0]).map((json) => json.status)).toEqual(['COMPLETED']);
			expect(stub.listings()).toHaveLength(1);
		});

		it('turns Course Origin IDs alone into the course IDs Kombo filters by, and gives Kombo’s whole record with Simplify off', async () => {
			const { courses } = seedLoop();
			const result = await listRecords('courseProgression', { stub, items: [{}], parameters: { filters: { courseOriginIds: 'CAT-1' }, simplify: false } }).promise;

			expect(stub.progressionListings().map((request) => request.query)).toEqual([{ page_size: '50', course_ids: courses[1].id }]);
			expect(jsonOf(result.outputs[0])).toEqual([expect.objectContaining({ status: 'IN_PROGRESS', course_revision: expect.objectContaining({ course: expect.objectContaining({ id: courses[1].id }) }) })]);
			expect(jsonOf(result.outputs[0])[0]).not.toHaveProperty('origin_id');
		});

		it('names the item and the filter when Course Origin IDs cannot be read', async () => {
			const result = await listRecords('courseProgression', { stub, items: [{ ids: { a: 1 } }], parameters: { filters: { courseOriginIds: '={{ $json.ids }}' } } }).promise;

			expect(result.error.message).toBe(`'Course Origin IDs' must be IDs separated by commas, or a list of IDs, got {"a":1} [item 0]`);
		});

		it('says which origin IDs the integration does not hold, naming the item', async () => {
			seedLoop();
			const result = await listRecords('courseProgression', { stub, items: [{}], parameters: { filters: { courseOriginIds: 'CAT-0, CAT-9' } }, onError: 'continueErrorOutput' }).promise;

			expect(jsonOf(result.outputs[1])[0].error).toBe(`'Course Origin IDs' names courses that the integration sandbox:demo does not hold: CAT-9 [item 0]`);
			expect(stub.progressionListings()).toEqual([]);
		});

		it('lists once per input item, each with its own filters, reading the courses once', async () => {
			const { learners } = seedLoop();
			const items = [{ user: learners[0].id }, { user: learners[1].id }];
			const result = await listRecords('courseProgression', { stub, items, parameters: { filters: { userIds: '={{ $json.user }}', courseOriginIds: 'CAT-0, CAT-1' } } }).promise;

			expect(jsonOf(result.outputs[0]).map((json) => json.work_email)).toEqual(['learner0@example.com', 'learner1@example.com']);
			expect(pairedIndexes(result.outputs[0])).toEqual([0, 1]);
			expect(stub.listings()).toHaveLength(1);
		});
	});
});
