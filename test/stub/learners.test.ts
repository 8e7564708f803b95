import type { KomboStub } from '../support/kombo-stub';
import { startKomboStub } from '../support/kombo-stub';
import { call, complete, enrol, listProgressions, listUsers } from '../support/stub-client';

const START = Date.parse('2026-03-02T09:00:00Z');

describe('Kombo stub: learners and course progressions', () => {
	let stub: KomboStub;
	let clock = START;

	beforeAll(async () => {
		stub = await startKomboStub({ now: () => clock });
	});
	beforeEach(() => {
		clock = START;
	});
	afterEach(() => stub.reset());
	afterAll(async () => await stub.close());

	const demo = 'sandbox:demo';
	const learner = (email: string, integrationId = demo) => stub.learner(integrationId, { workEmail: email })!;
	const revisionOf = (index: number, integrationId = demo) => stub.courses(integrationId)[index].revisions[0];

	/** Every record, page by page, following the cursor. */
	async function listAll(list: typeof listUsers | typeof listProgressions, query: Record<string, string> = {}) {
		const pages: Array<Array<{ id: string }>> = [];
		let cursor: string | null = null;
		do {
			const response: { status: number; json: { data: { next: string | null } }; results: Array<{ id: string }> } = await list(stub, { ...query, ...(cursor ? { cursor } : {}) });
			expect(response.status).toBe(200);
			pages.push(response.results);
			cursor = response.json.data.next;
		} while (cursor);
		return pages;
	}

	describe('GET /lms/users', () => {
		it('holds three learners per integration from the start, with work emails on example.com, and no progressions', async () => {
			const users = await listUsers(stub);
			const second = await listUsers(stub, {}, { integrationId: 'sandbox:second' });

			expect(users.status).toBe(200);
			expect(users.json.data.next).toBeNull();
			expect(users.results.map((user) => user.work_email)).toEqual(['ada@example.com', 'grace@example.com', 'alan@example.com']);
			expect(users.results[0]).toEqual({
				id: expect.stringMatching(/^user_[A-Za-z0-9]{22}$/),
				remote_id: expect.any(String),
				first_name: 'Ada',
				last_name: 'Lovelace',
				work_email: 'ada@example.com',
				status: 'ACTIVE',
				remote_created_at: new Date(START).toISOString(),
				remote_deleted_at: null,
				changed_at: new Date(START).toISOString(),
				remote_data: null,
				custom_fields: {},
				integration_fields: [],
			});
			expect(second.results.map((user) => user.id).filter((id) => users.results.some((user) => user.id === id))).toEqual([]);
			expect((await listProgressions(stub)).results).toEqual([]);
			expect(stub.stats()).toMatchObject({ userListings: 2, progressionListings: 1, listings: 0 });
			expect(stub.violations).toEqual([]);
		});

		it('finds learners by work_emails in any case, any of them, and ANDs that with ids and remote_ids', async () => {
			const ada = learner('ada@example.com');
			const grace = learner('grace@example.com');
			const emails = async (query: Record<string, string>) => (await listUsers(stub, query)).results.map((user) => user.work_email);

			expect(await emails({ work_emails: 'ADA@Example.com' })).toEqual(['ada@example.com']);
			expect(await emails({ work_emails: 'grace@example.com, ada@EXAMPLE.com,nobody@example.com' })).toEqual(['ada@example.com', 'grace@example.com']);
			expect(await emails({ ids: `${grace.id},${ada.id}` })).toEqual(['ada@example.com', 'grace@example.com']);
			expect(await emails({ remote_ids: grace.remote_id })).toEqual(['grace@example.com']);
			expect(await emails({ work_emails: 'ada@example.com', ids: grace.id })).toEqual([]);
			expect(await emails({ work_emails: 'ada@example.com', remote_ids: ada.remote_id })).toEqual(['ada@example.com']);
			expect(stub.violations).toEqual([]);
		});

		it('lists deleted learners only with include_deleted=true, and changed ones with updated_after', async () => {
			clock = Date.parse('2026-04-01T00:00:00Z');
			stub.seedLearners(demo, [{ first_name: 'Gone', work_email: 'gone@example.com', deleted: true }, { first_name: 'Late', work_email: 'late@example.com', status: 'INACTIVE' }]);
			const names = async (query: Record<string, string>) => (await listUsers(stub, query)).results.map((user) => user.first_name);

			expect(await names({})).toEqual(['Ada', 'Grace', 'Alan', 'Late']);
			expect(await names({ include_deleted: 'true' })).toEqual(['Ada', 'Grace', 'Alan', 'Gone', 'Late']);
			expect(await names({ include_deleted: 'false', work_emails: 'gone@example.com' })).toEqual([]);
			expect(await names({ updated_after: '2026-03-15T00:00:00+02:00' })).toEqual(['Late']);
			expect((await listUsers(stub, { ids: learner('late@example.com').id })).results[0].status).toBe('INACTIVE');
			expect(stub.learners(demo)[3].remote_deleted_at).toBe('2026-04-01T00:00:00.000Z');
		});

		it('pages learners with page_size and a cursor, listing each exactly once', async () => {
			stub.seedLearners(demo, Array.from({ length: 20 }, (_, index) => ({ work_email: `l${index}@example.com` })));

			const pages = await listAll(listUsers, { page_size: '7' });

			expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 2]);
			expect(new Set(pages.flat().map((user) => user.id)).size).toBe(23);
			expect(stub.violations).toEqual([]);
		});
	});

	describe('GET /lms/course-progressions', () => {
		/** Ada in courses 0 and 1, Grace in course 1, Alan in course 2 of the LMS's own courses. */
		function seedFour() {
			const [ada, , alan] = stub.learners(demo);
			const [one, two, three] = stub.courses(demo);
			return stub.seedProgressions(demo, [
				{ user_id: ada.id, course_id: one.id },
				{ user_id: ada.id, course_id: two.id },
				{ work_email: 'GRACE@example.com', course_revision_id: two.revisions[0].id, status: 'IN_PROGRESS' },
				{ user_id: `remote:${alan.remote_id}`, course_id: `remote:${three.remote_id}`, status: 'COMPLETED', completed_at: '2026-02-01T00:00:00.000Z' },
			]);
		}

		it('lists a progression with its learner and its course revision embedded', async () => {
			seedFour();
			const ada = learner('ada@example.com');
			const [one] = stub.courses(demo);

			const [first] = (await listProgressions(stub)).results;

			expect(first).toEqual({
				id: expect.stringMatching(/^prog_[A-Za-z0-9]{22}$/),
				remote_id: expect.any(String),
				user_id: ada.id,
				course_revision_id: one.revisions[0].id,
				status: 'ENROLLED',
				enrolled_at: new Date(START).toISOString(),
				completed_at: null,
				changed_at: new Date(START).toISOString(),
				remote_deleted_at: null,
				remote_data: null,
				user: { id: ada.id, remote_id: ada.remote_id, first_name: 'Ada', last_name: 'Lovelace', work_email: 'ada@example.com' },
				course_revision: { id: one.revisions[0].id, remote_id: one.revisions[0].remote_id, title: one.revisions[0].title, course: { id: one.id, remote_id: one.remote_id } },
			});
		});

		it('filters by user_ids and course_ids (course IDs, not revision IDs), ANDed, and by ids and remote_ids', async () => {
			const seeded = seedFour();
			const [ada, grace, alan] = stub.learners(demo);
			const [one, two, three] = stub.courses(demo);
			const index = async (query: Record<string, string>) =>
				(await listProgressions(stub, query)).results.map((progression) => seeded.findIndex((each) => each.id === progression.id));

			expect(await index({ user_ids: ada.id })).toEqual([0, 1]);
			expect(await index({ user_ids: `${alan.id},${grace.id}` })).toEqual([2, 3]);
			expect(await index({ course_ids: two.id })).toEqual([1, 2]);
			expect(await index({ course_ids: `${three.id},${one.id}` })).toEqual([0, 3]);
			expect(await index({ course_ids: two.revisions[0].id })).toEqual([]);
			expect(await index({ user_ids: ada.id, course_ids: two.id })).toEqual([1]);
			expect(await index({ ids: `${seeded[3].id},${seeded[0].id}` })).toEqual([0, 3]);
			expect(await index({ remote_ids: seeded[2].remote_id, user_ids: grace.id })).toEqual([2]);
			expect(await index({ remote_ids: seeded[2].remote_id, user_ids: ada.id })).toEqual([]);
			expect(stub.violations).toEqual([]);
		});

		it('lists deleted progressions only with include_deleted=true, and changed ones with updated_after', async () => {
			const [ada] = stub.learners(demo);
			const [one, two] = stub.courses(demo);
			const [gone] = stub.seedProgressions(demo, [{ user_id: ada.id, course_id: one.id, deleted: '2026-02-02T00:00:00Z' }]);
			clock = Date.parse('2026-04-01T00:00:00Z');
			const [late] = stub.seedProgressions(demo, [{ user_id: ada.id, course_id: two.id }]);
			const ids = async (query: Record<string, string>) => (await listProgressions(stub, query)).results.map((progression) => progression.id);

			expect(await ids({})).toEqual([late.id]);
			expect(await ids({ include_deleted: 'true' })).toEqual([gone.id, late.id]);
			expect(await ids({ include_deleted: 'true', user_ids: ada.id })).toEqual([gone.id, late.id]);
			expect(await ids({ include_deleted: 'true', updated_after: '2026-03-31T23:59:59Z' })).toEqual([late.id]);
			expect(await ids({ include_deleted: 'true', updated_after: '2026-04-01T00:00:00Z' })).toEqual([]);
		});

		it('pages progressions with a cursor, with and without an indexed filter, each exactly once', async () => {
			const users = stub.learners(demo);
			const courses = stub.courses(demo);
			stub.seedProgressions(
				demo,
				Array.from({ length: 45 }, (_, index) => ({ user_id: users[index % 3].id, course_id: courses[Math.floor(index / 3) % 3].id })),
			);

			const all = await listAll(listProgressions, { page_size: '10' });
			const ofTwo = await listAll(listProgressions, { page_size: '10', user_ids: `${users[0].id},${users[2].id}` });

			expect(all.map((page) => page.length)).toEqual([10, 10, 10, 10, 5]);
			expect(new Set(all.flat().map((progression) => progression.id)).size).toBe(45);
			expect(ofTwo.map((page) => page.length)).toEqual([10, 10, 10]);
			expect(new Set(ofTwo.flat().map((progression) => progression.id)).size).toBe(30);
			expect(ofTwo.flat().map((progression) => progression.id)).toEqual(
				stub.progressions(demo).filter((progression) => progression.user_id !== users[1].id).map((progression) => progression.id),
			);
			expect(stub.violations).toEqual([]);
		});

		it('lists 10,000 progressions of 2,000 learners by user_ids, 100 at a time, quickly', async () => {
			const big = await startKomboStub({ learners: 0, nativeCourses: 0 });
			try {
				const users = big.seedLearners(demo, Array.from({ length: 2000 }, (_, index) => ({ work_email: `learner${index}@example.com` })));
				const courses = big.seedCourses(demo, Array.from({ length: 50 }, (_, index) => ({ origin_id: `CAT-${index}` })));
				big.seedProgressions(
					demo,
					Array.from({ length: 10_000 }, (_, index) => ({ user_id: users[index % 2000].id, course_revision_id: courses[index % 50].revisions[0].id })),
				);
				const started = Date.now();
				const seen = new Set<string>();
				let requests = 0;
				for (let batch = 0; batch < 2000; batch += 100) {
					const userIds = users
						.slice(batch, batch + 100)
						.map((user) => user.id)
						.join(',');
					let cursor: string | null = null;
					do {
						const response = await listProgressions(big, { user_ids: userIds, page_size: '250', ...(cursor ? { cursor } : {}) });
						requests++;
						expect(response.status).toBe(200);
						for (const progression of response.results) seen.add(progression.id);
						cursor = response.json.data.next;
					} while (cursor);
				}

				expect(seen.size).toBe(10_000);
				expect(requests).toBe(40);
				expect(Date.now() - started).toBeLessThan(5000);
				expect(big.violations).toEqual([]);
			} finally {
				await big.close();
			}
		});
	});

	describe('listing queries', () => {
		it.each([
			['/lms/users', { work_email: 'ada@example.com' }, 'Unknown query parameter "work_email"'],
			['/lms/users', { user_ids: 'user_x' }, 'Unknown query parameter "user_ids"'],
			['/lms/users', { work_emails: ' , ' }, 'work_emails must list at least one value'],
			['/lms/users', { page_size: '251' }, 'page_size must be a whole number from 1 to 250'],
			['/lms/users', { updated_after: '2026-01-31' }, 'RFC 3339'],
			['/lms/users', { include_deleted: 'yes' }, 'include_deleted must be true or false'],
			['/lms/users', { ignore_unsupported_filters: '1' }, 'ignore_unsupported_filters must be true or false'],
			['/lms/users', { cursor: 'abc' }, 'is not one this API returned'],
			['/lms/course-progressions', { work_emails: 'ada@example.com' }, 'Unknown query parameter "work_emails"'],
			['/lms/course-progressions', { course_revision_ids: 'rev_x' }, 'Unknown query parameter "course_revision_ids"'],
			['/lms/course-progressions', { user_ids: '' }, 'user_ids must list at least one value'],
			['/lms/course-progressions', { course_ids: ',' }, 'course_ids must list at least one value'],
			['/lms/course-progressions', { page_size: '0' }, 'page_size must be a whole number from 1 to 250'],
			['/lms/course-progressions', { updated_after: 'yesterday' }, 'RFC 3339'],
			['/lms/courses', { ignore_unsupported_filters: 'TRUE' }, 'ignore_unsupported_filters must be true or false'],
		])('refuses GET %s?%p as a contract violation', async (route, query, message) => {
			const response = await call(stub, 'GET', `${route}?${new URLSearchParams(query)}`);

			expect(response.status).toBe(400);
			expect(response.json.error.code).toBe('PLATFORM.INPUT_INVALID');
			expect(response.json.error.message).toContain(message);
			expect(stub.violations.map((violation) => violation.kind)).toEqual(['query']);
		});

		it('accepts ignore_unsupported_filters=true or false on the courses, users and progressions listings', async () => {
			for (const route of ['/lms/courses', '/lms/users', '/lms/course-progressions']) {
				for (const value of ['true', 'false']) {
					expect([route, value, (await call(stub, 'GET', `${route}?ignore_unsupported_filters=${value}`)).status]).toEqual([route, value, 200]);
				}
			}
			expect(stub.violations).toEqual([]);
		});

		it('refuses a cursor sent with other filters, or to the other listing, and takes it with the same filters', async () => {
			stub.seedLearners(demo, Array.from({ length: 5 }, (_, index) => ({ work_email: `l${index}@example.com` })));
			const [ada] = stub.learners(demo);
			stub.seedProgressions(demo, [0, 1, 2].map((index) => ({ user_id: ada.id, course_id: stub.courses(demo)[index].id })));
			const users = await listUsers(stub, { page_size: '2', include_deleted: 'false' });
			const progressions = await listProgressions(stub, { page_size: '1', user_ids: ada.id });
			const userCursor = users.json.data.next as string;
			const progressionCursor = progressions.json.data.next as string;

			const otherFilters = await listUsers(stub, { page_size: '2', cursor: userCursor });
			const otherUserIds = await listProgressions(stub, { page_size: '1', user_ids: `${ada.id},user_x`, cursor: progressionCursor });
			const otherListing = await listProgressions(stub, { page_size: '2', include_deleted: 'false', cursor: userCursor });
			const sameUsers = await listUsers(stub, { page_size: '3', include_deleted: 'false', cursor: userCursor });
			const sameProgressions = await listProgressions(stub, { page_size: '1', user_ids: ada.id, cursor: progressionCursor });

			expect([otherFilters, otherUserIds, otherListing].map((response) => response.status)).toEqual([400, 400, 400]);
			expect(otherFilters.json.error.message).toContain('Send the same filters with every page');
			expect(sameUsers.results.map((user) => user.work_email)).toEqual(['alan@example.com', 'l0@example.com', 'l1@example.com']);
			expect(sameProgressions.results).toHaveLength(1);
			expect(sameProgressions.results[0].id).not.toBe(progressions.results[0].id);
			expect(stub.violations.map((violation) => violation.kind)).toEqual(['query', 'query', 'query']);
		});
	});

	describe('POST /lms/course-progressions (enrol)', () => {
		it('enrols a learner in a course revision, by Kombo IDs or remote:<id>, as a write', async () => {
			const ada = learner('ada@example.com');
			const grace = learner('grace@example.com');
			const [one, two] = stub.courses(demo);
			clock = Date.parse('2026-03-03T10:30:00Z');

			const byId = await enrol(stub, ada.id, one.revisions[0].id);
			const byRemote = await enrol(stub, `remote:${grace.remote_id}`, `remote:${two.revisions[0].remote_id}`);

			expect(byId.status).toBe(200);
			expect(byId.json).toEqual({
				status: 'success',
				data: expect.objectContaining({
					id: expect.stringMatching(/^prog_[A-Za-z0-9]{22}$/),
					user_id: ada.id,
					course_revision_id: one.revisions[0].id,
					status: 'ENROLLED',
					enrolled_at: '2026-03-03T10:30:00.000Z',
					completed_at: null,
					changed_at: '2026-03-03T10:30:00.000Z',
					remote_deleted_at: null,
					course_revision: expect.objectContaining({ id: one.revisions[0].id, course: { id: one.id, remote_id: one.remote_id } }),
				}),
				warnings: [],
			});
			expect(byRemote.json.data).toMatchObject({ user_id: grace.id, course_revision_id: two.revisions[0].id });
			expect(byId.headers.get('concurrency-limit')).toBe('30');
			expect(byId.headers.get('concurrency-remaining')).toBe('29');
			expect((await listProgressions(stub, { course_ids: one.id })).results.map((progression) => progression.id)).toEqual([byId.json.data.id]);
			expect(stub.progression(demo, `remote:${byRemote.json.data.remote_id}`)?.id).toBe(byRemote.json.data.id);
			expect(stub.stats()).toMatchObject({ enrolments: 2, duplicateEnrolments: 0 });
			expect(stub.enrolments().map((request) => request.status)).toEqual([200, 200]);
			expect(stub.violations).toEqual([]);
		});

		it('makes a second progression when a learner is enrolled twice in one revision, and counts it as a duplicate', async () => {
			const ada = learner('ada@example.com');
			const revision = revisionOf(0);

			const first = await enrol(stub, ada.id, revision.id);
			const second = await enrol(stub, `remote:${ada.remote_id}`, revision.id);
			const otherRevision = await enrol(stub, ada.id, revisionOf(1).id);

			expect([first.status, second.status, otherRevision.status]).toEqual([200, 200, 200]);
			expect(second.json.data.id).not.toBe(first.json.data.id);
			expect(stub.progressions(demo).filter((progression) => progression.course_revision_id === revision.id)).toHaveLength(2);
			expect(stub.stats()).toMatchObject({ enrolments: 3, duplicateEnrolments: 1 });
		});

		it('refuses an enrolment in an inactive revision as the LMS would, REMOTE.INPUT_INVALID', async () => {
			const [one] = stub.courses(demo);
			await call(stub, 'POST', `/lms/courses/${one.id}/deactivate`, { body: {} });

			const response = await enrol(stub, learner('ada@example.com').id, one.revisions[0].id);

			expect(response.status).toBe(400);
			expect(response.json.error).toMatchObject({ code: 'REMOTE.INPUT_INVALID', message: expect.stringContaining('no enrolments in an inactive revision') });
			expect(stub.progressions(demo)).toEqual([]);
			expect(stub.violations).toEqual([]);
		});

		it('answers an unknown or deleted learner, or an unknown revision, with a 404 that names it', async () => {
			const ada = learner('ada@example.com');
			const revision = revisionOf(0);

			const unknownUser = await enrol(stub, 'user_nobody', revision.id);
			const unknownRemoteUser = await enrol(stub, 'remote:nobody', revision.id);
			const unknownRevision = await enrol(stub, ada.id, 'rev_nothing');
			const otherIntegration = await enrol(stub, ada.id, revisionOf(0, 'sandbox:second').id);
			const [gone] = stub.seedLearners(demo, [{ work_email: 'gone@example.com', deleted: true }]);
			const deleted = await enrol(stub, gone.id, revision.id);

			for (const response of [unknownUser, unknownRemoteUser, unknownRevision, otherIntegration, deleted]) {
				expect(response.status).toBe(404);
				expect(response.json.error.code).toBe('PLATFORM.INPUT_INVALID');
			}
			expect(unknownUser.json.error.message).toContain('Learner not found: no user with the ID "user_nobody"');
			expect(unknownRevision.json.error.message).toContain('Course revision not found: no course revision with the ID "rev_nothing"');
			expect(deleted.json.error.message).toContain('(deleted in the LMS)');
			expect(stub.progressions(demo)).toEqual([]);
			expect(stub.violations).toEqual([]);
		});

		it.each([
			['an extra field', { user_id: 'user_a', course_revision_id: 'rev_a', status: 'ENROLLED' }, ['status']],
			['no user_id', { course_revision_id: 'rev_a' }, ['user_id']],
			['an empty course_revision_id', { user_id: 'user_a', course_revision_id: '' }, ['course_revision_id']],
			['a bare remote: prefix', { user_id: 'remote:', course_revision_id: 'rev_a' }, ['user_id']],
			['a number as user_id', { user_id: 7, course_revision_id: 'rev_a' }, ['user_id']],
			['a course_id instead of a revision', { user_id: 'user_a', course_id: 'course_a' }, ['course_id', 'course_revision_id']],
			['an array', [{ user_id: 'user_a', course_revision_id: 'rev_a' }], ['body']],
		])('refuses an enrolment body with %s as a contract violation', async (_case, body, fields) => {
			const response = await call(stub, 'POST', '/lms/course-progressions', { body });

			expect(response.status).toBe(400);
			expect(response.json.error.code).toBe('PLATFORM.INPUT_INVALID');
			expect(stub.violations.map((violation) => [violation.kind, violation.fields])).toEqual([['schema', fields]]);
			expect(stub.progressions(demo)).toEqual([]);
		});

		it('counts enrolments against the concurrency limit for writes', async () => {
			stub.configure({ concurrencyLimit: 0 });

			const response = await enrol(stub, learner('ada@example.com').id, revisionOf(0).id);

			expect(response.status).toBe(429);
			expect(response.json.error.code).toBe('PLATFORM.CONCURRENCY_LIMIT_EXCEEDED');
			expect(response.headers.get('concurrency-remaining')).toBe('0');
			expect(stub.violations.map((violation) => violation.kind)).toEqual(['concurrency']);
		});
	});

	describe('POST /lms/course-progressions/:id/complete', () => {
		async function enrolled(email = 'ada@example.com', courseIndex = 0) {
			return (await enrol(stub, learner(email).id, revisionOf(courseIndex).id)).json.data;
		}

		it('completes on a date given as YYYY-MM-DD at midnight UTC, and records no score', async () => {
			const progression = await enrolled();
			clock = Date.parse('2026-03-05T12:00:00Z');

			const response = await complete(stub, progression.id, { completed_at: '2024-04-15' });

			expect(response.status).toBe(200);
			expect(response.json).toEqual({
				status: 'success',
				data: expect.objectContaining({ id: progression.id, status: 'COMPLETED', completed_at: '2024-04-15T00:00:00.000Z', changed_at: '2026-03-05T12:00:00.000Z' }),
				warnings: [],
			});
			expect(response.headers.get('concurrency-remaining')).toBe('29');
			expect(stub.completionsOf(demo)).toEqual([{ progression_id: progression.id, completed_at: '2024-04-15T00:00:00.000Z', score: null }]);
			expect(stub.progression(demo, progression.id)).toMatchObject({ status: 'COMPLETED', completed_at: '2024-04-15T00:00:00.000Z' });
			expect(stub.violations).toEqual([]);
		});

		it('completes at a date-time with a zone, by remote:<id>, and records the score', async () => {
			const progression = await enrolled();

			const response = await complete(stub, `remote:${progression.remote_id}`, { completed_at: '2024-04-15T10:15:00+02:00', score: 93 });

			expect(response.json.data).toMatchObject({ id: progression.id, status: 'COMPLETED', completed_at: '2024-04-15T08:15:00.000Z' });
			expect(stub.completionsOf(demo)).toEqual([{ progression_id: progression.id, completed_at: '2024-04-15T08:15:00.000Z', score: 93 }]);
			expect((await listProgressions(stub, { ids: progression.id })).results[0]).toMatchObject({ status: 'COMPLETED', completed_at: '2024-04-15T08:15:00.000Z' });
		});

		it('completes now when no date is given, with a score of 0 or 100 as well', async () => {
			const first = await enrolled('ada@example.com');
			const second = await enrolled('grace@example.com');
			clock = Date.parse('2026-03-06T07:00:00Z');

			await complete(stub, first.id, { score: 0 });
			await complete(stub, second.id, { score: 100 });

			expect(stub.completionsOf(demo)).toEqual([
				{ progression_id: first.id, completed_at: '2026-03-06T07:00:00.000Z', score: 0 },
				{ progression_id: second.id, completed_at: '2026-03-06T07:00:00.000Z', score: 100 },
			]);
			expect(stub.stats()).toMatchObject({ completions: 2, recompletions: 0 });
		});

		it('accepts a second completion of a completed progression, and counts it as a recompletion', async () => {
			const progression = await enrolled();

			const first = await complete(stub, progression.id, { completed_at: '2024-04-15' });
			const second = await complete(stub, progression.id, { completed_at: '2024-04-16', score: 80 });

			expect([first.status, second.status]).toEqual([200, 200]);
			expect(second.json.data.completed_at).toBe('2024-04-16T00:00:00.000Z');
			expect(stub.completionsOf(demo).map((completion) => completion.score)).toEqual([null, 80]);
			expect(stub.stats()).toMatchObject({ completions: 2, recompletions: 1 });
			expect(stub.completions().map((request) => request.status)).toEqual([200, 200]);
		});

		it.each([
			['an extra field', { score: 90, passed: true }, ['passed']],
			['a fractional score', { score: 93.5 }, ['score']],
			['a score as a string', { score: '93' }, ['score']],
			['a score above 100', { score: 101 }, ['score']],
			['a negative score', { score: -1 }, ['score']],
			['a null score', { score: null }, ['score']],
			['a day that does not exist', { completed_at: '2024-02-30' }, ['completed_at']],
			['a date-time without a zone', { completed_at: '2024-04-15T10:15:00' }, ['completed_at']],
			['a date in another format', { completed_at: '15.04.2024' }, ['completed_at']],
			['a timestamp number', { completed_at: 1713175200000 }, ['completed_at']],
			['two problems', { completed_at: 'today', score: 200 }, ['completed_at', 'score']],
			['an array', [], ['body']],
		])('refuses a completion body with %s as a contract violation', async (_case, body, fields) => {
			const progression = await enrolled();

			const response = await call(stub, 'POST', `/lms/course-progressions/${progression.id}/complete`, { body });

			expect(response.status).toBe(400);
			expect(response.json.error.code).toBe('PLATFORM.INPUT_INVALID');
			expect(stub.violations.map((violation) => [violation.kind, violation.fields])).toEqual([['schema', fields]]);
			expect(stub.progression(demo, progression.id)?.status).toBe('ENROLLED');
			expect(stub.completionsOf(demo)).toEqual([]);
		});

		it('requires a JSON body on a completion, {} at least', async () => {
			const progression = await enrolled();
			const route = `/lms/course-progressions/${progression.id}/complete`;

			const noBody = await call(stub, 'POST', route, { headers: { 'Content-Type': 'application/json' } });
			const notJson = await call(stub, 'POST', route, { rawBody: '{}' });
			const empty = await complete(stub, progression.id, {});

			expect([noBody.status, notJson.status, empty.status]).toEqual([400, 400, 200]);
			expect(stub.violations.map((violation) => violation.kind)).toEqual(['schema', 'header']);
		});

		it('answers an unknown progression with a 404 that names it', async () => {
			const progression = await enrolled();

			const unknown = await complete(stub, 'prog_nothing');
			const unknownRemote = await complete(stub, 'remote:nothing');
			const otherIntegration = await complete(stub, progression.id, {}, { integrationId: 'sandbox:second' });

			for (const response of [unknown, unknownRemote, otherIntegration]) {
				expect(response.status).toBe(404);
				expect(response.json.error.code).toBe('PLATFORM.INPUT_INVALID');
			}
			expect(unknown.json.error.message).toContain('Course progression not found: no course progression with the ID "prog_nothing"');
			expect(stub.violations).toEqual([]);
		});
	});

	describe('refusals', () => {
		it("refuses completions where the LMS cannot complete, 400 INTEGRATION.ACTION_NOT_AVAILABLE, and says so in the integration's write actions", async () => {
			const progression = (await enrol(stub, learner('ada@example.com').id, revisionOf(0).id)).json.data;
			stub.configure({ refuseCompletion: [demo] });

			const refused = await complete(stub, progression.id, { score: 50 });
			const integration = await call(stub, 'GET', `/integrations/${encodeURIComponent(demo)}`, { integrationId: null });
			const other = await call(stub, 'GET', '/integrations/sandbox%3Asecond', { integrationId: null });
			const enrolment = await enrol(stub, learner('grace@example.com').id, revisionOf(0).id);

			expect(refused.status).toBe(400);
			expect(refused.json.error).toMatchObject({
				code: 'INTEGRATION.ACTION_NOT_AVAILABLE',
				title: 'Action not available',
				message: "Completing course progressions is not available for this integration's LMS.",
			});
			expect(enrolment.status).toBe(200);
			const actions = (response: typeof integration) =>
				(response.json.data as unknown as { write_actions: Array<{ id: string; is_available: boolean }> }).write_actions.map((action) => [action.id, action.is_available]);
			expect(actions(integration)).toEqual([
				['lms_upsert_courses', true],
				['lms_create_course_progression', true],
				['lms_complete_course_progression', false],
			]);
			expect(actions(other)).toContainEqual(['lms_complete_course_progression', true]);
			expect(stub.progression(demo, progression.id)?.status).toBe('ENROLLED');
			expect(stub.violations).toEqual([]);
		});

		it('refuses enrolments and completions without the permission, 403 INTEGRATION.PERMISSION_MISSING naming it', async () => {
			const progression = (await enrol(stub, learner('ada@example.com').id, revisionOf(0).id)).json.data;
			stub.configure({ missingProgressionPermission: [demo] });

			const enrolment = await enrol(stub, learner('grace@example.com').id, revisionOf(0).id);
			const completion = await complete(stub, progression.id);
			const elsewhere = await enrol(stub, learner('ada@example.com', 'sandbox:second').id, revisionOf(0, 'sandbox:second').id, { integrationId: 'sandbox:second' });

			for (const response of [enrolment, completion]) {
				expect(response.status).toBe(403);
				expect(response.json.error).toMatchObject({ code: 'INTEGRATION.PERMISSION_MISSING', message: expect.stringContaining('"Create and manage course progressions"') });
			}
			expect(elsewhere.status).toBe(200);
			expect(stub.progressions(demo)).toHaveLength(1);
			expect(stub.violations).toEqual([]);
		});

		it('takes refusals as start options as well', async () => {
			const refusing = await startKomboStub({ refuseCompletion: ['sandbox:second'], missingProgressionPermission: [demo] });
			try {
				const user = refusing.learners('sandbox:second')[0];
				const revision = refusing.courses('sandbox:second')[0].revisions[0];
				const progression = (await enrol(refusing, user.id, revision.id, { integrationId: 'sandbox:second' })).json.data;

				expect((await complete(refusing, progression.id, {}, { integrationId: 'sandbox:second' })).json.error.code).toBe('INTEGRATION.ACTION_NOT_AVAILABLE');
				expect((await enrol(refusing, refusing.learners(demo)[0].id, refusing.courses(demo)[0].revisions[0].id)).json.error.code).toBe('INTEGRATION.PERMISSION_MISSING');
			} finally {
				await refusing.close();
			}
		});
	});

	describe('seeds and reset', () => {
		it('starts from the learners and progressions seeded, after every reset, with the active revision of a course named by origin ID', async () => {
			const seeded = await startKomboStub({
				learners: 1,
				seedCourses: {
					[demo]: [
						{
							origin_id: 'CAT-1',
							revisions: [
								{ title: 'Old', status: 'INACTIVE' },
								{ title: 'Current', status: 'ACTIVE' },
								{ title: 'Draft', status: 'INACTIVE' },
							],
						},
					],
				},
				seedLearners: { [demo]: [{ id: 'user_fixed', first_name: 'Linus', work_email: 'Linus@Example.com', status: 'INACTIVE' }] },
				seedProgressions: { [demo]: [{ work_email: 'linus@example.com', origin_id: 'CAT-1', status: 'COMPLETED', completed_at: '2026-01-10T00:00:00.000Z' }] },
			});
			try {
				const check = () => {
					expect(seeded.learners(demo).map((user) => user.work_email)).toEqual(['ada@example.com', 'Linus@Example.com']);
					expect(seeded.learners('sandbox:second')).toHaveLength(1);
					expect(seeded.progressions(demo)).toEqual([
						expect.objectContaining({ user_id: 'user_fixed', status: 'COMPLETED', completed_at: '2026-01-10T00:00:00.000Z', course_revision: expect.objectContaining({ title: 'Current' }) }),
					]);
				};
				check();
				const progression = seeded.progressions(demo)[0];
				await enrol(seeded, 'user_fixed', progression.course_revision_id);
				await complete(seeded, progression.id);
				expect(seeded.stats()).toMatchObject({ enrolments: 1, duplicateEnrolments: 1, completions: 1, recompletions: 1 });

				seeded.reset();

				check();
				expect(seeded.progressions(demo)[0].id).not.toBe(progression.id);
				expect(seeded.completionsOf(demo)).toEqual([]);
				expect(seeded.stats()).toMatchObject({ enrolments: 0, duplicateEnrolments: 0, completions: 0, recompletions: 0, userListings: 0, progressionListings: 0 });
			} finally {
				await seeded.close();
			}
		});

		it('drops learners and progressions added since the last reset, and restores the three default learners', async () => {
			stub.seedLearners(demo, [{ work_email: 'extra@example.com' }]);
			await enrol(stub, learner('ada@example.com').id, revisionOf(0).id);
			await listUsers(stub);

			stub.reset();

			expect(stub.learners(demo).map((user) => user.work_email)).toEqual(['ada@example.com', 'grace@example.com', 'alan@example.com']);
			expect(stub.progressions(demo)).toEqual([]);
			expect(stub.userListings()).toEqual([]);
			expect(stub.enrolments()).toEqual([]);
		});

		it('names more default learners than there are names by numbering their work emails', async () => {
			const many = await startKomboStub({ learners: 10 });
			try {
				const emails = many.learners(demo).map((user) => user.work_email);
				expect(emails.slice(0, 3)).toEqual(['ada@example.com', 'grace@example.com', 'alan@example.com']);
				expect(emails.slice(8)).toEqual(['ada2@example.com', 'grace2@example.com']);
				expect(new Set(emails).size).toBe(10);
			} finally {
				await many.close();
			}
		});

		it('throws on a seeded progression whose learner or course is not there', () => {
			expect(() => stub.seedProgressions(demo, [{ work_email: 'nobody@example.com', course_id: stub.courses(demo)[0].id }])).toThrow(/no such learner/);
			expect(() => stub.seedProgressions(demo, [{ work_email: 'ada@example.com', origin_id: 'NOPE' }])).toThrow(/no such course or revision/);
		});
	});
});
