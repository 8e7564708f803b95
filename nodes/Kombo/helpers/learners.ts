import type { Reading } from './listing';
import { pageReader } from './listing';
import type { KomboLmsCourse, KomboRevision } from './lmsCourses';
import { currentRevision, REMOTE_ID_PREFIX } from './lmsCourses';

/** A learner of GET /lms/users; every field but `id` may be null for a given LMS. */
export interface KomboUser {
	id: string;
	remote_id?: unknown;
	first_name?: unknown;
	last_name?: unknown;
	work_email?: unknown;
	status?: unknown;
	[field: string]: unknown;
}

/** A learner's enrollment in a course revision, as GET /lms/course-progressions lists it. */
export interface KomboProgression {
	id: string;
	remote_id?: unknown;
	user_id?: unknown;
	course_revision_id?: unknown;
	status?: unknown;
	enrolled_at?: unknown;
	completed_at?: unknown;
	user?: { id?: unknown; work_email?: unknown; [field: string]: unknown } | null;
	course_revision?: { id?: unknown; course?: { id?: unknown; remote_id?: unknown } | null; [field: string]: unknown } | null;
	[field: string]: unknown;
}

export const readUserPage = pageReader<KomboUser>('learner');
export const readProgressionPage = pageReader<KomboProgression>('course progression');

const orNull = (value: unknown) => (value === undefined ? null : value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** One flat record per learner: the fields a provider's system keeps. */
export function simplifyUser(user: KomboUser) {
	return {
		id: user.id,
		remote_id: orNull(user.remote_id),
		first_name: orNull(user.first_name),
		last_name: orNull(user.last_name),
		work_email: orNull(user.work_email),
		status: orNull(user.status),
	};
}

/** The learner's Kombo ID, from the field or the embedded learner. */
export function progressionUserId(progression: KomboProgression): string | undefined {
	return text(progression.user_id) ?? text(progression.user?.id);
}

export function progressionRevisionId(progression: KomboProgression): string | undefined {
	return text(progression.course_revision_id) ?? text(progression.course_revision?.id);
}

/** The Kombo ID of the course the progression's revision belongs to, when Kombo embeds it. */
export function progressionCourseId(progression: KomboProgression): string | undefined {
	return text(progression.course_revision?.course?.id);
}

/**
 * One flat record per progression: its own fields, and the learner's work email and the course's
 * origin ID beside their Kombo IDs (`originIdOf` knows the courses; null for the LMS's own).
 */
export function simplifyProgression(progression: KomboProgression, originIdOf: (courseId: string) => string | null) {
	const courseId = progressionCourseId(progression);
	return {
		id: progression.id,
		status: orNull(progression.status),
		enrolled_at: orNull(progression.enrolled_at),
		completed_at: orNull(progression.completed_at),
		user_id: progressionUserId(progression) ?? null,
		work_email: orNull(progression.user?.work_email),
		course_id: courseId ?? null,
		origin_id: courseId === undefined ? null : originIdOf(courseId),
		course_revision_id: progressionRevisionId(progression) ?? null,
		remote_id: orNull(progression.remote_id),
	};
}

export const COMPLETED = 'COMPLETED';
export const DROPPED = 'DROPPED';

function statusOf(progression: KomboProgression): string {
	return typeof progression.status === 'string' ? progression.status.trim().toUpperCase() : '';
}

export const isCompleted = (progression: KomboProgression) => statusOf(progression) === COMPLETED;

/**
 * The enrollment that counts among a learner's progressions in one course (deleted ones are never
 * listed): a completed one first, since a learner who finished must not be completed again; else
 * the last one still running; none when every one was dropped, so that the learner is enrolled
 * again. Later in Kombo's list counts as more recent.
 */
export function currentProgression(progressions: readonly KomboProgression[]): KomboProgression | undefined {
	const completed = progressions.filter(isCompleted);
	if (completed.length > 0) return completed[completed.length - 1];
	const running = progressions.filter((progression) => statusOf(progression) !== DROPPED);
	return running[running.length - 1];
}

/**
 * The revision to enroll in: the course's ACTIVE revision. Kombo does not say which one counts when
 * several are ACTIVE; the current one among them is taken (see currentRevision). None ACTIVE means
 * the course was deactivated and takes no enrollments.
 */
export function enrollableRevision(course: Pick<KomboLmsCourse, 'revisions'>): KomboRevision | undefined {
	const active = course.revisions.filter(
		(revision) => typeof revision?.status === 'string' && revision.status.trim().toUpperCase() === 'ACTIVE' && typeof revision.id === 'string' && revision.id !== '',
	);
	return currentRevision(active);
}

/** An ID the user gives: text or a number, trimmed, not empty. */
export function readId(value: unknown): Reading<string> {
	const id = Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
	if (id === undefined) return { ok: false, problem: `must be text, got ${JSON.stringify(value) ?? String(value)}` };
	if (id === '' || id === REMOTE_ID_PREFIX) return { ok: false, problem: 'is empty' };
	return { ok: true, value: id };
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** A work email as a learner has it in the LMS: trimmed; Kombo matches it case-insensitively. */
export function readEmail(value: unknown): Reading<string> {
	if (typeof value !== 'string') return { ok: false, problem: `must be an email address, got ${JSON.stringify(value) ?? String(value)}` };
	const email = value.trim();
	if (email === '') return { ok: false, problem: 'is empty' };
	if (!EMAIL.test(email)) return { ok: false, problem: `must be an email address such as ada@example.com, got ${JSON.stringify(value)}` };
	return { ok: true, value: email };
}

export const emailKey = (email: string) => email.trim().toLowerCase();

const SCORE = /^([+]?\d+(?:\.\d+)?)\s*%?$/;

/**
 * A score as Kombo takes it, a whole number from 0 to 100, read the way a spreadsheet gives it:
 * 93, "93", "93.0" and "93 %" are 93. Blank is no score. A fraction is refused rather than
 * rounded, since the score lands in the learner's compliance record.
 */
export function readScore(value: unknown): Reading<number | undefined> {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return { ok: true, value: undefined };
	const match = typeof value === 'string' ? SCORE.exec(value.trim()) : null;
	const score = typeof value === 'number' ? value : match ? Number(match[1]) : Number.NaN;
	const shown = JSON.stringify(value) ?? String(value);
	if (!Number.isFinite(score)) return { ok: false, problem: `must be a number from 0 to 100, got ${shown}` };
	if (!Number.isInteger(score) || score < 0 || score > 100) return { ok: false, problem: `must be a whole number from 0 to 100, got ${shown}` };
	return { ok: true, value: score };
}

/** The path of a progression's completion; the colon of remote:<id> stays as it is. */
export function completePath(progressionId: string): string {
	return `/lms/course-progressions/${encodeURIComponent(progressionId).replace(/%3A/gi, ':')}/complete`;
}
