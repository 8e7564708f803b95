import { DateTime } from 'luxon';

import { LIST_PAGE_SIZE_MAX, LOOKUP_QUERY_MAX_CHARS, LOOKUP_VALUES_PER_REQUEST } from './constants';

export type Reading<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The filters of Kombo's list endpoints; each endpoint takes the ones it documents. */
export interface ListFilters {
	/** RFC 3339, with a time zone. */
	updatedAfter?: string;
	includeDeleted?: boolean;
	ids?: string[];
	remoteIds?: string[];
	/** GET /lms/users only. */
	workEmails?: string[];
	/** GET /lms/course-progressions only. */
	userIds?: string[];
	/** GET /lms/course-progressions only: Kombo course IDs, not revision IDs. */
	courseIds?: string[];
}

/** The query of one page of a Kombo listing, page size first and the cursor last. */
export function listQuery(filters: ListFilters, pageSize: number, cursor?: string): Record<string, string | undefined> {
	return {
		page_size: String(Math.min(Math.max(1, Math.floor(pageSize)), LIST_PAGE_SIZE_MAX)),
		updated_after: filters.updatedAfter,
		include_deleted: filters.includeDeleted === undefined ? undefined : String(filters.includeDeleted),
		ids: filters.ids?.join(','),
		remote_ids: filters.remoteIds?.join(','),
		work_emails: filters.workEmails?.join(','),
		user_ids: filters.userIds?.join(','),
		course_ids: filters.courseIds?.join(','),
		cursor,
	};
}

export interface Page<T> {
	next: string | null;
	results: T[];
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A reader of one page of a Kombo listing: the cursor and the records, each with an `id`, and
 * whatever else `problemOf` says is wrong with a record. `noun` names the records in a problem.
 */
export function pageReader<T extends { id: string }>(noun: string, problemOf: (record: Record<string, unknown>) => string | undefined = () => undefined) {
	return (data: unknown): Reading<Page<T>> => {
		if (!isObject(data)) return { ok: false, problem: `its data is not a page of ${noun}s` };
		if (!Array.isArray(data.results)) return { ok: false, problem: 'the page has no list of results' };
		if (data.next !== undefined && data.next !== null && typeof data.next !== 'string') return { ok: false, problem: 'the page’s next cursor is not text' };
		for (const record of data.results as unknown[]) {
			if (!isObject(record)) return { ok: false, problem: `a ${noun} is not an object` };
			if (typeof record.id !== 'string' || record.id === '') return { ok: false, problem: `a ${noun} has no id` };
			const problem = problemOf(record);
			if (problem) return { ok: false, problem };
		}
		return { ok: true, value: { next: typeof data.next === 'string' && data.next !== '' ? data.next : null, results: data.results as T[] } };
	};
}

/**
 * Splits values for a filter into groups that each fit one request: at most so many values, and
 * at most so many characters once joined, so that a URL stays well inside what servers accept.
 */
export function chunkValues(values: readonly string[], maxValues = LOOKUP_VALUES_PER_REQUEST, maxChars = LOOKUP_QUERY_MAX_CHARS): string[][] {
	const chunks: string[][] = [];
	let current: string[] = [];
	let chars = 0;
	for (const value of values) {
		const cost = encodeURIComponent(value).length + 3;
		if (current.length > 0 && (current.length >= maxValues || chars + cost > maxChars)) {
			chunks.push(current);
			current = [];
			chars = 0;
		}
		current.push(value);
		chars += cost;
	}
	if (current.length > 0) chunks.push(current);
	return chunks;
}

/**
 * A list of IDs as a user gives it: text separated by commas (or new lines), or a list of texts
 * or numbers. Blanks are dropped and repeats kept once; undefined when nothing is left.
 */
export function readIdList(value: unknown): Reading<string[] | undefined> {
	if (value === undefined || value === null) return { ok: true, value: undefined };
	let parts: unknown[];
	if (typeof value === 'string') parts = value.split(/[,\n]/);
	else if (typeof value === 'number') parts = [value];
	else if (Array.isArray(value)) parts = value;
	else return { ok: false, problem: `must be IDs separated by commas, or a list of IDs, got ${JSON.stringify(value)}` };
	const ids: string[] = [];
	for (const part of parts) {
		if (part === undefined || part === null) continue;
		if (typeof part !== 'string' && typeof part !== 'number') return { ok: false, problem: `must hold IDs as text, got ${JSON.stringify(part)}` };
		const id = String(part).trim();
		if (id !== '' && !ids.includes(id)) ids.push(id);
	}
	return { ok: true, value: ids.length > 0 ? ids : undefined };
}

/**
 * A point in time as Luxon reads it: n8n's date picker gives a local time without a zone, which is
 * read in the workflow's time zone; text with an offset, a JavaScript Date, a Luxon DateTime and
 * milliseconds since 1970 are read as they are. Undefined for blank, null for what is no time.
 */
function parseTime(value: unknown, timezone: string): DateTime | undefined | null {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
	let parsed: DateTime | undefined;
	if (value instanceof Date) parsed = DateTime.fromJSDate(value);
	// Luxon reads NaN and ±Infinity as an invalid time, which is refused below.
	else if (typeof value === 'number') parsed = DateTime.fromMillis(value);
	else if (typeof value === 'string') parsed = DateTime.fromISO(value.trim(), { zone: timezone, setZone: true });
	else if (isObject(value) && typeof (value as { toISO?: unknown }).toISO === 'function') {
		parsed = DateTime.fromISO(String((value as { toISO: () => unknown }).toISO()), { setZone: true });
	}
	return parsed && parsed.isValid ? parsed : null;
}

/** A point in time for Kombo, as RFC 3339 in UTC; see parseTime for what is read. */
export function readDateTime(value: unknown, timezone: string): Reading<string | undefined> {
	const parsed = parseTime(value, timezone);
	if (parsed === null) return { ok: false, problem: `must be a date and time such as 2026-01-31T08:00:00, got ${JSON.stringify(value)}` };
	return { ok: true, value: parsed?.toUTC().toISO({ suppressMilliseconds: true }) as string | undefined };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A completion date as Kombo takes it: a date alone (2026-04-15) stays a date, since the learner
 * finished on that day wherever they were; anything with a time becomes RFC 3339 in UTC.
 */
export function readDateOrDateTime(value: unknown, timezone: string): Reading<string | undefined> {
	if (typeof value === 'string' && DATE_ONLY.test(value.trim())) {
		const day = DateTime.fromISO(value.trim());
		if (day.isValid) return { ok: true, value: value.trim() };
	}
	const parsed = parseTime(value, timezone);
	if (parsed === null) return { ok: false, problem: `must be a date such as 2026-04-15 or a date and time such as 2026-04-15T14:30:00, got ${JSON.stringify(value)}` };
	return { ok: true, value: parsed?.toUTC().toISO({ suppressMilliseconds: true }) as string | undefined };
}
