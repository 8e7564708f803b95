import {
	completePath,
	currentProgression,
	emailKey,
	enrollableRevision,
	progressionCourseId,
	readEmail,
	readId,
	readProgressionPage,
	readScore,
	readUserPage,
	simplifyProgression,
	simplifyUser,
} from '../../../../nodes/Kombo/helpers/learners';

describe('readScore', () => {
	it.each([
		[93, 93],
		['93', 93],
		['93.0', 93],
		['93 %', 93],
		['93%', 93],
		[' 0 ', 0],
		['100', 100],
		['+7', 7],
	])('reads %p as %p', (value, expected) => {
		expect(readScore(value)).toEqual({ ok: true, value: expected });
	});

	it.each([[''], ['  '], [null], [undefined]])('reads %p as no score', (value) => {
		expect(readScore(value)).toEqual({ ok: true, value: undefined });
	});

	it.each([
		['abc', 'must be a number from 0 to 100, got "abc"'],
		[101, 'must be a whole number from 0 to 100, got 101'],
		['101 %', 'must be a whole number from 0 to 100, got "101 %"'],
		[-1, 'must be a whole number from 0 to 100, got -1'],
		['93.5', 'must be a whole number from 0 to 100, got "93.5"'],
		[Number.NaN, 'must be a number from 0 to 100, got null'],
		[true, 'must be a number from 0 to 100, got true'],
		['9 3', 'must be a number from 0 to 100, got "9 3"'],
	])('refuses %p: %s', (value, problem) => {
		expect(readScore(value)).toEqual({ ok: false, problem });
	});
});

describe('readEmail and readId', () => {
	it('trims an email and matches it without regard to case', () => {
		expect(readEmail(' Ada@Example.com ')).toEqual({ ok: true, value: 'Ada@Example.com' });
		expect(emailKey(' Ada@Example.com ')).toBe('ada@example.com');
	});

	it.each([
		['', 'is empty'],
		['ada', 'must be an email address such as ada@example.com, got "ada"'],
		['a b@x', 'must be an email address such as ada@example.com, got "a b@x"'],
		[42, 'must be an email address, got 42'],
		[undefined, 'must be an email address, got undefined'],
		[{ a: 1 }, 'must be an email address, got {"a":1}'],
	])('refuses the email %p: %s', (value, problem) => {
		expect(readEmail(value)).toEqual({ ok: false, problem });
	});

	it('takes an ID as text or a number, trimmed', () => {
		expect(readId(' u1 ')).toEqual({ ok: true, value: 'u1' });
		expect(readId(42)).toEqual({ ok: true, value: '42' });
		expect(readId('')).toEqual({ ok: false, problem: 'is empty' });
		expect(readId('remote:')).toEqual({ ok: false, problem: 'is empty' });
		expect(readId({})).toEqual({ ok: false, problem: 'must be text, got {}' });
		expect(readId(Number.POSITIVE_INFINITY)).toEqual({ ok: false, problem: 'must be text, got null' });
	});
});

describe('pages of learners and progressions', () => {
	it('reads pages and names their records in problems', () => {
		expect(readUserPage({ next: null, results: [{ id: 'u1' }] })).toEqual({ ok: true, value: { next: null, results: [{ id: 'u1' }] } });
		expect(readUserPage({ results: [{}] })).toEqual({ ok: false, problem: 'a learner has no id' });
		expect(readProgressionPage({ results: [{}] })).toEqual({ ok: false, problem: 'a course progression has no id' });
	});
});

