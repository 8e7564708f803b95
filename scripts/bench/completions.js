'use strict';

// The completions case of `npm run bench`: Course Progression → Complete writes 10,000 completions
// back, over 2,000 learners and 500 courses (named by origin ID) that Kombo already holds. Of the
// 10,000 (learner, course) pairs, 6,000 are enrolled (half ENROLLED, half IN_PROGRESS), 1,000
// COMPLETED already, 3,000 not enrolled: Enroll If Needed makes 3,000 enrollments, and 9,000
// completions are needed; a completed one costs no write. With several integrations, row i goes
// to integration i mod n, and each integration's LMS holds the learners of its rows and all 500
// courses.
//
// Beside the node, a bare client (node:http, no n8n) sends what the case needs: the same lookups
// in the same groups, then the same writes, a fixed number in flight per integration from the
// first write on, every integration at once.

const http = require('node:http');
const path = require('node:path');

const COMPLETION_ITEMS = 10_000;
const COMPLETION_LEARNERS = 2_000;
const COMPLETION_COURSES = 500;
/** Items of the untimed warm-up (against the same seeds, reset before the measured run). */
const COMPLETION_WARMUP_ITEMS = 500;
const EMAIL_DOMAIN = 'bench.example.com';

/** The node's lookup grouping when the package does not say (its values since c67cf5f). */
const DEFAULT_LOOKUP_POLICY = { valuesPerRequest: 100, queryMaxChars: 4_000, parallelLookups: 4, pageSize: 250 };

/** @param {number} value @param {number} width */
const pad = (value, width) => String(value).padStart(width, '0');

const emailOf = (/** @type {number} */ learner) => `learner-${pad(learner, 4)}@${EMAIL_DOMAIN}`;
const originIdOf = (/** @type {number} */ course) => `COMP-${pad(course, 3)}`;

/**
 * The (learner, course) pair of item `index`: five rounds over the learners, each round shifting
 * the course by 100, so that the 10,000 pairs are distinct and every course has 20 of them.
 * @param {number} index
 */
function pairOf(index) {
	const learner = index % COMPLETION_LEARNERS;
	const round = Math.floor(index / COMPLETION_LEARNERS);
	return { learner, course: (learner + round * 100) % COMPLETION_COURSES };
}

/**
 * What Kombo holds of item `index`'s pair before the run: 60 % enrolled (ENROLLED or
 * IN_PROGRESS), 10 % COMPLETED, 30 % not enrolled. Decided by index ÷ 5, so that each of five
 * integrations (index mod 5) gets the same mix and the same writes.
 * @param {number} index
 * @returns {'ENROLLED' | 'IN_PROGRESS' | 'COMPLETED' | undefined}
 */
function seededStatusOf(index) {
	const tenth = Math.floor(index / 5) % 10;
	if (tenth < 6) return tenth % 2 === 0 ? 'ENROLLED' : 'IN_PROGRESS';
	if (tenth === 6) return 'COMPLETED';
	return undefined;
}

/** What the run must do, by the seeds: completions and enrollments needed, completed already. */
function expectedWrites(items = COMPLETION_ITEMS) {
	let completions = 0;
	let enrollments = 0;
	let alreadyCompleted = 0;
	for (let index = 0; index < items; index++) {
		const status = seededStatusOf(index);
		if (status === 'COMPLETED') alreadyCompleted++;
		else completions++;
		if (status === undefined) enrollments++;
	}
	return { completions, enrollments, alreadyCompleted };
}

/** @param {number} index @param {string[]} integrations */
const integrationOfIndex = (index, integrations) => integrations[index % integrations.length];

/**
 * The input items: { email, course, completed_at, score }, and `integration` when there are several.
 * @param {string[]} integrations @param {number} [count]
 */
