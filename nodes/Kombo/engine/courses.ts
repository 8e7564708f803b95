import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { LIST_PAGE_SIZE_MAX } from '../helpers/constants';
import type { KomboLmsCourse, ListFilters } from '../helpers/lmsCourses';
import { deactivatePath, isActiveCourse, listQuery, readCoursePage, REMOTE_ID_PREFIX } from '../helpers/lmsCourses';
import type { KomboClient } from '../transport';
import { asNodeError, SkippedRequest } from '../transport';

export interface ListCoursesRequest {
	integrationId: string;
	filters: ListFilters;
	/** Stop once this many courses are listed; all of them when absent. */
	limit?: number;
	itemIndex?: number;
}

/**
 * Follows GET /lms/courses page by page: 250 a page when listing everything, the limit (at most
 * 250) otherwise, stopping as soon as the limit is reached. Every page repeats the filters. A
 * cursor that comes back a second time would page forever, so it ends the listing with an error.
 */
export async function listCourses(client: KomboClient, request: ListCoursesRequest): Promise<KomboLmsCourse[]> {
	const { integrationId, filters, limit, itemIndex } = request;
	const pageSize = limit === undefined ? LIST_PAGE_SIZE_MAX : Math.min(limit, LIST_PAGE_SIZE_MAX);
	const courses: KomboLmsCourse[] = [];
	const seen = new Set<string>();
	let cursor: string | undefined;
	for (;;) {
		const { data: page } = await client.request({
			method: 'GET',
			path: '/lms/courses',
			query: listQuery(filters, pageSize, cursor),
			integrationId,
			itemIndex,
			read: readCoursePage,
		});
		for (const course of page.results) {
			courses.push(course);
			// Stryker disable next-line ConditionalExpression: a count is never >= undefined, so the limit check only narrows the type
			if (limit !== undefined && courses.length >= limit) return courses;
		}
		if (page.next === null) return courses;
		if (seen.has(page.next)) {
			const message = 'Kombo returned the same page of courses twice';
			throw new NodeApiError(
				client.ctx.getNode(),
				{ message, integration_id: integrationId, request: 'GET /lms/courses' },
				{ message, description: `The cursor ${JSON.stringify(page.next)} came back after ${courses.length} courses, so following it would never end. Try again later; if it persists, contact Kombo support.`, itemIndex },
			);
		}
		seen.add(page.next);
		cursor = page.next;
	}
}

export interface Deactivation {
	/** The course as Kombo returned it (or listed it, when it was inactive already). */
	course: IDataObject;
	warnings: string[];
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Kombo's status and code of a failed request, as the transport recorded them. */
function failureOf(error: NodeApiError) {
	const status = error.httpCode ? Number(error.httpCode) : undefined;
	return { status, code: (error.errorResponse as { code?: unknown } | undefined)?.code };
}

function notFound(client: KomboClient, error: NodeApiError, courseId: string, integrationId: string, itemIndex?: number): NodeApiError {
	const remote = courseId.startsWith(REMOTE_ID_PREFIX);
	const message = `No course ${remote ? `with the remote ID ${JSON.stringify(courseId.slice(REMOTE_ID_PREFIX.length))}` : JSON.stringify(courseId)} in integration ${integrationId}`;
	// Stryker disable next-line OptionalChaining: only the transport's 404 errors get here, and each carries an errorResponse
	const log = (error.errorResponse as { log_url?: unknown } | undefined)?.log_url;
	const description = [
		`Kombo answered HTTP 404: ${error.message}.`,
		remote
			? "Check that this is the LMS's own ID of the course (remote_id in Get Many's output), or set Course ID Type to Kombo ID for Kombo's ID (id)."
			: "Check that this is Kombo's ID of the course (id in Get Many's output), or set Course ID Type to Remote ID for the LMS's own ID (remote_id).",
		'Check also that the course belongs to this integration (the credential’s, or the Integration ID option).',
		typeof log === 'string' ? `Details in Kombo's log: ${log}` : '',
	]
		.filter(Boolean)
		.join(' ');
	return new NodeApiError(client.ctx.getNode(), { ...(error.errorResponse as JsonObject), message }, { message, description, httpCode: '404', itemIndex });
}

/** The course as Kombo lists it, by Kombo ID or remote:<id>, deleted or not; undefined if unknown. */
async function findCourse(client: KomboClient, courseId: string, integrationId: string, itemIndex?: number): Promise<KomboLmsCourse | undefined> {
	const remote = courseId.startsWith(REMOTE_ID_PREFIX);
	const id = remote ? courseId.slice(REMOTE_ID_PREFIX.length) : courseId;
	const [course] = await listCourses(client, {
		integrationId,
		filters: remote ? { remoteIds: [id], includeDeleted: true } : { ids: [id], includeDeleted: true },
		limit: 1,
		itemIndex,
	});
	return course;
}

/**
 * POST /lms/courses/{course_id}/deactivate, through the transport (retries, the integration's
 * write lane). A SkippedRequest passes through: its `wanted` said no when its turn came.
 * Deactivating an inactive course is not an error: Kombo may accept it, or refuse it with an
 * error of its own, whose code is not documented. So after a refusal that a person would have to
 * look at (400, 409, 422), the course is looked up, and one that is inactive already counts as
 * deactivated, with Kombo's refusal as a warning. An unknown course is a clear 404 error.
 */
export async function deactivateCourse(
	client: KomboClient,
	request: { integrationId: string; courseId: string; itemIndex?: number; wanted?: () => boolean },
): Promise<Deactivation> {
	const { integrationId, courseId, itemIndex, wanted } = request;
	try {
		const response = await client.request({
			method: 'POST',
			path: deactivatePath(courseId),
			integrationId,
			body: {},
			itemIndex,
			wanted,
		});
		const course = isObject(response.data) ? response.data : { id: courseId };
		return { course, warnings: response.warnings };
	} catch (caught) {
		if (client.cancelled || caught instanceof SkippedRequest) throw caught instanceof SkippedRequest ? caught : asNodeError(client.ctx, caught);
		const error = caught as NodeApiError;
		const { status, code } = failureOf(error);
		if (status === 404 && code !== 'PLATFORM.INTEGRATION_NOT_FOUND') throw notFound(client, error, courseId, integrationId, itemIndex);
		if (status !== 400 && status !== 409 && status !== 422) throw error;
		let course: KomboLmsCourse | undefined;
		try {
			course = await findCourse(client, courseId, integrationId, itemIndex);
		} catch (lookup) {
			if (client.cancelled) throw asNodeError(client.ctx, lookup);
			throw error;
		}
		if (!course || isActiveCourse(course)) throw error;
		return { course: course as unknown as IDataObject, warnings: [`The course was inactive already; Kombo answered: ${error.message}`] };
	}
}
