'use strict';

// The stand-in's webhooks, as Kombo sends them after a sync: a signed `data-changed` event naming
// the models of an integration that changed, collected over a short window into one event per
// integration, and any other event by hand. A delivery that fails is sent again with the same
// event ID and the same bytes, which is what a repeated delivery looks like to a receiver.
// Contract: kombo-lms-api.md, "Webhooks Kombo sends". Plain JavaScript for its timers.

const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');

const SIGNATURE_HEADER = 'X-Kombo-Signature';
const DEFAULT_WEBHOOK_DEBOUNCE_MS = 200;
const DEFAULT_WEBHOOK_RETRIES = 2;
const DEFAULT_WEBHOOK_RETRY_DELAY_MS = 500;
const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
const DEFAULT_SYNC_DURATION_S = 30;
const INTEGRATION_TOOL = 'sandbox';
const DEFAULT_INTEGRATION_CATEGORY = 'LMS';
const INTEGRATION_CATEGORIES = ['LMS', 'HRIS', 'ATS', 'ASSESSMENT'];
/** The LMS model names in the order Kombo's documentation lists them; changed_models keeps it. */
const LMS_MODELS = [
	'lms_users',
	'lms_course_providers',
	'lms_skills',
	'lms_courses',
	'lms_course_revisions',
	'lms_course_progressions',
	'lms_join_revisions_skills',
];
const SYNC_STATES = ['SUCCEEDED', 'CANCELLED', 'FAILED', 'PARTIALLY_FAILED', 'AUTHENTICATION_FAILED', 'TIMED_OUT'];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * @typedef {object} WebhookTarget  the `webhooks` option of the stub
 * @property {string} url              where events are posted; a loopback address unless allowRemote
 * @property {string} secret           the Kombo Webhook Secret the signature is keyed with
 * @property {'LMS' | 'HRIS' | 'ATS' | 'ASSESSMENT'} [integrationCategory]  default LMS
 * @property {boolean} [allowRemote]   allow a URL whose host is not a loopback address
 *
 * @typedef {{ url: URL, secret: string, integrationCategory: string }} ResolvedTarget
 *
 * @typedef {{ id: string, type: string, data: Record<string, unknown> }} WebhookEvent
 *
 * @typedef {object} WebhookAttempt
 * @property {number} attempt          1 for the first delivery, 2 for the first retry, …
 * @property {string} at               when it was sent (real time, ISO)
 * @property {number | null} status    the HTTP status answered, null when none came
 * @property {string | undefined} error  what went wrong on the network, if anything
 * @property {number} durationMs
 *
 * @typedef {object} WebhookDelivery
 * @property {string} id               the event ID, the same on every attempt
 * @property {string} type
 * @property {string} integrationId
 * @property {string} url
 * @property {WebhookEvent} event
 * @property {string} body             the exact bytes sent (UTF-8), on every attempt
 * @property {string} signature        the X-Kombo-Signature header sent
 * @property {'sending' | 'delivered' | 'failed'} state  failed: every attempt failed, or the stub closed
 * @property {number | null} status    the status of the last answer, null when none came (yet)
 * @property {number} attempts         attempts made so far
 * @property {WebhookAttempt[]} attemptLog
 *
 * @typedef {object} WebhookSettings   the stub options the sender reads, at the moment it needs them
 * @property {number} [webhookDebounceMs]    window opened by a change, collecting more (200 ms)
 * @property {number} [webhookRetries]       retries after a failed attempt (2)
 * @property {number} [webhookRetryDelayMs]  wait before the first retry, doubled for each next (500 ms)
 * @property {number} [webhookTimeoutMs]     an attempt without an answer for this long fails (10 s)
 * @property {(delivery: WebhookDelivery, attempt: WebhookAttempt) => void} [onWebhook]  after each attempt
 */

/** @param {number} length */
function randomAlnum(length) {
	const bytes = crypto.randomBytes(length);
	let out = '';
	for (let i = 0; i < length; i++) out += ALNUM[bytes[i] % ALNUM.length];
	return out;
}

/** The value of X-Kombo-Signature for this body: HMAC-SHA256, base64url without padding. @param {Buffer | string} body @param {string} secret */
function signWebhook(body, secret) {
	return crypto.createHmac('sha256', secret).update(body).digest('base64url');
}

/** Whether only this machine can reach an address: 127.0.0.0/8, ::1 or localhost. @param {string} host */
function isLoopbackHost(host) {
	const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
	return (
		name === 'localhost' ||
		/^127(\.\d{1,3}){3}$/.test(name) ||
		name === '::1' ||
		/^::ffff:127(\.\d{1,3}){3}$/.test(name)
	);
}

