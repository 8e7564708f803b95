'use strict';

// A stand-in for Kombo's LMS API (course upserts, listings, enrolments, completions) on 127.0.0.1
// (or the host given), strict about the documented contract (docs: kombo-lms-api.md) and able to
// misbehave on command. Plain JavaScript: `n8n-node lint` forbids timers and `process` in .ts files.

const http = require('node:http');
const crypto = require('node:crypto');

const { createCourseStore } = require('./kombo-courses');
const { createLearnerStore, validateEnrolBody, validateCompleteBody } = require('./kombo-learners');
const { createWebhookSender, resolveWebhookTarget, isLoopbackHost, SYNC_STATES } = require('./kombo-webhooks');

const API_PREFIX = '/v1';
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_API_KEY = 'ks_dev_sandbox_key';
const DEFAULT_INTEGRATIONS = ['sandbox:demo', 'sandbox:second'];
const DEFAULT_CONCURRENCY_LIMIT = 30;
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
const DEFAULT_LOG_URL_BASE = 'https://app.kombo.dev/sandbox';
const DEFAULT_ITEM_ERROR_CODE = 'REMOTE.INPUT_INVALID';
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Z]{2})?$/;
const COURSE_KEYS = new Set([
	'type',
	'title',
	'description',
	'course_url',
	'thumbnail_url',
	'duration',
	'languages',
]);
const ITEM_KEYS = new Set(['origin_id', 'course']);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PROGRESSION_PERMISSION = 'Create and manage course progressions';
const ENROL_ROUTE = '/lms/course-progressions';
const COMPLETE_ROUTE = /^\/lms\/course-progressions\/([^/]+)\/complete$/;
const SYNC_FINISHED_ROUTE = '/sandbox/sync-finished';

/** @type {Record<string, string>} */
const ERROR_TITLES = {
	'PLATFORM.RATE_LIMIT_EXCEEDED': 'Rate limit exceeded',
	'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED': 'Concurrency limit exceeded',
	'PLATFORM.INTEGRATION_NOT_FOUND': 'Integration not found',
	'PLATFORM.INPUT_INVALID': 'Invalid input',
	'PLATFORM.UNKNOWN_ERROR': 'Unknown error',
	'PLATFORM.AUTHENTICATION_INVALID': 'Authentication invalid',
	'PLATFORM.TASK_TIMED_OUT': 'Task timed out',
	'INTEGRATION.PERMISSION_MISSING': 'Permission missing',
	'INTEGRATION.AUTHENTICATION_INVALID': 'Integration authentication invalid',
	'INTEGRATION.INACTIVE': 'Integration inactive',
	'INTEGRATION.SETUP_SYNC_PENDING': 'Setup sync pending',
	'INTEGRATION.ACTION_DISABLED': 'Action disabled',
	'INTEGRATION.ACTION_NOT_AVAILABLE': 'Action not available',
	'REMOTE.SERVICE_UNAVAILABLE': 'Remote service unavailable',
	'REMOTE.RATE_LIMIT_EXCEEDED': 'Remote rate limit exceeded',
	'REMOTE.INPUT_INVALID': 'Remote input invalid',
	'REMOTE.UNKNOWN_HTTP_ERROR': 'Unknown remote HTTP error',
	'LMS.COURSE_UPDATE_NOT_SUPPORTED': 'Course update not supported',
};

/** @type {Record<number, string>} */
const DEFAULT_CODE_FOR_STATUS = {
	400: 'PLATFORM.INPUT_INVALID',
	401: 'PLATFORM.AUTHENTICATION_INVALID',
	403: 'INTEGRATION.PERMISSION_MISSING',
	404: 'PLATFORM.INTEGRATION_NOT_FOUND',
	409: 'INTEGRATION.SETUP_SYNC_PENDING',
	429: 'PLATFORM.RATE_LIMIT_EXCEEDED',
	500: 'PLATFORM.UNKNOWN_ERROR',
	502: 'PLATFORM.UNKNOWN_ERROR',
	503: 'REMOTE.SERVICE_UNAVAILABLE',
	504: 'PLATFORM.UNKNOWN_ERROR',
};

