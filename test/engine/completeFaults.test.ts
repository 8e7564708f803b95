import { useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { complete, jsonOf, pairedIndexes, startKomboStub } from './fixtures';

type Fault = Record<string, unknown>;

const DEMO = 'sandbox:demo';
const USERS = { method: 'GET', path: '/v1/lms/users' };
const PROGRESSIONS = { method: 'GET', path: '/v1/lms/course-progressions' };
const COURSES = { method: 'GET', path: '/v1/lms/courses' };
const ENROLL = { method: 'POST', path: '/v1/lms/course-progressions' };
const COMPLETE = { method: 'POST', path: /\/complete$/ };

// Faults after which a request certainly had no effect, and faults that may hide one.
const CERTAIN: Array<[string, Fault]> = [
	['429 rate limit', { status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED', retryAfter: '1' }],
	['429 concurrency limit', { status: 429, code: 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED', concurrencyRemaining: 0 }],
	['503 with an unavailable LMS', { status: 503, code: 'REMOTE.SERVICE_UNAVAILABLE' }],
	['bare 503 page from the load balancer', { status: 503, html: true }],
];
const AMBIGUOUS: Array<[string, Fault]> = [
	['500', { status: 500 }],
	['502 HTML page', { status: 502, html: true }],
	['504', { status: 504 }],
	['connection reset after the request was carried out', { reset: true, afterProcessing: true }],
	['200 with truncated JSON after the request was carried out', { status: 200, truncated: true, afterProcessing: true }],
];

describe('Course Progression → Complete under Kombo’s bad days', () => {
	let stub: Stub;
	let clock: ReturnType<typeof createFakeClock>;
	let restoreClock: () => void;

	beforeAll(async () => {
		stub = await startKomboStub({ nativeCourses: 0 });
	});
	beforeEach(() => {
		clock = createFakeClock();
		restoreClock = useRuntime(clock);
		stub.seedCourses(DEMO, [{ origin_id: 'CAT-0' }, { origin_id: 'CAT-1' }]);
		stub.seedProgressions(DEMO, [{ work_email: 'ada@example.com', origin_id: 'CAT-0' }]);
	});
	afterEach(() => {
		restoreClock();
		stub.reset();
	});
	afterAll(async () => await stub.close());

	// Ada is enrolled and gets completed; Grace is not and gets enrolled first.
	const items = [
		{ email: 'ada@example.com', course: 'CAT-0', completed_at: '2026-04-15', score: 90 },
		{ email: 'grace@example.com', course: 'CAT-1', completed_at: '2026-04-16', score: 80 },
	];
	const run = async () => await complete({ stub, items, onError: 'continueErrorOutput' }).promise;
	const statuses = (result: Awaited<ReturnType<typeof run>>) => jsonOf(result.outputs[0]).map((json) => json.status);

	describe.each([...CERTAIN, ...AMBIGUOUS])('%s', (_name, fault) => {
		it.each([
			['the learner lookup', USERS],
			['the course lookup', COURSES],
			['the enrollment lookup', PROGRESSIONS],
			['a completion', COMPLETE],
		])('on %s, is retried, and each item ends COMPLETED with its own date and score', async (_target, match) => {
			stub.script([{ match, ...fault }]);
			const result = await run();

			expect(result.error).toBeUndefined();
			expect(statuses(result)).toEqual(['COMPLETED', 'COMPLETED']);
			expect(pairedIndexes(result.outputs[0])).toEqual([0, 1]);
			expect(stub.requests.filter((request) => request.fault)).toHaveLength(1);
			expect(stub.progressions(DEMO)).toHaveLength(2);
			expect(stub.stats().duplicateEnrolments).toBe(0);
			expect(stub.violations).toEqual([]);
			// A completion whose answer was lost is sent again: Kombo may see it twice, always with the same values.
			const written = new Map(stub.completionsOf(DEMO).map((each) => [each.progression_id, [each.completed_at, each.score]]));
			expect([...written.values()].sort()).toEqual([
				['2026-04-15T00:00:00.000Z', 90],
				['2026-04-16T00:00:00.000Z', 80],
			]);
			expect(stub.stats().recompletions).toBe(match === COMPLETE && fault.afterProcessing ? 1 : 0);
		});
	});

	it.each(CERTAIN)('retries an enrollment refused with %s, and enrolls once', async (_name, fault) => {
		stub.script([{ match: ENROLL, ...fault }]);
		const result = await run();

		expect(statuses(result)).toEqual(['COMPLETED', 'COMPLETED']);
		expect(stub.enrolments()).toHaveLength(2);
		expect(stub.progressions(DEMO)).toHaveLength(2);
	});

	it.each(AMBIGUOUS)('does not send an enrollment again after %s: the item says why, the others are written', async (_name, fault) => {
		stub.script([{ match: ENROLL, ...fault }]);
		const result = await run();

		expect(statuses(result)).toEqual(['COMPLETED']);
		expect(pairedIndexes(result.outputs[1])).toEqual([1]);
		const [error] = jsonOf(result.outputs[1]);
		expect((error.details as Record<string, unknown>).description).toContain('Kombo may have enrolled the learner all the same');
		expect(stub.enrolments()).toHaveLength(1);
		expect(stub.stats().duplicateEnrolments).toBe(0);
		expect(stub.completionsOf(DEMO)).toHaveLength(1);
	});
});
