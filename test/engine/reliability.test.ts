import fc from 'fast-check';

import { useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { courses, jsonOf, pairedIndexes, polls, posts, startKomboStub, upsert } from './fixtures';

type Fault = Record<string, unknown>;

const POST = { method: 'POST', path: '/v1/lms/courses/bulk' };
const GET = { method: 'GET' };
const JITTERED_FIRST_RETRY_MS = 1250;
// The one row that needs a real socket timeout gets a short one; the stub holds that answer for
// an hour, so the row passes however slow the machine is. Every other row keeps the default.
const SHORT_REQUEST_TIMEOUT_MS = 300;
const HELD_MS = 3_600_000;

describe('Transport under Kombo’s bad days', () => {
	let stub: Stub;
	let clock: ReturnType<typeof createFakeClock>;
	let restoreClock: () => void;

	beforeAll(async () => {
		stub = await startKomboStub({ completeAfterPolls: 1 });
	});
	beforeEach(() => {
		clock = createFakeClock();
		restoreClock = useRuntime(clock);
	});
	afterEach(() => {
		restoreClock();
		stub.reset();
	});
	afterAll(async () => await stub.close());

	const distinctTasks = () => new Set(posts(stub).map((request) => request.taskId).filter(Boolean)).size;

	describe.each<[string, Fault, number]>([
		['429 rate limit with Retry-After: 2', { match: POST, status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED', retryAfter: '2' }, 2000],
		['429 rate limit with retry-after-ms: 1700', { match: POST, status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED', retryAfterMs: 1700 }, 1700],
		['429 rate limit without Retry-After', { match: POST, status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED' }, JITTERED_FIRST_RETRY_MS],
		['429 concurrency limit', { match: POST, status: 429, code: 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED', concurrencyRemaining: 0 }, JITTERED_FIRST_RETRY_MS],
		['500 unknown error', { match: POST, status: 500 }, JITTERED_FIRST_RETRY_MS],
		['502 HTML page from the load balancer', { match: POST, status: 502, html: true }, JITTERED_FIRST_RETRY_MS],
		['503 service unavailable', { match: POST, status: 503 }, JITTERED_FIRST_RETRY_MS],
		['504 gateway timeout', { match: POST, status: 504 }, JITTERED_FIRST_RETRY_MS],
		['connection reset mid-response', { match: POST, reset: true }, JITTERED_FIRST_RETRY_MS],
		['connection reset before any byte', { match: POST, reset: 'immediate' }, JITTERED_FIRST_RETRY_MS],
		['response slower than the request timeout', { match: POST, delayMs: HELD_MS, drop: true }, JITTERED_FIRST_RETRY_MS],
		['200 with truncated JSON', { match: POST, status: 200, truncated: true }, JITTERED_FIRST_RETRY_MS],
		['task created, then the answer truncated', { match: POST, status: 200, truncated: true, afterProcessing: true }, JITTERED_FIRST_RETRY_MS],
		['task created, then the connection reset', { match: POST, reset: true, afterProcessing: true }, JITTERED_FIRST_RETRY_MS],
		['200 with an empty body', { match: POST, status: 200, empty: true }, JITTERED_FIRST_RETRY_MS],
		['503 on a poll', { match: GET, status: 503 }, JITTERED_FIRST_RETRY_MS],
		['HTML 502 on a poll', { match: GET, status: 502, html: true }, JITTERED_FIRST_RETRY_MS],
	])('%s', (_name, fault, expectedWaitMs) => {
		it('is retried after the expected wait and every course still succeeds, with one task per batch', async () => {
			if (fault.delayMs === HELD_MS) {
				restoreClock();
				restoreClock = useRuntime({ ...clock, requestTimeoutMs: SHORT_REQUEST_TIMEOUT_MS });
			}
			stub.script([fault]);
			const result = await upsert({ stub, items: courses(3), parameters: { waitForCompletion: true } }).promise;

			expect(result.error).toBeUndefined();
			expect(jsonOf(result.outputs[0]).map((json) => json.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
			expect(pairedIndexes(result.outputs[0])).toEqual([0, 1, 2]);
			expect(distinctTasks()).toBe(1);
			expect(stub.tasks.size).toBe(1);
			// A poll's retry comes after the 1 s wait for the first check; a POST's is the first wait.
			const retryWait = fault.match === GET ? clock.sleeps.slice(0, 2) : clock.sleeps.slice(0, 1);
			expect(retryWait).toEqual(fault.match === GET ? [1000, expectedWaitMs] : [expectedWaitMs]);
			expect(stub.requests.filter((request) => request.fault)).toHaveLength(1);
		});
	});

	it.each([
		[400, 'PLATFORM.INPUT_INVALID', 'Fix the field Kombo names'],
		[401, 'PLATFORM.AUTHENTICATION_INVALID', 'Check the API key'],
		[403, 'INTEGRATION.PERMISSION_MISSING', 'Enable the "Upsert courses" permission'],
		[404, 'PLATFORM.INTEGRATION_NOT_FOUND', 'Check the integration ID'],
		[409, 'INTEGRATION.SETUP_SYNC_PENDING', 'still finishing its first sync'],
		[422, 'INTEGRATION.INACTIVE', 'Reactivate it'],
	])('does not retry %i %s and says how to fix it', async (status, code, hint) => {
		stub.script([{ match: POST, status, code, message: `Kombo says ${code}` }]);
		const result = await upsert({ stub, items: courses(2), parameters: { waitForCompletion: true } }).promise;

		expect(posts(stub)).toHaveLength(1);
		expect(result.error.message).toBe(`Kombo says ${code}`);
		expect(result.error.httpCode).toBe(String(status));
		expect(result.error.description).toContain(code);
		expect(result.error.description).toContain(hint);
		expect(result.error.description).toMatch(/Details in Kombo's log: https:\/\//);
	});

	it('gives up after 6 attempts with the HTTP status, and outputs the courses as errors with Continue On Fail', async () => {
		stub.script([{ match: POST, status: 503, html: true, times: 10 }]);
		const result = await upsert({ stub, items: courses(2), onError: 'continueRegularOutput' }).promise;

		expect(posts(stub)).toHaveLength(6);
		expect(clock.sleeps).toEqual([1250, 2250, 4250, 8250, 16250]);
		expect(jsonOf(result.outputs[0])).toEqual([
			{ error: 'Kombo answered HTTP 503 with a body that is not JSON', details: expect.objectContaining({ origin_id: 'course-0', status: 'FAILED' }) },
			{ error: 'Kombo answered HTTP 503 with a body that is not JSON', details: expect.objectContaining({ origin_id: 'course-1', status: 'FAILED' }) },
		]);
		expect((jsonOf(result.outputs[0])[0].details as { description: string }).description).toContain('The node tried 6 times.');
	});

	it('slows down to what an integration with a cap of 2 writes accepts, and loses nothing', async () => {
		const strict = await startKomboStub({ completeAfterPolls: 0, concurrencyLimit: 2, latencyMs: 5 });
		try {
			const result = await upsert({ stub: strict, items: courses(40), options: { batchSize: 2 } }).promise;

			expect(result.error).toBeUndefined();
			expect(strict.tasks.size).toBe(20);
			const rejected = strict.requests.filter((request) => request.status === 429).length;
			expect(rejected).toBeGreaterThan(0);
			expect(rejected).toBeLessThanOrEqual(4);
		} finally {
			await strict.close();
		}
	});

	it('grows past 4 writes in flight, stays below Kombo’s limit less its margin, and recovers from a concurrency-limit rejection', async () => {
		stub.configure({ latencyMs: 5 });
		stub.script([{ match: POST, status: 429, code: 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED', times: 1 }]);
		const result = await upsert({ stub, items: courses(400), options: { batchSize: 2 } }).promise;
		stub.configure({ latencyMs: 0 });

		expect(result.error).toBeUndefined();
		expect(stub.tasks.size).toBe(200);
		const mostInFlight = Math.max(...Object.values(stub.maxInFlight as Record<string, number>));
		expect(mostInFlight).toBeGreaterThan(4);
		expect(mostInFlight).toBeLessThanOrEqual(27);
	});

	it('serves two integrations side by side: both have writes in flight at the same moment', async () => {
		stub.configure({ latencyMs: 20 });
		const items = courses(40, (index) => ({ customer: index % 2 === 0 ? 'sandbox:demo' : 'sandbox:second' }));
		const result = await upsert({ stub, items, options: { batchSize: 2, integrationId: '={{ $json.customer }}' } }).promise;
		stub.configure({ latencyMs: 0 });

		expect(result.error).toBeUndefined();
		const writes = posts(stub).map((request) => ({ integration: request.integrationId, from: request.at, to: request.at + (request.durationMs ?? 0) }));
		const overlapping = writes.some((a) => writes.some((b) => a.integration !== b.integration && a.from < b.to && b.from < a.to));
		expect(overlapping).toBe(true);
		expect(new Set(writes.map((write) => write.integration))).toEqual(new Set(['sandbox:demo', 'sandbox:second']));
	});

	it('keeps to a Max Parallel Requests of 2 per integration', async () => {
		stub.configure({ latencyMs: 5 });
		const result = await upsert({ stub, items: courses(60), options: { batchSize: 2, maxParallelRequests: 2 } }).promise;
		stub.configure({ latencyMs: 0 });

		expect(result.error).toBeUndefined();
		expect(Math.max(...Object.values(stub.maxInFlight as Record<string, number>))).toBeLessThanOrEqual(2);
	});

	it('never shows the API key, even when Kombo echoes the Authorization header back', async () => {
		stub.script([{ match: POST, status: 401, echoHeaders: true }]);
		const failed = await upsert({ stub, items: courses(1) }).promise;
		stub.script([{ match: POST, status: 400, echoHeaders: true }]);
		const continued = await upsert({ stub, items: courses(1), onError: 'continueRegularOutput' }).promise;

		expect(posts(stub)[0].fault).toBeDefined();
		const everything = JSON.stringify([failed.error, failed.runData, continued.outputs, continued.runData]);
		expect(everything).toContain('[redacted]');
		expect(everything).not.toContain(stub.apiKey);
	});

	it('never shows the API key that a task’s or a course’s error echoes back', async () => {
		const echoing = await startKomboStub({
			failOriginIds: { 'course-1': { code: 'REMOTE.INPUT_INVALID', message: 'rejected ks_dev_sandbox_key' } },
		});
		try {
			const failed = await upsert({ stub: echoing, items: courses(2), parameters: { waitForCompletion: true } }).promise;
			const routed = await upsert({ stub: echoing, items: courses(2), parameters: { waitForCompletion: true }, onError: 'continueErrorOutput' }).promise;

			const everything = JSON.stringify([failed.error, failed.runData, routed.outputs, routed.runData]);
			expect(everything).toContain('rejected [redacted]');
			expect(everything).not.toContain(echoing.apiKey);
		} finally {
			await echoing.close();
		}
	});

	it('keeps polling through failed status checks until the deadline, then reports the task as pending', async () => {
		stub.script([{ match: GET, status: 503, times: 1000 }]);
		const result = await upsert({ stub, items: courses(2), parameters: { waitForCompletion: true }, options: { timeout: 60 } }).promise;

		expect(result.error.message).toBe(`Kombo had not finished after 60 s: task ${posts(stub)[0].taskId} still pending`);
		expect(result.error.description).toContain(`The last status check of ${posts(stub)[0].taskId} failed: The service answered 503. Retry later.`);
		expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(60_000);
	});

	it('polls again after a failed poll without creating another task', async () => {
		stub.script([{ match: GET, status: 500, times: 2 }]);
		const result = await upsert({ stub, items: courses(2), parameters: { waitForCompletion: true } }).promise;

		expect(result.error).toBeUndefined();
		expect(polls(stub).length).toBeGreaterThanOrEqual(3);
		expect(stub.tasks.size).toBe(1);
	});
});

describe('Nothing is lost (property)', () => {
	const faultArbitrary = fc.constantFrom<Fault | null>(
		null,
		null,
		{ status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED', retryAfter: '1' },
		{ status: 429, code: 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED', concurrencyRemaining: 1 },
		{ status: 502, html: true },
		{ status: 503 },
		{ status: 200, truncated: true },
		{ reset: true },
		{ status: 400, code: 'PLATFORM.INPUT_INVALID', echoHeaders: true },
		{ status: 401, echoHeaders: true },
	);
	const cell = fc.oneof(fc.constant(''), fc.constant(null), fc.string({ maxLength: 6 }), fc.integer({ min: -3, max: 500 }));
	const row = fc.record({
		origin_id: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom('', 'x-1', 'x-2', ' x-3 ')),
		title: fc.oneof(fc.constantFrom('Course', '  ', ''), fc.string({ maxLength: 8 })),
		course_url: fc.constantFrom('https://lms.example.com/c', 'lms.example.com/c', ''),
		duration: fc.oneof(cell, fc.constantFrom('45', '4.5', 30)),
		languages: fc.oneof(cell, fc.constantFrom('en, de', 'EN;fr-ch', 'zh-Hant', ['en', 'pt_br'])),
	});

	it('turns every row into exactly one output or error item, one task per accepted batch, and no API key anywhere', async () => {
		const stub = await startKomboStub({ completeAfterPolls: 1, failRate: 0.2 });
		const restore = useRuntime(createFakeClock());
		try {
			await fc.assert(
				fc.asyncProperty(
					fc.array(row, { minLength: 1, maxLength: 30 }),
					fc.array(faultArbitrary, { maxLength: 12 }),
					fc.integer({ min: 1, max: 7 }),
					fc.boolean(),
					async (rows, faults, batchSize, wait) => {
						stub.reset();
						stub.script(faults);
						const result = await upsert({
							stub,
							items: rows,
							parameters: { waitForCompletion: wait },
							options: { batchSize },
							onError: 'continueErrorOutput',
						}).promise;

						expect(result.error).toBeUndefined();
						const everyItem = [...(result.outputs[0] ?? []), ...(result.outputs[1] ?? [])];
						expect(pairedIndexes(everyItem).sort((a, b) => a - b)).toEqual(rows.map((_, index) => index));
						const accepted = new Set(
							everyItem.map((item) => item.json.task_id ?? (item.json.details as { task_id?: string } | undefined)?.task_id).filter(Boolean),
						);
						expect(stub.tasks.size).toBe(accepted.size);
						const acceptedBatches = posts(stub).filter((request) => request.status === 200 && request.taskId && !request.fault);
						expect(new Set(acceptedBatches.map((request) => request.taskId)).size).toBe(stub.tasks.size);
						expect(JSON.stringify([result.outputs, result.runData])).not.toContain(stub.apiKey);
						expect(stub.violations).toEqual([]);
					},
				),
				{ numRuns: 40, seed: 20261129 },
			);
		} finally {
			restore();
			await stub.close();
		}
	});
});