/**
 * @typedef {{ code: string, title: string | null, message: string, log_url: string | null }} KomboError
 * @typedef {Partial<KomboError> & { code?: string }} KomboErrorInput
 *
 * @typedef {object} Course
 * @property {string} type
 * @property {string} title
 * @property {string} course_url
 * @property {string | null} [description]
 * @property {string | null} [thumbnail_url]
 * @property {number | null} [duration]
 * @property {string[] | null} [languages]
 *
 * @typedef {{ origin_id: string, course: Course }} BulkItem
 * @typedef {{ items: BulkItem[] }} BulkBody
 *
 * @typedef {{ origin_id: string, status: 'SUCCEEDED', data: { id: string } }} ItemSucceeded
 * @typedef {{ origin_id: string, status: 'FAILED', error: KomboError }} ItemFailed
 * @typedef {ItemSucceeded | ItemFailed} ItemResult
 *
 * @typedef {object} TaskJson  a task as GET /lms/courses/bulk/:task_id answers it
 * @property {string} task_id
 * @property {string} created_at
 * @property {'PENDING'|'COMPLETED'|'FAILED'} status
 * @property {string | null} completed_at
 * @property {ItemResult[]} [data]   when COMPLETED
 * @property {KomboError} [error]    when FAILED
 *
 * @typedef {string | { message: string }} Warning
 *
 * @typedef {object} RecordedRequest
 * @property {number} id            1-based sequence number since start or the last reset
 * @property {string} method
 * @property {string} path          the path as sent, e.g. "/v1/lms/courses/bulk" (no query)
 * @property {string} route         the path below /v1, e.g. "/lms/courses/bulk"
 * @property {Record<string, string>} query
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {BulkBody} body  the parsed JSON (typed for bulk POSTs); for other requests it is
 *   undefined (no body) or the raw text (not JSON)
 * @property {number} at            Date.now() when the request arrived
 * @property {string | undefined} integrationId  the X-Integration-Id header
 * @property {Fault | undefined} fault  the injected fault this request got, if any
 * @property {number | 'reset' | undefined} status  the status answered (set once answered)
 * @property {number | undefined} durationMs
 * @property {string | undefined} taskId  the task created or returned (POST) or read (GET)
 *
 * @typedef {object} Violation
 * @property {'route'|'auth'|'integration'|'header'|'json'|'schema'|'query'|'concurrency'} kind
 * @property {string} method
 * @property {string} path
 * @property {number} status
 * @property {string} code
 * @property {string} message
 * @property {string[]} [fields]  field paths named by a schema violation
 * @property {number} requestId
 *
 * @typedef {object} TaskBehaviour
 * @property {number} [pendingPolls]      GETs answering PENDING before the task is done
 * @property {number} [completeAfterMs]   real time after creation before the task is done
 * @property {true | KomboErrorInput} [failTask]  task-level FAILED with this error
 * @property {Record<string, KomboErrorInput | true>} [failOriginIds]  these items FAILED
 * @property {string[]} [dropOriginIds]  these items are missing from the results
 * @property {boolean} [reverseResults]  results in the reverse order of the request's items
 *
 * @typedef {object} Task
 * @property {string} task_id
 * @property {string} integration_id
 * @property {string} created_at
 * @property {number} createdAtMs
 * @property {'PENDING'|'COMPLETED'|'FAILED'} status
 * @property {string | null} completed_at
 * @property {number} index        0-based creation order
 * @property {number} requestId    the request that created it
 * @property {BulkItem[]} items    the request's items, as sent
 * @property {string[]} origin_ids
 * @property {number} polls        GETs of this task answered so far (faulted ones not counted)
 * @property {TaskBehaviour} behaviour
 * @property {ItemResult[] | undefined} data  item results once COMPLETED
 * @property {KomboError | undefined} error  once FAILED
 *
 * @typedef {object} Fault
 * @property {{ method?: string, path?: string | RegExp }} [match]  only requests like this
 * @property {number} [times]        apply to this many matching requests (default 1)
 * @property {number} [status]
 * @property {string} [code]
 * @property {string} [message]
 * @property {string} [retryAfter]   Retry-After header value (seconds or an HTTP date)
 * @property {number} [retryAfterMs] retry-after-ms header value
 * @property {number} [concurrencyRemaining]
 * @property {boolean} [html]        an HTML error page instead of JSON
 * @property {boolean} [truncated]   JSON cut off half-way (a complete HTTP response)
 * @property {boolean} [empty]       an empty body
 * @property {boolean | 'immediate'} [reset]  destroy the socket mid-response (or before any byte)
 * @property {number} [delayMs]      answer after this long; alone, the request is then processed normally
 * @property {boolean} [drop]        with delayMs alone: after the delay, destroy the socket instead
 * @property {boolean} [echoHeaders] an error body that echoes the request's headers
 * @property {boolean} [afterProcessing] carry the request out first (a POST creates its task), then answer with the fault
 * @property {unknown} [body]        a custom body (object → JSON, string → as is)
 * @property {Record<string, string>} [headers]  extra response headers
 *
 * @typedef {Array<Fault | null> | ((request: RecordedRequest, index: number) => Fault | undefined | null)} FaultScript
 *
 * @typedef {object} StubOptions
 * @property {number} [port]                 default 0: a free port
 * @property {string} [host]                 address to listen on (default 127.0.0.1)
 * @property {string[]} [apiKeys]            default ['ks_dev_sandbox_key']
 * @property {string[]} [integrations]       default ['sandbox:demo', 'sandbox:second']
 * @property {number} [completeAfterPolls]   default 0
 * @property {number} [completeAfterMs]      ms after creation, on the `now` clock; unset by default
 * @property {() => number} [now]            the clock tasks age by (default Date.now): give it the
 *   node's virtual clock so that "done after 25 s" means 25 virtual seconds
 * @property {(task: Task) => TaskBehaviour | undefined} [taskBehaviour]
 * @property {Iterable<string> | Record<string, KomboErrorInput | true>} [failOriginIds]
 * @property {number} [failRate]             0..1, decided by a hash of origin_id (deterministic)
 * @property {string} [itemErrorCode]        code of simulated item failures (REMOTE.INPUT_INVALID)
 * @property {Warning[] | ((body: BulkBody, context: { integrationId: string }) => Warning[])} [warnings]
 *   the POST's warnings (strings become `{ message }`)
 * @property {number} [latencyMs]            delay before every answer (real time): the round trip
 * @property {number} [connectMs]            extra delay for the first request on each new
 *   connection, as a TCP and TLS handshake over a real network would cost
 * @property {number} [keepAliveTimeoutMs]   how long an idle keep-alive connection stays open
 *   (5000; announced in the Keep-Alive header, so clients close theirs a little earlier)
 * @property {number} [concurrencyLimit]     writes in flight per integration (30), beyond it 429
 * @property {Record<string, number>} [concurrencyLimits]  per integration ID, a limit of its own
 *   instead of `concurrencyLimit` (a fragile connector, say 5)
 * @property {boolean} [rejectDuplicateOriginIds]  400 when one request repeats an origin_id (true)
 * @property {number} [maxRequestsKept]      keep only the last N requests (default: all)
 * @property {string} [logUrlBase]
 * @property {(request: RecordedRequest) => void} [onResponse]  called once per answered request
 * @property {(request: RecordedRequest) => void} [onRequest]   called once per request, when its body has arrived
 * @property {number} [nativeCourses]        courses each integration's LMS holds that Kombo did not
 *   create (origin_id null), from the start and after every reset (default 3)
 * @property {Record<string, import('./kombo-courses').SeedCourse[]>} [seedCourses]  courses each
 *   integration holds from the start and after every reset, by integration ID
 * @property {number} [learners]             learners (users) each integration's LMS holds from the
 *   start and after every reset (default 3: ada@example.com, grace@example.com, alan@example.com)
 * @property {Record<string, import('./kombo-learners').SeedUser[]>} [seedLearners]  more learners,
 *   by integration ID, from the start and after every reset
 * @property {Record<string, import('./kombo-learners').SeedProgression[]>} [seedProgressions]
 *   course progressions, by integration ID, seeded after the courses and learners
 * @property {string[]} [refuseCompletion]   integration IDs whose LMS cannot complete progressions:
 *   POST /lms/course-progressions/:id/complete answers 400 INTEGRATION.ACTION_NOT_AVAILABLE
 * @property {string[]} [missingProgressionPermission]  integration IDs whose scope config lacks
 *   "Create and manage course progressions": enrol and complete answer 403 INTEGRATION.PERMISSION_MISSING
 * @property {import('./kombo-webhooks').WebhookTarget} [webhooks]  where to post signed webhooks,
 *   and with which secret: a data-changed event follows every change made through the API (a
 *   completed upsert task that created or changed courses, a deactivation, an enrolment, a
 *   completion); seeds send none. The URL must be a loopback address unless `allowRemote` is set.
 * @property {number} [webhookDebounceMs]    real time a first change waits for more before its
 *   data-changed event goes (200); flushWebhooks() sends at once
 * @property {number} [webhookRetries]       retries of a failed delivery, same event ID and body (2)
 * @property {number} [webhookRetryDelayMs]  wait before the first retry, doubled for each next (500)
 * @property {number} [webhookTimeoutMs]     an attempt unanswered for this long fails (10000)
 * @property {(delivery: import('./kombo-webhooks').WebhookDelivery, attempt: import('./kombo-webhooks').WebhookAttempt) => void} [onWebhook]
 *   called after each delivery attempt
 * @property {boolean} [sandboxEndpoints]    serve POST /sandbox/sync-finished (outside /v1), as
 *   `npm run sandbox` does: it sends the pending data-changed events, then a sync-finished event
 */

/**
 * The host part of a URL that reaches a server listening on `host` from this machine: a wildcard
 * address (every interface) is reached on 127.0.0.1, an IPv6 address goes in brackets.
 * @param {string} host
 */
function urlHost(host) {
	if (host === '0.0.0.0' || host === '::' || host === '') return DEFAULT_HOST;
	return host.includes(':') ? `[${host}]` : host;
}

/** @param {number} length */
function randomAlnum(length) {
	const bytes = crypto.randomBytes(length);
	let out = '';
	for (let i = 0; i < length; i++) out += ALNUM[bytes[i] % ALNUM.length];
	return out;
}

/** FNV-1a of a string, as a number in [0, 1): a deterministic stand-in for chance. @param {string} text */
function unitHash(text) {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash / 0x100000000;
}

/**
 * JSON with object keys sorted, so that equal bodies compare equal whatever their key order.
 * @param {unknown} value
 * @returns {string}
 */
