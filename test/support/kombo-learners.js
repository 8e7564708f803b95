'use strict';

// The stand-in's learners and their course progressions, per integration: what GET /lms/users and
// GET /lms/course-progressions list, POST /lms/course-progressions creates and
// POST /lms/course-progressions/:id/complete changes. A progression belongs to a revision of a
// course in the course store (kombo-courses.js). Contract: kombo-lms-api.md.
//
// Lists are append-only (a deletion only sets remote_deleted_at), so a position in them stays
// valid for a cursor. The indexes keep a listing with 100 user IDs fast among 10,000 progressions.

const crypto = require('node:crypto');

const { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, RFC3339, randomAlnum, encodeCursor, decodeCursor, listOf } = require('./kombo-courses');

const COMMON_LIST_KEYS = ['updated_after', 'include_deleted', 'ids', 'remote_ids'];
const USER_LIST_KEYS = [...COMMON_LIST_KEYS, 'work_emails'];
const PROGRESSION_LIST_KEYS = [...COMMON_LIST_KEYS, 'user_ids', 'course_ids'];
const COMMA_LIST_KEYS = new Set(['ids', 'remote_ids', 'work_emails', 'user_ids', 'course_ids']);
const USER_STATUSES = new Set(['ACTIVE', 'INACTIVE']);
const PROGRESSION_STATUSES = new Set(['ENROLLED', 'IN_PROGRESS', 'COMPLETED', 'DROPPED']);
const ENROL_KEYS = new Set(['user_id', 'course_revision_id']);
const COMPLETE_KEYS = new Set(['completed_at', 'score']);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_LEARNER_COUNT = 3;
const EMAIL_DOMAIN = 'example.com';
const LEARNER_NAMES = [
	['Ada', 'Lovelace'],
	['Grace', 'Hopper'],
	['Alan', 'Turing'],
	['Katherine', 'Johnson'],
	['Edsger', 'Dijkstra'],
	['Barbara', 'Liskov'],
	['Donald', 'Knuth'],
	['Margaret', 'Hamilton'],
];

/**
 * @typedef {import('./kombo-courses').StoreAnswer} StoreAnswer
 * @typedef {ReturnType<typeof import('./kombo-courses').createCourseStore>} CourseStore
 *
 * @typedef {object} StoredUser
 * @property {string} id
 * @property {string} remote_id
 * @property {string | null} first_name
 * @property {string | null} last_name
 * @property {string | null} work_email
 * @property {'ACTIVE' | 'INACTIVE' | null} status
 * @property {string} remote_created_at
 * @property {string | null} remote_deleted_at
 * @property {string} changed_at
 * @property {number} changedAtMs
 * @property {number} position  index in the integration's user list
 *
 * @typedef {object} StoredProgression
 * @property {string} id
 * @property {string} remote_id
 * @property {string} user_id
 * @property {string} course_revision_id
 * @property {'ENROLLED' | 'IN_PROGRESS' | 'COMPLETED' | 'DROPPED'} status
 * @property {string} enrolled_at
 * @property {string | null} completed_at
 * @property {string} changed_at
 * @property {number} changedAtMs
 * @property {string | null} remote_deleted_at
 * @property {number} position  index in the integration's progression list
 * @property {{ id: string, remote_id: string, title: string, course: { id: string, remote_id: string } }} revision
 *   as embedded in the JSON: a revision's title never changes (new content makes a new revision)
 *
 * @typedef {object} SeedUser  a learner as a seed file or a test describes it
 * @property {string} [id]
 * @property {string} [remote_id]
 * @property {string | null} [first_name]
 * @property {string | null} [last_name]
 * @property {string | null} [work_email]
 * @property {'ACTIVE' | 'INACTIVE' | null} [status]  default ACTIVE
 * @property {boolean | string} [deleted]  true, or the time it was deleted in the LMS
 *
 * @typedef {object} SeedProgression  one of user_id / work_email, and one of course_id / origin_id /
 *   course_revision_id (a course stands for its last ACTIVE revision, or its last one)
 * @property {string} [id]
 * @property {string} [remote_id]
 * @property {string} [user_id]  a Kombo ID or remote:<id>
 * @property {string} [work_email]
 * @property {string} [course_id]  a Kombo ID or remote:<id>
 * @property {string} [origin_id]
 * @property {string} [course_revision_id]  a Kombo ID or remote:<id>
 * @property {'ENROLLED' | 'IN_PROGRESS' | 'COMPLETED' | 'DROPPED'} [status]  default ENROLLED
 * @property {string} [enrolled_at]
 * @property {string | null} [completed_at]  default: the seed time when COMPLETED, else null
 * @property {boolean | string} [deleted]
 *
 * @typedef {{ progression_id: string, completed_at: string, score: number | null }} Completion
 *
 * @typedef {object} Space
 * @property {StoredUser[]} users
 * @property {Map<string, StoredUser>} userById
 * @property {Map<string, StoredUser>} userByRemoteId
 * @property {Map<string, StoredUser[]>} usersByEmail  lower-cased work email → users
 * @property {StoredProgression[]} progressions
 * @property {Map<string, StoredProgression>} progressionById
 * @property {Map<string, StoredProgression>} progressionByRemoteId
 * @property {Map<string, StoredProgression[]>} progressionsByUser  user ID → progressions
 * @property {Map<string, StoredProgression[]>} progressionsByCourse  course ID → progressions
 * @property {Completion[]} completions
 */

