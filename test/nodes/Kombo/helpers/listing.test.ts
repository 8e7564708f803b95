import { DateTime, Settings } from 'luxon';

import { chunkValues, listQuery, pageReader, readDateOrDateTime, readDateTime, readIdList } from '../../../../nodes/Kombo/helpers/listing';

describe('listQuery', () => {
	it('puts the page size first and the cursor last, leaving out filters not given', () => {
		expect(Object.entries(listQuery({}, 50)).filter(([, value]) => value !== undefined)).toEqual([['page_size', '50']]);
		expect(listQuery({ updatedAfter: '2026-01-01T00:00:00Z', includeDeleted: false, ids: ['a', 'b'], remoteIds: ['r'], workEmails: ['x@y.z'], userIds: ['u1', 'u2'], courseIds: ['c9'] }, 900, 'c1')).toEqual({
			page_size: '250',
			updated_after: '2026-01-01T00:00:00Z',
			include_deleted: 'false',
			ids: 'a,b',
			remote_ids: 'r',
			work_emails: 'x@y.z',
			user_ids: 'u1,u2',
			course_ids: 'c9',
			cursor: 'c1',
		});
		expect(Object.keys(listQuery({}, 1, 'c'))).toEqual(['page_size', 'updated_after', 'include_deleted', 'ids', 'remote_ids', 'work_emails', 'user_ids', 'course_ids', 'cursor']);
		expect(listQuery({}, 0).page_size).toBe('1');
		expect(listQuery({}, 7.9).page_size).toBe('7');
	});
});

describe('readIdList', () => {
	it.each([
		['a, b,,c', ['a', 'b', 'c']],
		['a\nb', ['a', 'b']],
		[['a', ' b ', 7, null, 'a'], ['a', 'b', '7']],
		[42, ['42']],
		[' , ', undefined],
		['', undefined],
		[[], undefined],
		[[undefined, 'a'], ['a']],
		[undefined, undefined],
		[null, undefined],
	])('reads %j as %j', (value, ids) => {
		expect(readIdList(value)).toEqual({ ok: true, value: ids });
	});

	it('refuses anything else, naming it', () => {
		expect(readIdList({ id: 1 })).toEqual({ ok: false, problem: 'must be IDs separated by commas, or a list of IDs, got {"id":1}' });
		expect(readIdList([{ id: 1 }])).toEqual({ ok: false, problem: 'must hold IDs as text, got {"id":1}' });
	});
});

describe('readDateTime', () => {
	it.each([
		['2026-01-31T08:00:00', 'Europe/Berlin', '2026-01-31T07:00:00Z'],
		['2026-07-31T08:00:00', 'Europe/Berlin', '2026-07-31T06:00:00Z'],
		['2026-01-31', 'America/New_York', '2026-01-31T05:00:00Z'],
		['2026-01-31T08:00:00+02:00', 'Europe/Berlin', '2026-01-31T06:00:00Z'],
		['2026-01-31T08:00:00.250Z', 'UTC', '2026-01-31T08:00:00.250Z'],
		[' 2026-01-31T08:00:00 ', 'Europe/Berlin', '2026-01-31T07:00:00Z'],
		['2026-01-31T08:00:00+02:00', 'Not/A_Zone', '2026-01-31T06:00:00Z'],
	])('reads %p in %s as %p', (value, timezone, expected) => {
		expect(readDateTime(value, timezone)).toEqual({ ok: true, value: expected });
	});

	it('reads a Date, a Luxon DateTime and milliseconds as they are', () => {
		const at = Date.UTC(2026, 0, 31, 8);
		expect(readDateTime(new Date(at), 'Europe/Berlin')).toEqual({ ok: true, value: '2026-01-31T08:00:00Z' });
		expect(readDateTime(DateTime.fromMillis(at, { zone: 'Asia/Tokyo' }), 'Europe/Berlin')).toEqual({ ok: true, value: '2026-01-31T08:00:00Z' });
		expect(readDateTime(at, 'Europe/Berlin')).toEqual({ ok: true, value: '2026-01-31T08:00:00Z' });
	});

	it('reads a Luxon DateTime by its own offset, whatever the default time zone', () => {
		const defaultZone = Settings.defaultZone;
		try {
			Settings.defaultZone = 'Not/A_Zone';
			expect(readDateTime(DateTime.fromISO('2026-01-31T17:00:00+09:00', { setZone: true }), 'UTC')).toEqual({ ok: true, value: '2026-01-31T08:00:00Z' });
		} finally {
			Settings.defaultZone = defaultZone;
		}
	});

	it('treats blank as not given and refuses what is not a time', () => {
		expect(readDateTime('  ', 'UTC')).toEqual({ ok: true, value: undefined });
		expect(readDateTime(undefined, 'UTC')).toEqual({ ok: true, value: undefined });
		expect(readDateTime(null, 'UTC')).toEqual({ ok: true, value: undefined });
		expect(readDateTime({ at: '2026-01-31' }, 'UTC')).toEqual({ ok: false, problem: 'must be a date and time such as 2026-01-31T08:00:00, got {"at":"2026-01-31"}' });
		expect(readDateTime(Number.NaN, 'UTC')).toEqual({ ok: false, problem: 'must be a date and time such as 2026-01-31T08:00:00, got null' });
		expect(readDateTime('last Tuesday', 'UTC')).toEqual({ ok: false, problem: 'must be a date and time such as 2026-01-31T08:00:00, got "last Tuesday"' });
		expect(readDateTime(true, 'UTC').ok).toBe(false);
	});
});


