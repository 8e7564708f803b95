import type { NodeApiError } from 'n8n-workflow';

import { courseDirectories } from '../../../../nodes/Kombo/engine/directory';
import type { JobOutcome, ProgressionJob } from '../../../../nodes/Kombo/engine/progressions';
import { progressionHints, runProgressionJobs } from '../../../../nodes/Kombo/engine/progressions';
import { failure } from '../../../helpers/failure';
import type { Interception, LmsRequest } from '../../../helpers/lms';
import { fakeLms } from '../../../helpers/lms';

type Lms = ReturnType<typeof fakeLms>;

function setUp(intercept?: (request: LmsRequest, index: number) => Interception, signal?: AbortSignal, sleepTicks?: number) {
	const lms = fakeLms({ intercept, signal, sleepTicks });
	const [course] = lms.courses.seed('int:a', [{ origin_id: 'CAT-1', title: 'One' }]);
	const learners = lms.learners.seedLearners('int:a', [
		{ first_name: 'Ada', work_email: 'ada@example.com' },
		{ first_name: 'Grace', work_email: 'grace@example.com' },
	]);
	return { lms, course, ada: learners[0], grace: learners[1] };
}

const byEmail = (email: string, originId = 'CAT-1') => ({ by: 'learnerAndCourse' as const, learner: { by: 'email' as const, email }, course: { by: 'originId' as const, originId } });

/** A job as the operations make it: Complete with Enroll If Needed on unless told otherwise, Enroll without it. */
function job(itemIndex: number, action: 'enroll' | 'complete', target: ProgressionJob['target'], extra: Partial<ProgressionJob> = {}): ProgressionJob {
	return { itemIndex, integrationId: 'int:a', action, target, completion: {}, ...(action === 'complete' ? { enrollIfNeeded: true } : {}), ...extra };
}

async function run(lms: Lms, jobs: ProgressionJob[], continueOnFail = true) {
	return await runProgressionJobs(lms.client, jobs, { continueOnFail, directoryOf: courseDirectories(lms.client) });
}

const posts = (lms: Lms) => lms.lines().filter((line) => line.startsWith('POST'));
const jsonOf = (outcome: JobOutcome) => ('json' in outcome ? outcome.json : undefined);
const failed = (outcome: JobOutcome) => {
	if (!('error' in outcome)) throw new Error(`no failure: ${JSON.stringify(outcome)}`);
	return outcome;
};