/**
 * The `webhooks` option checked, or undefined when it is unset. A URL off this machine is refused
 * unless `allowRemote` says so: a stand-in that posts to the internet by mistake leaks test data.
 * @param {WebhookTarget | undefined | null} webhooks
 * @returns {ResolvedTarget | undefined}
 */
function resolveWebhookTarget(webhooks) {
	if (webhooks === undefined || webhooks === null) return undefined;
	if (typeof webhooks !== 'object' || Array.isArray(webhooks)) {
		throw new Error('webhooks must be an object { url, secret }');
	}
	let url;
	try {
		url = new URL(String(webhooks.url));
	} catch {
		throw new Error(`webhooks.url must be an http or https URL, got ${JSON.stringify(webhooks.url)}`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new Error(`webhooks.url must be an http or https URL, got "${url.href}"`);
	}
	if (!webhooks.allowRemote && !isLoopbackHost(url.hostname)) {
		throw new Error(
			`webhooks.url must point at this machine (127.0.0.1, another 127.x.x.x address, ::1 or localhost), got host "${url.hostname}"; set webhooks.allowRemote to send webhooks elsewhere`,
		);
	}
	if (typeof webhooks.secret !== 'string' || webhooks.secret === '') {
		throw new Error('webhooks.secret must be a non-empty string: the secret the signature is keyed with');
	}
	const integrationCategory = webhooks.integrationCategory ?? DEFAULT_INTEGRATION_CATEGORY;
	if (!INTEGRATION_CATEGORIES.includes(integrationCategory)) {
		throw new Error(`webhooks.integrationCategory must be one of ${INTEGRATION_CATEGORIES.join(', ')}, got ${JSON.stringify(integrationCategory)}`);
	}
	return { url, secret: webhooks.secret, integrationCategory };
}

/** The wait before retry number `retry` (1-based): `baseMs`, then doubled each time. @param {number} retry @param {number} baseMs */
function retryDelayMs(retry, baseMs) {
	return Math.max(0, baseMs) * 2 ** (retry - 1);
}

/** changed_models as Kombo writes them: known LMS models in their documented order, then others by name. @param {Iterable<string>} models */
function changedModels(models) {
	const rank = (/** @type {string} */ name) => {
		const index = LMS_MODELS.indexOf(name);
		return index === -1 ? LMS_MODELS.length : index;
	};
	return [...new Set(models)]
		.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
		.map((name) => ({ name }));
}

/** The end customer an integration belongs to, as events describe it. @param {string} integrationId */
function endUserOf(integrationId) {
	const name = integrationId.includes(':') ? integrationId.slice(integrationId.indexOf(':') + 1) : integrationId;
	return { organization_name: `Sandbox customer ${name}`, creator_email: 'admin@example.com', origin_id: `customer-${name}` };
}

/**
 * An event's `data`: what Kombo would put there for this type and integration, overridden field by
 * field by `given`. Types the documentation does not describe carry `given` alone.
 * @param {string} type
 * @param {Record<string, unknown>} given
 * @param {{ integrationId: string, integrationCategory: string, nowMs: number, logUrl: () => string }} context
 * @returns {Record<string, unknown>}
 */
function eventData(type, given, context) {
	const { integrationId, integrationCategory } = context;
	const now = new Date(context.nowMs).toISOString();
	const integration = { integration_id: integrationId, integration_tool: INTEGRATION_TOOL, integration_category: integrationCategory };
	const endUser = endUserOf(integrationId);
	switch (type) {
		case 'data-changed':
			return { ...integration, changed_models: [], ...given };
		case 'sync-finished': {
			const endedAt = typeof given.sync_ended_at === 'string' ? given.sync_ended_at : now;
			const startedAt =
				typeof given.sync_started_at === 'string'
					? given.sync_started_at
					: new Date(Date.parse(endedAt) - DEFAULT_SYNC_DURATION_S * 1000).toISOString();
			const seconds = (Date.parse(endedAt) - Date.parse(startedAt)) / 1000;
			return {
				sync_id: `sync_${randomAlnum(24)}`,
				sync_state: 'SUCCEEDED',
				sync_started_at: startedAt,
				sync_ended_at: endedAt,
				sync_duration_seconds: Number.isFinite(seconds) ? Math.round(seconds) : null,
				...integration,
				end_user: endUser,
				log_url: context.logUrl(),
				...given,
			};
		}
		case 'integration-created':
			return { id: integrationId, tool: INTEGRATION_TOOL, category: integrationCategory, end_user: endUser, ...given };
		case 'integration-deleted':
			return { id: integrationId, tool: INTEGRATION_TOOL, category: integrationCategory, end_user: endUser, deleted_at: now, ...given };
		case 'integration-state-changed':
			return { ...integration, end_user: endUser, qa_status: 'PASSED', setup_status: 'COMPLETED', state: 'ACTIVE', updated_at: now, ...given };
		case 'connection-flow-failed':
			return { integration_tool: INTEGRATION_TOOL, integration_category: integrationCategory, end_user: endUser, log_url: context.logUrl(), ...given };
		default:
			return { ...given };
	}
}

/**
 * One POST of the body, answered by its status, or by null and the network error.
 * @param {URL} url @param {Buffer} body @param {Record<string, string>} headers @param {number} timeoutMs @param {AbortSignal} signal
 * @returns {Promise<{ status: number | null, error?: string }>}
 */
function post(url, body, headers, timeoutMs, signal) {
	return new Promise((resolve) => {
		let settled = false;
		const finish = (/** @type {{ status: number | null, error?: string }} */ outcome) => {
			if (settled) return;
			settled = true;
			resolve(outcome);
		};
		const client = url.protocol === 'https:' ? https : http;
		// A connection of its own (no keep-alive): a receiver that a test closes is not held open.
		const req = client.request(url, {
			method: 'POST',
			headers: { ...headers, 'Content-Length': body.length },
			agent: false,
			timeout: timeoutMs,
			signal,
		});
		req.on('response', (res) => {
			const status = res.statusCode ?? null;
			res.on('end', () => finish({ status }));
			res.on('close', () => finish({ status }));
			res.on('error', () => finish({ status }));
			res.resume();
		});
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', (error) => finish({ status: null, error: /** @type {NodeJS.ErrnoException} */ (error).code ?? error.message }));
		req.end(body);
	});
}

/**
 * The sender one stub owns.
 * @param {{ settings: () => WebhookSettings, now: () => number, logUrl: () => string }} context
 */
function createWebhookSender(context) {
	/** @type {ResolvedTarget | undefined} */
	let target;
	/** Changes not sent yet: integration ID → model names. @type {Map<string, Set<string>>} */
	const pending = new Map();
	/** @type {ReturnType<typeof setTimeout> | null} */
	let windowTimer = null;
	/** @type {WebhookDelivery[]} */
	const deliveries = [];
	/** Deliveries still being attempted, with the promise of their end. @type {Map<WebhookDelivery, Promise<WebhookDelivery>>} */
	const inFlight = new Map();
	/** Backoff waits in progress: calling one ends it early. @type {Set<() => void>} */
	const wakers = new Set();
	/** While a flush runs, retries do not wait. */
	let hurrying = 0;
	let abort = new AbortController();

	const setting = (/** @type {keyof WebhookSettings} */ key, /** @type {number} */ fallback) => {
		const value = context.settings()[key];
		return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
	};

	function clearWindow() {
		if (windowTimer !== null) clearTimeout(windowTimer);
		windowTimer = null;
	}

	/** @param {number} ms */
	function backoff(ms) {
		if (hurrying > 0 || ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const wake = () => {
				clearTimeout(timer);
				wakers.delete(wake);
				resolve(undefined);
			};
			const timer = setTimeout(wake, ms);
			timer.unref();
			wakers.add(wake);
		});
	}

	/** @param {WebhookDelivery} delivery @param {ResolvedTarget} to @param {AbortSignal} signal */
	async function attemptAll(delivery, to, signal) {
		const body = Buffer.from(delivery.body, 'utf8');
		const headers = { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: delivery.signature };
		const retries = Math.floor(setting('webhookRetries', DEFAULT_WEBHOOK_RETRIES));
		for (let attempt = 1; ; attempt++) {
			if (signal.aborted) break;
			const startedMs = Date.now();
			const outcome = await post(to.url, body, headers, setting('webhookTimeoutMs', DEFAULT_WEBHOOK_TIMEOUT_MS), signal);
			/** @type {WebhookAttempt} */
			const entry = {
				attempt,
				at: new Date(startedMs).toISOString(),
				status: outcome.status,
				error: outcome.error,
				durationMs: Date.now() - startedMs,
			};
			delivery.attempts = attempt;
			delivery.status = outcome.status;
			delivery.attemptLog.push(entry);
			const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
			if (ok) delivery.state = 'delivered';
			else if (attempt > retries || signal.aborted) delivery.state = 'failed';
			context.settings().onWebhook?.(delivery, entry);
			if (delivery.state !== 'sending') return delivery;
			await backoff(retryDelayMs(attempt, setting('webhookRetryDelayMs', DEFAULT_WEBHOOK_RETRY_DELAY_MS)));
		}
		delivery.state = 'failed';
		return delivery;
	}

	/**
	 * Records the delivery of a new event and starts it.
	 * @param {string} type @param {Record<string, unknown>} given @param {string} integrationId @param {ResolvedTarget} to
	 */
	function start(type, given, integrationId, to) {
		/** @type {WebhookEvent} */
		const event = {
			id: `evt_${randomAlnum(24)}`,
			type,
			data: eventData(type, given, { integrationId, integrationCategory: to.integrationCategory, nowMs: context.now(), logUrl: context.logUrl }),
		};
		const body = JSON.stringify(event);
		/** @type {WebhookDelivery} */
		const delivery = {
			id: event.id,
			type,
			integrationId,
			url: to.url.href,
			event,
			body,
			signature: signWebhook(Buffer.from(body, 'utf8'), to.secret),
			state: 'sending',
			status: null,
			attempts: 0,
			attemptLog: [],
		};
		deliveries.push(delivery);
		const done = attemptAll(delivery, to, abort.signal).finally(() => inFlight.delete(delivery));
		inFlight.set(delivery, done);
		return { delivery, done };
	}

	/** Sends one data-changed event per integration with changes pending. */
	function sendPending() {
		clearWindow();
		const batch = [...pending];
		pending.clear();
		if (!target) return [];
		const to = target;
		return batch.map(([integrationId, models]) => start('data-changed', { changed_models: changedModels(models) }, integrationId, to).delivery);
	}

	return {
		/** Sets the target (checked) or, with undefined, stops sending; changes not sent are dropped then. @param {WebhookTarget | undefined} webhooks */
		configure(webhooks) {
			target = resolveWebhookTarget(webhooks);
			if (!target) {
				clearWindow();
				pending.clear();
			}
		},

		get enabled() {
			return target !== undefined;
		},

		/**
		 * Notes that these models of an integration changed; the first change opens a window of
		 * webhookDebounceMs that collects the next ones into the same event. A fixed window rather
		 * than one restarted by each change: a steady stream of writes still sends events.
		 * @param {string} integrationId @param {string[]} models
		 */
		note(integrationId, models) {
			if (!target || models.length === 0) return;
			const set = pending.get(integrationId) ?? new Set();
			for (const model of models) set.add(model);
			pending.set(integrationId, set);
			if (windowTimer === null) {
				windowTimer = setTimeout(sendPending, setting('webhookDebounceMs', DEFAULT_WEBHOOK_DEBOUNCE_MS));
				windowTimer.unref();
			}
		},

		/** Changes noted and not sent yet, by integration ID. */
		pending() {
			return Object.fromEntries([...pending].map(([integrationId, models]) => [integrationId, changedModels(models).map((model) => model.name)]));
		},

		/**
		 * Sends the changes pending now, cuts every backoff wait short, and resolves once every
		 * delivery under way has ended (delivered or given up), with those deliveries.
		 * @returns {Promise<WebhookDelivery[]>}
		 */
		async flush() {
			hurrying++;
			try {
				sendPending();
				for (const wake of [...wakers]) wake();
				/** @type {Set<WebhookDelivery>} */
				const awaited = new Set();
				while (inFlight.size > 0) {
					const now = [...inFlight];
					for (const [delivery] of now) awaited.add(delivery);
					await Promise.allSettled(now.map(([, done]) => done));
				}
				return [...awaited];
			} finally {
				hurrying--;
			}
		},

		/**
		 * Sends an event of any type for an integration, its `data` completed as Kombo would fill
		 * it; resolves with the delivery once it has ended.
		 * @param {string} type @param {Record<string, unknown>} given @param {string} integrationId
		 */
		async send(type, given, integrationId) {
			if (!target) throw new Error('No webhook target: set the stub option webhooks: { url, secret } first');
			if (typeof type !== 'string' || type === '') throw new Error('sendWebhook needs an event type, e.g. "sync-finished"');
			return await start(type, given ?? {}, integrationId, target).done;
		},

		deliveries() {
			return [...deliveries];
		},

		/** Forgets pending changes and recorded deliveries; deliveries under way end without being listed. */
		clear() {
			clearWindow();
			pending.clear();
			deliveries.length = 0;
		},

		/** Drops pending changes, stops every delivery under way, and resolves once they have ended. */
		async close() {
			clearWindow();
			pending.clear();
			abort.abort();
			for (const wake of [...wakers]) wake();
			await Promise.allSettled([...inFlight.values()]);
			abort = new AbortController();
		},
	};
}

module.exports = {
	createWebhookSender,
	resolveWebhookTarget,
	signWebhook,
	isLoopbackHost,
	retryDelayMs,
	changedModels,
	eventData,
	SIGNATURE_HEADER,
	SYNC_STATES,
	LMS_MODELS,
	DEFAULT_WEBHOOK_DEBOUNCE_MS,
	DEFAULT_WEBHOOK_RETRIES,
	DEFAULT_WEBHOOK_RETRY_DELAY_MS,
	DEFAULT_WEBHOOK_TIMEOUT_MS,
};
