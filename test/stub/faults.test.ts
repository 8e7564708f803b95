import type { KomboStub } from '../support/kombo-stub';
import { startKomboStub } from '../support/kombo-stub';
import { call, course, poll, upsert } from '../support/stub-client';

describe('Kombo stub: fault scripting', () => {
	let stub: KomboStub;

	beforeAll(async () => {
		stub = await startKomboStub();
	});
	beforeEach(() => stub.reset());
	afterAll(async () => await stub.close());

	it('answers faulted requests in script order, records them, and creates no task for them', async () => {
		stub.script([
			{ status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED', retryAfter: '2' },
			{ status: 429, code: 'PLATFORM.RATE_LIMIT_EXCEEDED', retryAfterMs: 1500 },
			{ status: 503 },
		]);

		const responses = [];
		for (let i = 0; i < 4; i++) responses.push(await upsert(stub, [course('c-1')]));

		expect(responses.map((r) => r.status)).toEqual([429, 429, 503, 200]);
		expect(responses[0].headers.get('retry-after')).toBe('2');
		expect(responses[1].headers.get('retry-after-ms')).toBe('1500');
		expect(responses[0].json.error.code).toBe('PLATFORM.RATE_LIMIT_EXCEEDED');
		expect(responses[2].json).toMatchObject({
			status: 'error',
			error: { code: 'REMOTE.SERVICE_UNAVAILABLE' },
		});
		expect(stub.requests.map((r) => r.fault?.status)).toEqual([429, 429, 503, undefined]);
		expect(stub.tasks.size).toBe(1);
		expect(stub.pendingFaults()).toBe(0);
		expect(stub.violations).toEqual([]);
	});

	it('targets only the requests a fault matches, however many times it is asked to', async () => {
		stub.configure({ completeAfterPolls: 0 });
		stub.script([{ match: { method: 'GET', path: '/lms/courses/bulk/*' }, status: 502, times: 2 }]);

		const post = await upsert(stub, [course('c-1')]);
		const polls = [];
		for (let i = 0; i < 3; i++) polls.push(await poll(stub, post.json.data.task_id));

		expect(post.status).toBe(200);
		expect(polls.map((r) => r.status)).toEqual([502, 502, 200]);
		expect(stub.tasks.get(post.json.data.task_id)?.polls).toBe(1);
	});

	it('signals a concurrency limit with its headers', async () => {
		stub.script([
			{ status: 429, code: 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED', concurrencyRemaining: 0 },
		]);

		const response = await upsert(stub, [course('c-1')]);

		expect(response.json.error.code).toBe('PLATFORM.CONCURRENCY_LIMIT_EXCEEDED');
		expect(response.headers.get('concurrency-limit')).toBe('30');
		expect(response.headers.get('concurrency-remaining')).toBe('0');
	});

	it.each([
		['an HTML error page', { status: 502, html: true }, 502, /^<html>/],
		[
			'truncated JSON',
			{ status: 200, truncated: true },
			200,
			/^\{"status":"success","data":\{"task_id":"task_$/,
		],
		['an empty body', { status: 200, empty: true }, 200, /^$/],
	])('answers %s', async (_case, fault, status, body) => {
		stub.script([fault]);

		const response = await upsert(stub, [course('c-1')]);

		expect(response.status).toBe(status);
		expect(response.text).toMatch(body);
		expect(response.json).toBeUndefined();
		expect(stub.tasks.size).toBe(0);
	});

	it('resets the connection mid-response', async () => {
		stub.script([{ reset: true }]);

		await expect(upsert(stub, [course('c-1')])).rejects.toThrow();
		const retried = await upsert(stub, [course('c-1')]);

		expect(retried.status).toBe(200);
		expect(stub.requests.map((r) => r.status)).toEqual(['reset', 200]);
		expect(stub.tasks.size).toBe(1);
	});

	it('can echo the request headers, API key included, in an error body', async () => {
		stub.script([{ status: 401, echoHeaders: true }]);

		const response = await call(stub, 'GET', '/check-api-key');

		expect(response.status).toBe(401);
		expect(response.json.error.code).toBe('PLATFORM.AUTHENTICATION_INVALID');
		expect(response.json.error.message).toContain(stub.apiKey);
		expect(response.text).toContain(`"authorization":"Bearer ${stub.apiKey}"`);
	});

	it('takes a function that decides per request', async () => {
		stub.script((request, index) =>
			request.method === 'POST' && index % 2 === 0 ? { status: 500 } : undefined,
		);

		const responses = [];
		for (let i = 0; i < 4; i++) responses.push(await upsert(stub, [course(`c-${i}`)]));

		expect(responses.map((r) => r.status)).toEqual([500, 200, 500, 200]);
		expect(stub.tasks.size).toBe(2);
	});

	it('answers a scripted custom body, e.g. a task that went missing', async () => {
		stub.script([
			{
				status: 404,
				body: {
					status: 'error',
					error: {
						code: 'PLATFORM.INPUT_INVALID',
						title: null,
						message: 'Task expired',
						log_url: null,
					},
				},
			},
		]);

		const response = await poll(stub, 'task_x');

		expect(response.status).toBe(404);
		expect(response.json.error.message).toBe('Task expired');
	});
});
