'use strict';

// The stand-in's LMS: the courses each integration holds, as GET /lms/courses serves them and
// POST /lms/courses/:id/deactivate changes them. Courses come from completed upsert tasks, from a
// seed, or are the LMS's own (origin_id null, as for courses nobody created through Kombo).
// Revisions are kept oldest first; a change of content adds one. Contract: kombo-lms-api.md.

const crypto = require('node:crypto');

const PAGE_SIZE_DEFAULT = 100;
const PAGE_SIZE_MAX = 250;
const LIST_QUERY_KEYS = new Set(['cursor', 'page_size', 'updated_after', 'include_deleted', 'ignore_unsupported_filters', 'ids', 'remote_ids']);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const NATIVE_TITLES = ['Workplace safety basics', 'Code of conduct', 'Manager essentials', 'Data protection', 'Onboarding week'];

/**
 * @typedef {object} Revision
 * @property {string} id
 * @property {string} remote_id
 * @property {string} title
 * @property {string | null} description
 * @property {string | null} remote_url
 * @property {string} status  ACTIVE or INACTIVE
 *
 * @typedef {object} StoredCourse
 * @property {string} id
 * @property {string} remote_id
 * @property {string | null} origin_id
 * @property {string} changed_at
 * @property {number} changedAtMs
 * @property {string | null} remote_deleted_at
 * @property {Revision[]} revisions  oldest first
 *
 * @typedef {object} SeedCourse  a course as a seed file or a test describes it
 * @property {string | null} [origin_id]  null or absent: a course the LMS made itself
 * @property {string} [id]
 * @property {string} [remote_id]
 * @property {string} [title]
 * @property {string | null} [description]
 * @property {string} [remote_url]
 * @property {string} [course_url]  the same as remote_url
 * @property {'ACTIVE' | 'INACTIVE' | string} [status]
 * @property {boolean | string} [deleted]  true, or the time it was deleted in the LMS
 * @property {Array<Partial<Revision>>} [revisions]  instead of title … status, oldest first
 *
 * @typedef {{ ok: true, status: number, body: unknown } | { ok: false, status: number, code: string, message: string }} StoreAnswer
 */

/** @param {number} length */
function randomAlnum(length) {
	const bytes = crypto.randomBytes(length);
	let out = '';
	for (let i = 0; i < length; i++) out += ALNUM[bytes[i] % ALNUM.length];
	return out;
}

/** @param {StoredCourse} course */
function courseJson(course) {
	return {
		id: course.id,
		remote_id: course.remote_id,
		origin_id: course.origin_id,
		changed_at: course.changed_at,
		remote_deleted_at: course.remote_deleted_at,
		revisions: course.revisions.map((revision) => ({ ...revision })),
	};
}

/** @param {string} text */
const encodeCursor = (text) => Buffer.from(text, 'utf8').toString('base64url');

/** @param {string} cursor */
function decodeCursor(cursor) {
	try {
		const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		if (parsed && typeof parsed === 'object' && Number.isInteger(parsed.at) && typeof parsed.filters === 'string') return parsed;
	} catch {
		// An unreadable cursor is answered below.
	}
	return undefined;
}

/** @param {string | undefined} value */
const listOf = (value) =>
	value === undefined
		? undefined
		: value
				.split(',')
				.map((part) => part.trim())
				.filter((part) => part !== '');

/**
 * @param {{ now: () => number, nativeCourses?: number, seed?: Record<string, SeedCourse[]> }} options
 */
