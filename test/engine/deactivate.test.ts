import { useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { deactivate, deactivations, jsonOf, listings, pairedIndexes, startKomboStub } from './fixtures';

const DEACTIVATE = { method: 'POST', path: /\/deactivate$/ };

describe('Course → Deactivate through n8n’s engine', () => {
	let stub: Stub;
	let clock: ReturnType<typeof createFakeClock>;
	let restoreClock: () => void;

	beforeAll(async () => {
		stub = await startKomboStub({ nativeCourses: 0 });
	});
	beforeEach(() => {
		clock = createFakeClock();
		restoreClock = useRuntime(clock);
	});
	afterEach(() => {
		restoreClock();
		expect(stub.violations).toEqual([]);
		stub.reset();
	});
	afterAll(async () => await stub.close());

	const seed = (count: number, status = 'ACTIVE') =>
		stub.seedCourses('sandbox:demo', Array.from({ length: count }, (_, index) => ({ origin_id: `CAT-${index}`, title: `Course ${index}`, status })));
	const statusOf = (id: string) => stub.course('sandbox:demo', id)?.revisions.at(-1)?.status;

	it('deactivates by Kombo ID with the body {}, and outputs the course as Kombo returns it plus warnings, paired', async () => {
		const [one, two] = seed(2);
		const result = await deactivate({ stub, items: [{ id: one.id }, { id: two.id }] }).promise;

		expect(result.error).toBeUndefined();
		expect(deactivations(stub).map((request) => [request.route, request.body, request.headers['x-integration-id']])).toEqual([
			[`/lms/courses/${one.id}/deactivate`, {}, 'sandbox:demo'],
			[`/lms/courses/${two.id}/deactivate`, {}, 'sandbox:demo'],
		]);
		expect(result.outputs[0]).toEqual([
			{ json: { ...stub.course('sandbox:demo', one.id), warnings: [] }, pairedItem: { item: 0 } },
			{ json: { ...stub.course('sandbox:demo', two.id), warnings: [] }, pairedItem: { item: 1 } },
		]);
		expect([statusOf(one.id), statusOf(two.id)]).toEqual(['INACTIVE', 'INACTIVE']);
	});

	it('deactivates by the LMS’s own ID, sent as remote:<id>, and takes remote:<id> as it is under either type', async () => {
		const [one, two] = seed(2);
		const byType = await deactivate({ stub, items: [{ lms: one.remote_id }], parameters: { courseIdType: 'remoteId', courseId: '={{ $json.lms }}' } }).promise;
		const written = await deactivate({ stub, items: [{ id: `remote:${two.remote_id}` }] }).promise;

		expect(deactivations(stub).map((request) => request.path)).toEqual([
			`/v1/lms/courses/remote:${one.remote_id}/deactivate`,
			`/v1/lms/courses/remote:${two.remote_id}/deactivate`,
		]);
		expect(jsonOf(byType.outputs[0]).map((json) => json.id)).toEqual([one.id]);
		expect(jsonOf(written.outputs[0]).map((json) => json.id)).toEqual([two.id]);
		expect([statusOf(one.id), statusOf(two.id)]).toEqual(['INACTIVE', 'INACTIVE']);
	});

	it('treats a course that is inactive already as deactivated, when Kombo accepts it again', async () => {
		const [inactive] = seed(1, 'INACTIVE');
		const result = await deactivate({ stub, items: [{ id: inactive.id }] }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0])).toEqual([{ ...stub.course('sandbox:demo', inactive.id), warnings: [] }]);
	});

	it('treats a course that is inactive already as deactivated when Kombo refuses it, with Kombo’s answer as a warning', async () => {
		const [inactive] = seed(1, 'INACTIVE');
		stub.script([{ match: DEACTIVATE, status: 409, code: 'PLATFORM.INPUT_INVALID', message: 'The course is not active' }]);
		const result = await deactivate({ stub, items: [{ id: inactive.id }] }).promise;

		expect(result.error).toBeUndefined();
		expect(deactivations(stub)).toHaveLength(1);
		expect(listings(stub).map((request) => request.query)).toEqual([{ page_size: '1', include_deleted: 'true', ids: inactive.id }]);
		expect(result.outputs[0]).toEqual([
			{ json: { ...stub.course('sandbox:demo', inactive.id), warnings: ['The course was inactive already; Kombo answered: The course is not active'] }, pairedItem: { item: 0 } },
		]);
	});

	it('fails with Kombo’s refusal when the course it refused is still active', async () => {
		const [active] = seed(1);
		stub.script([{ match: DEACTIVATE, status: 422, code: 'INTEGRATION.ACTION_DISABLED', message: 'Deactivating courses is disabled' }]);
		const result = await deactivate({ stub, items: [{ id: active.id }] }).promise;

		expect(result.error.message).toBe('Deactivating courses is disabled');
		expect(result.error.description).toContain('Enable the "Upsert courses" write action');
		expect(statusOf(active.id)).toBe('ACTIVE');
	});

	it('says clearly that a course does not exist, and how to check the ID type', async () => {
		const result = await deactivate({ stub, items: [{ id: 'course_unknown' }] }).promise;

		expect(deactivations(stub)).toHaveLength(1);
		expect(result.error.message).toBe('No course "course_unknown" in integration sandbox:demo');
		expect(result.error.httpCode).toBe('404');
		expect(result.error.description).toContain('Kombo answered HTTP 404: Course not found');
		expect(result.error.description).toContain('set Course ID Type to Remote ID');
		expect(result.error.description).toMatch(/Details in Kombo's log: https:\/\//);
	});

	it('with Continue On Fail, outputs an unknown course as an error item paired with its item, and deactivates the others', async () => {
		const [one] = seed(1);
		const items = [{ id: 'remote:999' }, { id: one.id }, { id: '' }];
		const result = await deactivate({ stub, items, onError: 'continueErrorOutput' }).promise;

		expect(result.error).toBeUndefined();
		expect(pairedIndexes(result.outputs[0])).toEqual([1]);
		expect(result.outputs[1]).toEqual([
			{
				json: expect.objectContaining({
					error: 'No course with the remote ID "999" in integration sandbox:demo',
					details: expect.objectContaining({ course_id: 'remote:999', integration_id: 'sandbox:demo', error: expect.objectContaining({ code: 'PLATFORM.INPUT_INVALID' }) }),
				}),
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ error: "'Course ID' is empty [item 2]" }), pairedItem: { item: 2 } },
		]);
		expect(statusOf(one.id)).toBe('INACTIVE');
	});

	it('with Continue On Fail, gives an error item the error’s description, and Kombo’s error only when Kombo answered', async () => {
		const result = await deactivate({ stub, items: [{ id: 'course_unknown' }, { id: '' }], onError: 'continueRegularOutput' }).promise;

		const [unknown, empty] = jsonOf(result.outputs[0]);
		expect(unknown.details).toEqual({
			course_id: 'course_unknown',
			integration_id: 'sandbox:demo',
			description: expect.stringContaining('set Course ID Type to Remote ID'),
			error: expect.objectContaining({ code: 'PLATFORM.INPUT_INVALID', log_url: expect.stringMatching(/^https:\/\//) }),
		});
		expect(empty.details).toEqual({
			course_id: null,
			integration_id: null,
			description: "Map the course's ID, e.g. {{ $json.id }} from Get Many, or {{ $json.remote_id }} with Course ID Type set to Remote ID.",
		});
	});

	it('without Continue On Fail, sends nothing when an item’s Course ID is empty, and names that item, not a course left unsent', async () => {
		const [one, two] = seed(2);
		const result = await deactivate({ stub, items: [{ id: one.id }, { id: '' }, { id: two.id }] }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.error.message).toBe("'Course ID' is empty [item 1]");
		expect([statusOf(one.id), statusOf(two.id)]).toEqual(['ACTIVE', 'ACTIVE']);
	});

	it('with Continue On Fail, stops at a cancel instead of outputting the stopped deactivations as error items', async () => {
		restoreClock();
		clock = createFakeClock(undefined, { holdFrom: 0 });
		restoreClock = useRuntime(clock);
		const [one, two] = seed(2);
		stub.script([{ match: DEACTIVATE, status: 503, times: 2 }]);
		const run = deactivate({ stub, items: [{ id: one.id }, { id: two.id }], onError: 'continueRegularOutput' });

		await clock.held;
		run.cancel();
		const result = await run.promise;

		expect(result.canceled).toBe(true);
		expect(jsonOf(result.outputs[0]).filter((json) => 'error' in json)).toEqual([]);
		expect([statusOf(one.id), statusOf(two.id)]).toEqual(['ACTIVE', 'ACTIVE']);
	});

	it('names the item and field of an empty Course ID, sending nothing', async () => {
		const result = await deactivate({ stub, items: [{ id: '  ' }] }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.error.message).toBe("'Course ID' is empty [item 0]");
		expect(result.error.context.itemIndex).toBe(0);
	});

	it('sends several deactivations at once, within what Kombo says the integration takes', async () => {
		const seeded = seed(30);
		stub.configure({ latencyMs: 5, concurrencyLimit: 5 });
		const result = await deactivate({ stub, items: seeded.map((course) => ({ id: course.id })) }).promise;
		stub.configure({ latencyMs: 0, concurrencyLimit: undefined });

		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toHaveLength(30);
		expect(pairedIndexes(result.outputs[0])).toEqual(seeded.map((_, index) => index));
		const mostInFlight = stub.maxInFlight['sandbox:demo'];
		expect(mostInFlight).toBeGreaterThan(1);
		// Kombo's limit of 5 less the transport's margin of 10 %.
		expect(mostInFlight).toBeLessThanOrEqual(4);
		expect(stub.requests.filter((request) => request.status === 429)).toEqual([]);
	});

	it.each([
		['429 rate limit with Retry-After: 2', { status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED', retryAfter: '2' }, 2000],
		['429 concurrency limit', { status: 429, code: 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED', concurrencyRemaining: 0 }, 1250],
		['503 service unavailable', { status: 503 }, 1250],
		['a connection reset', { reset: true }, 1250],
	])('retries a deactivation answered with %s, and deactivates once', async (_name, fault, waitMs) => {
		const [one] = seed(1);
		stub.script([{ match: DEACTIVATE, ...fault }]);
		const result = await deactivate({ stub, items: [{ id: one.id }] }).promise;

		expect(result.error).toBeUndefined();
		expect(deactivations(stub)).toHaveLength(2);
		expect(clock.sleeps).toEqual([waitMs]);
		expect(statusOf(one.id)).toBe('INACTIVE');
	});

	it.each([
		[400, 'PLATFORM.INPUT_INVALID', 'Fix the field Kombo names'],
		[401, 'PLATFORM.AUTHENTICATION_INVALID', 'Check the API key'],
		[403, 'INTEGRATION.PERMISSION_MISSING', 'Enable the "Upsert courses" permission'],
		[404, 'PLATFORM.INTEGRATION_NOT_FOUND', 'Check the integration ID'],
	])('does not retry a deactivation answered %i %s, and says how to fix it', async (status, code, hint) => {
		const [one] = seed(1);
		stub.script([{ match: DEACTIVATE, status, code, message: `Kombo says ${code}` }]);
		const result = await deactivate({ stub, items: [{ id: one.id }] }).promise;

		expect(deactivations(stub)).toHaveLength(1);
		expect(result.error.message).toBe(`Kombo says ${code}`);
		expect(result.error.httpCode).toBe(String(status));
		expect(result.error.description).toContain(hint);
		expect(statusOf(one.id)).toBe('ACTIVE');
	});

	it('never shows the API key, even when Kombo echoes the request’s headers', async () => {
		const [one] = seed(1);
		stub.script([{ match: DEACTIVATE, status: 403, echoHeaders: true }]);
		const failed = await deactivate({ stub, items: [{ id: one.id }] }).promise;
		stub.script([{ match: DEACTIVATE, status: 401, echoHeaders: true }]);
		const continued = await deactivate({ stub, items: [{ id: one.id }, { id: one.id }], onError: 'continueRegularOutput' }).promise;

		const everything = JSON.stringify([failed.error, failed.runData, continued.outputs, continued.runData]);
		expect(everything).toContain('[redacted]');
		expect(everything).not.toContain(stub.apiKey);
	});
});
