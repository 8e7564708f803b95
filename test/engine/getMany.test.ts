import { useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { getMany, jsonOf, listings, pairedIndexes, startKomboStub } from './fixtures';

const LIST = { method: 'GET', path: '/lms/courses' };

/** The query of each GET /lms/courses, without the cursor (opaque) but saying whether there was one. */
function queries(stub: Stub) {
	return listings(stub).map(({ query: { cursor, ...rest } }) => ({ ...rest, ...(cursor ? { cursor: 'yes' } : {}) }));
}

describe('Course → Get Many through n8n’s engine', () => {
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

	const seed = (count: number, integrationId = 'sandbox:demo', prefix = 'CAT') =>
		stub.seedCourses(
			integrationId,
			Array.from({ length: count }, (_, index) => ({ origin_id: `${prefix}-${index}`, title: `Course ${index}`, remote_url: `https://lms.example.com/${index}` })),
		);

	it('with Return All, follows the cursor across pages of 250 and outputs every course, simplified, paired with the item', async () => {
		const seeded = seed(603);
		const result = await getMany({ stub, items: [{}], parameters: { returnAll: true } }).promise;

		expect(result.error).toBeUndefined();
		expect(queries(stub)).toEqual([{ page_size: '250' }, { page_size: '250', cursor: 'yes' }, { page_size: '250', cursor: 'yes' }]);
		const output = result.outputs[0];
		expect(output).toHaveLength(603);
		expect(new Set(pairedIndexes(output))).toEqual(new Set([0]));
		expect(output[0].json).toEqual({
			id: seeded[0].id,
			origin_id: 'CAT-0',
			remote_id: seeded[0].remote_id,
			title: 'Course 0',
			description: null,
			remote_url: 'https://lms.example.com/0',
			status: 'ACTIVE',
		});
		expect(jsonOf(output).map((json) => json.id)).toEqual(seeded.map((course) => course.id));
	});

	it('returns 50 by default, asking for pages of 50 and no more pages than needed', async () => {
		seed(120);
		const result = await getMany({ stub, items: [{}] }).promise;

		expect(result.outputs[0]).toHaveLength(50);
		expect(queries(stub)).toEqual([{ page_size: '50' }]);
	});

	it('stops as soon as it has Limit courses, asking for pages of at most 250', async () => {
		seed(700);
		const result = await getMany({ stub, items: [{}], parameters: { limit: 300 } }).promise;

		expect(result.outputs[0]).toHaveLength(300);
		expect(queries(stub)).toEqual([{ page_size: '250' }, { page_size: '250', cursor: 'yes' }]);
		expect(jsonOf(result.outputs[0]).at(-1)?.origin_id).toBe('CAT-299');
	});

	it('takes a Limit of 1, asking for a page of 1', async () => {
		seed(3);
		const result = await getMany({ stub, items: [{}], parameters: { limit: 1 } }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map((json) => json.origin_id)).toEqual(['CAT-0']);
		expect(queries(stub)).toEqual([{ page_size: '1' }]);
	});

	it('sends the filters on every page: the time in UTC, Include Deleted, and ID lists as text or from an expression', async () => {
		const seeded = seed(5);
		const [gone] = stub.seedCourses('sandbox:demo', [{ origin_id: 'GONE', deleted: true }]);
		const ids = [seeded[1].id, seeded[3].id, gone.id];
		const result = await getMany({
			stub,
			items: [{ wanted: ids }],
			parameters: {
				returnAll: true,
				filters: { updatedAfter: '2020-01-31T08:00:00+01:00', includeDeleted: true, ids: '={{ $json.wanted }}', remoteIds: ` ${seeded[1].remote_id}, ${seeded[3].remote_id},${gone.remote_id} ` },
			},
		}).promise;

		expect(result.error).toBeUndefined();
		expect(queries(stub)).toEqual([
			{ page_size: '250', updated_after: '2020-01-31T07:00:00Z', include_deleted: 'true', ids: ids.join(','), remote_ids: [seeded[1].remote_id, seeded[3].remote_id, gone.remote_id].join(',') },
		]);
		expect(jsonOf(result.outputs[0]).map((json) => json.origin_id)).toEqual(['CAT-1', 'CAT-3', 'GONE']);
	});

	it('repeats the filters with the cursor, as the listing needs on every page', async () => {
		seed(260);
		await getMany({ stub, items: [{}], parameters: { returnAll: true, filters: { includeDeleted: false } } }).promise;

		expect(queries(stub)).toEqual([
			{ page_size: '250', include_deleted: 'false' },
			{ page_size: '250', include_deleted: 'false', cursor: 'yes' },
		]);
	});

	it('with Simplify off, outputs Kombo’s whole course object', async () => {
		seed(2);
		stub.seedCourses('sandbox:demo', [{ origin_id: 'REV', revisions: [{ title: 'First', status: 'INACTIVE' }, { title: 'Second', status: 'ACTIVE' }] }]);
		const result = await getMany({ stub, items: [{}], parameters: { simplify: false } }).promise;

		expect(jsonOf(result.outputs[0])).toEqual(stub.courses('sandbox:demo'));
		expect(jsonOf(result.outputs[0])[2].revisions).toEqual([expect.objectContaining({ title: 'First' }), expect.objectContaining({ title: 'Second' })]);
	});

	it('takes the current revision as the last one, when Kombo gives no times', async () => {
		stub.seedCourses('sandbox:demo', [{ origin_id: 'REV', revisions: [{ title: 'First', status: 'INACTIVE' }, { title: 'Second', status: 'ACTIVE' }] }]);
		const result = await getMany({ stub, items: [{}] }).promise;

		expect(result.outputs[0][0].json).toMatchObject({ origin_id: 'REV', title: 'Second', status: 'ACTIVE' });
	});

	it('runs once per input item, with each item’s integration and filters, pairing each course with its item', async () => {
		seed(2, 'sandbox:demo', 'DEMO');
		seed(3, 'sandbox:second', 'SECOND');
		const items = [{ customer: 'sandbox:second', limit: 2 }, { customer: 'sandbox:demo', limit: 5 }];
		const result = await getMany({ stub, items, parameters: { limit: '={{ $json.limit }}', options: { integrationId: '={{ $json.customer }}' } } }).promise;

		expect(listings(stub).map((request) => [request.integrationId, request.query.page_size])).toEqual([
			['sandbox:second', '2'],
			['sandbox:demo', '5'],
		]);
		expect(jsonOf(result.outputs[0]).map((json) => json.origin_id)).toEqual(['SECOND-0', 'SECOND-1', 'DEMO-0', 'DEMO-1']);
		expect(pairedIndexes(result.outputs[0])).toEqual([0, 0, 1, 1]);
	});

	it('outputs nothing for an item whose listing is empty', async () => {
		const result = await getMany({ stub, items: [{}, {}], parameters: { filters: { ids: 'nope' } } }).promise;

		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toEqual([]);
		expect(listings(stub)).toHaveLength(2);
	});

	it.each([
		['Updated After', { filters: { updatedAfter: '={{ $json.value }}' } }, '', 'yesterday-ish', `'Updated After' must be a date and time such as 2026-01-31T08:00:00, got "yesterday-ish" [item 1]`],
		['IDs', { filters: { ids: '={{ $json.value }}' } }, '', { id: 1 }, `'IDs' must be IDs separated by commas, or a list of IDs, got {"id":1} [item 1]`],
		['Remote IDs', { filters: { remoteIds: '={{ $json.value }}' } }, 'r1', [['nested']], `'Remote IDs' must hold IDs as text, got ["nested"] [item 1]`],
		['Limit', { limit: '={{ $json.value }}' }, 5, 0, `'Limit' must be a whole number of at least 1, got 0 [item 1]`],
	])('refuses an unreadable %s, naming the item, the field and the value', async (_field, parameters, fine, bad, message) => {
		const result = await getMany({ stub, items: [{ value: fine }, { value: bad }], parameters }).promise;

		expect(result.error.message).toBe(message);
		expect(result.error.context.itemIndex).toBe(1);
		expect(result.error.description).toEqual(expect.stringMatching(/\.$/));
	});

	it('with Continue On Fail, outputs an error item for the item it cannot read and lists for the others', async () => {
		seed(1);
		const items = [{ since: 'not a date' }, { since: '' }];
		const result = await getMany({ stub, items, parameters: { filters: { updatedAfter: '={{ $json.since }}' } }, onError: 'continueRegularOutput' }).promise;

		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toEqual([
			{ json: { error: `'Updated After' must be a date and time such as 2026-01-31T08:00:00, got "not a date" [item 0]`, details: expect.objectContaining({ integration_id: null }) }, pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ origin_id: 'CAT-0' }), pairedItem: { item: 1 } },
		]);
		expect(listings(stub)).toHaveLength(1);
	});

	it('with Continue On Fail, gives an error item the error’s description, and Kombo’s error only when Kombo answered', async () => {
		stub.script([{ match: LIST, status: 400, code: 'PLATFORM.INPUT_INVALID', message: 'Kombo says no' }]);
		const items = [{ since: '' }, { since: 'not a date' }];
		const result = await getMany({ stub, items, parameters: { filters: { updatedAfter: '={{ $json.since }}' } }, onError: 'continueRegularOutput' }).promise;

		const [refused, unreadable] = jsonOf(result.outputs[0]);
		expect(refused).toEqual({
			error: 'Kombo says no',
			details: {
				integration_id: 'sandbox:demo',
				description: expect.stringContaining('PLATFORM.INPUT_INVALID'),
				error: expect.objectContaining({ code: 'PLATFORM.INPUT_INVALID', message: 'Kombo says no', log_url: expect.stringMatching(/^https:\/\//) }),
			},
		});
		expect(unreadable.details).toEqual({
			integration_id: null,
			description: 'Pick a date in the date picker, or give an ISO 8601 date and time such as 2026-01-31T08:00:00 or {{ $now.minus({ days: 1 }) }}.',
		});
	});

	describe.each([
		['429 rate limit', { status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED' }],
		['503 service unavailable', { status: 503 }],
		['502 HTML page', { status: 502, html: true }],
		['a truncated page', { status: 200, truncated: true }],
	])('a listing answered with %s', (_name, fault) => {
		it('is retried, and every course still comes out once', async () => {
			seed(300);
			stub.script([null, { match: LIST, ...fault }]);
			const result = await getMany({ stub, items: [{}], parameters: { returnAll: true } }).promise;

			expect(result.error).toBeUndefined();
			expect(result.outputs[0]).toHaveLength(300);
			expect(listings(stub)).toHaveLength(3);
			expect(clock.sleeps).toEqual([1250]);
		});
	});

	it.each([
		[400, 'PLATFORM.INPUT_INVALID'],
		[404, 'PLATFORM.INTEGRATION_NOT_FOUND'],
	])('does not retry %i %s, and shows Kombo’s message', async (status, code) => {
		stub.script([{ match: LIST, status, code, message: `Kombo says ${code}` }]);
		const result = await getMany({ stub, items: [{}] }).promise;

		expect(listings(stub)).toHaveLength(1);
		expect(result.error.message).toBe(`Kombo says ${code}`);
		expect(result.error.httpCode).toBe(String(status));
		expect(result.error.description).toContain(code);
	});

	it('ends with an error instead of paging forever when Kombo returns the same cursor twice', async () => {
		const page = { status: 'success', data: { next: 'same', results: [{ id: 'k1', origin_id: null, revisions: [] }] } };
		stub.script([{ match: LIST, status: 200, body: page, times: 10 }]);
		const result = await getMany({ stub, items: [{}], parameters: { returnAll: true } }).promise;

		expect(listings(stub)).toHaveLength(2);
		expect(result.error.message).toBe('Kombo returned the same page of courses twice');
	});

	it('never shows the API key, even when Kombo echoes the request’s headers', async () => {
		seed(3);
		stub.script([{ match: LIST, status: 400, echoHeaders: true }]);
		const failed = await getMany({ stub, items: [{}] }).promise;
		stub.script([{ match: LIST, status: 400, echoHeaders: true }]);
		const continued = await getMany({ stub, items: [{}, {}], onError: 'continueRegularOutput' }).promise;

		const everything = JSON.stringify([failed.error, failed.runData, continued.outputs, continued.runData]);
		expect(everything).toContain('[redacted]');
		expect(everything).not.toContain(stub.apiKey);
		expect(continued.outputs[0]).toHaveLength(4);
	});
});
