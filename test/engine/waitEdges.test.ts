import { useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { courses, getUpsertTask, jsonOf, polls, posts, startKomboStub, upsert } from './fixtures';

const waiting = { waitForCompletion: true };
const GET = { method: 'GET' };

/** Each of these was wrong before the wait had one policy; each test fails on that code. */
describe('The wait at its edges', () => {
	let stub: Stub;
	let clock: ReturnType<typeof createFakeClock>;
	let restoreClock: () => void;

	beforeEach(() => {
		clock = createFakeClock();
		restoreClock = useRuntime(clock);
	});
	afterEach(async () => {
		restoreClock();
		expect(stub.violations).toEqual([]);
		await stub.close();
	});

	it('sees a task that finishes at 25 s under a 30 s Timeout, by checking at the deadline', async () => {
		stub = await startKomboStub({ now: clock.now, completeAfterMs: 25_000 });
		const result = await upsert({ stub, items: courses(2), parameters: waiting, options: { timeout: 30 } }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map((json) => json.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
		expect(polls(stub)).toHaveLength(7);
		expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(30_000);
	});

	it('checks a task at least once under a 1 s Timeout, and reports it done', async () => {
		stub = await startKomboStub({ now: clock.now, completeAfterMs: 500 });
		const result = await upsert({ stub, items: courses(1), parameters: waiting, options: { timeout: 1 } }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map((json) => json.status)).toEqual(['SUCCEEDED']);
		expect(polls(stub)).toHaveLength(1);
	});

	it.each([
		[0, 'got 0'],
		[-5, 'got -5'],
		['={{ "ten minutes" }}', 'got "ten minutes"'],
	])('refuses a Timeout of %p before sending anything, saying how to set it', async (timeout, got) => {
		stub = await startKomboStub({ now: clock.now, completeAfterPolls: 0 });
		const result = await upsert({ stub, items: courses(1), parameters: waiting, options: { timeout } }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.error.message).toBe(`The timeout must be at least 1 second, ${got}`);
		expect(result.error.description).toBe('Set the Timeout option to a number of seconds, e.g. 600.');
	});

	it('refuses a Timeout of 0 in Get Upsert Task as well', async () => {
		stub = await startKomboStub({ now: clock.now, completeAfterPolls: 0 });
		const submitted = await upsert({ stub, items: courses(1) }).promise;
		const result = await getUpsertTask(stub, jsonOf(submitted.outputs[0]), { waitForCompletion: true, options: { timeout: 0 } }).promise;

		expect(polls(stub)).toEqual([]);
		expect(result.error.message).toBe('The timeout must be at least 1 second, got 0');
	});

	it('bounds a status check that never answers by the time left, not by a minute', async () => {
		stub = await startKomboStub();
		stub.script([{ match: GET, delayMs: 3_600_000, drop: true, times: 100 }]);
		const run = upsert({ stub, items: courses(1), parameters: waiting, options: { timeout: 2 } });
		const result = await run.promise;

		expect(result.error.message).toBe(`Kombo had not finished after 2 s: task ${posts(stub)[0].taskId} still pending`);
		expect(result.error.description).toContain(`The last status check of ${posts(stub)[0].taskId} failed`);
		const checkTimeouts = result.authenticatedRequests.filter((request) => request.method === 'GET').map((request) => request.timeout);
		// The first check, 1 s in, may take the 1 s left (at least 2 s, for a last look); so may the one at the deadline.
		expect(checkTimeouts).toEqual([2_000, 2_000]);
		expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(2_000);
	});

	it.each([
		[404, 'PLATFORM.UNKNOWN_ERROR', 'The task was not found'],
		[401, 'PLATFORM.AUTHENTICATION_INVALID', 'The API key is invalid'],
		[403, 'PLATFORM.IP_NOT_WHITELISTED', 'This IP address is not allowed'],
		[500, 'INTEGRATION.INACTIVE', 'The integration is inactive'],
	])('stops waiting at once when every check answers %i %s, saying the courses were accepted', async (status, code, message) => {
		stub = await startKomboStub({ completeAfterPolls: 1_000 });
		stub.script([{ match: GET, status, code, message, times: 1_000 }]);
		const result = await upsert({ stub, items: courses(2), parameters: waiting }).promise;

		const taskId = posts(stub)[0].taskId;
		expect(polls(stub)).toHaveLength(1);
		expect(result.error.message).toBe(`Kombo could not report on task ${taskId}: ${message}`);
		expect(result.error.description).toContain('Kombo had accepted the courses of this task (2 courses), so they may still be processed.');
		expect(result.error.description).toMatch(/Details in Kombo's log: https:\/\//);
		expect(clock.sleeps).toEqual([1000]);
	});

	it('with Continue On Fail, outputs the courses of a task Kombo cannot report on as PENDING with the reason', async () => {
		stub = await startKomboStub({ completeAfterPolls: 1_000 });
		stub.script([{ match: GET, status: 404, code: 'PLATFORM.UNKNOWN_ERROR', message: 'The task was not found', times: 1_000 }]);
		const result = await upsert({ stub, items: courses(2), parameters: waiting, onError: 'continueRegularOutput' }).promise;

		const taskId = posts(stub)[0].taskId;
		expect(jsonOf(result.outputs[0])).toEqual(
			[0, 1].map((index) => ({
				origin_id: `course-${index}`,
				status: 'PENDING',
				course_id: null,
				error: expect.objectContaining({ code: 'PLATFORM.UNKNOWN_ERROR', message: 'The task was not found', log_url: expect.stringMatching(/^https:/) }),
				task_id: taskId,
				integration_id: 'sandbox:demo',
			})),
		);
	});

	it('says what Kombo sent when a success answer has no task in it, instead of a JavaScript error', async () => {
		stub = await startKomboStub({ completeAfterPolls: 0 });
		stub.script([{ match: GET, status: 200, body: { status: 'success' }, times: 1_000 }]);
		const result = await upsert({ stub, items: courses(1), parameters: waiting, options: { timeout: 10 } }).promise;

		expect(result.error.message).toBe(`Kombo had not finished after 10 s: task ${posts(stub)[0].taskId} still pending`);
		expect(result.error.description).toContain('failed: Kombo answered HTTP 200, but its data is not a task: {"status":"success"}');
	});

	it('stops at once on a task status this node does not know, naming it', async () => {
		stub = await startKomboStub({ completeAfterPolls: 0 });
		stub.script([{ match: GET, status: 200, body: { status: 'success', data: { task_id: 'x', status: 'CANCELLED' } }, times: 1_000 }]);
		const result = await upsert({ stub, items: courses(1), parameters: waiting }).promise;

		expect(polls(stub)).toHaveLength(1);
		expect(result.error.message).toBe(
			`Kombo could not report on task ${posts(stub)[0].taskId}: Kombo reported task ${posts(stub)[0].taskId} with the status "CANCELLED", which this node does not know`,
		);
		expect(result.error.description).toContain('Update the n8n-nodes-kombo package');
	});

	it('says what Kombo sent when it accepts a batch without a task ID, after retrying', async () => {
		stub = await startKomboStub();
		stub.script([{ match: { method: 'POST' }, status: 200, body: { status: 'success', data: {} }, times: 10 }]);
		const result = await upsert({ stub, items: courses(1) }).promise;

		expect(posts(stub)).toHaveLength(6);
		expect(result.error.message).toBe('Kombo answered HTTP 200, but it returned no task ID: {"status":"success","data":{}}');
	});

	it('names a course result it cannot read rather than failing on it later', async () => {
		stub = await startKomboStub({ completeAfterPolls: 0 });
		stub.script([{ match: GET, status: 200, body: { status: 'success', data: { task_id: 'x', status: 'COMPLETED', data: [{ status: 'SUCCEEDED' }] } }, times: 1_000 }]);
		const result = await upsert({ stub, items: courses(1), parameters: waiting, options: { timeout: 5 } }).promise;

		expect(result.error.description).toContain('but a course result has no origin_id');
	});

	it('waits the same way in both operations: Get Upsert Task with 503s keeps checking, then fails at the deadline', async () => {
		stub = await startKomboStub({ completeAfterPolls: 1_000 });
		const submitted = await upsert({ stub, items: courses(1) }).promise;
		stub.script([{ match: GET, status: 503, times: 1_000 }]);
		const result = await getUpsertTask(stub, jsonOf(submitted.outputs[0]), { waitForCompletion: true, options: { timeout: 30 } }).promise;

		expect(result.error.message).toBe(`Kombo had not finished after 30 s: task ${posts(stub)[0].taskId} still pending`);
		expect(result.error.description).toContain('The last status check');
		expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(30_000);
		expect(polls(stub).length).toBeGreaterThan(6);
	});
});
