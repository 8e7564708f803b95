import type { AttemptOutcome } from '../../../../nodes/Kombo/helpers/retry';
import { isRetryable, mayRetry, needsPerson, retryDelayMs, serverRetryDelayMs } from '../../../../nodes/Kombo/helpers/retry';

const NOW = Date.parse('2026-11-29T12:00:00Z');

describe('isRetryable for a request that must not be carried out twice (an enrollment)', () => {
	it.each<[string, AttemptOutcome, boolean]>([
		['429 rate limit', { kind: 'response', status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED' }, true],
		['429 concurrency limit', { kind: 'response', status: 429, code: 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED' }, true],
		['429 without a body', { kind: 'response', status: 429 }, true],
		['503 from the load balancer, no envelope', { kind: 'response', status: 503, malformed: true }, true],
		['503 with an unavailable LMS', { kind: 'response', status: 503, code: 'REMOTE.SERVICE_UNAVAILABLE' }, true],
		['the LMS rate-limiting Kombo', { kind: 'response', status: 502, code: 'REMOTE.RATE_LIMIT_EXCEEDED' }, true],
		['connection refused', { kind: 'network', code: 'ECONNREFUSED' }, true],
		['connection reset (the answer may be lost)', { kind: 'network', code: 'ECONNRESET' }, false],
		['request timeout', { kind: 'network', code: 'ECONNABORTED' }, false],
		['socket cut off mid-answer', { kind: 'network', code: 'ERR_BAD_RESPONSE' }, false],
		['500', { kind: 'response', status: 500, code: 'PLATFORM.UNKNOWN_ERROR' }, false],
		['502 HTML page', { kind: 'response', status: 502, malformed: true }, false],
		['504', { kind: 'response', status: 504 }, false],
		['503 with an envelope of another code', { kind: 'response', status: 503, code: 'PLATFORM.UNKNOWN_ERROR' }, false],
		['503 with an empty envelope', { kind: 'response', status: 503 }, false],
		['200 with truncated JSON', { kind: 'response', status: 200, malformed: true }, false],
		['REMOTE.SERVICE_UNAVAILABLE on a 409', { kind: 'response', status: 409, code: 'REMOTE.SERVICE_UNAVAILABLE' }, false],
		['403 missing permission', { kind: 'response', status: 403, code: 'INTEGRATION.PERMISSION_MISSING' }, false],
	])('%s: %p', (_name, outcome, expected) => {
		expect(isRetryable(outcome, true)).toBe(expected);
	});
});

describe('isRetryable', () => {
	it.each<[string, AttemptOutcome, boolean]>([
		['429 rate limit', { kind: 'response', status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED' }, true],
		['429 concurrency limit', { kind: 'response', status: 429, code: 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED' }, true],
		['429 without a body', { kind: 'response', status: 429 }, true],
		['500', { kind: 'response', status: 500, code: 'PLATFORM.UNKNOWN_ERROR' }, true],
		['502 HTML page', { kind: 'response', status: 502 }, true],
		['503', { kind: 'response', status: 503 }, true],
		['504', { kind: 'response', status: 504 }, true],
		['connection refused', { kind: 'network', code: 'ECONNREFUSED' }, true],
		['connection reset', { kind: 'network', code: 'ECONNRESET' }, true],
		['request timeout', { kind: 'network', code: 'ECONNABORTED' }, true],
		['200 with truncated JSON', { kind: 'response', status: 200, malformed: true }, true],
		['REMOTE.SERVICE_UNAVAILABLE on a 200 envelope', { kind: 'response', status: 200, code: 'REMOTE.SERVICE_UNAVAILABLE', malformed: true }, true],
		['REMOTE.SERVICE_UNAVAILABLE on a 409 (the issue: never retry 409)', { kind: 'response', status: 409, code: 'REMOTE.SERVICE_UNAVAILABLE' }, false],
		['503 carrying a code that needs a person', { kind: 'response', status: 503, code: 'INTEGRATION.SETUP_SYNC_PENDING' }, false],
		['500 carrying invalid input', { kind: 'response', status: 500, code: 'REMOTE.INPUT_INVALID' }, false],
		['socket cut off mid-answer', { kind: 'network', code: 'ERR_BAD_RESPONSE' }, true],
		['unknown host', { kind: 'network', code: 'ENOTFOUND' }, false],
		['refused by n8n before sending (no code)', { kind: 'network' }, false],
		['400 invalid input', { kind: 'response', status: 400, code: 'PLATFORM.INPUT_INVALID' }, false],
		['401 bad key', { kind: 'response', status: 401, code: 'PLATFORM.AUTHENTICATION_INVALID' }, false],
		['403 missing permission', { kind: 'response', status: 403, code: 'INTEGRATION.PERMISSION_MISSING' }, false],
		['404 unknown integration', { kind: 'response', status: 404, code: 'PLATFORM.INTEGRATION_NOT_FOUND' }, false],
		['409 setup pending', { kind: 'response', status: 409, code: 'INTEGRATION.SETUP_SYNC_PENDING' }, false],
		['422', { kind: 'response', status: 422 }, false],
		['200 success', { kind: 'response', status: 200 }, false],
	])('%s → retry %p', (_name, outcome, expected) => {
		expect(isRetryable(outcome)).toBe(expected);
	});
});

describe('serverRetryDelayMs', () => {
	it.each<[Record<string, unknown>, number | undefined]>([
		[{}, undefined],
		[{ 'retry-after': '2' }, 2000],
		[{ 'retry-after': '0.5' }, 500],
		[{ 'retry-after': new Date(NOW + 3000).toUTCString() }, 3000],
		[{ 'retry-after': new Date(NOW - 3000).toUTCString() }, 0],
		[{ 'retry-after-ms': '1500' }, 1500],
		[{ 'retry-after-ms': '1500', 'retry-after': '9' }, 1500],
		[{ 'retry-after': '3600' }, 60_000],
		[{ 'retry-after': 'soon' }, undefined],
		[{ 'retry-after': ['4'] }, 4000],
	])('%p → %p ms', (headers, expected) => {
		expect(serverRetryDelayMs(headers, NOW)).toBe(expected);
	});
});

describe('retryDelayMs', () => {
	it('backs off exponentially from about a second, with jitter, capped at 30 s', () => {
		const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs(attempt, {}, NOW, 0));
		expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
		expect(retryDelayMs(1, {}, NOW, 0.999)).toBe(1499);
	});

	it('honours Retry-After before its own backoff', () => {
		expect(retryDelayMs(5, { 'retry-after': '2' }, NOW, 0.7)).toBe(2000);
	});
});

describe('mayRetry', () => {
	it('stops after 6 attempts', () => {
		expect(mayRetry(5, 0, 1000)).toBe(true);
		expect(mayRetry(6, 0, 1000)).toBe(false);
	});

	it('stops when the next wait would pass two minutes in total', () => {
		expect(mayRetry(2, 110_000, 10_000)).toBe(true);
		expect(mayRetry(2, 110_001, 10_000)).toBe(false);
	});
});

describe('retry rules at their edges', () => {
	it.each<[string, Parameters<typeof isRetryable>[0], boolean]>([
		['a network fault without a code', { kind: 'network' }, false],
		['an unknown network code', { kind: 'network', code: 'EWHATEVER' }, false],
		['a 200 Kombo could not read', { kind: 'response', status: 200, malformed: true }, true],
		['a 299 Kombo could not read', { kind: 'response', status: 299, malformed: true }, true],
		['a good 200', { kind: 'response', status: 200, malformed: false }, false],
		['a 300, readable or not', { kind: 'response', status: 300, malformed: true }, false],
		['a retryable code on a 418', { kind: 'response', status: 418, code: 'REMOTE.SERVICE_UNAVAILABLE' }, true],
		['a 418 without a code', { kind: 'response', status: 418 }, false],
		['an unknown code on a 503', { kind: 'response', status: 503, code: 'SOMETHING.NEW' }, true],
		['an unknown code on a 418', { kind: 'response', status: 418, code: 'SOMETHING.NEW' }, false],
		['a 418 Kombo could not read', { kind: 'response', status: 418, malformed: true }, false],
	])('%s: retried %s', (_name, outcome, expected) => {
		expect(isRetryable(outcome)).toBe(expected);
	});

	it.each<[string, Record<string, unknown>, number | undefined]>([
		['retry-after as a list', { 'retry-after': ['3', '5'] }, 3000],
		['an empty list', { 'retry-after': [] }, undefined],
		['a null header', { 'retry-after': null }, undefined],
		['a blank retry-after-ms, with Retry-After', { 'retry-after-ms': ' ', 'retry-after': '2' }, 2000],
		['an unreadable retry-after-ms, with Retry-After', { 'retry-after-ms': 'soon', 'retry-after': '2' }, 2000],
		['fractional seconds', { 'retry-after': '1.5' }, 1500],
		['seconds with a tail', { 'retry-after': '2s' }, undefined],
		['seconds with a head', { 'retry-after': 'x2' }, undefined],
		['seconds with spaces around', { 'retry-after': ' 4 ' }, 4000],
		['a number, not text', { 'retry-after-ms': 1200 }, 1200],
		['seconds of two digits', { 'retry-after': '12' }, 12_000],
		['fractional seconds of two digits', { 'retry-after': '1.25' }, 1250],
		['a blank Retry-After', { 'retry-after': '  ' }, undefined],
		['a list of blanks for retry-after-ms, with Retry-After', { 'retry-after-ms': [' '], 'retry-after': '2' }, 2000],
	])('reads %s', (_name, headers, expected) => {
		expect(serverRetryDelayMs(headers, Date.parse('2026-12-01T00:00:00Z'))).toBe(expected);
	});

	it.each<[number | undefined, string | null | undefined, boolean]>([
		[undefined, undefined, false],
		[404, undefined, true],
		[401, null, true],
		[500, 'INTEGRATION.INACTIVE', true],
		[500, 'REMOTE.SERVICE_UNAVAILABLE', false],
		[429, undefined, false],
		[undefined, 'PLATFORM.INPUT_INVALID', true],
	])('status %s with code %s needs a person: %s', (status, code, expected) => {
		expect(needsPerson(status, code)).toBe(expected);
	});
});
