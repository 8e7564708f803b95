'use strict';

// The retirement case of `npm run bench`: Kombo holds 100,000 courses created through the API; the
// catalogue of the night has all but 1,000 of them. The node runs Create or Update with Wait for
// Completion, Deactivate Courses Not in Input and Max Parallel Requests 4 (the floor's number of
// writes in flight, where the node would otherwise find its own); the floor does the same requests with plain
// fetch: the same bulk POSTs and polls (floor.js), then every page of GET /lms/courses (250 a
// page, one after the other, as a cursor allows) and one deactivation POST per missing course,
// four at once.

const { courseRow, courseRows } = require('./courses');
const { pool, runFloor } = require('./floor');

const RETIRE_COURSES = 100_000;
const RETIRE_MISSING = 1_000;
const PAGE_SIZE = 250;
const PARALLEL_DEACTIVATIONS = 4;
/** Writes in flight per integration of the floor's bulk POSTs, and the node's Max Parallel Requests. */
const RETIRE_WRITES_IN_FLIGHT = 4;

/** Whether course `index` has left the catalogue: every 100th, so 1,000 of 100,000. @param {number} index @param {number} total @param {number} missing */
const isMissing = (index, total, missing) => index % Math.round(total / missing) === Math.round(total / missing) - 1;

/**
 * The catalogue of the night: every course but the missing ones, as auto-mapped rows.
 * @param {number} total @param {number} missing
 */
function retireRows(total = RETIRE_COURSES, missing = RETIRE_MISSING) {
	return courseRows(total).filter((_, index) => !isMissing(index, total, missing));
}

/**
 * What Kombo holds before the run: every course of the full catalogue, as a previous night left it.
 * @param {import('../../test/support/kombo-stub').KomboStub} stub @param {string} integrationId @param {number} total
 */
function seedCatalogue(stub, integrationId, total = RETIRE_COURSES) {
	const courses = [];
	for (let index = 0; index < total; index++) {
		const row = courseRow(index);
		courses.push({ origin_id: row.origin_id, title: row.title, description: row.description, remote_url: row.course_url, status: 'ACTIVE' });
	}
	stub.seedCourses(integrationId, courses);
}

/**
 * @param {{ rows: ReturnType<typeof courseRow>[], baseUrl: string, apiKey: string, integrationId: string, batchSize: number, packageDir: string,
 *   writesInFlight?: number }} options
 */
async function runRetireFloor(options) {
	const statuses = await runFloor({ ...options, writesInFlight: options.writesInFlight ?? RETIRE_WRITES_IN_FLIGHT, wait: true });
	const headers = {
		Accept: 'application/json',
		'Content-Type': 'application/json',
		Authorization: `Bearer ${options.apiKey}`,
		'X-Integration-Id': options.integrationId,
	};
	const call = async (/** @type {string} */ method, /** @type {string} */ route, /** @type {unknown} */ body) => {
		const response = await fetch(`${options.baseUrl}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		const json = await response.json();
		if (!response.ok || json.status !== 'success') throw new Error(`${method} ${route}: HTTP ${response.status} ${JSON.stringify(json.error)}`);
		return json.data;
	};
	const listed = [];
	let cursor = null;
	do {
		const query = new URLSearchParams({ page_size: String(PAGE_SIZE), include_deleted: 'false', ...(cursor ? { cursor } : {}) });
		const page = await call('GET', `/lms/courses?${query}`);
		listed.push(...page.results);
		cursor = page.next;
	} while (cursor);
	const inInput = new Set(options.rows.map((row) => row.origin_id));
	const missing = listed.filter(
		(course) => typeof course.origin_id === 'string' && course.revisions.at(-1)?.status !== 'INACTIVE' && !inInput.has(course.origin_id),
	);
	await pool(missing, PARALLEL_DEACTIVATIONS, async (course) => await call('POST', `/lms/courses/${encodeURIComponent(course.id)}/deactivate`, {}));
	return { ...statuses, DEACTIVATED: missing.length };
}

/**
 * Records, at the stand-in, when the retirement began and ended: the first listing's arrival to the
 * last deactivation's answer, for the node and the floor alike.
 */
function phaseRecorder() {
	const phase = { firstListAt: 0, lastListEnd: 0, firstDeactivateAt: 0, lastDeactivateEnd: 0 };
	const isListing = (/** @type {any} */ request) => request.method === 'GET' && request.route === '/lms/courses';
	const isDeactivation = (/** @type {any} */ request) => request.method === 'POST' && request.route.endsWith('/deactivate');
	return {
		phase,
		onRequest(/** @type {any} */ request) {
			if (isListing(request) && phase.firstListAt === 0) phase.firstListAt = request.at;
			if (isDeactivation(request) && phase.firstDeactivateAt === 0) phase.firstDeactivateAt = request.at;
		},
		onResponse(/** @type {any} */ request) {
			const end = request.at + (request.durationMs ?? 0);
			if (isListing(request)) phase.lastListEnd = Math.max(phase.lastListEnd, end);
			if (isDeactivation(request)) phase.lastDeactivateEnd = Math.max(phase.lastDeactivateEnd, end);
		},
	};
}

module.exports = { RETIRE_COURSES, RETIRE_MISSING, RETIRE_WRITES_IN_FLIGHT, PAGE_SIZE, retireRows, seedCatalogue, runRetireFloor, phaseRecorder };