describe('simplifyUser and simplifyProgression', () => {
	it('gives a learner the six fields a provider keeps, null where the LMS has none', () => {
		expect(simplifyUser({ id: 'u1', work_email: 'a@x', remote_data: { x: 1 } })).toEqual({ id: 'u1', remote_id: null, first_name: null, last_name: null, work_email: 'a@x', status: null });
	});

	it('gives a progression its learner’s email and its course’s origin ID beside their Kombo IDs', () => {
		const progression = {
			id: 'p1',
			remote_id: 'r1',
			user_id: 'u1',
			course_revision_id: 'rev1',
			status: 'COMPLETED',
			enrolled_at: '2026-01-01T00:00:00Z',
			completed_at: '2026-02-01T00:00:00Z',
			user: { id: 'u1', work_email: 'a@x' },
			course_revision: { id: 'rev1', course: { id: 'c1' } },
		};
		expect(simplifyProgression(progression, (courseId) => (courseId === 'c1' ? 'CAT-1' : null))).toEqual({
			id: 'p1',
			status: 'COMPLETED',
			enrolled_at: '2026-01-01T00:00:00Z',
			completed_at: '2026-02-01T00:00:00Z',
			user_id: 'u1',
			work_email: 'a@x',
			course_id: 'c1',
			origin_id: 'CAT-1',
			course_revision_id: 'rev1',
			remote_id: 'r1',
		});
	});

	it('takes the IDs from the embedded records when the fields are missing, and null when both are', () => {
		const simplified = simplifyProgression({ id: 'p1', user: { id: 'u9' }, course_revision: { id: 'rev9' } }, () => 'never');
		expect(simplified).toMatchObject({ user_id: 'u9', course_revision_id: 'rev9', course_id: null, origin_id: null, work_email: null, status: null });
		expect(simplifyProgression({ id: 'p2', user: null, course_revision: null }, () => 'never')).toMatchObject({ user_id: null, course_revision_id: null, course_id: null });
		expect(progressionCourseId({ id: 'p', course_revision: { course: { id: '' } } })).toBeUndefined();
		expect(simplifyProgression({ id: 'p3', user_id: 5, user: { id: 'u5' }, course_revision_id: 7, course_revision: { id: 'rev7', course: { id: 9 } } }, () => 'never')).toMatchObject({ user_id: 'u5', course_revision_id: 'rev7', course_id: null });
	});
});

describe('currentProgression', () => {
	const p = (id: string, status: string | null) => ({ id, status });

	it('prefers a completed enrollment, the last one listed', () => {
		expect(currentProgression([p('a', 'ENROLLED'), p('b', 'COMPLETED'), p('c', 'completed'), p('d', 'IN_PROGRESS')])?.id).toBe('c');
	});

	it('else takes the last one not dropped, whatever its status', () => {
		expect(currentProgression([p('a', 'ENROLLED'), p('b', null), p('c', 'DROPPED')])?.id).toBe('b');
	});

	it('finds none when every one was dropped, or there is none', () => {
		expect(currentProgression([p('a', 'DROPPED'), p('b', ' dropped ')])).toBeUndefined();
		expect(currentProgression([])).toBeUndefined();
	});
});

describe('enrollableRevision', () => {
	it('takes the ACTIVE revision, the current one of several, and none when none is ACTIVE', () => {
		const rev = (id: string, status: unknown) => ({ id, status });
		expect(enrollableRevision({ revisions: [rev('r1', 'INACTIVE'), rev('r2', 'ACTIVE'), rev('r3', 'INACTIVE')] })?.id).toBe('r2');
		expect(enrollableRevision({ revisions: [rev('r1', 'ACTIVE'), rev('r2', 'active'), rev('r3', null)] })?.id).toBe('r2');
		expect(enrollableRevision({ revisions: [rev('r1', 'INACTIVE'), rev('r2', null)] })).toBeUndefined();
		expect(enrollableRevision({ revisions: [rev('', 'ACTIVE'), { status: 'ACTIVE' }] })).toBeUndefined();
		expect(enrollableRevision({ revisions: [] })).toBeUndefined();
		expect(enrollableRevision({ revisions: [null as never, rev('r2', ' active ')] })?.id).toBe('r2');
	});
});

describe('completePath', () => {
	it('keeps the colon of remote:<id> and encodes the rest', () => {
		expect(completePath('remote:a/b c')).toBe('/lms/course-progressions/remote:a%2Fb%20c/complete');
		expect(completePath('p1')).toBe('/lms/course-progressions/p1/complete');
	});
});