function completionRows(integrations, count = COMPLETION_ITEMS) {
	const rows = [];
	for (let index = 0; index < count; index++) {
		const { learner, course } = pairOf(index);
		/** @type {Record<string, string | number>} */
		const row = {
			email: emailOf(learner),
			course: originIdOf(course),
			completed_at: `2026-04-${pad(1 + (index % 28), 2)}`,
			score: 50 + (index % 51),
		};
		if (integrations.length > 1) row.integration = integrationOfIndex(index, integrations);
		rows.push(row);
	}
	return rows;
}

/**
 * The stand-in's options that make each integration's LMS hold the case's learners, courses and
 * progressions from every reset on.
 * @param {string[]} integrations
 */
function completionSeeds(integrations) {
	/** @type {Record<string, any[]>} */
	const seedCourses = {};
	/** @type {Record<string, any[]>} */
	const seedLearners = {};
	/** @type {Record<string, any[]>} */
	const seedProgressions = {};
	for (const integrationId of integrations) {
		seedCourses[integrationId] = Array.from({ length: COMPLETION_COURSES }, (_, course) => ({
			origin_id: originIdOf(course),
			title: `Course ${course}`,
			remote_url: `https://academy.example.com/courses/${course}`,
			status: 'ACTIVE',
		}));
		seedLearners[integrationId] = [];
		seedProgressions[integrationId] = [];
	}
	for (let learner = 0; learner < COMPLETION_LEARNERS; learner++) {
		// Learner l's items are l, l + 2,000, …: all in integration l mod n.
		seedLearners[integrationOfIndex(learner, integrations)].push({ first_name: 'Learner', last_name: pad(learner, 4), work_email: emailOf(learner) });
	}
	for (let index = 0; index < COMPLETION_ITEMS; index++) {
		const status = seededStatusOf(index);
		if (status === undefined) continue;
		const { learner, course } = pairOf(index);
		seedProgressions[integrationOfIndex(index, integrations)].push({ work_email: emailOf(learner), origin_id: originIdOf(course), status });
	}
	return { seedCourses, seedLearners, seedProgressions };
}

/**
 * After a run: each input pair's progressions at the stand-in. Every pair must have exactly one,
 * COMPLETED; `extra` counts pairs with more than one (a duplicate enrollment).
 * @param {import('../../test/support/kombo-stub').KomboStub} stub @param {string[]} integrations
 */
function standInOutcome(stub, integrations) {
	let completedPairs = 0;
	let pairsWithSeveral = 0;
	let progressions = 0;
	let acceptedCompletions = 0;
	for (const integrationId of integrations) {
		acceptedCompletions += stub.completionsOf(integrationId).length;
		/** @type {Map<string, any[]>} */
		const byPair = new Map();
		for (const progression of stub.progressions(integrationId)) {
			if (progression.remote_deleted_at !== null) continue;
			progressions++;
			const key = `${progression.user.work_email}\n${progression.course_revision.course.id}`;
			byPair.set(key, [...(byPair.get(key) ?? []), progression]);
		}
		for (const list of byPair.values()) {
			if (list.length > 1) pairsWithSeveral++;
			if (list.some((progression) => progression.status === 'COMPLETED')) completedPairs++;
		}
	}
	return { completedPairs, pairsWithSeveral, progressions, acceptedCompletions };
}

/** How a run of the completions case is named in tables and progress lines. @param {{ approach: string, connectionPerRequest?: boolean }} run */
const clientLabel = (run) =>
	run.approach === 'completionsNode' ? 'node' : run.connectionPerRequest ? 'bare, a new connection per request' : 'bare, keep-alive';

/**
 * Records at the stand-in when the lookups and the writes happened, per integration too, and how
 * many writes were in flight over all integrations at once.
 */