/** @param {unknown} value */
const show = (value) => {
	if (value === undefined) return 'undefined';
	const text = JSON.stringify(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** @param {unknown} value @returns {value is Record<string, any>} */
const isPlainObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether a YYYY-MM-DD string names a real day (2024-02-30 does not). @param {string} text */
const isCalendarDate = (text) => DATE_ONLY.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;

/** An RFC 3339 date-time with a zone whose date part is a real day. @param {string} text */
const isDateTime = (text) => RFC3339.test(text) && isCalendarDate(text.slice(0, 10)) && !Number.isNaN(Date.parse(text));

/** @param {string} idParam a Kombo ID or remote:<id> */
const isIdParam = (idParam) => idParam !== '' && idParam !== 'remote:';

/**
 * Checks a POST /lms/course-progressions body: exactly `{ user_id, course_revision_id }`.
 * @param {unknown} body
 * @returns {{ path: string, message: string }[]}
 */
function validateEnrolBody(body) {
	if (!isPlainObject(body)) return [{ path: 'body', message: `must be an object, got ${show(body)}` }];
	const problems = Object.keys(body)
		.filter((key) => !ENROL_KEYS.has(key))
		.map((key) => ({ path: key, message: 'unknown field' }));
	for (const key of ENROL_KEYS) {
		if (typeof body[key] !== 'string' || !isIdParam(body[key])) {
			problems.push({ path: key, message: `must be a Kombo ID or remote:<id>, got ${show(body[key])}` });
		}
	}
	return problems;
}

/**
 * Checks a POST /lms/course-progressions/:id/complete body: an object with only the optional
 * `completed_at` (YYYY-MM-DD or an RFC 3339 date-time with a zone) and `score` (an integer 0–100).
 * @param {unknown} body
 * @returns {{ path: string, message: string }[]}
 */
function validateCompleteBody(body) {
	if (!isPlainObject(body)) return [{ path: 'body', message: `must be an object, got ${show(body)}` }];
	const problems = Object.keys(body)
		.filter((key) => !COMPLETE_KEYS.has(key))
		.map((key) => ({ path: key, message: 'unknown field' }));
	if ('completed_at' in body) {
		const value = body.completed_at;
		if (typeof value !== 'string' || !(isCalendarDate(value) || isDateTime(value))) {
			problems.push({ path: 'completed_at', message: `must be a date (2024-04-15) or an RFC 3339 date-time with a time zone, got ${show(value)}` });
		}
	}
	if ('score' in body && (!Number.isInteger(body.score) || body.score < 0 || body.score > 100)) {
		problems.push({ path: 'score', message: `must be an integer from 0 to 100, got ${show(body.score)}` });
	}
	return problems;
}

/**
 * Checks a listing's query as Kombo documents it. `extraKeys` are the endpoint's own filters.
 * @param {string} endpoint e.g. "GET /lms/users"
 * @param {string[]} filterKeys the query keys that filter (they make up the cursor's filters)
 * @param {Record<string, string>} query
 * @returns {{ ok: false, message: string } | { ok: true, pageSize: number, start: number, filters: string, updatedAfter: number | undefined, includeDeleted: boolean, lists: Record<string, string[] | undefined> }}
 */
function readListQuery(endpoint, filterKeys, query) {
	const bad = (/** @type {string} */ message) => ({ ok: /** @type {const} */ (false), message });
	const allowed = ['cursor', 'page_size', 'ignore_unsupported_filters', ...filterKeys];
	for (const key of Object.keys(query)) {
		if (!allowed.includes(key)) return bad(`Unknown query parameter "${key}". ${endpoint} takes ${allowed.join(', ')}.`);
	}
	let pageSize = PAGE_SIZE_DEFAULT;
	if (query.page_size !== undefined) {
		pageSize = Number(query.page_size);
		if (!/^\d+$/.test(query.page_size) || pageSize < 1 || pageSize > PAGE_SIZE_MAX) {
			return bad(`page_size must be a whole number from 1 to ${PAGE_SIZE_MAX}, got "${query.page_size}".`);
		}
	}
	if (query.updated_after !== undefined && !isDateTime(query.updated_after)) {
		return bad(`updated_after must be an RFC 3339 date-time with a time zone (e.g. 2026-01-31T00:00:00Z), got "${query.updated_after}".`);
	}
	for (const key of ['include_deleted', 'ignore_unsupported_filters']) {
		if (query[key] !== undefined && !['true', 'false'].includes(query[key])) return bad(`${key} must be true or false, got "${query[key]}".`);
	}
	/** @type {Record<string, string[] | undefined>} */
	const lists = {};
	for (const key of filterKeys.filter((each) => COMMA_LIST_KEYS.has(each))) {
		lists[key] = listOf(query[key]);
		if (lists[key]?.length === 0) return bad(`${key} must list at least one value, separated by commas.`);
	}
	// A digest rather than the filters themselves: 100 user IDs would make the cursor longer than the URL allows.
	const filters = crypto
		.createHash('sha256')
		.update(JSON.stringify([endpoint, ...filterKeys.map((key) => query[key] ?? null)]))
		.digest('base64url');
	let start = 0;
	if (query.cursor !== undefined) {
		const cursor = decodeCursor(query.cursor);
		if (!cursor) return bad(`The cursor "${query.cursor}" is not one this API returned. Pass data.next of the previous page as it is.`);
		if (cursor.filters !== filters) return bad('The cursor was made for other filters. Send the same filters with every page.');
		start = cursor.at;
	}
	return {
		ok: true,
		pageSize,
		start,
		filters,
		updatedAfter: query.updated_after === undefined ? undefined : Date.parse(query.updated_after),
		includeDeleted: query.include_deleted === 'true',
		lists,
	};
}

/**
 * One page of a list from a position on. `candidates`, when an index narrowed the search, are the
 * only records that can match, in list order.
 * @template {{ position: number }} T
 * @param {{ all: T[], candidates: T[] | undefined, start: number, pageSize: number, filters: string, keep: (record: T) => boolean, render: (record: T) => unknown }} page
 * @returns {StoreAnswer}
 */
function pageOf({ all, candidates, start, pageSize, filters, keep, render }) {
	const results = [];
	let next = null;
	if (candidates) {
		const matching = candidates.filter((record) => record.position >= start && keep(record));
		for (const record of matching.slice(0, pageSize)) results.push(render(record));
		if (matching.length > pageSize) next = encodeCursor(JSON.stringify({ at: matching[pageSize].position, filters }));
	} else {
		let position = start;
		for (; position < all.length && results.length < pageSize; position++) {
			if (keep(all[position])) results.push(render(all[position]));
		}
		if (position < all.length) next = encodeCursor(JSON.stringify({ at: position, filters }));
	}
	return { ok: true, status: 200, body: { status: 'success', data: { next, results } } };
}

/**
 * The records an index finds for any of `keys`, each once, in list order.
 * @template {{ position: number }} T
 * @param {string[]} keys @param {(key: string) => T | T[] | undefined} lookup
 * @returns {T[]}
 */
function gather(keys, lookup) {
	/** @type {Set<T>} */
	const found = new Set();
	for (const key of keys) {
		const hit = lookup(key);
		if (Array.isArray(hit)) for (const record of hit) found.add(record);
		else if (hit) found.add(hit);
	}
	return [...found].sort((a, b) => a.position - b.position);
}

/** @param {Map<string, any[]>} map @param {string} key @param {any} value */
function pushTo(map, key, value) {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/**
 * @param {object} options
 * @param {() => number} options.now
 * @param {CourseStore} options.courses  the course store the progressions' revisions live in
 * @param {number} [options.learners]  learners each integration holds from the start (default 3)
 * @param {Record<string, SeedUser[]>} [options.seedLearners]
 * @param {Record<string, SeedProgression[]>} [options.seedProgressions]
 */
function createLearnerStore(options) {
	/** @type {Map<string, Space>} */
	const integrations = new Map();
	let remoteCounter = 5000;

	const iso = (/** @type {number} */ ms) => new Date(ms).toISOString();
	/** @param {boolean | string | undefined} deleted @param {number} now */
	const deletedAt = (deleted, now) => (deleted === true ? iso(now) : typeof deleted === 'string' ? deleted : null);

	/** @param {string} integrationId @returns {Space} */
	function space(integrationId) {
		let found = integrations.get(integrationId);
		if (!found) {
			found = {
				users: [],
				userById: new Map(),
				userByRemoteId: new Map(),
				usersByEmail: new Map(),
				progressions: [],
				progressionById: new Map(),
				progressionByRemoteId: new Map(),
				progressionsByUser: new Map(),
				progressionsByCourse: new Map(),
				completions: [],
			};
			integrations.set(integrationId, found);
		}
		return found;
	}

	/** @param {StoredUser} user */
	const userJson = (user) => ({
		id: user.id,
		remote_id: user.remote_id,
		first_name: user.first_name,
		last_name: user.last_name,
		work_email: user.work_email,
		status: user.status,
		remote_created_at: user.remote_created_at,
		remote_deleted_at: user.remote_deleted_at,
		changed_at: user.changed_at,
		remote_data: null,
		custom_fields: {},
		integration_fields: [],
	});

	/** @param {Space} found @param {StoredProgression} progression */
	function progressionJson(found, progression) {
		const user = /** @type {StoredUser} */ (found.userById.get(progression.user_id));
		return {
			id: progression.id,
			remote_id: progression.remote_id,
			user_id: progression.user_id,
			course_revision_id: progression.course_revision_id,
			status: progression.status,
			enrolled_at: progression.enrolled_at,
			completed_at: progression.completed_at,
			changed_at: progression.changed_at,
			remote_deleted_at: progression.remote_deleted_at,
			remote_data: null,
			user: { id: user.id, remote_id: user.remote_id, first_name: user.first_name, last_name: user.last_name, work_email: user.work_email },
			course_revision: { ...progression.revision, course: { ...progression.revision.course } },
		};
	}

	/** @param {Space} found @param {string} idParam */
	const findUser = (found, idParam) =>
		idParam.startsWith('remote:') ? found.userByRemoteId.get(idParam.slice('remote:'.length)) : found.userById.get(idParam);

	/** @param {Space} found @param {string} idParam */
	const findProgression = (found, idParam) =>
		idParam.startsWith('remote:') ? found.progressionByRemoteId.get(idParam.slice('remote:'.length)) : found.progressionById.get(idParam);

	/**
	 * Adds learners as they are (a seed file, a test's fixture, a benchmark's population).
	 * @param {string} integrationId @param {SeedUser[]} list
	 */
	function seedLearners(integrationId, list) {
		const now = options.now();
		const found = space(integrationId);
		return list.map((given) => {
			if (given.status !== undefined && given.status !== null && !USER_STATUSES.has(given.status)) {
				throw new Error(`seed learner ${show(given)}: status must be ACTIVE, INACTIVE or null`);
			}
			/** @type {StoredUser} */
			const user = {
				id: given.id ?? `user_${randomAlnum(22)}`,
				remote_id: given.remote_id ?? `lms-user-${++remoteCounter}`,
				first_name: given.first_name ?? null,
				last_name: given.last_name ?? null,
				work_email: given.work_email ?? null,
				status: given.status === undefined ? 'ACTIVE' : given.status,
				remote_created_at: iso(now),
				remote_deleted_at: deletedAt(given.deleted, now),
				changed_at: iso(now),
				changedAtMs: now,
				position: found.users.length,
			};
			if (found.userById.has(user.id) || found.userByRemoteId.has(user.remote_id)) {
				throw new Error(`seed learner ${show(given)}: ${integrationId} already holds a learner with this id or remote_id`);
			}
			found.users.push(user);
			found.userById.set(user.id, user);
			found.userByRemoteId.set(user.remote_id, user);
			if (user.work_email !== null) pushTo(found.usersByEmail, user.work_email.toLowerCase(), user);
			return userJson(user);
		});
	}

	/** The learners every LMS holds from the start: ada@example.com, grace@example.com, … */
	function defaultLearners(/** @type {number} */ count) {
		return Array.from({ length: count }, (_, index) => {
			const [first, last] = LEARNER_NAMES[index % LEARNER_NAMES.length];
			const round = Math.floor(index / LEARNER_NAMES.length);
			return { first_name: first, last_name: last, work_email: `${first.toLowerCase()}${round > 0 ? round + 1 : ''}@${EMAIL_DOMAIN}` };
		});
	}

	/**
	 * Stores a progression of `user` in `revision` (already checked).
	 * @param {string} integrationId @param {StoredUser} user
	 * @param {NonNullable<ReturnType<CourseStore['revision']>>} target
	 * @param {Partial<Pick<StoredProgression, 'id' | 'remote_id' | 'status' | 'enrolled_at' | 'completed_at' | 'remote_deleted_at'>>} fields
	 */
	function insertProgression(integrationId, user, target, fields) {
		const now = options.now();
		const found = space(integrationId);
		const status = fields.status ?? 'ENROLLED';
		/** @type {StoredProgression} */
		const progression = {
			id: fields.id ?? `prog_${randomAlnum(22)}`,
			remote_id: fields.remote_id ?? `lms-enrol-${++remoteCounter}`,
			user_id: user.id,
			course_revision_id: target.revision.id,
			status,
			enrolled_at: fields.enrolled_at ?? iso(now),
			completed_at: fields.completed_at !== undefined ? fields.completed_at : status === 'COMPLETED' ? iso(now) : null,
			changed_at: iso(now),
			changedAtMs: now,
			remote_deleted_at: fields.remote_deleted_at ?? null,
			position: found.progressions.length,
			revision: {
				id: target.revision.id,
				remote_id: target.revision.remote_id,
				title: target.revision.title,
				course: { id: target.course.id, remote_id: target.course.remote_id },
			},
		};
		if (found.progressionById.has(progression.id) || found.progressionByRemoteId.has(progression.remote_id)) {
			throw new Error(`progression ${progression.id} / ${progression.remote_id}: ${integrationId} already holds one with this id or remote_id`);
		}
		found.progressions.push(progression);
		found.progressionById.set(progression.id, progression);
		found.progressionByRemoteId.set(progression.remote_id, progression);
		pushTo(found.progressionsByUser, user.id, progression);
		pushTo(found.progressionsByCourse, target.course.id, progression);
		return progression;
	}

	/**
	 * Adds progressions as they are. Learners and courses must be there already.
	 * @param {string} integrationId @param {SeedProgression[]} list
	 */
	function seedProgressions(integrationId, list) {
		const found = space(integrationId);
		return list.map((given) => {
			const fail = (/** @type {string} */ why) => new Error(`seed progression ${show(given)} in ${integrationId}: ${why}`);
			const user =
				given.user_id !== undefined
					? findUser(found, given.user_id)
					: given.work_email !== undefined
						? found.usersByEmail.get(given.work_email.toLowerCase())?.[0]
						: undefined;
			if (!user) throw fail('no such learner (give user_id or work_email of a seeded learner)');
			let target;
			if (given.course_revision_id !== undefined) {
				target = options.courses.revision(integrationId, given.course_revision_id);
			} else {
				const course =
					given.course_id !== undefined
						? options.courses.get(integrationId, given.course_id)
						: given.origin_id !== undefined
							? options.courses.byOriginId(integrationId, given.origin_id)
							: undefined;
				const revisions = course?.revisions ?? [];
				const chosen = [...revisions].reverse().find((each) => each.status === 'ACTIVE') ?? revisions.at(-1);
				target = chosen ? options.courses.revision(integrationId, chosen.id) : undefined;
			}
			if (!target) throw fail('no such course or revision (give course_revision_id, course_id or origin_id of a seeded course)');
			if (given.status !== undefined && !PROGRESSION_STATUSES.has(given.status)) throw fail('status must be ENROLLED, IN_PROGRESS, COMPLETED or DROPPED');
			const now = options.now();
			return progressionJson(
				found,
				insertProgression(integrationId, user, target, {
					id: given.id,
					remote_id: given.remote_id,
					status: given.status,
					enrolled_at: given.enrolled_at,
					completed_at: given.completed_at,
					remote_deleted_at: deletedAt(given.deleted, now),
				}),
			);
		});
	}

	/** Empties every integration, then seeds the default learners and the seeds given. Run after the course store's reset. */
	function reset(/** @type {string[]} */ integrationIds) {
		integrations.clear();
		for (const integrationId of integrationIds) seedLearners(integrationId, defaultLearners(options.learners ?? DEFAULT_LEARNER_COUNT));
		for (const [integrationId, list] of Object.entries(options.seedLearners ?? {})) seedLearners(integrationId, list);
		for (const [integrationId, list] of Object.entries(options.seedProgressions ?? {})) seedProgressions(integrationId, list);
	}

	/**
	 * GET /lms/users.
	 * @param {string} integrationId @param {Record<string, string>} query
	 * @returns {StoreAnswer}
	 */
	function listUsers(integrationId, query) {
		const read = readListQuery('GET /lms/users', USER_LIST_KEYS, query);
		if (!read.ok) return { ok: false, status: 400, code: 'PLATFORM.INPUT_INVALID', message: read.message };
		const found = space(integrationId);
		const { ids, remote_ids: remoteIds, work_emails: emails } = read.lists;
		const idSet = ids && new Set(ids);
		const remoteSet = remoteIds && new Set(remoteIds);
		const emailSet = emails && new Set(emails.map((email) => email.toLowerCase()));
		const candidates = ids
			? gather(ids, (id) => found.userById.get(id))
			: remoteIds
				? gather(remoteIds, (id) => found.userByRemoteId.get(id))
				: emailSet
					? gather([...emailSet], (email) => found.usersByEmail.get(email))
					: undefined;
		return pageOf({
			all: found.users,
			candidates,
			start: read.start,
			pageSize: read.pageSize,
			filters: read.filters,
			keep: (user) =>
				(read.includeDeleted || user.remote_deleted_at === null) &&
				(read.updatedAfter === undefined || user.changedAtMs > read.updatedAfter) &&
				(!idSet || idSet.has(user.id)) &&
				(!remoteSet || remoteSet.has(user.remote_id)) &&
				(!emailSet || (user.work_email !== null && emailSet.has(user.work_email.toLowerCase()))),
			render: userJson,
		});
	}

	/**
	 * GET /lms/course-progressions. `course_ids` are course IDs: a progression matches when its
	 * revision belongs to one of those courses.
	 * @param {string} integrationId @param {Record<string, string>} query
	 * @returns {StoreAnswer}
	 */
	function listProgressions(integrationId, query) {
		const read = readListQuery('GET /lms/course-progressions', PROGRESSION_LIST_KEYS, query);
		if (!read.ok) return { ok: false, status: 400, code: 'PLATFORM.INPUT_INVALID', message: read.message };
		const found = space(integrationId);
		const { ids, remote_ids: remoteIds, user_ids: userIds, course_ids: courseIds } = read.lists;
		const idSet = ids && new Set(ids);
		const remoteSet = remoteIds && new Set(remoteIds);
		const userSet = userIds && new Set(userIds);
		const courseSet = courseIds && new Set(courseIds);
		const candidates = ids
			? gather(ids, (id) => found.progressionById.get(id))
			: remoteIds
				? gather(remoteIds, (id) => found.progressionByRemoteId.get(id))
				: userIds
					? gather(userIds, (id) => found.progressionsByUser.get(id))
					: courseIds
						? gather(courseIds, (id) => found.progressionsByCourse.get(id))
						: undefined;
		return pageOf({
			all: found.progressions,
			candidates,
			start: read.start,
			pageSize: read.pageSize,
			filters: read.filters,
			keep: (progression) =>
				(read.includeDeleted || progression.remote_deleted_at === null) &&
				(read.updatedAfter === undefined || progression.changedAtMs > read.updatedAfter) &&
				(!idSet || idSet.has(progression.id)) &&
				(!remoteSet || remoteSet.has(progression.remote_id)) &&
				(!userSet || userSet.has(progression.user_id)) &&
				(!courseSet || courseSet.has(progression.revision.course.id)),
			render: (progression) => progressionJson(found, progression),
		});
	}

	/**
	 * POST /lms/course-progressions with a checked body. Enrolling a learner a second time in the
	 * same revision makes a second progression (`duplicate: true`): what Kombo does then is
	 * unconfirmed, and this is the worst plausible outcome. Enrolling again after dropping out is
	 * no duplicate.
	 * @param {string} integrationId @param {{ user_id: string, course_revision_id: string }} body
	 * @returns {StoreAnswer & { duplicate?: boolean }}
	 */
	function enrol(integrationId, body) {
		const found = space(integrationId);
		const user = findUser(found, body.user_id);
		if (!user || user.remote_deleted_at !== null) {
			return { ok: false, status: 404, code: 'PLATFORM.INPUT_INVALID', message: `Learner not found: no user with the ID "${body.user_id}" in this integration${user ? ' (deleted in the LMS)' : ''}.` };
		}
		const target = options.courses.revision(integrationId, body.course_revision_id);
		if (!target || target.course.remote_deleted_at !== null) {
			return {
				ok: false,
				status: 404,
				code: 'PLATFORM.INPUT_INVALID',
				message: `Course revision not found: no course revision with the ID "${body.course_revision_id}" in this integration${target ? ' (its course was deleted in the LMS)' : ''}.`,
			};
		}
		if (target.revision.status === 'INACTIVE') {
			return {
				ok: false,
				status: 400,
				code: 'REMOTE.INPUT_INVALID',
				message: `The LMS takes no enrolments in an inactive revision: course revision "${body.course_revision_id}" is INACTIVE.`,
			};
		}
		const duplicate = (found.progressionsByUser.get(user.id) ?? []).some(
			(each) => each.course_revision_id === target.revision.id && each.remote_deleted_at === null && each.status !== 'DROPPED',
		);
		const progression = insertProgression(integrationId, user, target, {});
		return { ok: true, status: 200, body: { status: 'success', data: progressionJson(found, progression), warnings: [] }, duplicate };
	}

	/**
	 * POST /lms/course-progressions/:id/complete with a checked body. Completing a completed
	 * progression again is accepted (`recompletion: true`): Kombo's behaviour there is unconfirmed.
	 * @param {string} integrationId @param {string} idParam a Kombo ID or remote:<id>
	 * @param {{ completed_at?: string, score?: number }} body
	 * @returns {StoreAnswer & { recompletion?: boolean }}
	 */
	function complete(integrationId, idParam, body) {
		const found = space(integrationId);
		const progression = findProgression(found, idParam);
		if (!progression || progression.remote_deleted_at !== null) {
			return {
				ok: false,
				status: 404,
				code: 'PLATFORM.INPUT_INVALID',
				message: `Course progression not found: no course progression with the ID "${idParam}" in this integration${progression ? ' (deleted in the LMS)' : ''}.`,
			};
		}
		const now = options.now();
		const given = body.completed_at;
		const completedAt = given === undefined ? iso(now) : DATE_ONLY.test(given) ? `${given}T00:00:00.000Z` : iso(Date.parse(given));
		const recompletion = progression.status === 'COMPLETED';
		progression.status = 'COMPLETED';
		progression.completed_at = completedAt;
		progression.changed_at = iso(now);
		progression.changedAtMs = now;
		found.completions.push({ progression_id: progression.id, completed_at: completedAt, score: body.score ?? null });
		return { ok: true, status: 200, body: { status: 'success', data: progressionJson(found, progression), warnings: [] }, recompletion };
	}

	return {
		reset,
		seedLearners,
		seedProgressions,
		listUsers,
		listProgressions,
		enrol,
		complete,
		/** Every learner of an integration, deleted ones included, in listing order. @param {string} integrationId */
		learners: (integrationId) => (integrations.get(integrationId)?.users ?? []).map(userJson),
		/** @param {string} integrationId @param {string | { workEmail: string }} key a Kombo ID, remote:<id>, or a work email (any case) */
		learner: (integrationId, key) => {
			const found = integrations.get(integrationId);
			const user = !found ? undefined : typeof key === 'string' ? findUser(found, key) : found.usersByEmail.get(key.workEmail.toLowerCase())?.[0];
			return user ? userJson(user) : undefined;
		},
		/** Every progression of an integration, deleted ones included, in listing order. @param {string} integrationId */
		progressions: (integrationId) => {
			const found = integrations.get(integrationId);
			return found ? found.progressions.map((progression) => progressionJson(found, progression)) : [];
		},
		/** @param {string} integrationId @param {string} idOrRemote */
		progression: (integrationId, idOrRemote) => {
			const found = integrations.get(integrationId);
			const progression = found && findProgression(found, idOrRemote);
			return found && progression ? progressionJson(found, progression) : undefined;
		},
		/** The completions written back, oldest first, with the score sent (null when none). @param {string} integrationId */
		completions: (integrationId) => (integrations.get(integrationId)?.completions ?? []).map((each) => ({ ...each })),
	};
}

module.exports = { createLearnerStore, validateEnrolBody, validateCompleteBody, DEFAULT_LEARNER_COUNT };
