#!/usr/bin/env node
'use strict';

// `npm run sandbox -- [options]`: the Kombo stub from the tests as a standalone server, so the
// node can be tried from any n8n without a Kombo account.

const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');

const {
	startKomboStub,
	DEFAULT_API_KEY,
	DEFAULT_INTEGRATIONS,
	DEFAULT_HOST,
	isLoopbackHost,
} = require('../test/support/kombo-stub');

const DEFAULT_PORT = 4010;
const DEFAULT_TASK_MS = 2000;
const DEFAULT_LEARNERS = 3;
const SEED_PARTS = ['courses', 'learners', 'progressions'];

const USAGE = `Usage: npm run sandbox -- [options]

Options:
  --port N             port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDRESS       address to listen on (default ${DEFAULT_HOST}); 0.0.0.0 makes it
                       reachable from other machines and containers, e.g. n8n in Docker
  --task-ms N          tasks complete N ms after they were created (default ${DEFAULT_TASK_MS})
  --fail-rate R        share of courses the LMS rejects, 0 to 1, chosen by origin id (default 0)
  --fail-ids a,b       origin ids of courses the LMS rejects
  --faults 429,503,..  answer the next requests with these faults, in order: 429, 429c
                       (concurrency limit), 500, 502, 503, 504, html (an HTML 502 page),
                       truncated (cut-off JSON), empty (empty body), reset (connection reset)
  --fault-rate R       answer this share of requests with a random retryable fault (default 0)
  --latency-ms N       answer every request after N ms (default 0)
  --rtt-ms N           the same: a network round trip of N ms on every request
  --connect-ms N       N ms more for the first request on each new connection (TCP and TLS)
  --concurrency-limit N  writes in flight per integration before 429 (default 30; e.g. 5 for a fragile LMS)
  --api-key K          the API key to accept (default ${DEFAULT_API_KEY})
  --integrations a,b   the integration ids to accept (default ${DEFAULT_INTEGRATIONS.join(',')})
  --seed FILE          what the LMSs hold from the start: JSON of the form
                       { "<integration id>": [ <course>, … ] } or, with learners and
                       their progressions, { "<integration id>": { "courses": [ … ],
                       "learners": [ … ], "progressions": [ … ] } }, where
                       a course:      { "origin_id": "CAT-1", "title": "…",
                                        "remote_url": "https://…", "status": "ACTIVE" }
                                      (origin_id null: a course the LMS made itself;
                                      "deleted": true)
                       a learner:     { "first_name": "…", "last_name": "…",
                                        "work_email": "…", "status": "ACTIVE" }
                       a progression: { "work_email": "…", "origin_id": "CAT-1",
                                        "status": "ENROLLED" } (a learner of the file
                                      or a default one; the course's ACTIVE revision)
  --native-courses N   courses each LMS holds that were not created through Kombo
                       (origin_id null; default 3)
  --learners N         learners each LMS holds from the start (default ${DEFAULT_LEARNERS}:
                       ada@example.com, grace@example.com, alan@example.com)
  --refuse-completion a,b  integration ids whose LMS cannot complete course progressions
                       (completions answer INTEGRATION.ACTION_NOT_AVAILABLE)
  --webhook-url URL    post signed webhooks there, as Kombo does: a data-changed event after
                       each change made through the API (an upsert task completed, a course
                       deactivated, a learner enrolled, a completion), and a sync-finished
                       event on POST /sandbox/sync-finished (see below); needs --webhook-secret.
                       The URL must be on this machine (127.0.0.1, ::1 or localhost)
  --webhook-secret S   the Kombo Webhook Secret to sign them with (X-Kombo-Signature)
  --allow-remote-webhook  allow a --webhook-url on another machine
  --quiet              do not log requests or webhook deliveries
  --help               show this help

Sandbox endpoint (outside /v1, with the same API key):
  POST /sandbox/sync-finished?integration_id=ID[&sync_state=STATE]
                       play the end of a Kombo sync: the pending data-changed events go out,
                       then a sync-finished event for ID (default: the first integration;
                       STATE default SUCCEEDED); answers once they are delivered or given up`;