describe('runProgressionJobs: Complete', () => {
	it('completes an enrollment with the date and score, and says what it did with every ID involved', async () => {
		const { lms, course, ada } = setUp();
		const [existing] = lms.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', origin_id: 'CAT-1' }]);
		const [outcome] = await run(lms, [job(3, 'complete', byEmail('ADA@example.com'), { completion: { completed_at: '2026-04-15', score: 93 } })]);

		expect(posts(lms)).toEqual([`POST /lms/course-progressions/${existing.id}/complete`]);
		expect(lms.sent.at(-1)?.body).toEqual({ completed_at: '2026-04-15', score: 93 });
		expect(outcome).toEqual({
			itemIndex: 3,
			json: {
				status: 'COMPLETED',
				course_progression_id: existing.id,
				progression_status: 'COMPLETED',
				user_id: ada.id,
				work_email: 'ada@example.com',
				course_id: course.id,
				origin_id: 'CAT-1',
				course_revision_id: course.revisions[0].id,
				enrolled_at: existing.enrolled_at,
				completed_at: '2026-04-15T00:00:00.000Z',
				score: 93,
				enrolled: false,
				integration_id: 'int:a',
				progression: expect.objectContaining({ id: existing.id, status: 'COMPLETED' }),
			},
		});
	});

	it('looks learners up by their emails in lower case, courses once, and progressions of those learners in those courses', async () => {
		const { lms, course, ada, grace } = setUp();
		await run(lms, [job(0, 'complete', byEmail('Ada@Example.com')), job(1, 'complete', byEmail('grace@example.com'))]);

		const gets = lms.sent.filter((request) => request.method === 'GET').map((request) => [request.path.replace('/v1', ''), request.query]);
		expect(gets).toEqual([
			['/lms/users', { page_size: '250', work_emails: 'ada@example.com,grace@example.com' }],
			['/lms/courses', { page_size: '250' }],
			['/lms/course-progressions', { page_size: '250', user_ids: `${ada.id},${grace.id}`, course_ids: course.id }],
		]);
	});

	it('does not narrow progressions to the courses when they would not fit one request', async () => {
		const lms = fakeLms();
		lms.courses.seed('int:a', Array.from({ length: 101 }, (_, index) => ({ origin_id: `CAT-${index}` })));
		lms.learners.seedLearners('int:a', [{ work_email: 'ada@example.com' }]);
		await run(lms, Array.from({ length: 101 }, (_, index) => job(index, 'complete', byEmail('ada@example.com', `CAT-${index}`))));

		const progressions = lms.sent.filter((request) => request.path.endsWith('/lms/course-progressions') && request.method === 'GET');
		expect(progressions.map((request) => request.query.course_ids)).toEqual([undefined]);
		expect(lms.learners.completions('int:a')).toHaveLength(101);
	});

	it('enrolls first when needed, in the course’s active revision, and completes that enrollment', async () => {
		const { lms, ada } = setUp();
		const [course] = lms.courses.seed('int:a', [{ origin_id: 'CAT-2', revisions: [{ status: 'ACTIVE' }, { status: 'INACTIVE' }] }]);
		const [outcome] = await run(lms, [job(0, 'complete', byEmail('ada@example.com', 'CAT-2'))]);

		const [made] = lms.learners.progressions('int:a');
		expect(posts(lms)).toEqual(['POST /lms/course-progressions', `POST /lms/course-progressions/${made.id}/complete`]);
		expect(lms.sent.find((request) => request.method === 'POST')?.body).toEqual({ user_id: ada.id, course_revision_id: course.revisions[0].id });
		expect(jsonOf(outcome)).toMatchObject({ status: 'COMPLETED', enrolled: true, course_progression_id: made.id, score: null });
	});

	it('with Enroll If Needed off, fails an item whose learner is not enrolled before anything is sent', async () => {
		const { lms } = setUp();
		lms.learners.seedProgressions('int:a', [{ work_email: 'grace@example.com', origin_id: 'CAT-1' }]);
		const jobs = [job(0, 'complete', byEmail('grace@example.com'), { enrollIfNeeded: false }), job(1, 'complete', byEmail('ada@example.com'), { enrollIfNeeded: false })];

		const error = await failure(run(lms, jobs, false));
		expect(error.message).toBe('The learner ada@example.com is not enrolled in this course (Course Origin ID "CAT-1") [item 1]');
		expect(error.description).toMatch(/^Turn on Enroll If Needed to enroll the learner first, or enroll them with Course Progression → Enroll\. Kombo reads/);
		expect(posts(lms)).toEqual([]);

		const outcomes = await run(lms, jobs);
		expect(failed(outcomes[1]).details).toEqual({
			status: 'NOT_FOUND',
			item: 1,
			field: 'Course Origin ID',
			value: 'CAT-1',
			integration_id: 'int:a',
			description: failed(outcomes[1]).error.description,
		});
		expect(jsonOf(outcomes[0])?.status).toBe('COMPLETED');
	});

	it('leaves a completed course alone and gives Kombo’s completion date, with no score', async () => {
		const { lms } = setUp();
		const [done] = lms.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', origin_id: 'CAT-1', status: 'COMPLETED', completed_at: '2026-01-02T03:04:05.000Z' }]);
		const [outcome] = await run(lms, [job(0, 'complete', byEmail('ada@example.com'), { completion: { score: 50 } })]);

		expect(posts(lms)).toEqual([]);
		expect(jsonOf(outcome)).toMatchObject({ status: 'ALREADY_COMPLETED', course_progression_id: done.id, completed_at: '2026-01-02T03:04:05.000Z', score: null, enrolled: false });
	});

	it('finds a completion among several enrollments of the learner in the course, in any of its revisions', async () => {
		const { lms } = setUp();
		const [course] = lms.courses.seed('int:a', [{ origin_id: 'CAT-3', revisions: [{ status: 'INACTIVE' }, { status: 'ACTIVE' }] }]);
		lms.learners.seedProgressions('int:a', [
			{ work_email: 'ada@example.com', course_revision_id: course.revisions[0].id, status: 'COMPLETED' },
			{ work_email: 'ada@example.com', course_revision_id: course.revisions[1].id, status: 'ENROLLED' },
		]);
		const [outcome] = await run(lms, [job(0, 'complete', byEmail('ada@example.com', 'CAT-3'))]);

		expect(jsonOf(outcome)?.status).toBe('ALREADY_COMPLETED');
	});

	it('completes a course the learner is enrolled in even when it takes no new enrollments', async () => {
		const { lms } = setUp();
		lms.courses.seed('int:a', [{ origin_id: 'CAT-OFF', status: 'INACTIVE' }]);
		lms.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', origin_id: 'CAT-OFF' }]);
		const [outcome] = await run(lms, [job(0, 'complete', byEmail('ada@example.com', 'CAT-OFF'))]);

		expect(jsonOf(outcome)?.status).toBe('COMPLETED');
	});

	it('writes the same learner and course once in a run, in input order', async () => {
		const { lms } = setUp();
		const outcomes = await run(lms, [job(0, 'complete', byEmail('ada@example.com'), { completion: { score: 1 } }), job(1, 'enroll', byEmail('ada@example.com')), job(2, 'complete', byEmail('ada@example.com'))]);

		expect(posts(lms)).toHaveLength(2);
		expect(outcomes.map((outcome) => jsonOf(outcome)?.status)).toEqual(['COMPLETED', 'ALREADY_ENROLLED', 'ALREADY_COMPLETED']);
		expect(lms.learners.completions('int:a').map((each) => each.score)).toEqual([1]);
	});

	it('passes Kombo’s warnings on, only when there are some', async () => {
		const { lms } = setUp();
		lms.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', origin_id: 'CAT-1' }]);
		const withWarnings = fakeLms({
			intercept: (request) => (request.method === 'POST' ? { status: 200, body: JSON.stringify({ status: 'success', data: { id: 'p9', status: 'COMPLETED' }, warnings: [{ message: 'The LMS rounds scores' }] }) } : undefined),
		});
		withWarnings.courses.seed('int:a', [{ origin_id: 'CAT-1' }]);
		withWarnings.learners.seedLearners('int:a', [{ work_email: 'ada@example.com' }]);
		withWarnings.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', origin_id: 'CAT-1' }]);

		const [plain] = await run(lms, [job(0, 'complete', byEmail('ada@example.com'))]);
		const [warned] = await run(withWarnings, [job(0, 'complete', byEmail('ada@example.com'))]);
		expect(jsonOf(plain)).not.toHaveProperty('warnings');
		expect(jsonOf(warned)).toMatchObject({ warnings: ['The LMS rounds scores'], course_progression_id: 'p9' });
	});
});

