import {
	RETRY_AFTER_MAX_MS,
	RETRY_BACKOFF_FACTOR,
	RETRY_BASE_DELAY_MS,
	RETRY_JITTER_MS,
	RETRY_MAX_ATTEMPTS,
	RETRY_MAX_DELAY_MS,
	RETRY_MAX_TOTAL_MS,
} from './constants';

/** What one attempt came back with, as far as the retry decision cares. */
export type AttemptOutcome =
	| { kind: 'response'; status: number; code?: string; malformed?: boolean }
	| { kind: 'network'; code?: string };

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

// Kombo's advice: these are safe to retry, whatever HTTP status carries them.
const RETRYABLE_CODES = new Set([
	'PLATFORM.RATE_LIMIT_EXCEEDED',
	'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED',
	'REMOTE.RATE_LIMIT_EXCEEDED',
	'REMOTE.SERVICE_UNAVAILABLE',
]);

// Kombo's advice: these need a person (fixed input, a permission, a setup step), so repeating
// the request cannot help, even when a 5xx carries them.
const PERSON_NEEDED_CODES = new Set([
	'PLATFORM.INPUT_INVALID',
	'PLATFORM.AUTHENTICATION_INVALID',
	'PLATFORM.INTEGRATION_NOT_FOUND',
	'PLATFORM.IP_NOT_WHITELISTED',
	'INTEGRATION.PERMISSION_MISSING',
	'INTEGRATION.AUTHENTICATION_INVALID',
	'INTEGRATION.QA_FAILED',
	'INTEGRATION.SETUP_SYNC_PENDING',
	'INTEGRATION.SETUP_INCOMPLETE',
	'INTEGRATION.INACTIVE',
	'INTEGRATION.MODEL_NOT_AVAILABLE',
	'INTEGRATION.MODEL_DISABLED',
	'INTEGRATION.ACTION_NOT_AVAILABLE',
	'INTEGRATION.ACTION_DISABLED',
	'REMOTE.INPUT_INVALID',
	'LMS.COURSE_UPDATE_NOT_SUPPORTED',
]);

const NEVER_RETRIED_STATUSES = new Set([400, 401, 403, 404, 409, 422]);

// Faults of the connection itself: refused, reset, timed out, or cut off mid-answer. Anything
// else thrown before an answer (a bad host name, n8n's SSRF guard, a TLS problem) fails at once.
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ERR_BAD_RESPONSE',
]);

/**
 * Whether an answer says its request certainly had no effect: Kombo refused it for a limit or an
 * unavailable LMS, or its load balancer answered a bare 503. Any other failure (a lost answer, a
 * timeout, another 5xx) may have been carried out.
 */
export function certainlyNotCarriedOut(outcome: Extract<AttemptOutcome, { kind: 'response' }>): boolean {
	if (outcome.code) return RETRYABLE_CODES.has(outcome.code);
	return outcome.status === 429 || (outcome.status === 503 && outcome.malformed === true);
}

/**
 * Whether an attempt is worth repeating. Repeating the bulk POST is safe because Kombo answers an
 * identical body for the same integration with the task it already created. A request that must
 * not be carried out twice (`once`, an enrollment) is repeated only when the first attempt
 * certainly had no effect: refused as above, or never connected.
 */
export function isRetryable(outcome: AttemptOutcome, once = false): boolean {
	if (outcome.kind === 'network') return once ? outcome.code === 'ECONNREFUSED' : RETRYABLE_NETWORK_CODES.has(outcome.code ?? '');
	if (needsPerson(outcome.status, outcome.code)) return false;
	if (once) return certainlyNotCarriedOut(outcome);
	if (outcome.code && RETRYABLE_CODES.has(outcome.code)) return true;
	if (outcome.status < 300) return outcome.malformed === true;
	return RETRYABLE_STATUSES.has(outcome.status);
}

/** A header as trimmed text ('' when absent); n8n gives header names in lower case. */
function header(headers: Record<string, unknown>, name: string): string {
	const value = headers[name];
	return String((Array.isArray(value) ? value[0] : value) ?? '').trim();
}

/**
 * The wait the server asked for, in ms: `retry-after-ms`, else `Retry-After` in seconds or as an
 * HTTP date. Undefined when there is none or it cannot be read; never negative; capped.
 */
export function serverRetryDelayMs(headers: Record<string, unknown>, nowMs: number): number | undefined {
	const milliseconds = header(headers, 'retry-after-ms');
	const retryAfter = header(headers, 'retry-after');
	let delay: number | undefined;
	if (milliseconds !== '' && Number.isFinite(Number(milliseconds))) {
		delay = Number(milliseconds);
	} else if (/^\d+(\.\d+)?$/.test(retryAfter)) {
		delay = Number(retryAfter) * 1000;
	} else {
		// Date.parse('') is NaN, so an absent header ends here too.
		const date = Date.parse(retryAfter);
		if (!Number.isNaN(date)) delay = date - nowMs;
	}
	if (delay === undefined) return undefined;
	return Math.min(Math.max(0, delay), RETRY_AFTER_MAX_MS);
}

/**
 * The wait before attempt `attempt + 1` (attempts count from 1): the server's wish when it states
 * one, else exponential backoff from about a second with up to RETRY_JITTER_MS of jitter, so that
 * parallel requests rejected together do not come back together.
 */
export function retryDelayMs(
	attempt: number,
	headers: Record<string, unknown>,
	nowMs: number,
	random: number,
): number {
	const requested = serverRetryDelayMs(headers, nowMs);
	if (requested !== undefined) return requested;
	const exponential = RETRY_BASE_DELAY_MS * RETRY_BACKOFF_FACTOR ** (attempt - 1);
	return Math.min(exponential, RETRY_MAX_DELAY_MS) + Math.floor(random * RETRY_JITTER_MS);
}

/** Whether another attempt fits the attempt and total-time budget. */
export function mayRetry(attempt: number, elapsedMs: number, delayMs: number): boolean {
	return attempt < RETRY_MAX_ATTEMPTS && elapsedMs + delayMs <= RETRY_MAX_TOTAL_MS;
}

/**
 * Whether a failed answer will fail the same way however often it is asked again, because
 * something needs a person: a wrong key or permission, an unknown task, input to fix.
 */
export function needsPerson(status: number | undefined, code: string | null | undefined): boolean {
	return NEVER_RETRIED_STATUSES.has(status ?? 0) || PERSON_NEEDED_CODES.has(code ?? '');
}