function completionsProbe() {
	const state = {
		firstLookupAt: Infinity,
		lastLookupAt: -Infinity,
		firstWriteAt: Infinity,
		lastWriteAt: -Infinity,
		writeMs: 0,
		writes: 0,
		inFlight: 0,
		peakInFlight: 0,
		/** @type {Record<string, { firstWriteAt: number, lastWriteAt: number }>} */
		byIntegration: {},
	};
	const isLookup = (/** @type {any} */ request) => request.method === 'GET' && ['/lms/users', '/lms/courses', '/lms/course-progressions'].includes(request.route);
	const isWrite = (/** @type {any} */ request) => request.method === 'POST' && request.route.startsWith('/lms/course-progressions');
	return {
		hooks: {
			onRequest(/** @type {any} */ request) {
				if (isLookup(request)) state.firstLookupAt = Math.min(state.firstLookupAt, request.at);
				if (isWrite(request)) {
					state.firstWriteAt = Math.min(state.firstWriteAt, request.at);
					const span = (state.byIntegration[request.integrationId] ??= { firstWriteAt: request.at, lastWriteAt: request.at });
					span.firstWriteAt = Math.min(span.firstWriteAt, request.at);
					state.inFlight++;
					state.peakInFlight = Math.max(state.peakInFlight, state.inFlight);
				}
			},
			onResponse(/** @type {any} */ request) {
				const now = Date.now();
				if (isLookup(request)) state.lastLookupAt = Math.max(state.lastLookupAt, now);
				if (isWrite(request)) {
					state.inFlight--;
					state.lastWriteAt = Math.max(state.lastWriteAt, now);
					state.writeMs += now - request.at;
					state.writes++;
					const span = state.byIntegration[request.integrationId];
					if (span) span.lastWriteAt = Math.max(span.lastWriteAt, now);
				}
			},
		},
		/** @param {number} startedAt  Date.now() at the start of the run */
		result(startedAt) {
			const since = (/** @type {number} */ at) => (Number.isFinite(at) ? at - startedAt : NaN);
			/** @type {Record<string, { firstWriteMs: number, lastWriteMs: number }>} */
			const byIntegration = {};
			for (const [id, span] of Object.entries(state.byIntegration)) byIntegration[id] = { firstWriteMs: since(span.firstWriteAt), lastWriteMs: since(span.lastWriteAt) };
			return {
				firstLookupMs: since(state.firstLookupAt),
				lastLookupMs: since(state.lastLookupAt),
				firstWriteMs: since(state.firstWriteAt),
				lastWriteMs: since(state.lastWriteAt),
				meanWriteMs: state.writes ? state.writeMs / state.writes : NaN,
				meanWritesInFlight: state.writes ? state.writeMs / (state.lastWriteAt - state.firstWriteAt) : NaN,
				peakWritesInFlight: state.peakInFlight,
				byIntegration,
			};
		},
	};
}

/**
 * The node's lookup grouping, from the measured package's constants.
 * @param {string | undefined} packageDir
 */
function lookupPolicy(packageDir) {
	/** @type {Record<string, number>} */
	let constants = {};
	try {
		if (packageDir) constants = require(path.join(packageDir, 'dist/nodes/Kombo/helpers/constants.js'));
	} catch {
		// an unbuilt package: the defaults
	}
	return {
		valuesPerRequest: constants.LOOKUP_VALUES_PER_REQUEST ?? DEFAULT_LOOKUP_POLICY.valuesPerRequest,
		queryMaxChars: constants.LOOKUP_QUERY_MAX_CHARS ?? DEFAULT_LOOKUP_POLICY.queryMaxChars,
		parallelLookups: constants.MAX_PARALLEL_LOOKUPS ?? DEFAULT_LOOKUP_POLICY.parallelLookups,
		pageSize: constants.LIST_PAGE_SIZE_MAX ?? DEFAULT_LOOKUP_POLICY.pageSize,
	};
}

/**
 * Values cut into groups of at most `maxValues`, and at most `maxChars` once URL-encoded and
 * joined: the node's groups, so that both send the same lookups.
 * @param {string[]} values @param {{ valuesPerRequest: number, queryMaxChars: number }} policy
 */
