import {
	currentRevision,
	deactivatePath,
	isActiveCourse,
	isInactiveStatus,
	readCourseId,
	readCoursePage,
	simplifyCourse,
} from '../../../../nodes/Kombo/helpers/lmsCourses';

const revision = (title: string, status = 'ACTIVE', extra: Record<string, unknown> = {}) => ({ title, description: null, remote_url: `https://lms.test/${title}`, status, ...extra });

describe('readCoursePage', () => {
	it('reads the next cursor and the courses, giving a course without revisions an empty list', () => {
		const page = readCoursePage({ next: 'abc', results: [{ id: 'k1', origin_id: 'o1', revisions: [revision('A')] }, { id: 'k2', origin_id: null }] });
		expect(page).toEqual({
			ok: true,
			value: { next: 'abc', results: [{ id: 'k1', origin_id: 'o1', revisions: [revision('A')] }, { id: 'k2', origin_id: null, revisions: [] }] },
		});
	});

	it('reads a course whose revisions are null as one without revisions', () => {
		expect(readCoursePage({ next: null, results: [{ id: 'k1', revisions: null }] })).toEqual({ ok: true, value: { next: null, results: [{ id: 'k1', revisions: [] }] } });
	});

	it.each([
		[{ next: '', results: [] }, null],
		[{ results: [] }, null],
		[{ next: null, results: [] }, null],
	])('treats %j as the last page', (data, next) => {
		expect(readCoursePage(data)).toEqual({ ok: true, value: { next, results: [] } });
	});

	it.each([
		[null, 'its data is not a page of courses'],
		[{ next: null }, 'the page has no list of results'],
		[{ next: 5, results: [] }, 'the page’s next cursor is not text'],
		[{ results: ['x'] }, 'a course is not an object'],
		[{ results: [{ origin_id: 'a' }] }, 'a course has no id'],
		[{ results: [{ id: '', origin_id: 'a' }] }, 'a course has no id'],
		[{ results: [{ id: 'k1', revisions: [] }, { id: 'k2', revisions: 'none' }] }, 'course k2 has revisions that are not a list'],
		[{ results: [{ id: 'k', revisions: {} }] }, 'course k has revisions that are not a list'],
	])('names what is wrong with %j', (data, problem) => {
		expect(readCoursePage(data)).toEqual({ ok: false, problem });
	});
});

describe('currentRevision', () => {
	it('takes the last revision when they carry no time', () => {
		expect(currentRevision([revision('old'), revision('new')])?.title).toBe('new');
	});

	it('takes the latest revision when every one carries a time, whatever the order', () => {
		const revisions = [
			revision('newest', 'ACTIVE', { remote_updated_at: '2026-03-01T00:00:00Z' }),
			revision('oldest', 'ACTIVE', { created_at: '2025-01-01T00:00:00Z' }),
			revision('middle', 'ACTIVE', { changed_at: '2026-02-01T00:00:00Z' }),
		];
		expect(currentRevision(revisions)?.title).toBe('newest');
	});

	it('takes the later one of two with the same time, and the last one when any lacks a time', () => {
		const at = { updated_at: '2026-01-01T00:00:00Z' };
		expect(currentRevision([revision('first', 'ACTIVE', at), revision('second', 'ACTIVE', at)])?.title).toBe('second');
		expect(currentRevision([revision('dated', 'ACTIVE', { updated_at: '2030-01-01T00:00:00Z' }), revision('undated')])?.title).toBe('undated');
	});

	it('dates a revision only by a time given as text, taking the last one when a time is a number', () => {
		const revisions = [revision('dated', 'ACTIVE', { updated_at: '2026-01-01T00:00:00Z' }), revision('numbered', 'ACTIVE', { updated_at: 1999 })];
		expect(currentRevision(revisions)?.title).toBe('numbered');
	});

	it('dates a revision by its next time field when one cannot be read', () => {
		const revisions = [revision('earlier', 'ACTIVE', { updated_at: '2026-01-01T00:00:00Z' }), revision('later', 'ACTIVE', { remote_updated_at: 'soon', created_at: '2026-03-01T00:00:00Z' })];
		expect(currentRevision(revisions)?.title).toBe('later');
	});

	it('has none for no or unusable revisions', () => {
		expect(currentRevision([])).toBeUndefined();
		expect(currentRevision(undefined)).toBeUndefined();
		expect(currentRevision(['x', null])).toBeUndefined();
	});
});

describe('whether a course is active', () => {
	it.each(['INACTIVE', 'inactive', ' Deactivated ', 'ARCHIVED', 'RETIRED', 'DISABLED', 'DELETED'])('reads %p as inactive', (status) => {
		expect(isInactiveStatus(status)).toBe(true);
	});

	it.each(['ACTIVE', 'PUBLISHED', 'DRAFT', '', null, undefined, 3])('reads %p as active, since deactivating twice does no harm', (status) => {
		expect(isInactiveStatus(status)).toBe(false);
	});

	it('goes by the current revision only', () => {
		expect(isActiveCourse({ revisions: [revision('a', 'INACTIVE'), revision('b', 'ACTIVE')] })).toBe(true);
		expect(isActiveCourse({ revisions: [revision('a', 'ACTIVE'), revision('b', 'INACTIVE')] })).toBe(false);
		expect(isActiveCourse({ revisions: [] })).toBe(true);
	});
});

describe('simplifyCourse', () => {
	it('gives the IDs and what the current revision says, in that order', () => {
		const simple = simplifyCourse({ id: 'k1', remote_id: 'r1', origin_id: 'o1', changed_at: 'x', revisions: [revision('old'), { ...revision('new', 'INACTIVE'), description: 'D', extra: 1 }] });
		expect(simple).toEqual({ id: 'k1', origin_id: 'o1', remote_id: 'r1', title: 'new', description: 'D', remote_url: 'https://lms.test/new', status: 'INACTIVE' });
		expect(Object.keys(simple)).toEqual(['id', 'origin_id', 'remote_id', 'title', 'description', 'remote_url', 'status']);
	});

	it('gives null for whatever Kombo left out', () => {
		expect(simplifyCourse({ id: 'k1', revisions: [] })).toEqual({ id: 'k1', origin_id: null, remote_id: null, title: null, description: null, remote_url: null, status: null });
	});
});

describe('readCourseId and deactivatePath', () => {
	it.each([
		['B8yqb9', 'komboId', 'B8yqb9'],
		[' B8yqb9 ', 'komboId', 'B8yqb9'],
		['remote:42', 'komboId', 'remote:42'],
		['42', 'remoteId', 'remote:42'],
		[42, 'remoteId', 'remote:42'],
		['remote:42', 'remoteId', 'remote:42'],
	] as const)('reads %p of type %s as %p', (value, type, expected) => {
		expect(readCourseId(value, type)).toEqual({ ok: true, value: expected });
	});

	it.each([[''], ['  '], ['remote:'], [null], [{}], [Number.NaN], [Infinity]])('refuses %p', (value) => {
		expect(readCourseId(value, 'remoteId').ok).toBe(false);
	});

	it('keeps the colon of remote:<id> and encodes the rest', () => {
		expect(deactivatePath('remote:a/b c')).toBe('/lms/courses/remote:a%2Fb%20c/deactivate');
		expect(deactivatePath('B8yqb9')).toBe('/lms/courses/B8yqb9/deactivate');
	});
});