describe('pageReader', () => {
	const read = pageReader<{ id: string }>('learner', (record) => (record.id === 'bad' ? 'learner bad is odd' : undefined));

	it('reads the cursor and the records', () => {
		expect(read({ next: 'n1', results: [{ id: 'a' }] })).toEqual({ ok: true, value: { next: 'n1', results: [{ id: 'a' }] } });
		expect(read({ next: '', results: [] })).toEqual({ ok: true, value: { next: null, results: [] } });
		expect(read({ results: [] })).toEqual({ ok: true, value: { next: null, results: [] } });
	});

	it.each([
		[[], 'its data is not a page of learners'],
		[{ next: null }, 'the page has no list of results'],
		[{ next: 3, results: [] }, 'the page’s next cursor is not text'],
		[{ results: [null] }, 'a learner is not an object'],
		[{ results: [{ id: 7 }] }, 'a learner has no id'],
		[{ results: [{ id: 'a' }, { id: 'bad' }] }, 'learner bad is odd'],
	])('names what is wrong with %j', (data, problem) => {
		expect(read(data)).toEqual({ ok: false, problem });
	});

	it('checks nothing more by default', () => {
		expect(pageReader('user')({ results: [{ id: 'bad' }] }).ok).toBe(true);
	});
});

describe('chunkValues', () => {
	it('puts at most so many values in a group, in order', () => {
		expect(chunkValues(['a', 'b', 'c', 'd', 'e'], 2, 1000)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
	});

	it('keeps the joined, encoded values within the character budget, each comma counted', () => {
		// "ab@x" encodes to 6 characters, 9 with its separator: two fit in 18, not three.
		expect(chunkValues(['ab@x', 'cd@x', 'ef@x'], 100, 18)).toEqual([['ab@x', 'cd@x'], ['ef@x']]);
		expect(chunkValues(['ab@x', 'cd@x'], 100, 17)).toEqual([['ab@x'], ['cd@x']]);
	});

	it('gives a value longer than the budget a group of its own, and nothing for nothing', () => {
		expect(chunkValues(['x'.repeat(50), 'y'], 100, 10)).toEqual([['x'.repeat(50)], ['y']]);
		expect(chunkValues([])).toEqual([]);
	});

	it('sends 100 values a request by default', () => {
		const values = Array.from({ length: 250 }, (_, index) => `u${index}`);
		expect(chunkValues(values).map((chunk) => chunk.length)).toEqual([100, 100, 50]);
	});

	it('keeps a URL of long emails within 4,000 characters by default', () => {
		const values = Array.from({ length: 100 }, (_, index) => `a.rather.long.name.${index}@customer-example.com`);
		const chunks = chunkValues(values);
		expect(chunks.length).toBeGreaterThan(1);
		for (const chunk of chunks) expect(encodeURIComponent(chunk.join(',')).length).toBeLessThanOrEqual(4000);
		expect(chunks.flat()).toEqual(values);
	});
});

describe('readDateOrDateTime', () => {
	it.each([
		['2026-04-15', 'Europe/Berlin', '2026-04-15'],
		[' 2026-04-15 ', 'Europe/Berlin', '2026-04-15'],
		['2026-04-15T14:30:00', 'Europe/Berlin', '2026-04-15T12:30:00Z'],
		['2026-04-15T14:30:00Z', 'Europe/Berlin', '2026-04-15T14:30:00Z'],
		['2026-04-15T00:00:00', 'America/New_York', '2026-04-15T04:00:00Z'],
	])('reads %p in %s as %p', (value, timezone, expected) => {
		expect(readDateOrDateTime(value, timezone)).toEqual({ ok: true, value: expected });
	});

	it('reads a Date and a Luxon DateTime as the moment they are', () => {
		const at = Date.UTC(2026, 3, 15, 14, 30);
		expect(readDateOrDateTime(new Date(at), 'UTC')).toEqual({ ok: true, value: '2026-04-15T14:30:00Z' });
		expect(readDateOrDateTime(DateTime.fromMillis(at, { zone: 'Asia/Tokyo' }), 'UTC')).toEqual({ ok: true, value: '2026-04-15T14:30:00Z' });
	});

	it('treats blank as not given and refuses what is no date, naming the value', () => {
		expect(readDateOrDateTime('', 'UTC')).toEqual({ ok: true, value: undefined });
		expect(readDateOrDateTime(null, 'UTC')).toEqual({ ok: true, value: undefined });
		expect(readDateOrDateTime('2026-02-30', 'UTC')).toEqual({ ok: false, problem: 'must be a date such as 2026-04-15 or a date and time such as 2026-04-15T14:30:00, got "2026-02-30"' });
		expect(readDateOrDateTime('yesterday', 'UTC').ok).toBe(false);
	});
});
