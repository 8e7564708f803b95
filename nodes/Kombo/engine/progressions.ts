import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { KomboProgression, KomboUser } from '../helpers/learners';
import {
	completePath,
	currentProgression,
	emailKey,
	enrollableRevision,
	isCompleted,
	progressionCourseId,
	progressionRevisionId,
	progressionUserId,
} from '../helpers/learners';
import type { KomboLmsCourse } from '../helpers/lmsCourses';
import { REMOTE_ID_PREFIX } from '../helpers/lmsCourses';
import { LOOKUP_VALUES_PER_REQUEST } from '../helpers/constants';
import type { KomboClient } from '../transport';
import { asNodeError, komboErrorOf, SkippedRequest } from '../transport';
import type { CourseDirectory } from './directory';
import { PROGRESSIONS, USERS } from './directory';
import { lookUp } from './listing';

export type LearnerRef = { by: 'email'; email: string } | { by: 'userId'; userId: string };
export type CourseRef = { by: 'originId'; originId: string } | { by: 'courseId'; courseId: string } | { by: 'revisionId'; revisionId: string };
export type ProgressionTarget = { by: 'learnerAndCourse'; learner: LearnerRef; course: CourseRef } | { by: 'progressionId'; progressionId: string };

/** One input item's enrollment or completion, read and checked. */
export interface ProgressionJob {
	itemIndex: number;
	integrationId: string;
	action: 'enroll' | 'complete';
	target: ProgressionTarget;
	/** What Complete sends (nothing for Enroll): Kombo uses today when there is no date. */
	completion: { completed_at?: string; score?: number };
	/** Complete: enroll a learner who is not enrolled yet, then complete. */
	enrollIfNeeded?: boolean;
}

export type ProgressionStatus = 'ENROLLED' | 'ALREADY_ENROLLED' | 'COMPLETED' | 'ALREADY_COMPLETED';

/** Why an item has no result: its input, a record Kombo does not hold, or Kombo's refusal. */
export type FailureKind = 'INVALID' | 'NOT_FOUND' | 'FAILED';

export type JobFailure = { itemIndex: number; error: NodeApiError | NodeOperationError; details: IDataObject };
export type JobOutcome = { itemIndex: number; json: IDataObject } | JobFailure;

/** What the panel calls each way of naming a learner, a course or a progression. */
export const FIELD_LABELS = {
	email: 'Learner Email',
	userId: 'User ID',
	originId: 'Course Origin ID',
	courseId: 'Course ID',
	revisionId: 'Course Revision ID',
	progressionId: 'Course Progression ID',
} as const;

const SYNC_HINT = 'Kombo reads learners, courses and enrollments from its last sync of the LMS, so one created minutes ago may appear only after the next sync.';

export function progressionHints(integrationId: string, action: 'enroll' | 'complete'): Record<string, string> {
	const doing = action === 'enroll' ? 'enrolling learners' : 'completing course progressions';
	return {
		'INTEGRATION.PERMISSION_MISSING': `Enable the "Create and manage course progressions" permission for the integration ${integrationId}: in the Kombo dashboard, open the integration, then its scope config (the customer may need to grant it in their LMS too).`,
		'INTEGRATION.ACTION_NOT_AVAILABLE': `The LMS of the integration ${integrationId} does not support ${doing} through Kombo. Check the integration's available write actions in the Kombo dashboard; these items cannot be written back automatically for this customer.`,
		'INTEGRATION.ACTION_DISABLED': `Enable ${action === 'enroll' ? 'enrolling' : 'completing'} course progressions in the scope config of the integration ${integrationId} in the Kombo dashboard.`,
		'PLATFORM.INPUT_INVALID': 'Fix the field Kombo names in its message (Completed At or Score, or the IDs the node found), then run the node again.',
		'REMOTE.INPUT_INVALID': 'The LMS rejected this enrollment or completion. Read the message for what it names, fix it, and run again.',
	};
}

interface Known {
	learner?: KomboUser;
	course?: KomboLmsCourse;
	/** The revision named, or the one to enroll in; undefined when the course has none active. */
	revisionId?: string;
}

/** An item whose learner and course (or progression) are known, ready to write. */
interface Plan {
	job: ProgressionJob;
	/** Items with one key are written one after another, in input order. */
	key: string;
	known: Known;
	/** The progression as the lookups found it. */
	found?: KomboProgression;
}