describe('runProgressionJobs: Enroll', () => {
	it('enrolls once, and calls an enrolled learner ALREADY_ENROLLED with the enrollment found', async () => {
		const { lms, course } = setUp();
		const [existing] = lms.learners.seedProgressions('int:a', [{ work_email: 'grace@example.com', origin_id: 'CAT-1', status: 'IN_PROGRESS' }]);
		const outcomes = await run(lms, [job(0, 'enroll', byEmail('ada@example.com')), job(1, 'enroll', byEmail('grace@example.com'))]);

		expect(posts(lms)).toEqual(['POST /lms/course-progressions']);
		expect(jsonOf(outcomes[0])).toMatchObject({ status: 'ENROLLED', progression_status: 'ENROLLED', course_id: course.id, origin_id: 'CAT-1' });
		expect(jsonOf(outcomes[0])).not.toHaveProperty('score');
		expect(jsonOf(outcomes[0])).not.toHaveProperty('enrolled');
		expect(jsonOf(outcomes[1])).toMatchObject({ status: 'ALREADY_ENROLLED', course_progression_id: existing.id, progression_status: 'IN_PROGRESS' });
	});

	it('enrolls again after a dropped enrollment', async () => {
		const { lms } = setUp();
		lms.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', origin_id: 'CAT-1', status: 'DROPPED' }]);
		const [outcome] = await run(lms, [job(0, 'enroll', byEmail('ada@example.com'))]);

		expect(jsonOf(outcome)?.status).toBe('ENROLLED');
	});

	it('takes a learner by Kombo ID and a course by Kombo ID or by revision, each looked up', async () => {
		const { lms, ada } = setUp();
		const [two, three] = lms.courses.seed('int:a', [{ origin_id: 'CAT-2' }, { origin_id: 'CAT-3', revisions: [{ status: 'ACTIVE' }, { status: 'ACTIVE' }] }]);
		const learner = { by: 'userId' as const, userId: ada.id };
		const outcomes = await run(lms, [
			job(0, 'enroll', { by: 'learnerAndCourse', learner, course: { by: 'courseId', courseId: two.id } }),
			job(1, 'enroll', { by: 'learnerAndCourse', learner, course: { by: 'revisionId', revisionId: three.revisions[0].id } }),
		]);

		expect(lms.sent.filter((request) => request.method === 'POST').map((request) => request.body)).toEqual([
			{ user_id: ada.id, course_revision_id: two.revisions[0].id },
			{ user_id: ada.id, course_revision_id: three.revisions[0].id },
		]);
		expect(outcomes.map((outcome) => [jsonOf(outcome)?.course_id, jsonOf(outcome)?.origin_id, jsonOf(outcome)?.work_email])).toEqual([
			[two.id, 'CAT-2', 'ada@example.com'],
			[three.id, 'CAT-3', 'ada@example.com'],
		]);
		expect(lms.sent.filter((request) => request.path.endsWith('/lms/users')).map((request) => request.query)).toEqual([{ page_size: '250', ids: ada.id }]);
	});

	it('takes the current one of several active revisions', async () => {
		const { lms } = setUp();
		const [course] = lms.courses.seed('int:a', [{ origin_id: 'CAT-2', revisions: [{ status: 'ACTIVE' }, { status: 'ACTIVE' }, { status: 'INACTIVE' }] }]);
		await run(lms, [job(0, 'enroll', byEmail('ada@example.com', 'CAT-2'))]);

		expect(lms.sent.find((request) => request.method === 'POST')?.body).toMatchObject({ course_revision_id: course.revisions[1].id });
	});
});

describe('runProgressionJobs: what cannot be found', () => {
	it.each<[string, (ids: { ada: string; rev: string }) => ProgressionJob['target'], string, string, string]>([
		['an unknown email', () => byEmail('nobody@example.com'), 'Learner Email', 'nobody@example.com', `'Learner Email' matches no learner in the integration int:a: "nobody@example.com"`],
		['an unknown user ID', () => ({ by: 'learnerAndCourse', learner: { by: 'userId', userId: 'user_x' }, course: { by: 'originId', originId: 'CAT-1' } }), 'User ID', 'user_x', `'User ID' matches no learner in the integration int:a: "user_x"`],
		['an unknown origin ID', () => byEmail('ada@example.com', 'CAT-9'), 'Course Origin ID', 'CAT-9', `'Course Origin ID' matches no course in the integration int:a: "CAT-9"`],
		['an unknown course ID', ({ ada }) => ({ by: 'learnerAndCourse', learner: { by: 'userId', userId: ada }, course: { by: 'courseId', courseId: 'course_x' } }), 'Course ID', 'course_x', `'Course ID' matches no course in the integration int:a: "course_x"`],
		['an unknown revision ID', ({ ada }) => ({ by: 'learnerAndCourse', learner: { by: 'userId', userId: ada }, course: { by: 'revisionId', revisionId: 'rev_x' } }), 'Course Revision ID', 'rev_x', `'Course Revision ID' matches no course revision in the integration int:a: "rev_x"`],
	])('names %s: the item, the field and the value, and says Kombo reads from its last sync', async (_case, target, field, value, message) => {
		const { lms, ada, course } = setUp();
		const [outcome] = await run(lms, [job(4, 'enroll', target({ ada: ada.id, rev: course.revisions[0].id }))]);

		expect(failed(outcome).error.message).toBe(`${message} [item 4]`);
		expect(failed(outcome).error.description).toContain('one created minutes ago may appear only after the next sync');
		expect(failed(outcome).details).toMatchObject({ status: 'NOT_FOUND', item: 4, field, value, integration_id: 'int:a' });
		expect(posts(lms)).toEqual([]);
	});

	it('refuses to guess between several learners with one email, naming them', async () => {
		const { lms, ada } = setUp();
		const [twin] = lms.learners.seedLearners('int:a', [{ work_email: 'Ada@example.com' }]);
		const [outcome] = await run(lms, [job(0, 'complete', byEmail('ada@example.com'))]);

		expect(failed(outcome).error.message).toBe(`'Learner Email' matches 2 learners in the integration int:a: "ada@example.com" [item 0]`);
		expect(failed(outcome).error.description).toContain(`(${ada.id}, ${twin.id})`);
		expect(failed(outcome).error.description).toContain('Set Learner to By User ID');
	});

	it('refuses a course without an active revision when it has to enroll', async () => {
		const { lms } = setUp();
		lms.courses.seed('int:a', [{ origin_id: 'CAT-OFF', status: 'INACTIVE' }]);
		const outcomes = await run(lms, [job(0, 'enroll', byEmail('ada@example.com', 'CAT-OFF')), job(1, 'complete', byEmail('ada@example.com', 'CAT-OFF'))]);

		for (const outcome of outcomes) {
			expect(failed(outcome).error.message).toMatch(/^'Course Origin ID' names a course with no active revision in the integration int:a, so no learner can be enrolled in it: "CAT-OFF" \[item \d\]$/);
			expect(failed(outcome).error.description).toBe('The course was deactivated (Course → Deactivate, or in the LMS). Send it again with Course → Create or Update to make it active, then run this node again.');
		}
	});

	it('without Continue On Fail, throws the first problem in input order before any write', async () => {
		const { lms } = setUp();
		const error = await failure(run(lms, [job(0, 'enroll', byEmail('ada@example.com')), job(1, 'enroll', byEmail('x@example.com')), job(2, 'enroll', byEmail('ada@example.com', 'CAT-9'))], false));

		expect(error.message).toMatch(/\[item 1\]$/);
		expect(posts(lms)).toEqual([]);
	});
});