/** @type {Record<string, import('../test/support/kombo-stub').Fault>} */
const NAMED_FAULTS = {
	429: { status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED', retryAfter: '1' },
	'429c': { status: 429, code: 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED', concurrencyRemaining: 0 },
	500: { status: 500 },
	502: { status: 502 },
	503: { status: 503 },
	504: { status: 504 },
	html: { status: 502, html: true },
	truncated: { status: 200, truncated: true },
	empty: { status: 200, empty: true },
	reset: { reset: true },
};

// Faults a client is expected to retry; --fault-rate draws from these.
const RETRYABLE_FAULTS = ['429', '429c', '502', '503', '504', 'html', 'reset'];

/** @param {string[]} argv */
function parseArgs(argv) {
	const known = [
		'port',
		'host',
		'task-ms',
		'fail-rate',
		'fail-ids',
		'faults',
		'fault-rate',
		'latency-ms',
		'rtt-ms',
		'connect-ms',
		'concurrency-limit',
		'api-key',
		'integrations',
		'seed',
		'native-courses',
		'learners',
		'refuse-completion',
		'webhook-url',
		'webhook-secret',
		'allow-remote-webhook',
		'quiet',
		'help',
	];
	const flags = ['help', 'quiet', 'allow-remote-webhook'];
	/** @type {Record<string, string | true>} */
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}"`);
		const [key, inline] = arg.slice(2).split(/=(.*)/s, 2);
		if (!known.includes(key)) throw new Error(`Unknown option --${key}`);
		if (inline !== undefined) args[key] = inline;
		else if (flags.includes(key)) args[key] = true;
		else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args[key] = argv[++i];
		else throw new Error(`--${key} needs a value`);
	}

	/** @param {string} key @param {number} fallback @param {number} [max] */
	const number = (key, fallback, max = Infinity) => {
		if (args[key] === undefined) return fallback;
		const value = Number(args[key]);
		if (!Number.isFinite(value) || value < 0 || value > max) {
			throw new Error(`--${key} must be a number from 0 to ${max}, got "${args[key]}"`);
		}
		return value;
	};
	/** @param {string} key @param {number} fallback @param {number} max */
	const wholeNumber = (key, fallback, max) => {
		const value = number(key, fallback, max);
		if (!Number.isInteger(value)) throw new Error(`--${key} must be a whole number from 0 to ${max}, got "${args[key]}"`);
		return value;
	};
	/** @param {string} key */
	const list = (key) =>
		typeof args[key] === 'string'
			? String(args[key])
					.split(',')
					.map((s) => s.trim())
					.filter(Boolean)
			: [];

	const faults = list('faults').map((name) => {
		const fault = NAMED_FAULTS[name];
		if (!fault)
			throw new Error(`Unknown fault "${name}"; known: ${Object.keys(NAMED_FAULTS).join(', ')}`);
		return { ...fault, name };
	});
	const host = args.host === undefined ? DEFAULT_HOST : String(args.host).trim().replace(/^\[(.*)\]$/, '$1');
	if (host !== 'localhost' && net.isIP(host) === 0) {
		throw new Error(`--host must be an IP address (e.g. 127.0.0.1 or 0.0.0.0) or localhost, got "${args.host}"`);
	}
	return {
		help: args.help === true,
		quiet: args.quiet === true,
		host,
		port: number('port', DEFAULT_PORT, 65535),
		taskMs: number('task-ms', DEFAULT_TASK_MS),
		failRate: number('fail-rate', 0, 1),
		failIds: list('fail-ids'),
		faults,
		faultRate: number('fault-rate', 0, 1),
		latencyMs: number('rtt-ms', number('latency-ms', 0)),
		connectMs: number('connect-ms', 0),
		concurrencyLimit: number('concurrency-limit', 30),
		apiKey: typeof args['api-key'] === 'string' ? args['api-key'] : DEFAULT_API_KEY,
		integrations: list('integrations').length > 0 ? list('integrations') : DEFAULT_INTEGRATIONS,
		nativeCourses: number('native-courses', 3, 10_000),
		learners: wholeNumber('learners', DEFAULT_LEARNERS, 10_000),
		refuseCompletion: list('refuse-completion'),
		seed: typeof args.seed === 'string' ? readSeed(args.seed) : undefined,
		webhooks: webhookArgs(args),
	};
}

/**
 * --webhook-url, --webhook-secret and --allow-remote-webhook, checked: the stub's `webhooks`
 * option, or undefined when no webhook is asked for.
 * @param {Record<string, string | true>} args
 * @returns {import('../test/support/kombo-webhooks').WebhookTarget | undefined}
 */
