import { CourseDirectory, courseDirectories, PROGRESSIONS, USERS } from '../../../../nodes/Kombo/engine/directory';
import { listAll, lookUp } from '../../../../nodes/Kombo/engine/listing';
import { failure } from '../../../helpers/failure';
import { fakeLms } from '../../../helpers/lms';

describe('lookUp', () => {
	it('asks for 100 values a request, at most 4 requests at once, and returns each record once', async () => {
		let inFlight = 0;
		let most = 0;
		const lms = fakeLms();
		lms.learners.seedLearners('int:a', Array.from({ length: 450 }, (_, index) => ({ work_email: `l${index}@example.com` })));
		const slow = lms.client.request.bind(lms.client);
		lms.client.request = (async (request: Parameters<typeof slow>[0]) => {
			inFlight++;
			most = Math.max(most, inFlight);
			await lms.clock.sleep(10);
			try {
				return await slow(request);
			} finally {
				inFlight--;
			}
		}) as typeof slow;
		const emails = Array.from({ length: 450 }, (_, index) => `l${index}@example.com`);
		const found = await lookUp(lms.client, USERS, { integrationId: 'int:a', values: [...emails, 'l0@example.com'], filtersFor: (chunk) => ({ workEmails: chunk }) });

		expect(found).toHaveLength(450);
		expect(new Set(found.map((user) => user.id)).size).toBe(450);
		expect(lms.sent.map((request) => request.query.work_emails.split(',').length)).toEqual([100, 100, 100, 100, 51]);
		expect(most).toBe(4);
	});

	it('keeps a record that two groups both list once, in the order first listed', async () => {
		const lms = fakeLms();
		const [one, two] = lms.learners.seedLearners('int:a', [{ work_email: 'a@x.io' }, { work_email: 'b@x.io' }]);
		const values = [one.id, ...Array.from({ length: 99 }, (_, index) => `pad${index}`), two.id, one.id];
		const found = await lookUp(lms.client, USERS, { integrationId: 'int:a', values, filtersFor: (chunk) => ({ ids: chunk }) });

		expect(found.map((user) => user.id)).toEqual([one.id, two.id]);
	});
});

describe('listAll', () => {
	it('names the records of the endpoint when a cursor comes back', async () => {
		const lms = fakeLms({
			intercept: (request) => ({ status: 200, body: JSON.stringify({ status: 'success', data: { next: 'again', results: [{ id: `p${request.query.cursor ?? 0}` }] } }) }),
		});
		const error = await failure(listAll(lms.client, PROGRESSIONS, { integrationId: 'int:a', filters: {}, itemIndex: 2 }));

		expect(error.message).toBe('Kombo returned the same page of course progressions twice');
		expect(error.description).toBe('The cursor "again" came back after 2 course progressions, so following it would never end. Try again later; if it persists, contact Kombo support.');
		expect(lms.sent.map((request) => request.path)).toEqual(['/v1/lms/course-progressions', '/v1/lms/course-progressions']);
	});
});

describe('CourseDirectory', () => {
	function withCourses() {
		const lms = fakeLms();
		const courses = lms.courses.seed('int:a', [
			{ origin_id: 'CAT-1', revisions: [{ status: 'INACTIVE' }, { status: 'ACTIVE' }] },
			{ origin_id: null },
			{ origin_id: 'CAT-3' },
			{ origin_id: 'CAT-GONE', deleted: true },
		]);
		return { lms, courses, directory: new CourseDirectory(lms.client, 'int:a') };
	}

	it('lists every course once however often it is asked, and finds them by ID, origin ID and revision', async () => {
		const { lms, courses, directory } = withCourses();
		await Promise.all([directory.loadAll(), directory.loadAll()]);
		await directory.loadAll();

		expect(lms.sent).toHaveLength(1);
		expect(directory.courseByOriginId('CAT-1')?.id).toBe(courses[0].id);
		expect(directory.course(courses[1].id)?.id).toBe(courses[1].id);
		expect(directory.courseOfRevision(courses[0].revisions[0].id)?.id).toBe(courses[0].id);
		expect(directory.courseByOriginId('CAT-GONE')).toBeUndefined();
		expect(directory.originIdOf(courses[0].id)).toBe('CAT-1');
		expect(directory.originIdOf(courses[1].id)).toBeNull();
		expect(directory.originIdOf('unknown')).toBeNull();
	});

	it('looks up only the course IDs it does not know yet, and none after listing everything', async () => {
		const { lms, courses, directory } = withCourses();
		await directory.loadIds([courses[0].id, courses[0].id]);
		await directory.loadIds([courses[0].id, courses[2].id]);
		await directory.loadIds([]);
		await directory.loadIds([undefined, courses[2].id]);

		expect(lms.sent.map((request) => request.query.ids)).toEqual([courses[0].id, courses[2].id]);
		await directory.loadAll();
		await directory.loadIds([courses[1].id]);
		expect(lms.sent).toHaveLength(3);
	});

	it('waits for a whole listing under way instead of asking for single courses', async () => {
		const { lms, courses, directory } = withCourses();
		await Promise.all([directory.loadAll(), directory.loadIds([courses[0].id])]);

		expect(lms.sent.map((request) => request.query)).toEqual([{ page_size: '250' }]);
	});

	it('files a course under each revision Kombo lists, skipping a revision that is not there', async () => {
		const lms = fakeLms({
			intercept: () => ({ status: 200, body: JSON.stringify({ status: 'success', data: { next: null, results: [{ id: 'c1', origin_id: 'O', revisions: [null, { id: 'r1' }] }] } }) }),
		});
		const directory = new CourseDirectory(lms.client, 'int:a');
		await directory.loadAll();

		expect(directory.courseOfRevision('r1')?.id).toBe('c1');
	});

	it('keeps the first course listed for an origin ID', async () => {
		const lms = fakeLms();
		const [first] = lms.courses.seed('int:a', [{ origin_id: 'CAT-1' }, { origin_id: 'CAT-1' }]);
		const directory = new CourseDirectory(lms.client, 'int:a');
		await directory.loadAll();

		expect(directory.courseByOriginId('CAT-1')?.id).toBe(first.id);
	});

	it('gives each integration one directory for the whole execution', () => {
		const { lms } = withCourses();
		const directoryOf = courseDirectories(lms.client);

		expect(directoryOf('int:a')).toBe(directoryOf('int:a'));
		expect(directoryOf('int:b')).not.toBe(directoryOf('int:a'));
		expect(directoryOf('int:b').integrationId).toBe('int:b');
	});
});