function createCourseStore(options) {
	/** @type {Map<string, { list: StoredCourse[], byId: Map<string, StoredCourse>, byRemoteId: Map<string, StoredCourse>, byOriginId: Map<string, StoredCourse>, byRevisionId: Map<string, StoredCourse>, byRevisionRemoteId: Map<string, StoredCourse> }>} */
	const integrations = new Map();
	let remoteCounter = 1000;

	/** @param {string} integrationId */
	function space(integrationId) {
		let found = integrations.get(integrationId);
		if (!found) {
			found = { list: [], byId: new Map(), byRemoteId: new Map(), byOriginId: new Map(), byRevisionId: new Map(), byRevisionRemoteId: new Map() };
			integrations.set(integrationId, found);
		}
		return found;
	}

	const iso = (/** @type {number} */ ms) => new Date(ms).toISOString();

	/** @param {string} integrationId @param {StoredCourse} course */
	function insert(integrationId, course) {
		const { list, byId, byRemoteId, byOriginId } = space(integrationId);
		list.push(course);
		byId.set(course.id, course);
		byRemoteId.set(course.remote_id, course);
		if (course.origin_id !== null) byOriginId.set(course.origin_id, course);
		for (const each of course.revisions) indexRevision(integrationId, course, each);
		return course;
	}

	/** @param {string} integrationId @param {StoredCourse} course @param {Revision} added */
	function indexRevision(integrationId, course, added) {
		const { byRevisionId, byRevisionRemoteId } = space(integrationId);
		byRevisionId.set(added.id, course);
		byRevisionRemoteId.set(added.remote_id, course);
	}

	/** @param {string} remoteId @param {number} number @param {Partial<Revision>} fields */
	function revision(remoteId, number, fields) {
		return {
			id: fields.id ?? `rev_${randomAlnum(20)}`,
			remote_id: fields.remote_id ?? `${remoteId}-r${number}`,
			title: fields.title ?? `Course ${remoteId}`,
			description: fields.description ?? null,
			remote_url: fields.remote_url ?? null,
			status: fields.status ?? 'ACTIVE',
		};
	}

	/**
	 * Adds courses as they are, without a task: a seed file, a test's fixture, a benchmark's catalogue.
	 * @param {string} integrationId @param {SeedCourse[]} courses
	 */
	function seed(integrationId, courses) {
		const now = options.now();
		const added = [];
		for (const given of courses) {
			const remoteId = given.remote_id ?? `lms-${++remoteCounter}`;
			const revisions = given.revisions
				? given.revisions.map((fields, index) => revision(remoteId, index + 1, fields))
				: [
						revision(remoteId, 1, {
							title: given.title,
							description: given.description ?? null,
							remote_url: given.remote_url ?? given.course_url ?? null,
							status: given.status,
						}),
					];
			const deleted = given.deleted === true ? iso(now) : typeof given.deleted === 'string' ? given.deleted : null;
			const originId = given.origin_id === undefined || given.origin_id === null ? null : String(given.origin_id);
			added.push(
				insert(integrationId, {
					id: given.id ?? `course_${randomAlnum(22)}`,
					remote_id: remoteId,
					origin_id: originId,
					changed_at: iso(now),
					changedAtMs: now,
					remote_deleted_at: deleted,
					revisions,
				}),
			);
		}
		return added.map(courseJson);
	}

	/** The LMS's own courses: each integration starts with a few that Kombo did not create. */
	function seedNative(/** @type {string[]} */ integrationIds) {
		const count = options.nativeCourses ?? 3;
		for (const integrationId of integrationIds) {
			seed(
				integrationId,
				Array.from({ length: count }, (_, index) => ({
					origin_id: null,
					title: NATIVE_TITLES[index % NATIVE_TITLES.length],
					remote_url: `https://lms.example.com/native/${index + 1}`,
				})),
			);
		}
	}

	function reset(/** @type {string[]} */ integrationIds) {
		integrations.clear();
		seedNative(integrationIds);
		for (const [integrationId, courses] of Object.entries(options.seed ?? {})) seed(integrationId, courses);
	}

	/**
	 * What a SUCCEEDED upsert does: creates the course, or updates the one with this origin ID,
	 * adding a revision when its content changed or it was inactive. Returns the Kombo ID.
	 * @param {string} integrationId @param {string} originId @param {{ title: string, description?: string | null, course_url: string }} course
	 */
	function upsert(integrationId, originId, course) {
		const now = options.now();
		const existing = space(integrationId).byOriginId.get(originId);
		const fields = { title: course.title, description: course.description ?? null, remote_url: course.course_url, status: 'ACTIVE' };
		if (!existing) {
			const remoteId = `lms-${++remoteCounter}`;
			return insert(integrationId, {
				id: `course_${randomAlnum(22)}`,
				remote_id: remoteId,
				origin_id: originId,
				changed_at: iso(now),
				changedAtMs: now,
				remote_deleted_at: null,
				revisions: [revision(remoteId, 1, fields)],
			}).id;
		}
		const current = existing.revisions[existing.revisions.length - 1];
		const same =
			current &&
			current.title === fields.title &&
			current.description === fields.description &&
			current.remote_url === fields.remote_url &&
			current.status === 'ACTIVE';
		if (!same) {
			const added = revision(existing.remote_id, existing.revisions.length + 1, fields);
			existing.revisions.push(added);
			indexRevision(integrationId, existing, added);
			existing.changed_at = iso(now);
			existing.changedAtMs = now;
		}
		existing.remote_deleted_at = null;
		return existing.id;
	}

	/** @param {string} integrationId @param {string} idParam a Kombo ID or remote:<id> */
	function find(integrationId, idParam) {
		const found = integrations.get(integrationId);
		if (!found) return undefined;
		return idParam.startsWith('remote:') ? found.byRemoteId.get(idParam.slice('remote:'.length)) : found.byId.get(idParam);
	}

	/**
	 * POST /lms/courses/:id/deactivate: the current revision becomes INACTIVE. Deactivating an
	 * inactive course again changes nothing and succeeds.
	 * @param {string} integrationId @param {string} idParam
	 * @returns {StoreAnswer}
	 */
	function deactivate(integrationId, idParam) {
		const course = find(integrationId, idParam);
		if (!course) {
			return { ok: false, status: 404, code: 'PLATFORM.INPUT_INVALID', message: `Course not found: no course with the ID "${idParam}" in this integration.` };
		}
		const current = course.revisions[course.revisions.length - 1];
		if (current && current.status !== 'INACTIVE') {
			current.status = 'INACTIVE';
			const now = options.now();
			course.changed_at = iso(now);
			course.changedAtMs = now;
		}
		return { ok: true, status: 200, body: { status: 'success', data: courseJson(course), warnings: [] } };
	}

	/**
	 * GET /lms/courses: the query is checked as Kombo documents it; a cursor carries the position
	 * in this integration's course list and the filters it was made for.
	 * @param {string} integrationId @param {Record<string, string>} query
	 * @returns {StoreAnswer}
	 */
	function list(integrationId, query) {
		const bad = (/** @type {string} */ message) => ({ ok: /** @type {const} */ (false), status: 400, code: 'PLATFORM.INPUT_INVALID', message });
		for (const key of Object.keys(query)) {
			if (!LIST_QUERY_KEYS.has(key)) return bad(`Unknown query parameter "${key}". GET /lms/courses takes ${[...LIST_QUERY_KEYS].join(', ')}.`);
		}
		let pageSize = PAGE_SIZE_DEFAULT;
		if (query.page_size !== undefined) {
			pageSize = Number(query.page_size);
			if (!/^\d+$/.test(query.page_size) || pageSize < 1 || pageSize > PAGE_SIZE_MAX) {
				return bad(`page_size must be a whole number from 1 to ${PAGE_SIZE_MAX}, got "${query.page_size}".`);
			}
		}
		if (query.updated_after !== undefined && (!RFC3339.test(query.updated_after) || Number.isNaN(Date.parse(query.updated_after)))) {
			return bad(`updated_after must be an RFC 3339 date-time with a time zone (e.g. 2026-01-31T00:00:00Z), got "${query.updated_after}".`);
		}
		for (const key of ['include_deleted', 'ignore_unsupported_filters']) {
			if (query[key] !== undefined && !['true', 'false'].includes(query[key])) return bad(`${key} must be true or false, got "${query[key]}".`);
		}
		for (const key of ['ids', 'remote_ids']) {
			if (query[key] !== undefined && listOf(query[key])?.length === 0) return bad(`${key} must list at least one ID, separated by commas.`);
		}
		const filters = JSON.stringify(['updated_after', 'include_deleted', 'ids', 'remote_ids'].map((key) => query[key] ?? null));
		let start = 0;
		if (query.cursor !== undefined) {
			const cursor = decodeCursor(query.cursor);
			if (!cursor) return bad(`The cursor "${query.cursor}" is not one this API returned. Pass data.next of the previous page as it is.`);
			if (cursor.filters !== filters) return bad('The cursor was made for other filters. Send the same filters with every page.');
			start = cursor.at;
		}

		const updatedAfter = query.updated_after === undefined ? undefined : Date.parse(query.updated_after);
		const includeDeleted = query.include_deleted === 'true';
		const ids = query.ids === undefined ? undefined : new Set(listOf(query.ids));
		const remoteIds = query.remote_ids === undefined ? undefined : new Set(listOf(query.remote_ids));
		const all = integrations.get(integrationId)?.list ?? [];
		const results = [];
		let position = start;
		for (; position < all.length && results.length < pageSize; position++) {
			const course = all[position];
			if (!includeDeleted && course.remote_deleted_at !== null) continue;
			if (updatedAfter !== undefined && course.changedAtMs <= updatedAfter) continue;
			if (ids && !ids.has(course.id)) continue;
			if (remoteIds && !remoteIds.has(course.remote_id)) continue;
			results.push(courseJson(course));
		}
		const next = position < all.length ? encodeCursor(JSON.stringify({ at: position, filters })) : null;
		return { ok: true, status: 200, body: { status: 'success', data: { next, results } } };
	}

	return {
		reset,
		seed,
		upsert,
		deactivate,
		list,
		/** @param {string} integrationId @param {string} idOrRemote */
		get: (integrationId, idOrRemote) => {
			const course = find(integrationId, idOrRemote);
			return course ? courseJson(course) : undefined;
		},
		/** @param {string} integrationId @param {string} originId */
		byOriginId: (integrationId, originId) => {
			const course = integrations.get(integrationId)?.byOriginId.get(originId);
			return course ? courseJson(course) : undefined;
		},
		/**
		 * A revision by Kombo ID or remote:<id>, with the course it belongs to (copies).
		 * @param {string} integrationId @param {string} idParam
		 * @returns {{ course: { id: string, remote_id: string, remote_deleted_at: string | null }, revision: Revision } | undefined}
		 */
		revision: (integrationId, idParam) => {
			const found = integrations.get(integrationId);
			if (!found) return undefined;
			const remote = idParam.startsWith('remote:');
			const key = remote ? idParam.slice('remote:'.length) : idParam;
			const course = (remote ? found.byRevisionRemoteId : found.byRevisionId).get(key);
			const match = course?.revisions.find((each) => (remote ? each.remote_id : each.id) === key);
			if (!course || !match) return undefined;
			return { course: { id: course.id, remote_id: course.remote_id, remote_deleted_at: course.remote_deleted_at }, revision: { ...match } };
		},
		/** Every course of an integration, as GET /lms/courses?include_deleted=true would list them. @param {string} integrationId */
		all: (integrationId) => (integrations.get(integrationId)?.list ?? []).map(courseJson),
	};
}

module.exports = { createCourseStore, PAGE_SIZE_MAX, PAGE_SIZE_DEFAULT, RFC3339, randomAlnum, encodeCursor, decodeCursor, listOf };
