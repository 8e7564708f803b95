import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { KomboLmsCourse } from '../helpers/lmsCourses';
import { deactivatePath, isActiveCourse, readCoursePage, REMOTE_ID_PREFIX } from '../helpers/lmsCourses';
import type { KomboClient } from '../transport';
import { asNodeError, SkippedRequest } from '../transport';
import type { Listing, ListRequest } from './listing';
import { listAll } from './listing';

export type ListCoursesRequest = ListRequest;

export const COURSES: Listing<KomboLmsCourse> = { path: '/lms/courses', noun: 'course', read: readCoursePage };

/** GET /lms/courses, followed page by page (see listAll). */
export async function listCourses(client: KomboClient, request: ListCoursesRequest): Promise<KomboLmsCourse[]> {
	return await listAll(client, COURSES, request);
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