function canonicalJson(value) {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const object = /** @type {Record<string, unknown>} */ (value);
		const keys = Object.keys(object).sort();
		return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** @param {unknown} value */
const show = (value) => {
	if (value === undefined) return 'undefined';
	const text = JSON.stringify(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** @param {unknown} value @returns {value is Record<string, any>} */
const isPlainObject = (value) =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Checks a bulk upsert body against the documented schema.
 * @param {unknown} body
 * @param {{ rejectDuplicateOriginIds?: boolean }} [rules]
 * @returns {{ path: string, message: string }[]} every problem found, each naming its field path
 */
function validateBulkBody(body, rules = {}) {
	/** @type {{ path: string, message: string }[]} */
	const problems = [];
	const add = (/** @type {string} */ path, /** @type {string} */ message) =>
		problems.push({ path, message });
	if (!isPlainObject(body)) {
		add('body', `must be an object, got ${show(body)}`);
		return problems;
	}
	for (const key of Object.keys(body)) if (key !== 'items') add(key, 'unknown field');
	const { items } = body;
	if (!Array.isArray(items)) {
		add('items', `must be an array, got ${show(items)}`);
		return problems;
	}
	if (items.length === 0) add('items', 'must contain at least one item');
	/** @type {Map<string, number>} */
	const seen = new Map();
	items.forEach((item, i) => {
		const at = `items[${i}]`;
		if (!isPlainObject(item)) {
			add(at, `must be an object, got ${show(item)}`);
			return;
		}
		for (const key of Object.keys(item))
			if (!ITEM_KEYS.has(key)) add(`${at}.${key}`, 'unknown field');
		if (typeof item.origin_id !== 'string' || item.origin_id.length === 0) {
			add(`${at}.origin_id`, `must be a non-empty string, got ${show(item.origin_id)}`);
		} else if (rules.rejectDuplicateOriginIds !== false) {
			const first = seen.get(item.origin_id);
			if (first !== undefined) {
				add(`${at}.origin_id`, `duplicates items[${first}].origin_id ${show(item.origin_id)}`);
			} else seen.set(item.origin_id, i);
		}
		const { course } = item;
		if (!isPlainObject(course)) {
			add(`${at}.course`, `must be an object, got ${show(course)}`);
			return;
		}
		const c = `${at}.course`;
		for (const key of Object.keys(course))
			if (!COURSE_KEYS.has(key)) add(`${c}.${key}`, 'unknown field');
		if (course.type !== 'EXTERNAL')
			add(`${c}.type`, `must be "EXTERNAL", got ${show(course.type)}`);
		for (const key of ['title', 'course_url']) {
			if (typeof course[key] !== 'string' || course[key].length === 0) {
				add(`${c}.${key}`, `must be a non-empty string, got ${show(course[key])}`);
			}
		}
		for (const key of ['description', 'thumbnail_url']) {
			if (key in course && course[key] !== null && typeof course[key] !== 'string') {
				add(`${c}.${key}`, `must be a string or null, got ${show(course[key])}`);
			}
		}
		if ('duration' in course && course.duration !== null) {
			if (!Number.isInteger(course.duration) || course.duration < 1) {
				add(
					`${c}.duration`,
					`must be an integer of at least 1 or null, got ${show(course.duration)}`,
				);
			}
		}
		if ('languages' in course && course.languages !== null) {
			if (!Array.isArray(course.languages)) {
				add(`${c}.languages`, `must be an array of strings or null, got ${show(course.languages)}`);
			} else {
				course.languages.forEach((/** @type {unknown} */ language, /** @type {number} */ j) => {
					if (typeof language !== 'string' || !LANGUAGE_PATTERN.test(language)) {
						add(
							`${c}.languages[${j}]`,
							`${show(language)} does not match ${LANGUAGE_PATTERN.source}`,
						);
					}
				});
			}
		}
	});
	return problems;
}

/** @param {Iterable<string> | Record<string, any> | undefined} value @returns {Map<string, any>} */
function toFailMap(value) {
	const map = new Map();
	if (!value) return map;
	if (Symbol.iterator in value) {
		for (const id of /** @type {Iterable<string>} */ (value)) map.set(String(id), true);
	} else {
		for (const [id, error] of Object.entries(value)) map.set(id, error);
	}
	return map;
}

/**
 * @param {{ method?: string, path?: string | RegExp } | undefined} match
 * @param {RecordedRequest} request
 */
function matches(match, request) {
	if (!match) return true;
	if (match.method && match.method.toUpperCase() !== request.method) return false;
	if (match.path === undefined) return true;
	const expected = match.path;
	if (expected instanceof RegExp)
		return expected.test(request.route) || expected.test(request.path);
	const test = (/** @type {string} */ p) =>
		expected.endsWith('*') ? p.startsWith(expected.slice(0, -1)) : p === expected;
	return test(request.route) || test(request.path);
}

const HTML_ERROR_PAGE = (/** @type {number} */ status) =>
	`<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

/**
 * Starts the stub. Resolves once it listens.
 * @param {StubOptions} [startOptions]
 */
async function startKomboStub(startOptions = {}) {
	const { port = 0, host = DEFAULT_HOST } = startOptions;
	/** @type {StubOptions} */
	let options = { ...startOptions };

	/** @type {RecordedRequest[]} */
	const requests = [];
	/** @type {Violation[]} */
	const violations = [];
	/** @type {Map<string, Task>} */
	const tasks = new Map();
	/** Idempotency: `${integration}\n${canonical body hash}` → task id. */
	const taskByBody = new Map();
	/** The courses each integration's LMS holds: from upserts, seeds, and the LMS itself. */
	const courses = createCourseStore({
		now: () => clockNow(),
		get nativeCourses() {
			return options.nativeCourses;
		},
		get seed() {
			return options.seedCourses;
		},
	});
	/** The learners each integration's LMS holds, and their course progressions. */
	const learners = createLearnerStore({
		now: () => clockNow(),
		courses,
		get learners() {
			return options.learners;
		},
		get seedLearners() {
			return options.seedLearners;
		},
		get seedProgressions() {
			return options.seedProgressions;
		},
	});
	/** @type {Record<string, number>} */
	const maxInFlight = {};
	/** @type {Record<string, number>} */
	const inFlight = {};
	const newCounters = () => ({
		requests: 0,
		posts: 0,
		polls: 0,
		faults: 0,
		tasks: 0,
		connections: 0,
		rejected429: 0,
		listings: 0,
		deactivations: 0,
		userListings: 0,
		progressionListings: 0,
		enrolments: 0,
		completions: 0,
		duplicateEnrolments: 0,
		recompletions: 0,
	});
	const counters = newCounters();
	/** Sockets that have carried a request already: only the first request on one pays connectMs. */
	const usedSockets = new WeakSet();
	/** @type {{ list: Array<Fault | null>, fn: null | ((r: RecordedRequest, i: number) => Fault | undefined | null), seen: number }} */
	let faultScript = { list: [], fn: null, seen: 0 };
	const sockets = new Set();
	const timers = new Set();
	const webhooks = createWebhookSender({
		settings: () => options,
		now: () => clockNow(),
		logUrl: () => logUrl(),
	});
	webhooks.configure(options.webhooks);

	const clockNow = () => (options.now ? options.now() : Date.now());
	const apiKeys = () => options.apiKeys ?? [DEFAULT_API_KEY];
	const integrations = () => options.integrations ?? DEFAULT_INTEGRATIONS;
	/** @param {string | undefined} integrationId */
	const concurrencyLimit = (integrationId) =>
		(integrationId !== undefined ? options.concurrencyLimits?.[integrationId] : undefined) ??
		options.concurrencyLimit ??
		DEFAULT_CONCURRENCY_LIMIT;

	/** @param {number} ms */
	const delay = (ms) =>
		new Promise((resolve) => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				resolve(undefined);
			}, ms);
			timers.add(timer);
		});

	const logUrl = () => `${options.logUrlBase ?? DEFAULT_LOG_URL_BASE}/logs/log_${randomAlnum(16)}`;

	/** @param {KomboErrorInput | true | undefined} input @param {Partial<KomboError>} defaults @returns {KomboError} */
	function toKomboError(input, defaults) {
		const given = input === true || input === undefined ? {} : input;
		const code = given.code ?? defaults.code ?? 'PLATFORM.UNKNOWN_ERROR';
		return {
			code,
			title:
				given.title !== undefined ? given.title : (ERROR_TITLES[code] ?? defaults.title ?? null),
			message: given.message ?? defaults.message ?? `${ERROR_TITLES[code] ?? code}.`,
			log_url: given.log_url !== undefined ? given.log_url : logUrl(),
		};
	}

	/** @param {string} code @param {string} message */
	const envelope = (code, message) => ({
		status: 'error',
		error: toKomboError({ code, message }, {}),
	});

	/**
	 * @param {RecordedRequest} request
	 * @param {Violation['kind']} kind
	 * @param {number} status
	 * @param {string} code
	 * @param {string} message
	 * @param {string[]} [fields]
	 */
	function violation(request, kind, status, code, message, fields) {
		violations.push({
			kind,
			method: request.method,
			path: request.path,
			status,
			code,
			message,
			fields,
			requestId: request.id,
		});
		return { status, body: envelope(code, message) };
	}

	/** @param {Task} task */
	function resolveBehaviour(task) {
		const custom = options.taskBehaviour ? (options.taskBehaviour(task) ?? {}) : {};
		return {
			pendingPolls: custom.pendingPolls ?? options.completeAfterPolls ?? 0,
			completeAfterMs: custom.completeAfterMs ?? options.completeAfterMs,
			failTask: custom.failTask,
			failOriginIds: custom.failOriginIds,
			dropOriginIds: custom.dropOriginIds,
			reverseResults: custom.reverseResults,
		};
	}

	/** @param {string} originId */
	function defaultItemError(originId) {
		const code = options.itemErrorCode ?? DEFAULT_ITEM_ERROR_CODE;
		return toKomboError(
			{ code },
			{
				message: `The LMS rejected course "${originId}": its course_url is not on the LMS's list of allowed domains.`,
			},
		);
	}

	/** @param {Task} task */
	function completeTask(task) {
		if (task.status !== 'PENDING') return task;
		const now = new Date();
		const { behaviour } = task;
		task.completed_at = now.toISOString();
		if (behaviour.failTask) {
			task.status = 'FAILED';
			task.error = toKomboError(behaviour.failTask, {
				code: 'INTEGRATION.AUTHENTICATION_INVALID',
				message:
					"The LMS rejected the integration's credentials, so no course was processed. Reconnect the integration in Kombo.",
			});
			return task;
		}
		const taskFails = toFailMap(behaviour.failOriginIds);
		const globalFails = toFailMap(options.failOriginIds);
		const dropped = new Set(behaviour.dropOriginIds ?? []);
		/** @type {ItemResult[]} */
		const results = [];
		/** @type {string[]} */
		const changedBy = [];
		for (const item of task.items) {
			const originId = item.origin_id;
			if (dropped.has(originId)) continue;
			const failure = taskFails.get(originId) ?? globalFails.get(originId);
			const byRate = options.failRate && unitHash(`${originId}`) < options.failRate;
			if (failure !== undefined || byRate) {
				const error =
					failure === undefined || failure === true
						? defaultItemError(originId)
						: toKomboError(failure, { code: options.itemErrorCode ?? DEFAULT_ITEM_ERROR_CODE });
				results.push({ origin_id: originId, status: 'FAILED', error });
				continue;
			}
			const before = webhooks.enabled ? courses.byOriginId(task.integration_id, originId) : undefined;
			const id = courses.upsert(task.integration_id, originId, item.course);
			if (webhooks.enabled) changedBy.push(...courseChanges(before, courses.byOriginId(task.integration_id, originId)));
			results.push({ origin_id: originId, status: 'SUCCEEDED', data: { id } });
		}
		if (behaviour.reverseResults) results.reverse();
		task.status = 'COMPLETED';
		task.data = results;
		webhooks.note(task.integration_id, changedBy);
		return task;
	}

	/**
	 * The models an upsert changed, from the course before and after it: a new course or a new
	 * revision changes both; a course only brought back from deletion changes lms_courses.
	 * @param {ReturnType<typeof courses.get>} before @param {ReturnType<typeof courses.get>} after
	 * @returns {string[]}
	 */
	function courseChanges(before, after) {
		if (!after) return [];
		if (!before || before.revisions.length !== after.revisions.length) return ['lms_courses', 'lms_course_revisions'];
		return before.remote_deleted_at !== after.remote_deleted_at ? ['lms_courses'] : [];
	}

	/** @param {Task} task */
	function isDue(task) {
		const { pendingPolls, completeAfterMs } = task.behaviour;
		if (task.polls <= (pendingPolls ?? 0)) return false;
		if (completeAfterMs !== undefined && clockNow() - task.createdAtMs < completeAfterMs)
			return false;
		return true;
	}

	/** @param {Task} task @returns {TaskJson} */
	function taskJson(task) {
		const base = {
			task_id: task.task_id,
			created_at: task.created_at,
			status: task.status,
			completed_at: task.completed_at,
		};
		if (task.status === 'COMPLETED') return { ...base, data: task.data };
		if (task.status === 'FAILED') return { ...base, error: task.error };
		return base;
	}

	/** @param {RecordedRequest} request @returns {Fault | undefined} */
	function takeFault(request) {
		const index = faultScript.seen++;
		if (faultScript.fn) return faultScript.fn(request, index) ?? undefined;
		const position = faultScript.list.findIndex(
			(fault) => fault === null || matches(fault?.match, request),
		);
		if (position === -1) return undefined;
		const fault = faultScript.list[position];
		if (fault === null) {
			faultScript.list.splice(position, 1);
			return undefined;
		}
		const times = fault.times ?? 1;
		if (times <= 1) faultScript.list.splice(position, 1);
		else faultScript.list[position] = { ...fault, times: times - 1 };
		return fault;
	}

	/**
	 * The normal, contract-checking answer.
	 * @param {RecordedRequest} request
	 * @param {{ jsonError?: string }} parse
	 * @returns {{ status: number, body: unknown, headers?: Record<string, string> }}
	 */
	function answer(request, parse) {
		const { method, route } = request;
		const taskMatch = /^\/lms\/courses\/bulk\/([^/]+)$/.exec(route);
		const integrationMatch = /^\/integrations\/([^/]+)$/.exec(route);
		const deactivateMatch = /^\/lms\/courses\/([^/]+)\/deactivate$/.exec(route);
		const completeMatch = COMPLETE_ROUTE.exec(route);
		const known =
			(method === 'GET' && route === '/check-api-key') ||
			(method === 'GET' && integrationMatch) ||
			(method === 'POST' && route === '/lms/courses/bulk') ||
			(method === 'GET' && taskMatch) ||
			(method === 'GET' && route === '/lms/courses') ||
			(method === 'POST' && deactivateMatch) ||
			(method === 'GET' && route === '/lms/users') ||
			(method === 'GET' && route === ENROL_ROUTE) ||
			(method === 'POST' && route === ENROL_ROUTE) ||
			(method === 'POST' && completeMatch);
		if (!request.path.startsWith(`${API_PREFIX}/`) || !known) {
			return violation(
				request,
				'route',
				404,
				'PLATFORM.INPUT_INVALID',
				`No endpoint ${method} ${request.path}. Paths start with ${API_PREFIX}, e.g. ${API_PREFIX}/lms/courses/bulk.`,
			);
		}

		const authorization = request.headers.authorization;
		const bearer = typeof authorization === 'string' ? /^Bearer (\S+)$/.exec(authorization) : null;
		if (!bearer || !apiKeys().includes(bearer[1])) {
			return violation(
				request,
				'auth',
				401,
				'PLATFORM.AUTHENTICATION_INVALID',
				authorization
					? 'The API key is invalid. Send "Authorization: Bearer <API key>" with a key from the Kombo dashboard.'
					: 'No API key was sent. Send "Authorization: Bearer <API key>".',
			);
		}

		if (route === '/check-api-key') {
			return {
				status: 200,
				body: {
					status: 'success',
					data: { environment_id: 'env_sandbox', customer_id: 'cus_sandbox' },
				},
			};
		}
		if (integrationMatch) {
			const id = decodeURIComponent(integrationMatch[1]);
			if (!integrations().includes(id)) {
				return violation(
					request,
					'integration',
					404,
					'PLATFORM.INTEGRATION_NOT_FOUND',
					`No integration with the ID "${id}" exists in this environment.`,
				);
			}
			return { status: 200, body: { status: 'success', data: integrationJson(id) } };
		}

		const integrationId = request.integrationId;
		if (!integrationId) {
			return violation(
				request,
				'integration',
				400,
				'PLATFORM.INPUT_INVALID',
				'The X-Integration-Id header is missing. Every /lms/* request needs it.',
			);
		}
		if (!integrations().includes(integrationId)) {
			return violation(
				request,
				'integration',
				404,
				'PLATFORM.INTEGRATION_NOT_FOUND',
				`No integration with the ID "${integrationId}" exists in this environment.`,
			);
		}

		if (taskMatch) {
			const task = tasks.get(decodeURIComponent(taskMatch[1]));
			if (!task || task.integration_id !== integrationId) {
				return {
					status: 404,
					body: envelope(
						'PLATFORM.INPUT_INVALID',
						`Task not found: "${decodeURIComponent(taskMatch[1])}" is not a task of this integration.`,
					),
				};
			}
			request.taskId = task.task_id;
			task.polls++;
			if (task.status === 'PENDING' && isDue(task)) completeTask(task);
			return { status: 200, body: { status: 'success', data: taskJson(task) } };
		}

		if (method === 'GET' && ['/lms/courses', '/lms/users', ENROL_ROUTE].includes(route)) {
			const listed =
				route === '/lms/courses'
					? courses.list(integrationId, request.query)
					: route === '/lms/users'
						? learners.listUsers(integrationId, request.query)
						: learners.listProgressions(integrationId, request.query);
			if (!listed.ok) return violation(request, 'query', listed.status, listed.code, listed.message);
			return { status: listed.status, body: listed.body };
		}

		// Every POST takes a JSON body.
		const contentType = String(request.headers['content-type'] ?? '');
		if (!/^application\/json\b/i.test(contentType)) {
			return violation(
				request,
				'header',
				400,
				'PLATFORM.INPUT_INVALID',
				`The request body must be JSON with "Content-Type: application/json", got ${show(contentType || undefined)}.`,
			);
		}
		if (parse.jsonError) {
			return violation(
				request,
				'json',
				400,
				'PLATFORM.INPUT_INVALID',
				`The request body is not valid JSON: ${parse.jsonError}`,
			);
		}
		if (deactivateMatch) {
			if (!isPlainObject(request.body) || Object.keys(request.body).length > 0) {
				return violation(
					request,
					'schema',
					400,
					'PLATFORM.INPUT_INVALID',
					`The body of POST /lms/courses/{course_id}/deactivate must be the empty object {}, got ${show(request.body)}.`,
				);
			}
			const courseParam = decodeURIComponent(deactivateMatch[1]);
			const before = courses.get(integrationId, courseParam);
			const deactivated = courses.deactivate(integrationId, courseParam);
			if (!deactivated.ok) return { status: deactivated.status, body: envelope(deactivated.code, deactivated.message) };
			// Deactivating an inactive course changes nothing, so it sends nothing.
			const current = before?.revisions[before.revisions.length - 1];
			if (current && current.status !== 'INACTIVE') webhooks.note(integrationId, ['lms_courses', 'lms_course_revisions']);
			return { status: deactivated.status, body: deactivated.body };
		}

		if (route === ENROL_ROUTE || completeMatch) return answerProgressionWrite(request, integrationId, completeMatch);

		// POST /lms/courses/bulk
		const problems = validateBulkBody(request.body, options);
		if (problems.length > 0) {
			const listed = problems.slice(0, 10).map((p) => `${p.path}: ${p.message}`);
			if (problems.length > 10) listed.push(`and ${problems.length - 10} more`);
			return violation(
				request,
				'schema',
				400,
				'PLATFORM.INPUT_INVALID',
				`Invalid request body. ${listed.join('; ')}`,
				problems.map((p) => p.path),
			);
		}

		const bodyKey = `${integrationId}\n${crypto.createHash('sha256').update(canonicalJson(request.body)).digest('base64')}`;
		let taskId = taskByBody.get(bodyKey);
		if (!taskId || !tasks.has(taskId)) {
			taskId = `task_${randomAlnum(24)}`;
			const createdAtMs = clockNow();
			/** @type {Task} */
			const task = {
				task_id: taskId,
				integration_id: integrationId,
				created_at: new Date(createdAtMs).toISOString(),
				createdAtMs,
				status: 'PENDING',
				completed_at: null,
				index: counters.tasks++,
				requestId: request.id,
				items: request.body.items,
				origin_ids: request.body.items.map((item) => item.origin_id),
				polls: 0,
				behaviour: {},
				data: undefined,
				error: undefined,
			};
			task.behaviour = resolveBehaviour(task);
			tasks.set(taskId, task);
			taskByBody.set(bodyKey, taskId);
		}
		request.taskId = taskId;
		const warnings =
			typeof options.warnings === 'function'
				? options.warnings(request.body, { integrationId })
				: (options.warnings ?? []);
		return {
			status: 200,
			body: {
				status: 'success',
				data: { task_id: taskId },
				warnings: (warnings ?? []).map((w) => (typeof w === 'string' ? { message: w } : w)),
			},
		};
	}

	/**
	 * POST /lms/course-progressions and POST /lms/course-progressions/:id/complete, once the
	 * request is known to carry JSON. The body is checked first, then the integration's
	 * permission and the LMS's support for the action, then the records named.
	 * @param {RecordedRequest} request
	 * @param {string} integrationId
	 * @param {RegExpExecArray | null} completeMatch
	 * @returns {{ status: number, body: unknown }}
	 */
	function answerProgressionWrite(request, integrationId, completeMatch) {
		const endpoint = completeMatch ? 'POST /lms/course-progressions/{course_progression_id}/complete' : 'POST /lms/course-progressions';
		const problems = completeMatch ? validateCompleteBody(request.body) : validateEnrolBody(request.body);
		if (problems.length > 0) {
			return violation(
				request,
				'schema',
				400,
				'PLATFORM.INPUT_INVALID',
				`Invalid request body for ${endpoint}. ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
				problems.map((p) => p.path),
			);
		}
		if ((options.missingProgressionPermission ?? []).includes(integrationId)) {
			return {
				status: 403,
				body: envelope(
					'INTEGRATION.PERMISSION_MISSING',
					`The integration's scope config does not grant the permission "${PROGRESSION_PERMISSION}". Enable it for this integration in the Kombo dashboard.`,
				),
			};
		}
		if (completeMatch && (options.refuseCompletion ?? []).includes(integrationId)) {
			return {
				status: 400,
				body: envelope('INTEGRATION.ACTION_NOT_AVAILABLE', "Completing course progressions is not available for this integration's LMS."),
			};
		}
		const result = completeMatch
			? learners.complete(integrationId, decodeURIComponent(completeMatch[1]), request.body)
			: learners.enrol(integrationId, request.body);
		if (!result.ok) return { status: result.status, body: envelope(result.code, result.message) };
		webhooks.note(integrationId, ['lms_course_progressions']);
		if ('duplicate' in result && result.duplicate) counters.duplicateEnrolments++;
		if ('recompletion' in result && result.recompletion) counters.recompletions++;
		return { status: result.status, body: result.body };
	}

	/** @param {string} id */
	function integrationJson(id) {
		const permitted = !(options.missingProgressionPermission ?? []).includes(id);
		return {
			id,
			category: 'LMS',
			status: 'ACTIVE',
			setup_status: 'COMPLETED',
			tool: { id: 'sandbox', label: 'Kombo Sandbox' },
			write_actions: [
				{
					id: 'lms_upsert_courses',
					label: 'Upsert courses',
					is_available: true,
					scope_config_setting: 'ENABLED',
				},
				{
					id: 'lms_create_course_progression',
					label: 'Create course progression',
					is_available: true,
					scope_config_setting: permitted ? 'ENABLED' : 'DISABLED',
				},
				{
					id: 'lms_complete_course_progression',
					label: 'Complete course progression',
					is_available: !(options.refuseCompletion ?? []).includes(id),
					scope_config_setting: permitted ? 'ENABLED' : 'DISABLED',
				},
			],
		};
	}

	/**
	 * @param {import('node:http').ServerResponse} res
	 * @param {number} status
	 * @param {string} text
	 * @param {Record<string, string | number>} headers
	 */
	function send(res, status, text, headers) {
		if (res.writableEnded || res.destroyed) return;
		res.writeHead(status, { 'Content-Length': Buffer.byteLength(text), ...headers });
		res.end(text);
	}

	/** @param {RecordedRequest} request */
	function writeHeaders(request) {
		const integration = request.integrationId ?? '';
		const limit = concurrencyLimit(request.integrationId);
		const remaining = Math.max(0, limit - (inFlight[integration] ?? 0));
		return {
			'Concurrency-Limit': String(limit),
			'Concurrency-Remaining': String(remaining),
		};
	}

	/**
	 * Answers with the fault, or returns false when the request should then be processed normally.
	 * @param {Fault} fault
	 * @param {RecordedRequest} request
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {Record<string, string>} baseHeaders
	 */
	async function applyFault(fault, request, req, res, baseHeaders) {
		if (fault.delayMs) await delay(fault.delayMs);
		const answersItself =
			fault.status !== undefined ||
			fault.reset ||
			fault.html ||
			fault.truncated ||
			fault.empty ||
			fault.echoHeaders ||
			fault.body !== undefined;
		if (!answersItself) {
			if (!fault.drop) return false;
			request.status = 'reset';
			req.socket.destroy();
			return true;
		}
		if (fault.reset) {
			request.status = 'reset';
			if (fault.reset === 'immediate') {
				req.socket.destroy();
				return true;
			}
			res.writeHead(fault.status ?? 200, {
				...baseHeaders,
				'Content-Type': 'application/json',
				'Content-Length': 512,
			});
			res.write('{"status":"success","data":{"task_id":"task_', () => req.socket.destroy());
			return true;
		}
		const status = fault.status ?? 200;
		const headers = { ...baseHeaders, ...(fault.headers ?? {}) };
		if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
		if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
		const code = fault.code ?? DEFAULT_CODE_FOR_STATUS[status] ?? 'PLATFORM.UNKNOWN_ERROR';
		if (
			code === 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED' ||
			fault.concurrencyRemaining !== undefined
		) {
			headers['Concurrency-Limit'] = String(concurrencyLimit(request.integrationId));
			headers['Concurrency-Remaining'] = String(fault.concurrencyRemaining ?? 0);
		}
		request.status = status;
		if (fault.html) {
			send(res, status, HTML_ERROR_PAGE(status), { ...headers, 'Content-Type': 'text/html' });
		} else if (fault.empty) {
			send(res, status, '', { ...headers, 'Content-Type': 'application/json' });
		} else if (fault.truncated) {
			send(res, status, '{"status":"success","data":{"task_id":"task_', {
				...headers,
				'Content-Type': 'application/json',
			});
		} else if (fault.echoHeaders) {
			const echoed = `authorization=${req.headers.authorization ?? ''} x-integration-id=${req.headers['x-integration-id'] ?? ''}`;
			const body = envelope(
				code,
				fault.message ?? `Access denied for the request with headers ${echoed}.`,
			);
			send(res, status, JSON.stringify({ ...body, debug: { request_headers: req.headers } }), {
				...headers,
				'Content-Type': 'application/json',
			});
		} else if (fault.body !== undefined) {
			const text = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
			send(res, status, text, { 'Content-Type': 'application/json', ...headers });
		} else {
			const message =
				fault.message ??
				(status === 429
					? code === 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED'
						? `Too many requests in flight for this integration (limit ${concurrencyLimit(request.integrationId)}).`
						: 'Too many requests. Slow down and retry later.'
					: status >= 500
						? `The service answered ${status}. Retry later.`
						: `${ERROR_TITLES[code] ?? code}.`);
			send(res, status, JSON.stringify(envelope(code, message)), {
				...headers,
				'Content-Type': 'application/json',
			});
		}
		return true;
	}

	/** @param {import('node:http').IncomingMessage} req */
	function readBody(req) {
		return new Promise((resolve, reject) => {
			/** @type {Buffer[]} */
			const chunks = [];
			let size = 0;
			req.on('data', (chunk) => {
				size += chunk.length;
				if (size > MAX_BODY_BYTES) {
					reject(new Error('body too large'));
					req.destroy();
					return;
				}
				chunks.push(chunk);
			});
			req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
			req.on('error', reject);
		});
	}

	/** @param {import('./kombo-webhooks').WebhookDelivery} delivery */
	const deliverySummary = (delivery) => ({
		event_id: delivery.id,
		type: delivery.type,
		integration_id: delivery.integrationId,
		state: delivery.state,
		status: delivery.status,
		attempts: delivery.attempts,
	});

	/**
	 * The sandbox's own endpoints, outside Kombo's API and not recorded as requests to it.
	 * POST /sandbox/sync-finished?integration_id=…&sync_state=… plays the end of a Kombo sync: the
	 * data-changed events pending go first, then a sync-finished event; it answers once all are
	 * delivered or given up.
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {string} method @param {string} path @param {URLSearchParams} query
	 */
	async function answerSandboxEndpoint(req, res, method, path, query) {
		const reply = (/** @type {number} */ status, /** @type {unknown} */ body) =>
			send(res, status, JSON.stringify(body), { 'Content-Type': 'application/json; charset=utf-8' });
		try {
			await readBody(req);
		} catch {
			req.socket.destroy();
			return;
		}
		if (method !== 'POST' || path !== SYNC_FINISHED_ROUTE) {
			reply(404, envelope('PLATFORM.INPUT_INVALID', `No endpoint ${method} ${path}. The sandbox serves POST ${SYNC_FINISHED_ROUTE}?integration_id=<integration id>.`));
			return;
		}
		const authorization = req.headers.authorization;
		const bearer = typeof authorization === 'string' ? /^Bearer (\S+)$/.exec(authorization) : null;
		if (!bearer || !apiKeys().includes(bearer[1])) {
			reply(401, envelope('PLATFORM.AUTHENTICATION_INVALID', 'Send "Authorization: Bearer <API key>" with the key the sandbox accepts.'));
			return;
		}
		const integrationId = query.get('integration_id') ?? integrations()[0];
		if (!integrations().includes(integrationId)) {
			reply(404, envelope('PLATFORM.INTEGRATION_NOT_FOUND', `No integration with the ID "${integrationId}" exists in this environment; known: ${integrations().join(', ')}.`));
			return;
		}
		const syncState = query.get('sync_state') ?? 'SUCCEEDED';
		if (!SYNC_STATES.includes(syncState)) {
			reply(400, envelope('PLATFORM.INPUT_INVALID', `sync_state must be one of ${SYNC_STATES.join(', ')}, got "${syncState}".`));
			return;
		}
		if (!webhooks.enabled) {
			reply(409, envelope('PLATFORM.INPUT_INVALID', 'No webhook URL to send to: start the sandbox with --webhook-url URL --webhook-secret SECRET.'));
			return;
		}
		const changes = await webhooks.flush();
		const finished = await webhooks.send('sync-finished', { sync_state: syncState }, integrationId);
		reply(200, { status: 'success', data: { deliveries: [...changes, finished].map(deliverySummary) } });
	}

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	async function handle(req, res) {
		const at = Date.now();
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname;
		const method = (req.method ?? 'GET').toUpperCase();
		const route = path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : path;
		if (options.sandboxEndpoints && path.startsWith('/sandbox/')) {
			await answerSandboxEndpoint(req, res, method, path, url.searchParams);
			return;
		}
		const integrationHeader = req.headers['x-integration-id'];
		const integrationId =
			typeof integrationHeader === 'string' && integrationHeader !== ''
				? integrationHeader
				: undefined;

		// A write is in flight from its first byte to the end of its answer, as Kombo counts it.
		const isWrite = method === 'POST' && route.startsWith('/lms/');
		const integration = integrationId ?? '';
		if (isWrite) {
			inFlight[integration] = (inFlight[integration] ?? 0) + 1;
			maxInFlight[integration] = Math.max(maxInFlight[integration] ?? 0, inFlight[integration]);
		}
		const inFlightAtArrival = isWrite ? inFlight[integration] : 0;
		let released = false;
		const release = () => {
			if (released || !isWrite) return;
			released = true;
			inFlight[integration]--;
		};
		res.on('close', release);

		let text;
		try {
			text = await readBody(req);
		} catch {
			req.socket.destroy();
			return;
		}
		/** @type {{ jsonError?: string }} */
		const parse = {};
		/** @type {any} parsed JSON, or the raw text */
		let body;
		if (text.length > 0) {
			try {
				body = JSON.parse(text);
			} catch (error) {
				body = text;
				parse.jsonError = /** @type {Error} */ (error).message;
			}
		}
		/** @type {RecordedRequest} */
		const request = {
			id: ++counters.requests,
			method,
			path,
			route,
			query: Object.fromEntries(url.searchParams),
			headers: req.headers,
			body,
			at,
			integrationId,
			fault: undefined,
			status: undefined,
			durationMs: undefined,
			taskId: undefined,
		};
		requests.push(request);
		const keep = options.maxRequestsKept;
		if (keep !== undefined && requests.length > keep * 2)
			requests.splice(0, requests.length - keep);
		if (keep !== undefined && violations.length > keep * 2)
			violations.splice(0, violations.length - keep);
		if (options.onRequest) options.onRequest(request);
		if (method === 'POST' && route === '/lms/courses/bulk') counters.posts++;
		if (method === 'GET' && route.startsWith('/lms/courses/bulk/')) counters.polls++;
		if (method === 'GET' && route === '/lms/courses') counters.listings++;
		if (method === 'POST' && /^\/lms\/courses\/[^/]+\/deactivate$/.test(route)) counters.deactivations++;
		if (method === 'GET' && route === '/lms/users') counters.userListings++;
		if (method === 'GET' && route === ENROL_ROUTE) counters.progressionListings++;
		if (method === 'POST' && route === ENROL_ROUTE) counters.enrolments++;
		if (method === 'POST' && COMPLETE_ROUTE.test(route)) counters.completions++;

		res.on('close', () => {
			request.durationMs = Date.now() - at;
			if (request.status === undefined) request.status = res.statusCode;
			if (request.status === 429) counters.rejected429++;
			if (options.onResponse) options.onResponse(request);
		});

		try {
			const fault = takeFault(request);
			if (!usedSockets.has(req.socket)) {
				usedSockets.add(req.socket);
				if (options.connectMs) await delay(options.connectMs);
			}
			if (options.latencyMs) await delay(options.latencyMs);
			if (fault) {
				request.fault = fault;
				counters.faults++;
				// The request is carried out (a task created) before its answer goes wrong: the
				// case where only a retry with the same body can find out what happened.
				if (fault.afterProcessing) answer(request, parse);
				if (await applyFault(fault, request, req, res, isWrite ? writeHeaders(request) : {}))
					return;
			}
			if (isWrite && request.integrationId && inFlightAtArrival > concurrencyLimit(request.integrationId)) {
				const limit = concurrencyLimit(request.integrationId);
				const result = violation(
					request,
					'concurrency',
					429,
					'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED',
					`More than ${limit} write requests are in flight for this integration.`,
				);
				request.status = 429;
				send(res, 429, JSON.stringify(result.body), {
					'Content-Type': 'application/json',
					'Concurrency-Limit': String(limit),
					'Concurrency-Remaining': '0',
				});
				return;
			}
			const result = answer(request, parse);
			request.status = result.status;
			send(res, result.status, JSON.stringify(result.body), {
				'Content-Type': 'application/json; charset=utf-8',
				...(isWrite ? writeHeaders(request) : {}),
				...(result.headers ?? {}),
			});
		} catch (error) {
			request.status = 500;
			send(
				res,
				500,
				JSON.stringify(
					envelope(
						'PLATFORM.UNKNOWN_ERROR',
						`Stub failure: ${/** @type {Error} */ (error).message}`,
					),
				),
				{ 'Content-Type': 'application/json' },
			);
		}
	}

	courses.reset(integrations());
	learners.reset(integrations());

	const server = http.createServer((req, res) => {
		handle(req, res).catch(() => req.socket.destroy());
	});
	const applyServerOptions = () => {
		server.keepAliveTimeout = options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
	};
	applyServerOptions();
	server.on('connection', (socket) => {
		counters.connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	// A client that gives up mid-request makes the socket error; that is expected here.
	server.on('clientError', (_error, socket) => socket.destroy());

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());

	const stub = {
		/** @type {string} base URL, e.g. http://127.0.0.1:4010/v1 (a wildcard host gives 127.0.0.1) */
		url: `http://${urlHost(host)}:${address.port}${API_PREFIX}`,
		port: address.port,
		/** the address it listens on, as given */
		host,
		get apiKey() {
			return apiKeys()[0];
		},
		get apiKeys() {
			return [...apiKeys()];
		},
		get integrations() {
			return [...integrations()];
		},
		get options() {
			return options;
		},
		requests,
		violations,
		tasks,
		/** Highest number of writes in flight at once, per X-Integration-Id. */
		maxInFlight,

		/**
		 * Clears everything recorded (requests, violations, tasks, idempotency, courses, learners,
		 * progressions, completions, fault script, counters, webhook deliveries and pending changes) and restores the options given at start, merged with `overrides`.
		 * @param {Partial<StubOptions>} [overrides]
		 */
		reset(overrides = {}) {
			const next = { ...startOptions, ...overrides };
			resolveWebhookTarget(next.webhooks);
			requests.length = 0;
			violations.length = 0;
			tasks.clear();
			taskByBody.clear();
			for (const key of Object.keys(maxInFlight)) delete maxInFlight[key];
			Object.assign(counters, newCounters());
			faultScript = { list: [], fn: null, seen: 0 };
			options = next;
			webhooks.clear();
			webhooks.configure(options.webhooks);
			courses.reset(integrations());
			learners.reset(integrations());
			applyServerOptions();
		},

		/** Changes behaviour options from now on (recorded state is kept). @param {Partial<StubOptions>} changes */
		configure(changes) {
			if ('webhooks' in changes) resolveWebhookTarget(changes.webhooks);
			options = { ...options, ...changes };
			if ('webhooks' in changes) webhooks.configure(options.webhooks);
			applyServerOptions();
		},

		/**
		 * Injects faults into the coming requests, replacing any earlier script. An array is
		 * consumed in order: each request takes the first fault whose `match` it fits (a `null`
		 * entry lets one request through). A function is asked for every request.
		 * @param {FaultScript} faults
		 */
		script(faults) {
			faultScript =
				typeof faults === 'function'
					? { list: [], fn: faults, seen: 0 }
					: { list: [...faults], fn: null, seen: 0 };
		},

		/** Faults of an array script not yet used. */
		pendingFaults() {
			return faultScript.list.filter((fault) => fault !== null).length;
		},

		/** Forces a pending task to completion now, with its behaviour (or these overrides). @param {string} taskId @param {TaskBehaviour} [overrides] */
		completeTask(taskId, overrides) {
			const task = tasks.get(taskId);
			if (!task) throw new Error(`no task ${taskId}`);
			if (overrides) task.behaviour = { ...task.behaviour, ...overrides };
			return taskJson(completeTask(task));
		},

		/** The task as GET /lms/courses/bulk/:id shows it, without counting a poll. @param {string} taskId */
		taskJson(taskId) {
			const task = tasks.get(taskId);
			return task ? taskJson(task) : undefined;
		},

		/**
		 * Kombo course id given to an origin id of an integration, once a task made it.
		 * @param {string} integrationId
		 * @param {string} originId
		 * @returns {string | undefined}
		 */
		courseId(integrationId, originId) {
			return courses.byOriginId(integrationId, originId)?.id;
		},

		/**
		 * The course as GET /lms/courses lists it, by Kombo ID, `remote:<id>` or (`{ originId }`) origin ID.
		 * @param {string} integrationId
		 * @param {string | { originId: string }} key
		 */
		course(integrationId, key) {
			return typeof key === 'string' ? courses.get(integrationId, key) : courses.byOriginId(integrationId, key.originId);
		},

		/** Every course an integration holds, deleted ones included, in listing order. @param {string} integrationId */
		courses(integrationId) {
			return courses.all(integrationId);
		},

		/**
		 * Adds courses to an integration as they are, without tasks (kept until the next reset).
		 * @param {string} integrationId
		 * @param {import('./kombo-courses').SeedCourse[]} list
		 */
		seedCourses(integrationId, list) {
			return courses.seed(integrationId, list);
		},

		/**
		 * Adds learners (users) to an integration as they are (kept until the next reset).
		 * @param {string} integrationId
		 * @param {import('./kombo-learners').SeedUser[]} list
		 */
		seedLearners(integrationId, list) {
			return learners.seedLearners(integrationId, list);
		},

		/**
		 * Adds course progressions to an integration as they are (kept until the next reset); their
		 * learners and courses must be there already.
		 * @param {string} integrationId
		 * @param {import('./kombo-learners').SeedProgression[]} list
		 */
		seedProgressions(integrationId, list) {
			return learners.seedProgressions(integrationId, list);
		},

		/** Every learner an integration holds, deleted ones included, in listing order. @param {string} integrationId */
		learners(integrationId) {
			return learners.learners(integrationId);
		},

		/**
		 * The learner as GET /lms/users lists it, by Kombo ID, `remote:<id>` or (`{ workEmail }`, any case) work email.
		 * @param {string} integrationId
		 * @param {string | { workEmail: string }} key
		 */
		learner(integrationId, key) {
			return learners.learner(integrationId, key);
		},

		/** Every course progression an integration holds, deleted ones included, in listing order. @param {string} integrationId */
		progressions(integrationId) {
			return learners.progressions(integrationId);
		},

		/** The progression as GET /lms/course-progressions lists it, by Kombo ID or `remote:<id>`. @param {string} integrationId @param {string} idOrRemote */
		progression(integrationId, idOrRemote) {
			return learners.progression(integrationId, idOrRemote);
		},

		/**
		 * The completions an integration accepted, oldest first: `{ progression_id, completed_at, score }`
		 * (score null when none was sent). Recompletions appear again.
		 * @param {string} integrationId
		 */
		completionsOf(integrationId) {
			return learners.completions(integrationId);
		},

		/** Every webhook delivery since start or the last reset, oldest first, those under way included. */
		webhookDeliveries() {
			return webhooks.deliveries();
		},

		/**
		 * Sends the pending data-changed events now, cuts retry waits short, and resolves once every
		 * delivery under way has ended (delivered or given up), with those deliveries.
		 */
		flushWebhooks() {
			return webhooks.flush();
		},

		/**
		 * Sends an event of any type by hand (Kombo's types get their `data` filled in as Kombo would,
		 * `data` overriding field by field); resolves with the delivery once it has ended.
		 * @param {string} type  e.g. 'sync-finished'
		 * @param {Record<string, unknown>} [data]
		 * @param {{ integrationId?: string }} [target]  default: the first integration
		 */
		sendWebhook(type, data = {}, { integrationId = integrations()[0] } = {}) {
			return webhooks.send(type, data, integrationId);
		},

		/**
		 * Notes a change the LMS made on its own (a learner added, say), to go out with the next
		 * data-changed event of that integration.
		 * @param {string} integrationId @param {string[]} models  e.g. ['lms_users']
		 */
		queueDataChanged(integrationId, models) {
			webhooks.note(integrationId, models);
		},

		/** Changes waiting for their data-changed event, by integration ID. */
		pendingWebhookChanges() {
			return webhooks.pending();
		},

		/** Recorded GET /lms/users requests. */
		userListings() {
			return requests.filter((r) => r.method === 'GET' && r.route === '/lms/users');
		},

		/** Recorded GET /lms/course-progressions requests. */
		progressionListings() {
			return requests.filter((r) => r.method === 'GET' && r.route === ENROL_ROUTE);
		},

		/** Recorded POST /lms/course-progressions requests (enrolments). */
		enrolments() {
			return requests.filter((r) => r.method === 'POST' && r.route === ENROL_ROUTE);
		},

		/** Recorded POST /lms/course-progressions/:id/complete requests. */
		completions() {
			return requests.filter((r) => r.method === 'POST' && COMPLETE_ROUTE.test(r.route));
		},

		/** Recorded GET /lms/courses requests. */
		listings() {
			return requests.filter((r) => r.method === 'GET' && r.route === '/lms/courses');
		},

		/** Recorded POST /lms/courses/:id/deactivate requests. */
		deactivations() {
			return requests.filter((r) => r.method === 'POST' && /^\/lms\/courses\/[^/]+\/deactivate$/.test(r.route));
		},

		/** Recorded bulk POSTs. */
		posts() {
			return requests.filter((r) => r.method === 'POST' && r.route === '/lms/courses/bulk');
		},

		/** Recorded task GETs. */
		polls() {
			return requests.filter((r) => r.method === 'GET' && r.route.startsWith('/lms/courses/bulk/'));
		},

		/** Counts since start or the last reset (not trimmed by maxRequestsKept). */
		stats() {
			return {
				requests: counters.requests,
				posts: counters.posts,
				polls: counters.polls,
				listings: counters.listings,
				deactivations: counters.deactivations,
				userListings: counters.userListings,
				progressionListings: counters.progressionListings,
				enrolments: counters.enrolments,
				completions: counters.completions,
				duplicateEnrolments: counters.duplicateEnrolments,
				recompletions: counters.recompletions,
				faults: counters.faults,
				tasks: tasks.size,
				violations: violations.length,
				maxInFlight: Math.max(0, ...Object.values(maxInFlight)),
				maxInFlightByIntegration: { ...maxInFlight },
				connections: counters.connections,
				rejected429: counters.rejected429,
				webhooks: webhooks.deliveries().length,
				webhooksFailed: webhooks.deliveries().filter((delivery) => delivery.state === 'failed').length,
			};
		},

		/**
		 * Closes the keep-alive connections that carry no request right now, so that a client's
		 * next requests open new ones (and pay connectMs): a measured run starts cold.
		 */
		closeIdleConnections() {
			server.closeIdleConnections();
		},

		/** Stops listening and drops every connection, keep-alive ones included. */
		async close() {
			await webhooks.close();
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
			server.closeAllConnections();
			for (const socket of sockets) socket.destroy();
			await closed;
		},
	};
	return stub;
}

/** @typedef {Awaited<ReturnType<typeof startKomboStub>>} KomboStub */

module.exports = {
	startKomboStub,
	validateBulkBody,
	canonicalJson,
	unitHash,
	LANGUAGE_PATTERN,
	DEFAULT_API_KEY,
	DEFAULT_INTEGRATIONS,
	DEFAULT_HOST,
	isLoopbackHost,
};