/** An item that cannot be done as given: its input, or a record the lookups did not find. */
export class JobError extends Error {
	constructor(
		readonly kind: FailureKind,
		readonly field: string | null,
		readonly value: unknown,
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

function notFound(field: keyof typeof FIELD_LABELS, value: string, problem: string, hint: string): JobError {
	return new JobError('NOT_FOUND', FIELD_LABELS[field], value, `'${FIELD_LABELS[field]}' ${problem}: ${JSON.stringify(value)}`, hint);
}

/** What the lookups of one integration found: its learners, courses and progressions. */
interface Lookups {
	usersByEmail: Map<string, KomboUser[]>;
	usersById: Map<string, KomboUser>;
	/** By learner ID. */
	progressionsByUser: Map<string, KomboProgression[]>;
	progressionsById: Map<string, KomboProgression>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/**
 * Everything one integration's items need to know, in bulk: learners by work email and by ID,
 * the courses (all of them once when any item names a course by origin ID), then the named
 * learners' progressions (in the named courses, when they fit one request). A few requests for
 * thousands of items, instead of several per item.
 */
async function lookUpAll(client: KomboClient, directory: CourseDirectory, jobs: ProgressionJob[]): Promise<Lookups> {
	const { integrationId } = directory;
	const itemIndex = jobs[0].itemIndex;
	const emails = new Set<string>();
	const userIds = new Set<string>();
	const courseIds = new Set<string>();
	const progressionIds = new Set<string>();
	const remoteProgressionIds = new Set<string>();
	// Kombo filters courses by its own IDs only: origin IDs and revisions are found in the whole list.
	let wholeList = false;
	for (const { target } of jobs) {
		if (target.by === 'progressionId') {
			if (target.progressionId.startsWith(REMOTE_ID_PREFIX)) remoteProgressionIds.add(target.progressionId.slice(REMOTE_ID_PREFIX.length));
			else progressionIds.add(target.progressionId);
			continue;
		}
		if (target.learner.by === 'email') emails.add(emailKey(target.learner.email));
		else userIds.add(target.learner.userId);
		if (target.course.by === 'courseId') courseIds.add(target.course.courseId);
		else wholeList = true;
	}
	// A lookup of no values sends nothing.
	const [byEmail, byId] = await Promise.all([
		lookUp(client, USERS, { integrationId, values: [...emails], filtersFor: (chunk) => ({ workEmails: chunk }), itemIndex }),
		lookUp(client, USERS, { integrationId, values: [...userIds], filtersFor: (chunk) => ({ ids: chunk }), itemIndex }),
		wholeList ? directory.loadAll(itemIndex) : undefined,
	]);
	await directory.loadIds([...courseIds], itemIndex);
	const lookups: Lookups = { usersByEmail: new Map(), usersById: new Map(), progressionsByUser: new Map(), progressionsById: new Map() };
	// Learners listed by work email have one.
	for (const user of byEmail) push(lookups.usersByEmail, emailKey(String(user.work_email)), user);
	for (const user of [...byEmail, ...byId]) lookups.usersById.set(user.id, user);

	// The learners' progressions, narrowed to the named courses when they fit one request.
	const courses = new Set<string>();
	for (const { target } of jobs) {
		const course = target.by === 'progressionId' ? undefined : findCourseIn(directory, target.course);
		if (course) courses.add(course.id);
	}
	const narrow = courses.size > 0 && courses.size <= LOOKUP_VALUES_PER_REQUEST ? [...courses] : undefined;
	const [ofLearners, byProgressionId, byRemoteId] = await Promise.all([
		lookUp(client, PROGRESSIONS, { integrationId, values: [...lookups.usersById.keys()], filtersFor: (chunk) => ({ userIds: chunk, courseIds: narrow }), itemIndex }),
		lookUp(client, PROGRESSIONS, { integrationId, values: [...progressionIds], filtersFor: (chunk) => ({ ids: chunk }), itemIndex }),
		lookUp(client, PROGRESSIONS, { integrationId, values: [...remoteProgressionIds], filtersFor: (chunk) => ({ remoteIds: chunk }), itemIndex }),
	]);
	for (const progression of ofLearners) push(lookups.progressionsByUser, progressionUserId(progression) as string, progression);
	for (const progression of byProgressionId) lookups.progressionsById.set(progression.id, progression);
	for (const progression of byRemoteId) lookups.progressionsById.set(`${REMOTE_ID_PREFIX}${String(progression.remote_id)}`, progression);
	// The courses of progressions named by ID, for the origin IDs in the results.
	await directory.loadIds([...byProgressionId, ...byRemoteId].map(progressionCourseId), itemIndex);
	return lookups;
}

function findLearner(integrationId: string, lookups: Lookups, learner: LearnerRef): KomboUser {
	if (learner.by === 'userId') {
		const user = lookups.usersById.get(learner.userId);
		if (!user) throw notFound('userId', learner.userId, `matches no learner in the integration ${integrationId}`, `Check the learner's Kombo ID (id in User → Get Many). ${SYNC_HINT}`);
		return user;
	}
	const users = lookups.usersByEmail.get(emailKey(learner.email)) ?? [];
	if (users.length === 0) {
		throw notFound('email', learner.email, `matches no learner in the integration ${integrationId}`, `Check the spelling, and that the learner has this work email in the customer's LMS. ${SYNC_HINT}`);
	}
	if (users.length > 1) {
		throw new JobError(
			'NOT_FOUND',
			FIELD_LABELS.email,
			learner.email,
			`'${FIELD_LABELS.email}' matches ${users.length} learners in the integration ${integrationId}: ${JSON.stringify(learner.email)}`,
			`Kombo lists several learners with this work email (${users.map((user) => user.id).join(', ')}), so the node cannot tell which one is meant. Set Learner to By User ID and give the learner's Kombo ID, or ask the customer to merge the duplicate accounts in their LMS.`,
		);
	}
	return users[0];
}

function findCourseIn(directory: CourseDirectory, course: CourseRef): KomboLmsCourse | undefined {
	if (course.by === 'originId') return directory.courseByOriginId(course.originId);
	if (course.by === 'courseId') return directory.course(course.courseId);
	return directory.courseOfRevision(course.revisionId);
}

// What to check when a course named one way or another is not in the integration's list.
const COURSE_NOT_FOUND: Record<CourseRef['by'], { problem: string; hint: string }> = {
	originId: {
		problem: 'matches no course',
		hint: 'The origin ID is the one your platform gave the course in Create or Update. Check that its task completed for this integration and that the course was not deleted in the LMS.',
	},
	courseId: { problem: 'matches no course', hint: "Check the course's Kombo ID (id in Course → Get Many)." },
	revisionId: { problem: 'matches no course revision', hint: "Check the revision's Kombo ID (in the revisions of Course → Get Many with Simplify off)." },
};

function findCourse(integrationId: string, directory: CourseDirectory, course: CourseRef): KomboLmsCourse {
	const found = findCourseIn(directory, course);
	if (found) return found;
	const { problem, hint } = COURSE_NOT_FOUND[course.by];
	throw notFound(course.by, courseValue(course), `${problem} in the integration ${integrationId}`, `${hint} ${SYNC_HINT}`);
}

function courseValue(course: CourseRef): string {
	return course.by === 'originId' ? course.originId : course.by === 'courseId' ? course.courseId : course.revisionId;
}

/** Decides from the lookups what an item needs, or why it cannot be done, before anything is sent. */
function plan(job: ProgressionJob, directory: CourseDirectory, lookups: Lookups): Plan {
	const { integrationId, target } = job;
	if (target.by === 'progressionId') {
		const found = lookups.progressionsById.get(target.progressionId);
		return { job, key: `progression\n${found?.id ?? target.progressionId}`, known: {}, found };
	}
	const learner = findLearner(integrationId, lookups, target.learner);
	const course = findCourse(integrationId, directory, target.course);
	// Stryker disable next-line ConditionalExpression: the other ways of naming a course have no revisionId, which reads as undefined all the same
	const revisionId = target.course.by === 'revisionId' ? target.course.revisionId : undefined;
	const revisionIds = new Set<unknown>(course.revisions.map((revision) => revision?.id).filter((id) => typeof id === 'string'));
	// A revision named by ID is the enrollment asked for; a course is enrolled in through any of its
	// revisions (found by the revision when Kombo does not embed the course).
	const learnersProgressions = lookups.progressionsByUser.get(learner.id);
	const inCourse = learnersProgressions
		? learnersProgressions.filter((progression) => {
				const revision = progressionRevisionId(progression);
				if (revisionId !== undefined) return revision === revisionId;
				return progressionCourseId(progression) === course.id || revisionIds.has(revision);
			})
		: [];
	const found = currentProgression(inCourse);
	const enrollRevisionId = revisionId ?? (enrollableRevision(course)?.id as string | undefined);
	const field = target.course.by;
	if (!found && job.action === 'complete' && !job.enrollIfNeeded) {
		throw new JobError(
			'NOT_FOUND',
			FIELD_LABELS[field],
			courseValue(target.course),
			`The learner ${learner.work_email ?? learner.id} is not enrolled in this course (${FIELD_LABELS[field]} ${JSON.stringify(courseValue(target.course))})`,
			`Turn on Enroll If Needed to enroll the learner first, or enroll them with Course Progression → Enroll. ${SYNC_HINT}`,
		);
	}
	if (!found && enrollRevisionId === undefined) {
		throw new JobError(
			'NOT_FOUND',
			FIELD_LABELS[field],
			courseValue(target.course),
			`'${FIELD_LABELS[field]}' names a course with no active revision in the integration ${integrationId}, so no learner can be enrolled in it: ${JSON.stringify(courseValue(target.course))}`,
			'The course was deactivated (Course → Deactivate, or in the LMS). Send it again with Course → Create or Update to make it active, then run this node again.',
		);
	}
	const key = JSON.stringify([learner.id, course.id, revisionId ?? null]);
	return { job, key, known: { learner, course, revisionId: enrollRevisionId }, found };
}

/** Kombo's progression of an enrollment or a completion: an object with an id, or unreadable. */
function readProgression(data: unknown): { ok: true; value: KomboProgression } | { ok: false; problem: string } {
	const id = (data as { id?: unknown } | null)?.id;
	if (typeof id !== 'string' || id === '') return { ok: false, problem: 'its data is not a course progression with an id' };
	return { ok: true, value: data as KomboProgression };
}

/** What an item's writes did before one failed: the enrollment the node made, if any. */
interface Trail {
	enrolled?: KomboProgression;
}

interface Written {
	status: ProgressionStatus;
	progression: KomboProgression;
	/** Complete: whether this run enrolled the learner first. */
	enrolled?: boolean;
	warnings: string[];
}

/** What an item's result says, with the IDs a builder needs next. */
function resultJson(plan: Plan, written: Written, directory: CourseDirectory): IDataObject {
	const { progression } = written;
	const { learner, course } = plan.known;
	const courseId = course?.id ?? progressionCourseId(progression) ?? null;
	const json: IDataObject = {
		status: written.status,
		course_progression_id: progression.id,
		progression_status: (progression.status as string | undefined) ?? null,
		user_id: learner?.id ?? progressionUserId(progression) ?? null,
		work_email: ((learner?.work_email ?? progression.user?.work_email) as string | undefined) ?? null,
		course_id: courseId,
		origin_id: course ? ((course.origin_id as string | undefined) ?? null) : courseId ? directory.originIdOf(courseId) : null,
		course_revision_id: progressionRevisionId(progression) ?? plan.known.revisionId ?? null,
		enrolled_at: (progression.enrolled_at as string | undefined) ?? null,
		completed_at: (progression.completed_at as string | undefined) ?? null,
	};
	if (plan.job.action === 'complete') {
		json.score = written.status === 'COMPLETED' ? (plan.job.completion.score ?? null) : null;
		json.enrolled = written.enrolled === true;
	}
	json.integration_id = plan.job.integrationId;
	if (written.warnings.length > 0) json.warnings = written.warnings;
	json.progression = progression as IDataObject;
	return json;
}

export interface RunOptions {
	continueOnFail: boolean;
	/** Each integration's course directory, shared by the execution. */
	directoryOf: (integrationId: string) => CourseDirectory;
}

/**
 * Enrolls and completes: looks everything up in bulk per integration (integrations side by side),
 * decides every item before anything is written, then writes through each integration's write
 * lane. Items about the same learner and course go one after another, so the second of two finds
 * the first one's enrollment or completion and is not written twice. Without Continue On Fail, an
 * item whose input or lookups are wrong stops the run before any write, and a write that fails
 * stops the writes not yet sent. Every item gets one outcome, in input order.
 */
export async function runProgressionJobs(client: KomboClient, jobs: ProgressionJob[], options: RunOptions): Promise<JobOutcome[]> {
	const byIntegration = new Map<string, ProgressionJob[]>();
	for (const job of jobs) push(byIntegration, job.integrationId, job);
	const outcomes = new Map<number, JobOutcome>();
	let firstFailure: JobFailure | undefined;
	const fail = (outcome: JobFailure) => {
		outcomes.set(outcome.itemIndex, outcome);
		// Stryker disable next-line EqualityOperator: an item fails once, so two failures never share an index
		if (firstFailure === undefined || outcome.itemIndex < firstFailure.itemIndex) firstFailure = outcome;
	};
	const plans: Array<{ plan: Plan; directory: CourseDirectory }> = [];

	await Promise.all(
		[...byIntegration].map(async ([integrationId, group]) => {
			const directory = options.directoryOf(integrationId);
			let lookups: Lookups;
			try {
				lookups = await lookUpAll(client, directory, group);
			} catch (caught) {
				const error = asNodeError(client.ctx, caught);
				if (client.cancelled) throw error;
				for (const job of group) fail(failure(job, 'FAILED', error));
				return;
			}
			for (const job of group) {
				try {
					plans.push({ plan: plan(job, directory, lookups), directory });
				} catch (caught) {
					// Stryker disable next-line ConditionalExpression: plan throws nothing but a JobError; anything else is a fault of the node and ends the run
					if (!(caught instanceof JobError)) throw asNodeError(client.ctx, caught);
					fail(jobErrorOutcome(client.ctx.getNode(), job.itemIndex, job.integrationId, caught));
				}
			}
		}),
	);
	if (firstFailure && !options.continueOnFail) throw firstFailure.error;

	let stopped = false;
	const wanted = () => !stopped;
	const state = new Map<string, KomboProgression | undefined>();
	const chains = new Map<string, Promise<void>>();
	await Promise.all(
		plans.map(async ({ plan: each, directory }) => {
			const previous = chains.get(each.key) ?? Promise.resolve();
			const done = previous.then(async () => {
				const trail: Trail = {};
				try {
					const written = await write(client, each, state, wanted, trail);
					outcomes.set(each.job.itemIndex, { itemIndex: each.job.itemIndex, json: resultJson(each, written, directory) });
				} catch (caught) {
					// Not sent because the run stopped at a failure, which is what the node reports.
					if (caught instanceof SkippedRequest) return;
					const error = asNodeError(client.ctx, caught);
					if (client.cancelled) throw error;
					stopped = stopped || !options.continueOnFail;
					fail(failure(each.job, 'FAILED', error, each, trail.enrolled));
				}
			});
			chains.set(each.key, done.catch(() => undefined));
			await done;
		}),
	);
	if (firstFailure && !options.continueOnFail) throw firstFailure.error;
	return jobs.map((job) => outcomes.get(job.itemIndex) as JobOutcome);
}

async function enroll(client: KomboClient, plan: Plan, wanted: () => boolean): Promise<{ progression: KomboProgression; warnings: string[] }> {
	const { job, known } = plan;
	try {
		const response = await client.request({
			method: 'POST',
			path: '/lms/course-progressions',
			integrationId: job.integrationId,
			body: { user_id: (known.learner as KomboUser).id, course_revision_id: known.revisionId as string },
			itemIndex: job.itemIndex,
			read: readProgression,
			wanted,
			once: true,
			hints: progressionHints(job.integrationId, 'enroll'),
		});
		return { progression: response.data, warnings: response.warnings };
	} catch (caught) {
		throw maybeEnrolled(client, caught);
	}
}

/**
 * An enrollment whose answer was lost may have been made all the same. It is not sent again,
 * since a second one could enroll the learner twice; the error says how to find out.
 */
function maybeEnrolled(client: KomboClient, caught: unknown): unknown {
	// A request not sent (the run stopped) or a stop of the execution passes as it is.
	if ((caught as { name?: unknown }).name !== 'NodeApiError') return caught;
	const error = caught as NodeApiError;
	const status = Number(error.httpCode ?? 0);
	if (status >= 400 && status < 500) return error;
	return new NodeApiError(client.ctx.getNode(), error.errorResponse as JsonObject, {
		message: error.message,
		description: `${error.description ?? ''} Kombo may have enrolled the learner all the same, so the node did not send the enrollment again. Run the node again after Kombo's next sync of the LMS: it finds an enrollment that was made and does not enroll twice.`,
		httpCode: error.httpCode ?? undefined,
		itemIndex: error.context?.itemIndex as number | undefined,
	});
}

async function complete(client: KomboClient, job: ProgressionJob, progressionId: string, wanted: () => boolean): Promise<{ progression: KomboProgression; warnings: string[] }> {
	const response = await client.request({
		method: 'POST',
		path: completePath(progressionId),
		integrationId: job.integrationId,
		body: { ...job.completion },
		itemIndex: job.itemIndex,
		read: readProgression,
		wanted,
		hints: progressionHints(job.integrationId, 'complete'),
	});
	return { progression: response.data, warnings: response.warnings };
}

/**
 * One item's writes, given what earlier items of the run did to the same learner and course.
 * A completion is sent again after a lost answer (the same date and score give the same record);
 * an enrollment is not (see maybeEnrolled).
 */
async function write(client: KomboClient, plan: Plan, state: Map<string, KomboProgression | undefined>, wanted: () => boolean, trail: Trail): Promise<Written> {
	const { job, key } = plan;
	const current = state.has(key) ? state.get(key) : plan.found;
	if (job.action === 'enroll') {
		if (current) return { status: 'ALREADY_ENROLLED', progression: current, warnings: [] };
		const made = await enroll(client, plan, wanted);
		state.set(key, made.progression);
		return { status: 'ENROLLED', progression: made.progression, warnings: made.warnings };
	}
	if (current && isCompleted(current)) return { status: 'ALREADY_COMPLETED', progression: current, warnings: [] };
	let progressionId = job.target.by === 'progressionId' ? job.target.progressionId : current?.id;
	let enrolled: KomboProgression | undefined;
	const warnings: string[] = [];
	if (progressionId === undefined) {
		const made = await enroll(client, plan, wanted);
		enrolled = made.progression;
		warnings.push(...made.warnings);
		state.set(key, enrolled);
		progressionId = enrolled.id;
	}
	trail.enrolled = enrolled;
	const done = await complete(client, job, progressionId, wanted);
	state.set(key, done.progression);
	return { status: 'COMPLETED', progression: done.progression, enrolled: enrolled !== undefined, warnings: [...warnings, ...done.warnings] };
}

/** The error item of an item that cannot be done as given, naming the item, the field and the value. */
export function jobErrorOutcome(node: INode, itemIndex: number, integrationId: string | null, caught: JobError): JobFailure {
	const error = new NodeOperationError(node, `${caught.message} [item ${itemIndex}]`, { itemIndex, description: caught.hint });
	return {
		itemIndex,
		error,
		details: { status: caught.kind, item: itemIndex, field: caught.field, value: caught.value as string, integration_id: integrationId, description: caught.hint },
	};
}

function failure(job: ProgressionJob, kind: FailureKind, error: NodeApiError | NodeOperationError, plan?: Plan, enrolledProgression?: KomboProgression): JobFailure {
	if (enrolledProgression) {
		error.description = `${error.description ?? ''} The node enrolled the learner (course progression ${enrolledProgression.id}) before the completion failed: run the node again to complete it.`;
	}
	const known = plan?.known ?? {};
	const details: IDataObject = {
		status: kind,
		item: job.itemIndex,
		integration_id: job.integrationId,
		user_id: known.learner?.id ?? null,
		course_id: known.course?.id ?? null,
		course_progression_id: enrolledProgression?.id ?? (job.target.by === 'progressionId' ? job.target.progressionId : (plan?.found?.id ?? null)),
		description: error.description ?? null,
	};
	if (job.action === 'complete') details.enrolled = enrolledProgression !== undefined;
	details.error = komboErrorOf(error) as unknown as IDataObject;
	return { itemIndex: job.itemIndex, error, details };
}