describe('runProgressionJobs: Complete by Course Progression ID', () => {
	const byId = (progressionId: string) => ({ by: 'progressionId' as const, progressionId });

	it('looks Kombo IDs and remote IDs up, skips completed ones and completes the others as named', async () => {
		const { lms, course } = setUp();
		const [open, done] = lms.learners.seedProgressions('int:a', [
			{ work_email: 'ada@example.com', origin_id: 'CAT-1' },
			{ work_email: 'grace@example.com', origin_id: 'CAT-1', status: 'COMPLETED' },
		]);
		const outcomes = await run(lms, [job(0, 'complete', byId(`remote:${open.remote_id}`)), job(1, 'complete', byId(done.id)), job(2, 'complete', byId('prog_new'))]);

		expect(lms.sent.filter((request) => request.method === 'GET').map((request) => request.query)).toEqual(
			expect.arrayContaining([
				{ page_size: '250', ids: `${done.id},prog_new` },
				{ page_size: '250', remote_ids: open.remote_id },
			]),
		);
		expect(posts(lms)).toEqual([`POST /lms/course-progressions/remote:${open.remote_id}/complete`, 'POST /lms/course-progressions/prog_new/complete']);
		expect(jsonOf(outcomes[0])).toMatchObject({ status: 'COMPLETED', course_progression_id: open.id, origin_id: 'CAT-1', course_id: course.id, work_email: 'ada@example.com' });
		expect(jsonOf(outcomes[1])).toMatchObject({ status: 'ALREADY_COMPLETED', course_progression_id: done.id });
		expect(failed(outcomes[2]).error.message).toContain('prog_new');
		expect(failed(outcomes[2]).details).toMatchObject({ status: 'FAILED', course_progression_id: 'prog_new', enrolled: false, error: { code: 'PLATFORM.INPUT_INVALID' } });
	});

	it('completes one progression once when two items name it', async () => {
		const { lms } = setUp();
		const [open] = lms.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', origin_id: 'CAT-1' }]);
		const outcomes = await run(lms, [job(0, 'complete', byId(open.id)), job(1, 'complete', byId(open.id))]);

		expect(outcomes.map((outcome) => jsonOf(outcome)?.status)).toEqual(['COMPLETED', 'ALREADY_COMPLETED']);
	});
});

