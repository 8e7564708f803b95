'use strict';

// A minimal, well-behaved Kombo client for tests of the stub itself: each option breaks one
// part of the contract on purpose.

/**
 * @typedef {import('./kombo-stub').KomboStub} KomboStub
 *
 * @typedef {object} CallOptions
 * @property {unknown} [body]            sent as JSON with Content-Type: application/json
 * @property {string} [rawBody]          sent as is, without a Content-Type
 * @property {Record<string, string>} [headers]  extra or replacing headers
 * @property {string | null} [apiKey]    default: the stub's key; null: no Authorization header
 * @property {string | null} [integrationId]  default 'sandbox:demo'; null: no X-Integration-Id
 *
 * @typedef {{ code: string, title: string | null, message: string, log_url: string | null }} ErrorBody
 * @typedef {{ origin_id: string, status: string, data?: { id: string }, error?: ErrorBody }} ItemResultBody
 *
 * @typedef {{ id: string, remote_id: string, title: string, description: string | null, remote_url: string | null, status: string }} RevisionBody
 * @typedef {{ id: string, remote_id: string, origin_id: string | null, changed_at: string, remote_deleted_at: string | null, revisions: RevisionBody[] }} CourseBody
 *
 * @typedef {{ id: string, remote_id: string, first_name: string | null, last_name: string | null, work_email: string | null, status: string | null,
 *   remote_created_at: string, remote_deleted_at: string | null, changed_at: string }} UserBody
 * @typedef {{ id: string, remote_id: string, user_id: string, course_revision_id: string, status: string, enrolled_at: string,
 *   completed_at: string | null, changed_at: string, remote_deleted_at: string | null,
 *   user: { id: string, remote_id: string, first_name: string | null, last_name: string | null, work_email: string | null },
 *   course_revision: { id: string, remote_id: string, title: string, course: { id: string, remote_id: string } } }} ProgressionBody
 *
 * @typedef {object} ResponseJson  the fields tests read, whatever the endpoint
 * @property {'success' | 'error'} status
 * @property {{ task_id: string, status: string, completed_at?: string | null, data?: ItemResultBody[], error?: ErrorBody,
 *   next: string | null, results: CourseBody[], id: string, revisions: RevisionBody[], remote_id: string, user_id: string,
 *   course_revision_id: string, enrolled_at: string, user: ProgressionBody['user'], course_revision: ProgressionBody['course_revision'] }} data
 * @property {Array<{ message: string }>} [warnings]
 * @property {ErrorBody} error
 *
 * @typedef {{ status: number, headers: Headers, text: string, json: ResponseJson }} CallResult
 */

/**
 * @param {KomboStub} stub
 * @param {string} method
 * @param {string} route  below /v1, e.g. "/lms/courses/bulk"
 * @param {CallOptions} [options]
 * @returns {Promise<CallResult>}
 */
async function call(stub, method, route, options = {}) {
	/** @type {Record<string, string>} */
	const headers = {};
	const apiKey = options.apiKey === undefined ? stub.apiKey : options.apiKey;
	if (apiKey !== null) headers.Authorization = `Bearer ${apiKey}`;
	const integrationId =
		options.integrationId === undefined ? 'sandbox:demo' : options.integrationId;
	if (integrationId !== null) headers['X-Integration-Id'] = integrationId;
	let body = options.rawBody;
	if (options.body !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(options.body);
	}
	const response = await fetch(`${stub.url}${route}`, {
		method,
		headers: { ...headers, ...options.headers },
		body,
	});
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

/**
 * A valid bulk item.
 * @param {string} originId
 * @param {Record<string, unknown>} [courseFields]  fields to add to or replace in `course`
 */
function course(originId, courseFields = {}) {
	return {
		origin_id: originId,
		course: {
			type: 'EXTERNAL',
			title: `Course ${originId}`,
			course_url: `https://academy.example.com/${originId}`,
			...courseFields,
		},
	};
}

/** @param {KomboStub} stub @param {unknown[]} items @param {CallOptions} [options] */
const upsert = (stub, items, options = {}) =>
	call(stub, 'POST', '/lms/courses/bulk', { body: { items }, ...options });

/** @param {KomboStub} stub @param {string} taskId @param {CallOptions} [options] */
const poll = (stub, taskId, options = {}) =>
	call(stub, 'GET', `/lms/courses/bulk/${taskId}`, options);

/**
 * GET /lms/courses with this query (values as they go on the wire).
 * @param {KomboStub} stub @param {Record<string, string>} [query] @param {CallOptions} [options]
 */
const listCourses = (stub, query = {}, options = {}) =>
	call(stub, 'GET', `/lms/courses${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`, options);

/**
 * POST /lms/courses/:id/deactivate with the body Kombo documents, `{}`.
 * @param {KomboStub} stub @param {string} courseId a Kombo ID or remote:<id> @param {CallOptions} [options]
 */
const deactivate = (stub, courseId, options = {}) =>
	call(stub, 'POST', `/lms/courses/${encodeURIComponent(courseId)}/deactivate`, { body: {}, ...options });

/** @param {Record<string, string>} query */
const search = (query) => (Object.keys(query).length ? `?${new URLSearchParams(query)}` : '');

/**
 * GET /lms/users with this query; the page's results are users.
 * @param {KomboStub} stub @param {Record<string, string>} [query] @param {CallOptions} [options]
 * @returns {Promise<CallResult & { results: UserBody[] }>}
 */
async function listUsers(stub, query = {}, options = {}) {
	const response = await call(stub, 'GET', `/lms/users${search(query)}`, options);
	return { ...response, results: /** @type {UserBody[]} */ (/** @type {unknown} */ (response.json?.data?.results ?? [])) };
}

/**
 * GET /lms/course-progressions with this query; the page's results are progressions.
 * @param {KomboStub} stub @param {Record<string, string>} [query] @param {CallOptions} [options]
 * @returns {Promise<CallResult & { results: ProgressionBody[] }>}
 */
async function listProgressions(stub, query = {}, options = {}) {
	const response = await call(stub, 'GET', `/lms/course-progressions${search(query)}`, options);
	return { ...response, results: /** @type {ProgressionBody[]} */ (/** @type {unknown} */ (response.json?.data?.results ?? [])) };
}

/**
 * POST /lms/course-progressions with the body Kombo documents.
 * @param {KomboStub} stub @param {string} userId @param {string} courseRevisionId each a Kombo ID or remote:<id>
 * @param {CallOptions} [options]
 */
const enrol = (stub, userId, courseRevisionId, options = {}) =>
	call(stub, 'POST', '/lms/course-progressions', { body: { user_id: userId, course_revision_id: courseRevisionId }, ...options });

/**
 * POST /lms/course-progressions/:id/complete with this body (default `{}`).
 * @param {KomboStub} stub @param {string} progressionId a Kombo ID or remote:<id>
 * @param {{ completed_at?: unknown, score?: unknown, [key: string]: unknown }} [body] @param {CallOptions} [options]
 */
const complete = (stub, progressionId, body = {}, options = {}) =>
	call(stub, 'POST', `/lms/course-progressions/${encodeURIComponent(progressionId)}/complete`, { body, ...options });

module.exports = { call, course, upsert, poll, listCourses, deactivate, listUsers, listProgressions, enrol, complete };