function groupsOf(values, policy) {
	const groups = [];
	let current = [];
	let chars = 0;
	for (const value of values) {
		const cost = encodeURIComponent(value).length + 3;
		if (current.length > 0 && (current.length >= policy.valuesPerRequest || chars + cost > policy.queryMaxChars)) {
			groups.push(current);
			current = [];
			chars = 0;
		}
		current.push(value);
		chars += cost;
	}
	if (current.length > 0) groups.push(current);
	return groups;
}

/**
 * Runs `worker` over `inputs`, `limit` at a time.
 * @template T @param {T[]} inputs @param {number} limit @param {(input: T) => Promise<void>} worker
 */
async function pool(inputs, limit, worker) {
	let next = 0;
	const lanes = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, async () => {
		while (next < inputs.length) await worker(inputs[next++]);
	});
	await Promise.all(lanes);
}

/**
 * Kombo's API over node:http: keep-alive connections (one agent for the run), or a new connection
 * for every request, as n8n's HTTP helper opens them.
 * @param {{ baseUrl: string, apiKey: string, connectionPerRequest: boolean }} options
 */
function komboCaller({ baseUrl, apiKey, connectionPerRequest }) {
	const base = new URL(baseUrl);
	const agent = connectionPerRequest ? false : new http.Agent({ keepAlive: true, maxSockets: Infinity });
	/**
	 * @param {'GET' | 'POST'} method @param {string} route @param {string} integrationId
	 * @param {Record<string, string | undefined>} [query] @param {unknown} [body]
	 */
	const call = (method, route, integrationId, query, body) =>
		new Promise((resolve, reject) => {
			const pairs = Object.entries(query ?? {}).filter(([, value]) => value !== undefined);
			const search = pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(/** @type {string} */ (value))}`).join('&')}`;
			const payload = body === undefined ? undefined : JSON.stringify(body);
			const request = http.request(
				{
					host: base.hostname,
					port: base.port,
					path: `${base.pathname}${route}${search}`,
					method,
					agent,
					headers: {
						Accept: 'application/json',
						Authorization: `Bearer ${apiKey}`,
						'X-Integration-Id': integrationId,
						...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
					},
				},
				(response) => {
					const chunks = /** @type {Buffer[]} */ ([]);
					response.on('data', (chunk) => chunks.push(chunk));
					response.on('error', reject);
					response.on('end', () => {
						try {
							const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
							if ((response.statusCode ?? 0) >= 300 || json.status !== 'success') {
								reject(new Error(`${method} ${route}: HTTP ${response.statusCode} ${JSON.stringify(json.error)}`));
							} else resolve(json.data);
						} catch (error) {
							reject(error);
						}
					});
				},
			);
			request.on('error', reject);
			request.end(payload);
		});
	return { call, close: () => (agent ? agent.destroy() : undefined) };
}

/**
 * The bare client: per integration (all at once), learners by work email and the whole course list
 * side by side, then the learners' progressions, each in the node's groups and as many groups at
 * once as the node; then every item's writes, `writesPerIntegration` in flight per integration:
 * nothing for a completed pair, a completion for an enrolled one, an enrollment and a completion
 * otherwise.
 * @param {{ rows: any[], baseUrl: string, apiKey: string, integrationOf: (row: any) => string, writesPerIntegration: number,
 *   connectionPerRequest: boolean, packageDir?: string }} options
 */