describe('runProgressionJobs: when Kombo fails', () => {
	const fiveHundred = { status: 500, code: 'PLATFORM.UNKNOWN_ERROR', message: 'Kombo broke' };

	it('fails every item of an integration whose lookups fail, and serves the other integration', async () => {
		const { lms } = setUp((request) => (request.integrationId === 'int:b' && request.method === 'GET' ? { status: 403, code: 'PLATFORM.IP_NOT_WHITELISTED', message: 'Not allowed' } : undefined));
		lms.courses.seed('int:b', [{ origin_id: 'CAT-1' }]);
		const outcomes = await run(lms, [job(0, 'enroll', byEmail('ada@example.com')), job(1, 'enroll', byEmail('ada@example.com'), { integrationId: 'int:b' }), job(2, 'enroll', byEmail('grace@example.com'), { integrationId: 'int:b' })]);

		expect(jsonOf(outcomes[0])?.status).toBe('ENROLLED');
		for (const outcome of outcomes.slice(1)) {
			expect(failed(outcome).error.message).toBe('Not allowed');
			expect(failed(outcome).details).toMatchObject({ status: 'FAILED', integration_id: 'int:b', user_id: null, course_id: null, course_progression_id: null, error: { code: 'PLATFORM.IP_NOT_WHITELISTED', message: 'Not allowed' } });
		}
	});

	it('without Continue On Fail, throws a failed lookup before writing anything', async () => {
		const { lms } = setUp((request) => (request.integrationId === 'int:b' ? { status: 401, code: 'PLATFORM.AUTHENTICATION_INVALID', message: 'Bad key' } : undefined));
		const error = await failure(run(lms, [job(0, 'enroll', byEmail('ada@example.com')), job(1, 'enroll', byEmail('ada@example.com'), { integrationId: 'int:b' })], false));

		expect(error.message).toBe('Bad key');
		expect(posts(lms)).toEqual([]);
	});

	it('does not send an enrollment again after an answer that may hide one, and says how to find out', async () => {
		const { lms } = setUp((request) => (request.method === 'POST' ? fiveHundred : undefined));
		const [outcome] = await run(lms, [job(0, 'enroll', byEmail('ada@example.com'))]);

		expect(posts(lms)).toHaveLength(1);
		expect(failed(outcome).error.message).toBe('Kombo broke');
		expect((failed(outcome).error as NodeApiError).httpCode).toBe('500');
		expect(failed(outcome).error.description).toMatch(/Kombo may have enrolled the learner all the same, so the node did not send the enrollment again\. Run the node again after Kombo's next sync/);
	});

	it('says the same after a lost connection, and sends again after a refused one', async () => {
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		const lost = setUp((request) => (request.method === 'POST' ? { throws: reset } : undefined));
		const [outcome] = await run(lost.lms, [job(0, 'enroll', byEmail('ada@example.com'))]);
		expect(posts(lost.lms)).toHaveLength(1);
		expect(failed(outcome).error.description).toContain('Kombo may have enrolled the learner all the same');

		let first = true;
		const retried = setUp((request) => {
			if (request.method !== 'POST' || !first) return undefined;
			first = false;
			return { throws: refused };
		});
		const [ok] = await run(retried.lms, [job(0, 'enroll', byEmail('ada@example.com'))]);
		expect(posts(retried.lms)).toHaveLength(2);
		expect(jsonOf(ok)?.status).toBe('ENROLLED');
	});

	it('says nothing of a maybe when Kombo refused the enrollment outright', async () => {
		const { lms } = setUp((request) => (request.method === 'POST' ? { status: 403, code: 'INTEGRATION.PERMISSION_MISSING', message: 'No permission' } : undefined));
		const [outcome] = await run(lms, [job(0, 'enroll', byEmail('ada@example.com'))]);

		expect(failed(outcome).error.description).toBe(`Kombo error INTEGRATION.PERMISSION_MISSING, HTTP 403. ${progressionHints('int:a', 'enroll')['INTEGRATION.PERMISSION_MISSING']}`);
	});

	it('says that the learner was enrolled when the completion after the enrollment fails', async () => {
		const { lms } = setUp((request) => (request.path.endsWith('/complete') ? { status: 400, code: 'INTEGRATION.ACTION_NOT_AVAILABLE', message: 'Not here' } : undefined));
		const [outcome] = await run(lms, [job(0, 'complete', byEmail('ada@example.com'))]);

		const [made] = lms.learners.progressions('int:a');
		expect(failed(outcome).error.description).toBe(
			`Kombo error INTEGRATION.ACTION_NOT_AVAILABLE, HTTP 400. ${progressionHints('int:a', 'complete')['INTEGRATION.ACTION_NOT_AVAILABLE']} The node enrolled the learner (course progression ${made.id}) before the completion failed: run the node again to complete it.`,
		);
		expect(failed(outcome).details).toMatchObject({ enrolled: true, course_progression_id: made.id, status: 'FAILED' });
	});

	it('sends a completion again after a lost answer', async () => {
		let calls = 0;
		const { lms } = setUp((request) => (request.path.endsWith('/complete') && calls++ === 0 ? { status: 502 } : undefined));
		lms.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', origin_id: 'CAT-1' }]);
		const [outcome] = await run(lms, [job(0, 'complete', byEmail('ada@example.com'))]);

		expect(posts(lms)).toHaveLength(2);
		expect(jsonOf(outcome)?.status).toBe('COMPLETED');
	});

	it('without Continue On Fail, sends nothing more after a failed write and throws the first failure', async () => {
		const { lms } = setUp((request) => (request.method === 'POST' && request.body && (request.body as { user_id?: string }).user_id !== undefined ? { status: 400, code: 'REMOTE.INPUT_INVALID', message: 'LMS says no' } : undefined));
		lms.courses.seed('int:a', Array.from({ length: 30 }, (_, index) => ({ origin_id: `X-${index}` })));
		const jobs = Array.from({ length: 30 }, (_, index) => job(index, 'enroll', byEmail('ada@example.com', `X-${index}`)));

		const error = await failure(run(lms, jobs, false));
		expect(error.message).toBe('LMS says no');
		expect(error.description).toContain(progressionHints('int:a', 'enroll')['REMOTE.INPUT_INVALID']);
		// The write lane starts at 4 in flight: those are sent before the first answer, no more after it.
		expect(posts(lms).length).toBeLessThan(30);
	});

	it('gives a progression Kombo answered without an ID as a failure, without enrolling again', async () => {
		const { lms } = setUp((request) => (request.method === 'POST' ? { status: 200, body: JSON.stringify({ status: 'success', data: { status: 'ENROLLED' } }) } : undefined));
		const [outcome] = await run(lms, [job(0, 'enroll', byEmail('ada@example.com'))]);

		expect(posts(lms)).toHaveLength(1);
		expect(failed(outcome).error.message).toContain('its data is not a course progression with an id');
	});
});

describe('progressionHints', () => {
	it('names the permission, the integration and what the LMS cannot do', () => {
		expect(progressionHints('int:z', 'complete')).toMatchObject({
			'INTEGRATION.PERMISSION_MISSING': expect.stringContaining('"Create and manage course progressions" permission for the integration int:z'),
			'INTEGRATION.ACTION_NOT_AVAILABLE': expect.stringContaining('The LMS of the integration int:z does not support completing course progressions'),
			'INTEGRATION.ACTION_DISABLED': expect.stringContaining('Enable completing course progressions in the scope config of the integration int:z'),
		});
		expect(progressionHints('int:z', 'enroll')['INTEGRATION.ACTION_NOT_AVAILABLE']).toContain('does not support enrolling learners');
		expect(progressionHints('int:z', 'enroll')['INTEGRATION.ACTION_DISABLED']).toContain('Enable enrolling course progressions');
	});
});

describe('runProgressionJobs: which enrollment counts', () => {
	const byUserId = (userId: string, course: { by: 'courseId'; courseId: string } | { by: 'revisionId'; revisionId: string }) => ({ by: 'learnerAndCourse' as const, learner: { by: 'userId' as const, userId }, course });

	it('does not take a learner’s enrollment in one course for one in another', async () => {
		const { lms } = setUp();
		lms.courses.seed('int:a', [{ origin_id: 'CAT-2' }]);
		const [other] = lms.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', origin_id: 'CAT-1' }]);
		const outcomes = await run(lms, [job(0, 'complete', byEmail('ada@example.com', 'CAT-2')), job(1, 'enroll', byEmail('ada@example.com', 'CAT-2'))]);

		expect(jsonOf(outcomes[0])).toMatchObject({ status: 'COMPLETED', enrolled: true });
		expect(jsonOf(outcomes[0])?.course_progression_id).not.toBe(other.id);
		expect(jsonOf(outcomes[1])?.status).toBe('ALREADY_ENROLLED');
		expect(lms.learners.completions('int:a').map((each) => each.progression_id)).not.toContain(other.id);
	});

	it('finds an enrollment by its revision when Kombo does not embed the course, and only in that course', async () => {
		const { lms, course } = setUp((request) => {
			if (request.method !== 'GET' || !request.path.endsWith('/lms/course-progressions')) return undefined;
			const listed = lms.learners.listProgressions('int:a', request.query) as { body: { data: { results: Array<Record<string, unknown>> } } };
			for (const progression of listed.body.data.results) progression.course_revision = { id: progression.course_revision_id };
			return { status: 200, body: JSON.stringify(listed.body) };
		});
		const [two] = lms.courses.seed('int:a', [{ origin_id: 'CAT-2' }]);
		const [done] = lms.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', course_revision_id: course.revisions[0].id, status: 'COMPLETED' }]);
		const outcomes = await run(lms, [job(0, 'complete', byEmail('ada@example.com')), job(1, 'enroll', byEmail('ada@example.com', 'CAT-2'))]);

		expect(jsonOf(outcomes[0])).toMatchObject({ status: 'ALREADY_COMPLETED', course_progression_id: done.id });
		expect(jsonOf(outcomes[1])).toMatchObject({ status: 'ENROLLED', course_id: two.id });
	});

	it('treats a revision named by ID as its own enrollment', async () => {
		const { lms, ada } = setUp();
		const [course] = lms.courses.seed('int:a', [{ origin_id: 'CAT-2', revisions: [{ status: 'ACTIVE' }, { status: 'ACTIVE' }] }]);
		const [inFirst] = lms.learners.seedProgressions('int:a', [{ user_id: ada.id, course_revision_id: course.revisions[0].id }]);
		const outcomes = await run(lms, [
			job(0, 'enroll', byUserId(ada.id, { by: 'revisionId', revisionId: course.revisions[0].id })),
			job(1, 'enroll', byUserId(ada.id, { by: 'revisionId', revisionId: course.revisions[1].id })),
			job(2, 'enroll', byUserId(ada.id, { by: 'courseId', courseId: course.id })),
		]);

		expect(outcomes.map((outcome) => jsonOf(outcome)?.status)).toEqual(['ALREADY_ENROLLED', 'ENROLLED', 'ALREADY_ENROLLED']);
		expect(jsonOf(outcomes[0])?.course_progression_id).toBe(inFirst.id);
		expect(jsonOf(outcomes[1])?.course_revision_id).toBe(course.revisions[1].id);
	});

	it('keeps an enrollment by course and one by a revision of it apart', async () => {
		const { lms, ada } = setUp();
		const [course] = lms.courses.seed('int:a', [{ origin_id: 'CAT-2', revisions: [{ status: 'ACTIVE' }, { status: 'ACTIVE' }] }]);
		const outcomes = await run(lms, [job(0, 'enroll', byUserId(ada.id, { by: 'courseId', courseId: course.id })), job(1, 'enroll', byUserId(ada.id, { by: 'revisionId', revisionId: course.revisions[0].id }))]);

		expect(outcomes.map((outcome) => [jsonOf(outcome)?.status, jsonOf(outcome)?.course_revision_id])).toEqual([
			['ENROLLED', course.revisions[1].id],
			['ENROLLED', course.revisions[0].id],
		]);
	});

	it('finds the enrollment of a learner named by user ID, and of one named by a course ID', async () => {
		const { lms, ada, grace } = setUp();
		const [two] = lms.courses.seed('int:a', [{ origin_id: 'CAT-2' }]);
		lms.learners.seedProgressions('int:a', [
			{ user_id: ada.id, origin_id: 'CAT-2' },
			{ user_id: grace.id, origin_id: 'CAT-1' },
		]);
		const outcomes = await run(lms, [job(0, 'enroll', byUserId(ada.id, { by: 'courseId', courseId: two.id })), job(1, 'enroll', byEmail('grace@example.com', 'CAT-1'))]);

		expect(outcomes.map((outcome) => jsonOf(outcome)?.status)).toEqual(['ALREADY_ENROLLED', 'ALREADY_ENROLLED']);
		expect(posts(lms)).toEqual([]);
		// Both courses narrow the lookup of enrollments.
		const [progressions] = lms.sent.filter((request) => request.method === 'GET' && request.path.endsWith('/lms/course-progressions'));
		expect(progressions.query.course_ids?.split(',').sort()).toEqual([two.id, lms.courses.byOriginId('int:a', 'CAT-1')?.id].sort());
	});

	it('looks courses named by Kombo ID up by their IDs, not the whole list', async () => {
		const { lms, ada, course } = setUp();
		await run(lms, [job(0, 'enroll', byUserId(ada.id, { by: 'courseId', courseId: course.id }))]);

		expect(lms.sent.filter((request) => request.path.endsWith('/lms/courses')).map((request) => request.query)).toEqual([{ page_size: '250', ids: course.id }]);
	});

	it('narrows enrollments to 100 courses, the most one request takes', async () => {
		const lms = fakeLms();
		lms.courses.seed('int:a', Array.from({ length: 100 }, (_, index) => ({ origin_id: `CAT-${index}` })));
		lms.learners.seedLearners('int:a', [{ work_email: 'ada@example.com' }]);
		await run(lms, Array.from({ length: 100 }, (_, index) => job(index, 'enroll', byEmail('ada@example.com', `CAT-${index}`))));

		const [progressions] = lms.sent.filter((request) => request.method === 'GET' && request.path.endsWith('/lms/course-progressions'));
		expect(progressions.query.course_ids?.split(',')).toHaveLength(100);
	});

	it.each([
		['Course ID', (ids: { course: string; rev: string }) => ({ by: 'courseId' as const, courseId: ids.course }), (ids: { course: string }) => ids.course],
		['Course Revision ID', (ids: { course: string; rev: string }) => ({ by: 'revisionId' as const, revisionId: ids.rev }), (ids: { rev: string }) => ids.rev],
	])('names the %s and its value when the learner is not enrolled and must not be', async (label, course, value) => {
		const { lms, ada } = setUp();
		const [two] = lms.courses.seed('int:a', [{ origin_id: 'CAT-2' }]);
		const ids = { course: two.id, rev: two.revisions[0].id };
		const [outcome] = await run(lms, [job(0, 'complete', { by: 'learnerAndCourse', learner: { by: 'userId', userId: ada.id }, course: course(ids) }, { enrollIfNeeded: false })]);

		expect(failed(outcome).error.message).toBe(`The learner ada@example.com is not enrolled in this course (${label} ${JSON.stringify(value(ids))}) [item 0]`);
		expect(failed(outcome).details).toMatchObject({ field: label, value: value(ids) });
	});

	it('names a learner without an email by ID when they are not enrolled', async () => {
		const { lms } = setUp();
		const [nameless] = lms.learners.seedLearners('int:a', [{ work_email: null }]);
		const [outcome] = await run(lms, [job(0, 'complete', { by: 'learnerAndCourse', learner: { by: 'userId', userId: nameless.id }, course: { by: 'originId', originId: 'CAT-1' } }, { enrollIfNeeded: false })]);

		expect(failed(outcome).error.message).toContain(`The learner ${nameless.id} is not enrolled`);
	});

	it('names the Course ID of a course without an active revision', async () => {
		const { lms, ada } = setUp();
		const [off] = lms.courses.seed('int:a', [{ origin_id: 'CAT-OFF', status: 'INACTIVE' }]);
		const [outcome] = await run(lms, [job(0, 'enroll', byUserId(ada.id, { by: 'courseId', courseId: off.id }))]);

		expect(failed(outcome).error.message).toBe(`'Course ID' names a course with no active revision in the integration int:a, so no learner can be enrolled in it: ${JSON.stringify(off.id)} [item 0]`);
	});
});

describe('runProgressionJobs: outcomes', () => {
	it('gives the learner and course of a progression named by ID, from Kombo’s record', async () => {
		const { lms, ada } = setUp();
		const [open] = lms.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', origin_id: 'CAT-1' }]);
		const [outcome] = await run(lms, [job(0, 'complete', { by: 'progressionId', progressionId: open.id })]);

		expect(jsonOf(outcome)).toMatchObject({ user_id: ada.id, course_revision_id: open.course_revision_id, enrolled: false });
		expect(jsonOf(outcome)).not.toHaveProperty('warnings');
	});

	it('recognises one progression named by its Kombo ID and by its remote ID in one run', async () => {
		const { lms } = setUp();
		const [open, done] = lms.learners.seedProgressions('int:a', [
			{ work_email: 'ada@example.com', origin_id: 'CAT-1' },
			{ work_email: 'grace@example.com', origin_id: 'CAT-1', status: 'COMPLETED' },
		]);
		const outcomes = await run(lms, [job(0, 'complete', { by: 'progressionId', progressionId: open.id }), job(1, 'complete', { by: 'progressionId', progressionId: `remote:${open.remote_id}` }), job(2, 'complete', { by: 'progressionId', progressionId: `remote:${done.remote_id}` })]);

		expect(outcomes.map((outcome) => jsonOf(outcome)?.status)).toEqual(['COMPLETED', 'ALREADY_COMPLETED', 'ALREADY_COMPLETED']);
		expect(posts(lms)).toHaveLength(1);
	});

	it('takes the revision it enrolled in when Kombo’s answer does not say it, and has no warnings or enrolled flag for what it left alone', async () => {
		const { lms, course } = setUp((request) => (request.method === 'POST' ? { status: 200, body: JSON.stringify({ status: 'success', data: { id: 'p9', status: 'ENROLLED' } }) } : undefined));
		lms.learners.seedProgressions('int:a', [{ work_email: 'grace@example.com', origin_id: 'CAT-1', status: 'COMPLETED' }]);
		const outcomes = await run(lms, [job(0, 'enroll', byEmail('ada@example.com')), job(1, 'complete', byEmail('grace@example.com')), job(2, 'enroll', byEmail('grace@example.com'))]);

		expect(jsonOf(outcomes[0])).toMatchObject({ status: 'ENROLLED', course_progression_id: 'p9', course_revision_id: course.revisions[0].id });
		for (const outcome of outcomes) expect(jsonOf(outcome)).not.toHaveProperty('warnings');
		expect(jsonOf(outcomes[1])).toMatchObject({ status: 'ALREADY_COMPLETED', enrolled: false });
		expect(jsonOf(outcomes[2])).not.toHaveProperty('enrolled');
	});

	it('does not throw without Continue On Fail when every item goes through', async () => {
		const { lms } = setUp();
		const outcomes = await run(lms, [job(0, 'enroll', byEmail('ada@example.com'))], false);

		expect(jsonOf(outcomes[0])?.status).toBe('ENROLLED');
	});

	it('refuses an answer whose progression has an empty ID', async () => {
		const { lms } = setUp((request) => (request.method === 'POST' ? { status: 200, body: JSON.stringify({ status: 'success', data: { id: '' } }) } : undefined));
		const [outcome] = await run(lms, [job(0, 'enroll', byEmail('ada@example.com'))]);

		expect(failed(outcome).error.message).toBe('Kombo answered HTTP 200, but its data is not a course progression with an id: {"status":"success","data":{"id":""}}');
	});
});

describe('runProgressionJobs: failures in order', () => {
	it('with Continue On Fail, writes the others after a failed write', async () => {
		const { lms, ada } = setUp((request) => (request.method === 'POST' && (request.body as { user_id?: string }).user_id === ada.id ? { status: 400, code: 'REMOTE.INPUT_INVALID', message: 'LMS says no' } : undefined));
		lms.courses.seed('int:a', [{ origin_id: 'CAT-2' }, { origin_id: 'CAT-3' }]);
		const outcomes = await run(lms, [job(0, 'enroll', byEmail('ada@example.com')), job(1, 'enroll', byEmail('grace@example.com', 'CAT-2')), job(2, 'enroll', byEmail('grace@example.com', 'CAT-3'))]);

		expect(failed(outcomes[0]).details).toEqual({
			status: 'FAILED',
			item: 0,
			integration_id: 'int:a',
			user_id: ada.id,
			course_id: expect.any(String),
			course_progression_id: null,
			description: failed(outcomes[0]).error.description,
			error: { code: 'REMOTE.INPUT_INVALID', title: null, message: 'LMS says no', log_url: null },
		});
		expect(failed(outcomes[0]).error.description).not.toContain('may have enrolled');
		expect(outcomes.slice(1).map((outcome) => jsonOf(outcome)?.status)).toEqual(['ENROLLED', 'ENROLLED']);
	});

	it('without Continue On Fail, throws the write that failed, not one left unsent behind it', async () => {
		let limited = false;
		const { lms } = setUp((request) => {
			if (request.method !== 'POST') return undefined;
			if ((request.body as { user_id?: string }).user_id !== undefined && !limited) {
				limited = true;
				return { status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED', message: 'Slow down' };
			}
			return request.path.endsWith('/complete') ? { status: 400, code: 'REMOTE.INPUT_INVALID', message: 'LMS says no' } : undefined;
		}, undefined, 100);
		lms.learners.seedProgressions('int:a', [{ work_email: 'grace@example.com', origin_id: 'CAT-1' }]);
		const error = await failure(run(lms, [job(0, 'enroll', byEmail('ada@example.com')), job(1, 'complete', byEmail('grace@example.com'))], false));

		expect(error.message).toBe('LMS says no');
		expect(lms.sent.filter((request) => request.method === 'POST' && !request.path.endsWith('/complete'))).toHaveLength(1);
	});

	it('throws the failure of the first item in input order, whichever integration answered first', async () => {
		const lms = fakeLms();
		const slow = lms.client.request.bind(lms.client);
		lms.client.request = (async (request: Parameters<typeof slow>[0]) => {
			if (request.integrationId === 'int:a') for (let tick = 0; tick < 20; tick++) await Promise.resolve();
			return await slow(request);
		}) as typeof slow;
		const error = await failure(run(lms, [job(0, 'enroll', byEmail('nobody@example.com')), job(1, 'enroll', byEmail('nobody@example.com'), { integrationId: 'int:b' })], false));

		expect(error.message).toMatch(/\[item 0\]$/);
	});

	it('says an enrollment may have been made after a 5xx, keeping Kombo’s own description first', async () => {
		const { lms } = setUp((request) => (request.method === 'POST' ? { status: 500, code: 'PLATFORM.UNKNOWN_ERROR', message: 'Kombo broke' } : undefined));
		const [outcome] = await run(lms, [job(0, 'enroll', byEmail('ada@example.com'))]);

		expect(failed(outcome).error.description).toMatch(/^Kombo error PLATFORM\.UNKNOWN_ERROR, HTTP 500\. .+ Kombo may have enrolled the learner all the same/);
		expect(failed(outcome).details).not.toHaveProperty('enrolled');
	});

	it.each([
		['a lookup', (request: LmsRequest) => request.method === 'GET' && request.path.endsWith('/lms/course-progressions')],
		['a write', (request: LmsRequest) => request.method === 'POST'],
	])('stops at once when the execution is stopped during %s', async (_case, during) => {
		const controller = new AbortController();
		const { lms } = setUp((request) => {
			if (!during(request)) return undefined;
			controller.abort();
			return { status: 500, code: 'PLATFORM.UNKNOWN_ERROR', message: 'cut off' };
		}, controller.signal);

		await expect(run(lms, [job(0, 'complete', byEmail('ada@example.com')), job(1, 'complete', byEmail('grace@example.com'))])).rejects.toBeDefined();
	});
});

describe('runProgressionJobs: what Kombo may leave out', () => {
	it('skips revisions that are not there or have no ID, and does not take an enrollment without one for the course’s', async () => {
		const lms = fakeLms({
			intercept: (request) => {
				if (request.path.endsWith('/lms/courses')) {
					return { status: 200, body: JSON.stringify({ status: 'success', data: { next: null, results: [{ id: 'c1', origin_id: 'CAT-1', revisions: [null, { status: 'INACTIVE' }, { id: 'r2', status: 'ACTIVE' }] }] } }) };
				}
				if (request.method === 'GET' && request.path.endsWith('/lms/course-progressions')) {
					return { status: 200, body: JSON.stringify({ status: 'success', data: { next: null, results: [{ id: 'p-loose', user_id: request.query.user_ids, status: 'ENROLLED' }] } }) };
				}
				if (request.method === 'POST') return { status: 200, body: JSON.stringify({ status: 'success', data: { id: 'p-new', status: 'ENROLLED', course_revision_id: 'r2' } }) };
				return undefined;
			},
		});
		lms.learners.seedLearners('int:a', [{ work_email: 'ada@example.com' }]);
		const [outcome] = await run(lms, [job(0, 'enroll', byEmail('ada@example.com'))]);

		expect(jsonOf(outcome)).toMatchObject({ status: 'ENROLLED', course_progression_id: 'p-new', course_revision_id: 'r2' });
		expect(lms.sent.find((request) => request.method === 'POST')?.body).toMatchObject({ course_revision_id: 'r2' });
	});

	it('finds an enrollment by the course Kombo embeds, even in a revision the course list no longer shows', async () => {
		const { lms, course } = setUp((request) => {
			if (request.method !== 'GET' || !request.path.endsWith('/lms/course-progressions')) return undefined;
			const listed = lms.learners.listProgressions('int:a', request.query) as { body: { data: { results: Array<Record<string, unknown>> } } };
			for (const progression of listed.body.data.results) {
				progression.course_revision_id = 'rev_gone';
				progression.course_revision = { id: 'rev_gone', course: (progression.course_revision as { course: unknown }).course };
			}
			return { status: 200, body: JSON.stringify(listed.body) };
		});
		const [existing] = lms.learners.seedProgressions('int:a', [{ work_email: 'ada@example.com', origin_id: 'CAT-1' }]);
		const [outcome] = await run(lms, [job(0, 'enroll', byEmail('ada@example.com'))]);

		expect(jsonOf(outcome)).toMatchObject({ status: 'ALREADY_ENROLLED', course_progression_id: existing.id, course_id: course.id });
	});

	it('looks up the enrollments in a course named by revision beside one named by origin ID', async () => {
		const { lms, ada } = setUp();
		const [two] = lms.courses.seed('int:a', [{ origin_id: 'CAT-2' }]);
		lms.learners.seedProgressions('int:a', [{ user_id: ada.id, course_revision_id: two.revisions[0].id }]);
		const outcomes = await run(lms, [
			job(0, 'enroll', byEmail('ada@example.com')),
			job(1, 'enroll', { by: 'learnerAndCourse', learner: { by: 'userId', userId: ada.id }, course: { by: 'revisionId', revisionId: two.revisions[0].id } }),
		]);

		expect(outcomes.map((outcome) => jsonOf(outcome)?.status)).toEqual(['ENROLLED', 'ALREADY_ENROLLED']);
	});

	it('refuses an answer whose data is null, without enrolling again', async () => {
		const { lms } = setUp((request) => (request.method === 'POST' ? { status: 200, body: JSON.stringify({ status: 'success', data: null }) } : undefined));
		const [outcome] = await run(lms, [job(0, 'enroll', byEmail('ada@example.com'))]);

		expect(posts(lms)).toHaveLength(1);
		expect(failed(outcome).error.message).toContain('its data is not a course progression with an id');
	});

	it('with Continue On Fail, still sends the writes queued behind a failed one', async () => {
		const { lms, ada } = setUp((request) => (request.method === 'POST' && (request.body as { user_id?: string }).user_id === ada.id ? { status: 400, code: 'REMOTE.INPUT_INVALID', message: 'LMS says no' } : undefined));
		lms.courses.seed('int:a', Array.from({ length: 8 }, (_, index) => ({ origin_id: `Q-${index}` })));
		const jobs = [job(0, 'enroll', byEmail('ada@example.com')), ...Array.from({ length: 8 }, (_, index) => job(index + 1, 'enroll', byEmail('grace@example.com', `Q-${index}`)))];
		const outcomes = await run(lms, jobs);

		expect(failed(outcomes[0]).error.message).toBe('LMS says no');
		expect(outcomes.slice(1).map((outcome) => jsonOf(outcome)?.status)).toEqual(Array(8).fill('ENROLLED'));
	});
});
