import type { Page, Reading } from './listing';
import { pageReader } from './listing';

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

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type CoursePage = Page<KomboLmsCourse>;

const readCourses = pageReader<KomboLmsCourse>('course', (course) =>
	course.revisions !== undefined && course.revisions !== null && !Array.isArray(course.revisions) ? `course ${course.id as string} has revisions that are not a list` : undefined,
);

/** Checks that a page of GET /lms/courses is one the node can follow and read. */
export function readCoursePage(data: unknown): Reading<CoursePage> {
	const page = readCourses(data);
	if (!page.ok) return page;
	const results = page.value.results.map((course) => (Array.isArray(course.revisions) ? course : { ...course, revisions: [] }));
	return { ok: true, value: { next: page.value.next, results } };
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
