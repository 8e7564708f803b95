import { sleep } from 'n8n-workflow';

import type { KomboStub } from '../support/kombo-stub';
import { startKomboStub } from '../support/kombo-stub';
import { call, course, poll, upsert } from '../support/stub-client';

describe('Kombo stub: contract checks', () => {
	let stub: KomboStub;

	beforeAll(async () => {
		stub = await startKomboStub();
	});
	beforeEach(() => stub.reset());
	afterAll(async () => await stub.close());

	it('answers a valid upsert with a task id and records no violation', async () => {
		const response = await upsert(stub, [
			course('c-1', {
				description: null,
				thumbnail_url: 'https://academy.example.com/c-1.png',
				duration: 45,
				languages: ['en', 'de-CH', 'fil'],
			}),
		]);

		expect(response.status).toBe(200);
		expect(response.json.status).toBe('success');
		expect(response.json.data.task_id).toMatch(/^task_[A-Za-z0-9]{24}$/);
		expect(response.json.warnings).toEqual([]);
		expect(stub.violations).toEqual([]);
		expect(stub.requests[0]).toMatchObject({
			method: 'POST',
			path: '/v1/lms/courses/bulk',
			route: '/lms/courses/bulk',
			integrationId: 'sandbox:demo',
			taskId: response.json.data.task_id,
			status: 200,
		});
	});

	it('checks the API key on every endpoint, /check-api-key included', async () => {
		const missing = await call(stub, 'GET', '/check-api-key', { apiKey: null });
		const unknown = await upsert(stub, [course('c-1')], { apiKey: 'ks_dev_wrong' });
		const notBearer = await call(stub, 'GET', '/check-api-key', {
			apiKey: null,
			headers: { Authorization: stub.apiKey },
		});
		const valid = await call(stub, 'GET', '/check-api-key', { integrationId: null });

		for (const rejected of [missing, unknown, notBearer]) {
			expect(rejected.status).toBe(401);
			expect(rejected.json.status).toBe('error');
			expect(rejected.json.error.code).toBe('PLATFORM.AUTHENTICATION_INVALID');
			expect(rejected.json.error.log_url).toMatch(/^https:\/\//);
		}
		expect(valid.status).toBe(200);
		expect(valid.json.data).toEqual({ environment_id: 'env_sandbox', customer_id: 'cus_sandbox' });
		expect(stub.violations.map((v) => v.kind)).toEqual(['auth', 'auth', 'auth']);
		expect(stub.tasks.size).toBe(0);
	});

	it('needs a known X-Integration-Id on /lms/* only', async () => {
		const missing = await upsert(stub, [course('c-1')], { integrationId: null });
		const unknown = await upsert(stub, [course('c-1')], { integrationId: 'workday:nope' });
		const integration = await call(stub, 'GET', '/integrations/sandbox:second', {
			integrationId: null,
		});

		expect(missing.status).toBe(400);
		expect(missing.json.error.code).toBe('PLATFORM.INPUT_INVALID');
		expect(missing.json.error.message).toContain('X-Integration-Id');
		expect(unknown.status).toBe(404);
		expect(unknown.json.error.code).toBe('PLATFORM.INTEGRATION_NOT_FOUND');
		expect(integration.status).toBe(200);
		expect(integration.json.data).toMatchObject({
			id: 'sandbox:second',
			category: 'LMS',
			status: 'ACTIVE',
		});
		expect(stub.violations.map((v) => v.kind)).toEqual(['integration', 'integration']);
	});

	it.each([
		['an empty items array', { items: [] }, ['items']],
		['an unknown top-level key', { items: [course('c-1')], dry_run: true }, ['dry_run']],
		['an empty origin_id', { items: [{ ...course('x'), origin_id: '' }] }, ['items[0].origin_id']],
		['a numeric origin_id', { items: [{ ...course('x'), origin_id: 7 }] }, ['items[0].origin_id']],
		[
			'another course type',
			{ items: [course('c-1', { type: 'INTERNAL' })] },
			['items[0].course.type'],
		],
		[
			'a missing title',
			{ items: [course('c-1', { title: undefined })] },
			['items[0].course.title'],
		],
		[
			'an empty course_url',
			{ items: [course('c-1', { course_url: '' })] },
			['items[0].course.course_url'],
		],
		[
			'a numeric description',
			{ items: [course('c-1', { description: 5 })] },
			['items[0].course.description'],
		],
		['a duration of 0', { items: [course('c-1', { duration: 0 })] }, ['items[0].course.duration']],
		[
			'a fractional duration',
			{ items: [course('c-1', { duration: 4.5 })] },
			['items[0].course.duration'],
		],
		[
			'a duration given as text',
			{ items: [course('c-1', { duration: '45' })] },
			['items[0].course.duration'],
		],
		[
			'languages as one string',
			{ items: [course('c-1', { languages: 'en' })] },
			['items[0].course.languages'],
		],
		[
			'languages off the pattern',
			{ items: [course('c-1', { languages: ['en', 'en-us', 'zh-Hant', 'es-419', 'EN'] })] },
			[
				'items[0].course.languages[1]',
				'items[0].course.languages[2]',
				'items[0].course.languages[3]',
				'items[0].course.languages[4]',
			],
		],
		[
			'an unknown course field',
			{ items: [course('c-1', { price: 10 })] },
			['items[0].course.price'],
		],
		['a repeated origin_id', { items: [course('c-1'), course('c-1')] }, ['items[1].origin_id']],
	])('rejects %s with 400 PLATFORM.INPUT_INVALID naming the field', async (_case, body, fields) => {
		const response = await call(stub, 'POST', '/lms/courses/bulk', { body });

		expect(response.status).toBe(400);
		expect(response.json.error.code).toBe('PLATFORM.INPUT_INVALID');
		for (const field of fields) expect(response.json.error.message).toContain(`${field}:`);
		expect(stub.violations).toEqual([
			expect.objectContaining({ kind: 'schema', status: 400, fields }),
		]);
		expect(stub.tasks.size).toBe(0);
	});

	it('accepts null for every optional course field', async () => {
		const response = await upsert(stub, [
			course('c-1', { description: null, thumbnail_url: null, duration: null, languages: null }),
		]);

		expect(response.status).toBe(200);
		expect(stub.violations).toEqual([]);
	});

	it('rejects a body that is not JSON, or not declared as JSON', async () => {
		const notJson = await call(stub, 'POST', '/lms/courses/bulk', {
			rawBody: '{"items": [',
			headers: { 'Content-Type': 'application/json' },
		});
		const undeclared = await call(stub, 'POST', '/lms/courses/bulk', {
			rawBody: JSON.stringify({ items: [course('c-1')] }),
			headers: { 'Content-Type': 'text/plain' },
		});

		expect([notJson.status, undeclared.status]).toEqual([400, 400]);
		expect(stub.violations.map((v) => v.kind)).toEqual(['json', 'header']);
	});

	it('answers an unknown path with a 404 envelope, a doubled slash included', async () => {
		const doubled = await call(stub, 'POST', '//lms/courses/bulk', {
			body: { items: [course('c-1')] },
		});
		const wrongMethod = await call(stub, 'GET', '/lms/courses/bulk');

		expect([doubled.status, wrongMethod.status]).toEqual([404, 404]);
		expect(doubled.json.status).toBe('error');
		expect(stub.violations.map((v) => v.kind)).toEqual(['route', 'route']);
	});

	it('answers an unknown task id with a 404 "task not found" envelope, without a violation', async () => {
		const response = await poll(stub, 'task_doesNotExist');

		expect(response.status).toBe(404);
		expect(response.json.error.code).toBe('PLATFORM.INPUT_INVALID');
		expect(response.json.error.message).toMatch(/task not found/i);
		expect(stub.violations).toEqual([]);
	});

	it('hides a task from another integration of the same key', async () => {
		const { json } = await upsert(stub, [course('c-1')]);

		const response = await poll(stub, json.data.task_id, { integrationId: 'sandbox:second' });

		expect(response.status).toBe(404);
	});

	it('sends concurrency headers on writes and rejects writes beyond the limit', async () => {
		const accepted = await upsert(stub, [course('c-1')]);
		stub.configure({ concurrencyLimit: 0 });
		const rejected = await upsert(stub, [course('c-2')]);

		expect(accepted.headers.get('concurrency-limit')).toBe('30');
		expect(accepted.headers.get('concurrency-remaining')).toBe('29');
		expect(rejected.status).toBe(429);
		expect(rejected.json.error.code).toBe('PLATFORM.CONCURRENCY_LIMIT_EXCEEDED');
		expect(rejected.headers.get('concurrency-remaining')).toBe('0');
		expect(stub.violations.map((v) => v.kind)).toEqual(['concurrency']);
		expect(stub.maxInFlight).toEqual({ 'sandbox:demo': 1 });
	});

	it('gives an integration its own concurrency limit, in its headers and its 429s', async () => {
		stub.configure({ latencyMs: 100, concurrencyLimit: 30, concurrencyLimits: { 'sandbox:second': 2 } });
		const send = (integrationId: string, index: number) =>
			upsert(stub, [course(`${integrationId}-${index}`)], { integrationId });

		const answers = await Promise.all([
			...[1, 2, 3].map((index) => send('sandbox:second', index)),
			...[1, 2, 3].map((index) => send('sandbox:demo', index)),
		]);
		const fragile = answers.slice(0, 3);
		const regular = answers.slice(3);

		expect(fragile.map((answer) => answer.status).sort()).toEqual([200, 200, 429]);
		expect(fragile.every((answer) => answer.headers.get('concurrency-limit') === '2')).toBe(true);
		const rejected = fragile.find((answer) => answer.status === 429);
		expect(rejected?.json.error.code).toBe('PLATFORM.CONCURRENCY_LIMIT_EXCEEDED');
		expect(rejected?.json.error.message).toContain('More than 2 write requests');
		expect(regular.map((answer) => answer.status)).toEqual([200, 200, 200]);
		expect(regular.every((answer) => answer.headers.get('concurrency-limit') === '30')).toBe(true);
		expect(stub.stats()).toMatchObject({
			rejected429: 1,
			maxInFlightByIntegration: { 'sandbox:second': 3, 'sandbox:demo': 3 },
		});
	});

	it('closes idle keep-alive connections on request, so that the next request opens a new one', async () => {
		const settle = async () => await sleep(50);
		stub.closeIdleConnections(); // the connections earlier tests left open
		await settle();
		stub.configure({ connectMs: 50 });
		await call(stub, 'GET', '/check-api-key');
		// fetch hands its socket back to the pool only just after the body is read
		await sleep(0);
		const reused = Date.now();
		await call(stub, 'GET', '/check-api-key');
		const reusedMs = Date.now() - reused;
		expect(stub.stats().connections).toBe(1);

		stub.closeIdleConnections();
		await settle();
		const fresh = Date.now();
		await call(stub, 'GET', '/check-api-key');

		expect(stub.stats().connections).toBe(2);
		expect(reusedMs).toBeLessThan(50);
		expect(Date.now() - fresh).toBeGreaterThanOrEqual(45);
	});

	it('keeps idle keep-alive connections open as long as keepAliveTimeoutMs says', async () => {
		const settle = async (ms: number) => await sleep(ms);
		/** Two requests 300 ms apart on a fresh client pool; the connections they needed. */
		const twoRequests = async (keepAliveTimeoutMs: number) => {
			stub.closeIdleConnections();
			await settle(50);
			stub.reset({ keepAliveTimeoutMs });
			await call(stub, 'GET', '/check-api-key');
			await settle(300);
			await call(stub, 'GET', '/check-api-key');
			return stub.stats().connections;
		};

		expect(await twoRequests(10_000)).toBe(1);
		expect(await twoRequests(100)).toBe(2);
	});

	it('passes on POST warnings, computed from the body when given as a function', async () => {
		stub.configure({
			warnings: (body) => [
				`${body.items.length} courses received`,
				{ message: 'Thumbnails are ignored' },
			],
		});

		const response = await upsert(stub, [course('c-1'), course('c-2')]);

		expect(response.json.warnings).toEqual([
			{ message: '2 courses received' },
			{ message: 'Thumbnails are ignored' },
		]);
	});

	it('accepts the configured keys and integrations only', async () => {
		const custom = await startKomboStub({
			apiKeys: ['ks_prod_a', 'ks_dev_b'],
			integrations: ['moodle:1'],
		});
		try {
			const second = await upsert(custom, [course('c-1')], {
				apiKey: 'ks_dev_b',
				integrationId: 'moodle:1',
			});
			const defaultIntegration = await upsert(custom, [course('c-1')]);

			expect(custom.apiKey).toBe('ks_prod_a');
			expect(second.status).toBe(200);
			expect(defaultIntegration.status).toBe(404);
		} finally {
			await custom.close();
		}
	});
});