function webhookArgs(args) {
	const url = args['webhook-url'];
	const secret = args['webhook-secret'];
	const allowRemote = args['allow-remote-webhook'] === true;
	if (url === undefined && secret === undefined) {
		if (allowRemote) throw new Error('--allow-remote-webhook goes with --webhook-url URL --webhook-secret SECRET');
		return undefined;
	}
	if (url === undefined || secret === undefined) {
		throw new Error(
			`--webhook-url and --webhook-secret go together: give ${url === undefined ? '--webhook-url URL' : '--webhook-secret SECRET'} as well, e.g. --webhook-url http://localhost:5678/webhook/kombo --webhook-secret my-secret`,
		);
	}
	let parsed;
	try {
		parsed = new URL(String(url));
	} catch {
		throw new Error(`--webhook-url must be an http or https URL, got "${url}"`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new Error(`--webhook-url must be an http or https URL, got "${url}"`);
	}
	if (!allowRemote && !isLoopbackHost(parsed.hostname)) {
		throw new Error(
			`--webhook-url must point at this machine (127.0.0.1, ::1 or localhost), got host "${parsed.hostname}"; add --allow-remote-webhook to post webhooks to another machine`,
		);
	}
	if (String(secret) === '') throw new Error('--webhook-secret must not be empty');
	return { url: parsed.href, secret: String(secret), ...(allowRemote ? { allowRemote: true } : {}) };
}

/**
 * @typedef {object} Seed  what a seed file gives, by part and integration ID
 * @property {Record<string, import('../test/support/kombo-courses').SeedCourse[]>} courses
 * @property {Record<string, import('../test/support/kombo-learners').SeedUser[]>} learners
 * @property {Record<string, import('../test/support/kombo-learners').SeedProgression[]>} progressions
 */

/** @param {unknown} value */
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A seed file: integration ID → the courses its LMS holds at the start, as a list, or an object
 * `{ courses, learners, progressions }` (each part optional).
 * @param {string} file
 * @returns {Seed}
 */
function readSeed(file) {
	let parsed;
	try {
		parsed = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
	} catch (error) {
		throw new Error(`--seed ${file}: ${/** @type {Error} */ (error).message}`);
	}
	return seedFromJson(parsed, file);
}

/**
 * A seed file's content, checked and split by part; errors name the file.
 * @param {any} parsed
 * @param {string} file
 * @returns {Seed}
 */
function seedFromJson(parsed, file) {
	if (!isObject(parsed)) {
		throw new Error(`--seed ${file}: expected an object of integration IDs, each with a list of courses or { "courses", "learners", "progressions" }`);
	}
	/** @type {Seed} */
	const seed = { courses: {}, learners: {}, progressions: {} };
	/** @param {string} where @param {unknown} list @param {string} what */
	const checkList = (where, list, what) => {
		if (!Array.isArray(list) || list.some((entry) => !isObject(entry))) {
			throw new Error(`--seed ${file}: ${where} must be a list of ${what} objects`);
		}
		return list;
	};
	for (const [integrationId, value] of Object.entries(parsed)) {
		if (Array.isArray(value)) {
			seed.courses[integrationId] = checkList(`"${integrationId}"`, value, 'course');
			continue;
		}
		if (!isObject(value)) {
			throw new Error(`--seed ${file}: "${integrationId}" must be a list of courses or an object with "courses", "learners" and "progressions"`);
		}
		for (const key of Object.keys(value)) {
			if (!SEED_PARTS.includes(key)) throw new Error(`--seed ${file}: "${integrationId}" has "${key}"; expected only ${SEED_PARTS.map((part) => `"${part}"`).join(', ')}`);
		}
		if (value.courses !== undefined) seed.courses[integrationId] = checkList(`"${integrationId}".courses`, value.courses, 'course');
		if (value.learners !== undefined) seed.learners[integrationId] = checkList(`"${integrationId}".learners`, value.learners, 'learner');
		if (value.progressions !== undefined) {
			const progressions = checkList(`"${integrationId}".progressions`, value.progressions, 'progression');
			progressions.forEach((progression, index) => {
				const where = `"${integrationId}".progressions[${index}]`;
				if (progression.work_email === undefined && progression.user_id === undefined) throw new Error(`--seed ${file}: ${where} names no learner (give "work_email")`);
				if (progression.origin_id === undefined && progression.course_id === undefined && progression.course_revision_id === undefined) {
					throw new Error(`--seed ${file}: ${where} names no course (give "origin_id")`);
				}
			});
			seed.progressions[integrationId] = progressions;
		}
	}
	return seed;
}

/**
 * " (ada@example.com, grace@example.com, …)": the work emails of the default learners, for the log.
 * @param {import('../test/support/kombo-stub').KomboStub} stub @param {number} count
 */
function defaultEmails(stub, count) {
	if (count === 0) return '';
	const shown = stub.learners(stub.integrations[0]).slice(0, Math.min(count, 3));
	return ` (${shown.map((user) => user.work_email).join(', ')}${count > 3 ? ', …' : ''})`;
}

/** "2 seeded in sandbox:demo, 1 seeded in sandbox:second", or '' for none. @param {Record<string, unknown[]>} byIntegration */
const seededCounts = (byIntegration) =>
	Object.entries(byIntegration)
		.map(([integrationId, list]) => `${list.length} seeded in ${integrationId}`)
		.join(', ');

/**
 * The warning printed when the sandbox listens where other machines can reach it, or undefined.
 * @param {string} host
 * @param {string} apiKey
 */
function exposureWarning(host, apiKey) {
	if (isLoopbackHost(host)) return undefined;
	const key = apiKey === DEFAULT_API_KEY ? `the well-known key ${apiKey}` : 'the API key given with --api-key';
	return [
		`WARNING: the sandbox listens on ${host}, which is not a loopback address: other machines`,
		`that can reach this one can call it too. It accepts ${key},`,
		'and it is a test stand-in with no protection of its own. Use it only on a network you trust,',
		`use a loopback address (the default, ${DEFAULT_HOST}) where that works, and stop it when done.`,
	].join('\n');
}

const time = () => new Date().toISOString().slice(11, 23);

/** @param {import('../test/support/kombo-stub').RecordedRequest} request */
function logLine(request) {
	const fault = request.fault ? `  [fault: ${describeFault(request.fault)}]` : '';
	const courses =
		request.method === 'POST' && Array.isArray(request.body?.items)
			? `  ${request.body.items.length} course${request.body.items.length === 1 ? '' : 's'}`
			: '';
	const task = request.taskId ? `  ${request.taskId}` : '';
	const integration = request.integrationId ? `  ${request.integrationId}` : '';
	return `${time()}  ${request.method.padEnd(4)} ${request.path}  ${request.status}  ${request.durationMs ?? 0} ms${integration}${task}${courses}${fault}`;
}

/**
 * One line per webhook delivery attempt, in the request log.
 * @param {import('../test/support/kombo-webhooks').WebhookDelivery} delivery
 * @param {import('../test/support/kombo-webhooks').WebhookAttempt} attempt
 */
function webhookLogLine(delivery, attempt) {
	const models = Array.isArray(delivery.event.data.changed_models)
		? `  ${delivery.event.data.changed_models.map((/** @type {{ name: string }} */ model) => model.name).join(',')}`
		: '';
	const answer = attempt.status === null ? `no answer (${attempt.error ?? 'network error'})` : String(attempt.status);
	const tries = delivery.attempts > 1 ? `  attempt ${attempt.attempt}` : '';
	const outcome = delivery.state === 'sending' ? '  will retry' : delivery.state === 'failed' ? '  gave up' : '';
	return `${time()}  HOOK ${delivery.type} ${delivery.id} -> ${delivery.url}  ${answer}  ${attempt.durationMs} ms  ${delivery.integrationId}${models}${tries}${outcome}`;
}

/** @param {import('../test/support/kombo-stub').Fault & { name?: string }} fault */
function describeFault(fault) {
	return (
		fault.name ?? (fault.reset ? 'reset' : fault.html ? 'html' : String(fault.status ?? 'delay'))
	);
}

async function main() {
	let options;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		console.error(`${/** @type {Error} */ (error).message}\n\n${USAGE}`);
		process.exit(2);
	}
	if (options.help) {
		console.log(USAGE);
		return;
	}

	/** @type {import('../test/support/kombo-stub').KomboStub | undefined} */
	let stub;
	const warning = exposureWarning(options.host, options.apiKey);
	if (warning) console.error(`${warning}\n`);

	stub = await startKomboStub({
		host: options.host,
		port: options.port,
		apiKeys: [options.apiKey],
		integrations: options.integrations,
		completeAfterMs: options.taskMs,
		failRate: options.failRate,
		failOriginIds: options.failIds,
		latencyMs: options.latencyMs,
		nativeCourses: options.nativeCourses,
		seedCourses: options.seed?.courses,
		learners: options.learners,
		seedLearners: options.seed?.learners,
		seedProgressions: options.seed?.progressions,
		refuseCompletion: options.refuseCompletion,
		connectMs: options.connectMs,
		concurrencyLimit: options.concurrencyLimit,
		// A long-running sandbox keeps only recent requests in memory.
		maxRequestsKept: 1000,
		webhooks: options.webhooks,
		sandboxEndpoints: true,
		onWebhook: options.quiet ? undefined : (delivery, attempt) => console.log(webhookLogLine(delivery, attempt)),
		onResponse: options.quiet
			? undefined
			: (request) => {
					const violation = stub?.violations.find((v) => v.requestId === request.id);
					console.log(logLine(request) + (violation ? `\n      ${violation.message}` : ''));
				},
	}).catch((error) => {
		console.error(
			error.code === 'EADDRINUSE'
				? `Port ${options.port} is in use: pick another with --port N (0 picks a free one).`
				: error.code === 'EADDRNOTAVAIL'
					? `${options.host} is not an address of this machine: pick another with --host.`
					: `Could not start the sandbox: ${error.message}`,
		);
		process.exit(1);
	});

	const scripted = [...options.faults];
	if (scripted.length > 0 || options.faultRate > 0) {
		stub.script(() => {
			if (scripted.length > 0) return scripted.shift();
			if (options.faultRate > 0 && Math.random() < options.faultRate) {
				const name = RETRYABLE_FAULTS[Math.floor(Math.random() * RETRYABLE_FAULTS.length)];
				return { ...NAMED_FAULTS[name], name };
			}
			return undefined;
		});
	}

	const behaviour = [
		`tasks complete after ${options.taskMs} ms`,
		options.failRate > 0 ? `${Math.round(options.failRate * 100)}% of courses fail` : undefined,
		options.failIds.length > 0 ? `these courses fail: ${options.failIds.join(', ')}` : undefined,
		options.faults.length > 0
			? `the next ${options.faults.length} requests get: ${options.faults.map((f) => f.name).join(', ')}`
			: undefined,
		options.faultRate > 0
			? `${Math.round(options.faultRate * 100)}% of requests get a random retryable fault`
			: undefined,
		options.latencyMs > 0 ? `every answer takes ${options.latencyMs} ms` : undefined,
		`each LMS holds ${options.nativeCourses} courses of its own${
			options.seed && seededCounts(options.seed.courses) ? ` plus ${seededCounts(options.seed.courses)}` : ''
		}`,
		`each LMS holds ${options.learners} learner${options.learners === 1 ? '' : 's'}${defaultEmails(stub, options.learners)}${
			options.seed && seededCounts(options.seed.learners) ? ` plus ${seededCounts(options.seed.learners)}` : ''
		}${options.seed && seededCounts(options.seed.progressions) ? `, and course progressions: ${seededCounts(options.seed.progressions)}` : ''}`,
		options.refuseCompletion.length > 0 ? `these LMSs refuse completions: ${options.refuseCompletion.join(', ')}` : undefined,
		options.connectMs > 0 ? `each new connection costs ${options.connectMs} ms more` : undefined,
		options.concurrencyLimit !== 30 ? `more than ${options.concurrencyLimit} writes in flight per integration get 429` : undefined,
		options.webhooks
			? `signed webhooks go to ${options.webhooks.url}${options.webhooks.allowRemote && !isLoopbackHost(new URL(options.webhooks.url).hostname) ? ' (another machine: --allow-remote-webhook)' : ''}`
			: undefined,
	].filter(Boolean);
	const origin = stub.url.slice(0, -'/v1'.length);
	const webhookHelp = options.webhooks
		? `
Webhooks: a data-changed event follows each change; to end a sync with a sync-finished event:
  curl -X POST -H 'Authorization: Bearer ${stub.apiKey}' '${origin}/sandbox/sync-finished?integration_id=${stub.integrations[0]}'
`
		: '';

	console.log(`Kombo sandbox listening on ${stub.url}

In n8n, create a "Kombo API" credential with:
  API Key          ${stub.apiKey}
  Integration ID   ${stub.integrations[0]}${stub.integrations.length > 1 ? `   (also accepted: ${stub.integrations.slice(1).join(', ')})` : ''}
  Region           Custom
  Base URL         ${stub.url}${isLoopbackHost(options.host) ? '' : `
                   (from n8n in Docker on this machine: http://host.docker.internal:${stub.port}/v1)`}

If n8n refuses to call ${isLoopbackHost(options.host) ? 'a local address' : 'the sandbox'}, start it with N8N_SSRF_PROTECTION_ENABLED=false.
Behaviour: ${behaviour.join('; ')}.
${webhookHelp}Press Ctrl-C to stop.
`);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		console.log(`\nStopping. ${JSON.stringify(stub.stats())}`);
		await stub.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) main();

module.exports = { parseArgs, seedFromJson, isLoopbackHost, exposureWarning };