async function runBareCompletions({ rows, baseUrl, apiKey, integrationOf, writesPerIntegration, connectionPerRequest, packageDir }) {
	const policy = lookupPolicy(packageDir);
	const { call, close } = komboCaller({ baseUrl, apiKey, connectionPerRequest });
	/** @param {string} route @param {string} integrationId @param {Record<string, string | undefined>} filters */
	const listAll = async (route, integrationId, filters) => {
		const records = [];
		let cursor;
		do {
			const page = /** @type {any} */ (await call('GET', route, integrationId, { page_size: String(policy.pageSize), ...filters, cursor }));
			records.push(...page.results);
			cursor = page.next ?? undefined;
		} while (cursor);
		return records;
	};
	/** @param {string} route @param {string} integrationId @param {string[]} values @param {(group: string[]) => Record<string, string | undefined>} filtersFor */
	const lookUp = async (route, integrationId, values, filtersFor) => {
		const found = [];
		await pool(groupsOf(values, policy), policy.parallelLookups, async (group) => {
			found.push(...(await listAll(route, integrationId, filtersFor(group))));
		});
		return found;
	};

	/** @type {Map<string, any[]>} */
	const groups = new Map();
	for (const row of rows) {
		const id = integrationOf(row);
		const group = groups.get(id);
		if (group) group.push(row);
		else groups.set(id, [row]);
	}
	const outcome = { COMPLETED: 0, ALREADY_COMPLETED: 0, FAILED: 0, enrolled: 0, items: 0 };
	try {
		await Promise.all(
			[...groups].map(async ([integrationId, group]) => {
				const emails = [...new Set(group.map((row) => String(row.email).toLowerCase()))];
				const [users, courses] = await Promise.all([
					lookUp('/lms/users', integrationId, emails, (chunk) => ({ work_emails: chunk.join(',') })),
					listAll('/lms/courses', integrationId, {}),
				]);
				const userByEmail = new Map(users.map((user) => [String(user.work_email).toLowerCase(), user]));
				const courseByOriginId = new Map(courses.filter((course) => typeof course.origin_id === 'string').map((course) => [course.origin_id, course]));
				const learnerIds = [...new Set(group.map((row) => userByEmail.get(String(row.email).toLowerCase())?.id).filter(Boolean))];
				const courseIds = [...new Set(group.map((row) => courseByOriginId.get(row.course)?.id).filter(Boolean))];
				// As the node: narrowed to the courses named when they fit one request.
				const narrow = courseIds.length > 0 && courseIds.length <= policy.valuesPerRequest ? courseIds.join(',') : undefined;
				const progressions = await lookUp('/lms/course-progressions', integrationId, learnerIds, (chunk) => ({ user_ids: chunk.join(','), course_ids: narrow }));
				/** @type {Map<string, any>} */
				const progressionOf = new Map();
				for (const progression of progressions) {
					if (progression.status === 'DROPPED') continue;
					const key = `${progression.user.id}\n${progression.course_revision.course.id}`;
					const known = progressionOf.get(key);
					if (!known || known.status !== 'COMPLETED') progressionOf.set(key, progression);
				}
				await pool(group, writesPerIntegration, async (row) => {
					const user = userByEmail.get(String(row.email).toLowerCase());
					const course = courseByOriginId.get(row.course);
					if (!user || !course) {
						outcome.FAILED++;
						return;
					}
					let progression = progressionOf.get(`${user.id}\n${course.id}`);
					if (progression?.status === 'COMPLETED') {
						outcome.ALREADY_COMPLETED++;
						return;
					}
					if (!progression) {
						const revision = [...course.revisions].reverse().find((each) => each.status === 'ACTIVE');
						progression = await call('POST', '/lms/course-progressions', integrationId, undefined, { user_id: user.id, course_revision_id: revision.id });
						outcome.enrolled++;
					}
					await call('POST', `/lms/course-progressions/${encodeURIComponent(progression.id)}/complete`, integrationId, undefined, {
						completed_at: row.completed_at,
						score: row.score,
					});
					outcome.COMPLETED++;
				});
			}),
		);
	} finally {
		close();
	}
	outcome.items = outcome.COMPLETED + outcome.ALREADY_COMPLETED + outcome.FAILED;
	return outcome;
}

module.exports = {
	COMPLETION_ITEMS,
	COMPLETION_LEARNERS,
	COMPLETION_COURSES,
	COMPLETION_WARMUP_ITEMS,
	clientLabel,
	completionRows,
	completionSeeds,
	completionsProbe,
	expectedWrites,
	lookupPolicy,
	runBareCompletions,
	standInOutcome,
};
