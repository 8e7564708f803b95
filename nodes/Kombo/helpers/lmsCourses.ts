import { DateTime } from 'luxon';

import { LIST_PAGE_SIZE_MAX } from './constants';

/** A revision as Kombo lists it; only these fields are documented, and none is sure to be there. */
export interface KomboRevision {
	title?: unknown;
	description?: unknown;
	remote_url?: unknown;
	status?: unknown;
	[field: string]: unknown;
}

/** A course of GET /lms/courses: Kombo's whole object, with the fields the node reads checked. */
export interface KomboLmsCourse {
	id: string;
	remote_id?: unknown;
	/** Set for courses created through Kombo's API, null for the LMS's own. */
	origin_id?: unknown;
	revisions: KomboRevision[];
	[field: string]: unknown;
}

export interface CoursePage {
	next: string | null;
	results: KomboLmsCourse[];
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function courseProblem(course: unknown): string | undefined {
	if (!isObject(course)) return 'a course is not an object';
	if (typeof course.id !== 'string' || course.id === '') return 'a course has no id';
	if (course.revisions !== undefined && course.revisions !== null && !Array.isArray(course.revisions)) return `course ${course.id} has revisions that are not a list`;
	return undefined;
}

/** Checks that a page of GET /lms/courses is one the node can follow and read. */
export function readCoursePage(data: unknown): { ok: true; value: CoursePage } | { ok: false; problem: string } {
	if (!isObject(data)) return { ok: false, problem: 'its data is not a page of courses' };
	if (!Array.isArray(data.results)) return { ok: false, problem: 'the page has no list of results' };
	if (data.next !== undefined && data.next !== null && typeof data.next !== 'string') return { ok: false, problem: 'the page’s next cursor is not text' };
	const problem = (data.results as unknown[]).map(courseProblem).find((each) => each !== undefined);
	if (problem) return { ok: false, problem };
	const results = (data.results as Array<Record<string, unknown>>).map((course) =>
		Array.isArray(course.revisions) ? (course as KomboLmsCourse) : ({ ...course, revisions: [] } as unknown as KomboLmsCourse),
	);
	return { ok: true, value: { next: typeof data.next === 'string' && data.next !== '' ? data.next : null, results } };
}

/**
 * Fields that may date a revision. Kombo does not document any (kombo-lms-api.md), so they are
 * used only when every revision has one of them.
 */
export const REVISION_TIME_FIELDS = ['remote_updated_at', 'updated_at', 'changed_at', 'remote_created_at', 'created_at'] as const;

function revisionTime(revision: KomboRevision): number | undefined {
	for (const field of REVISION_TIME_FIELDS) {
		const value = revision[field];
		if (typeof value !== 'string') continue;
		const time = Date.parse(value);
		if (!Number.isNaN(time)) return time;
	}
	return undefined;
}

/**
 * The revision that describes the course now. Kombo does not say which one that is: when every
 * revision carries a time, the latest (the later one on a tie); otherwise the last in the list,
 * as a list that grows by appending has it.
 */
export function currentRevision(revisions: unknown): KomboRevision | undefined {
	if (!Array.isArray(revisions)) return undefined;
	const candidates = revisions.filter(isObject) as KomboRevision[];
	// Stryker disable next-line ConditionalExpression: with no candidates nothing is latest, and candidates[0] is undefined too
	if (candidates.length === 0) return undefined;
	const times = candidates.map(revisionTime);
	if (times.some((time) => time === undefined)) return candidates[candidates.length - 1];
	let latest = 0;
	times.forEach((time, index) => {
		if ((time as number) >= (times[latest] as number)) latest = index;
	});
	return candidates[latest];
}

/**
 * Statuses that mean a course takes no new enrolments. Kombo documents no status values; any other
 * value, or none, counts as active, because deactivating an inactive course again does no harm
 * while leaving an active one enrollable would.
 */
export const INACTIVE_STATUSES = new Set(['INACTIVE', 'DEACTIVATED', 'ARCHIVED', 'RETIRED', 'DISABLED', 'DELETED']);

export function isInactiveStatus(status: unknown): boolean {
	return typeof status === 'string' && INACTIVE_STATUSES.has(status.trim().toUpperCase());
}

export function isActiveCourse(course: Pick<KomboLmsCourse, 'revisions'>): boolean {
	return !isInactiveStatus(currentRevision(course.revisions)?.status);
}

const orNull = (value: unknown) => (value === undefined ? null : value);

/** One flat record per course: its IDs and what its current revision says. */
export function simplifyCourse(course: KomboLmsCourse) {
	const revision = currentRevision(course.revisions) ?? {};
	return {
		id: course.id,
		origin_id: orNull(course.origin_id),
		remote_id: orNull(course.remote_id),
		title: orNull(revision.title),
		description: orNull(revision.description),
		remote_url: orNull(revision.remote_url),
		status: orNull(revision.status),
	};
}

export interface ListFilters {
	/** RFC 3339, with a time zone. */
	updatedAfter?: string;
	includeDeleted?: boolean;
	ids?: string[];
	remoteIds?: string[];
}

/** The query of one page of GET /lms/courses, page size first and the cursor last. */
export function listQuery(filters: ListFilters, pageSize: number, cursor?: string): Record<string, string | undefined> {
	return {
		page_size: String(Math.min(Math.max(1, Math.floor(pageSize)), LIST_PAGE_SIZE_MAX)),
		updated_after: filters.updatedAfter,
		include_deleted: filters.includeDeleted === undefined ? undefined : String(filters.includeDeleted),
		ids: filters.ids?.join(','),
		remote_ids: filters.remoteIds?.join(','),
		cursor,
	};
}

export type Reading<T> = { ok: true; value: T } | { ok: false; problem: string };

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
 * A point in time for Kombo, as RFC 3339 in UTC. n8n's date picker gives a local time without a
 * zone, which is read in the workflow's time zone; text with an offset, a JavaScript Date, a Luxon
 * DateTime and milliseconds since 1970 are read as they are.
 */
export function readDateTime(value: unknown, timezone: string): Reading<string | undefined> {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return { ok: true, value: undefined };
	let parsed: DateTime | undefined;
	if (value instanceof Date) parsed = DateTime.fromJSDate(value);
	// Luxon reads NaN and ±Infinity as an invalid time, which is refused below.
	else if (typeof value === 'number') parsed = DateTime.fromMillis(value);
	else if (typeof value === 'string') parsed = DateTime.fromISO(value.trim(), { zone: timezone, setZone: true });
	else if (isObject(value) && typeof (value as { toISO?: unknown }).toISO === 'function') {
		parsed = DateTime.fromISO(String((value as { toISO: () => unknown }).toISO()), { setZone: true });
	}
	if (!parsed || !parsed.isValid) return { ok: false, problem: `must be a date and time such as 2026-01-31T08:00:00, got ${JSON.stringify(value)}` };
	return { ok: true, value: parsed.toUTC().toISO({ suppressMilliseconds: true }) as string };
}

export type CourseIdType = 'komboId' | 'remoteId';

export const REMOTE_ID_PREFIX = 'remote:';

/**
 * The course_id of POST /lms/courses/{course_id}/deactivate: a Kombo ID as it is, or the LMS's
 * own ID as remote:<id>. An ID that already starts with remote: is taken as it is either way.
 */
export function readCourseId(value: unknown, type: CourseIdType): Reading<string> {
	const text = Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
	if (text === undefined) return { ok: false, problem: `must be text, got ${JSON.stringify(value)}` };
	if (text === '' || text === REMOTE_ID_PREFIX) return { ok: false, problem: 'is empty' };
	if (text.startsWith(REMOTE_ID_PREFIX) || type === 'komboId') return { ok: true, value: text };
	return { ok: true, value: `${REMOTE_ID_PREFIX}${text}` };
}

/** The path of a deactivation; the colon of remote:<id> stays as it is, a valid path character. */
export function deactivatePath(courseId: string): string {
	return `/lms/courses/${encodeURIComponent(courseId).replace(/%3A/gi, ':')}/deactivate`;
}
