import type { IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { DEFAULT_BASE_URL_EU, DEFAULT_BASE_URL_US } from '../../../../nodes/Kombo/helpers/constants';
import { asNodeError, getConnection, KomboClient, komboErrorOf } from '../../../../nodes/Kombo/transport';
import { createFakeClock } from '../../../helpers/fake-clock';
import { failure } from '../../../helpers/failure';

const NODE: INode = {
	id: 'node-1',
	name: 'Kombo',
	type: 'n8n-nodes-kombo.kombo',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const KEY = ['ks', 'dev', 'echoed', 'value'].join('_');
const CONNECTION = { baseUrl: 'https://kombo.test/v1', integrationId: 'int:a', secrets: [KEY] };

interface Answer {
	status?: number;
	body?: unknown;
	headers?: Record<string, unknown>;
	/** Thrown instead of answering, as n8n's HTTP helper throws on a network fault. */
	throws?: Error;
	/** Hold the answer until this promise resolves. */
	gate?: Promise<void>;
}

function envelope(data: unknown, warnings?: unknown[]) {
	return JSON.stringify({ status: 'success', data, ...(warnings ? { warnings } : {}) });
}

function komboError(code: string, message: string) {
	return JSON.stringify({ status: 'error', error: { code, title: null, message, log_url: 'https://app.kombo.dev/logs/1' } });
}

function networkError(code: string, message = `connect ${code}`) {
	return Object.assign(new Error(message), { code });
}

/** An execution context whose HTTP helper answers from a script, one answer per request. */
function context(answers: Answer[] | ((options: IHttpRequestOptions) => Answer), signal?: AbortSignal) {
	const sent: IHttpRequestOptions[] = [];
	let inFlight = 0;
	let mostInFlight = 0;
	const helper = jest.fn(async (_type: string, options: IHttpRequestOptions) => {
		sent.push(options);
		const answer = typeof answers === 'function' ? answers(options) : (answers.shift() ?? { body: envelope({}) });
		inFlight++;
		mostInFlight = Math.max(mostInFlight, inFlight);
		try {
			if (answer.gate) await answer.gate;
			if (answer.throws) throw answer.throws;
			return { statusCode: answer.status ?? 200, headers: answer.headers ?? {}, body: answer.body ?? envelope({}) };
		} finally {
			inFlight--;
		}
	});
	const ctx = {
		getNode: () => NODE,
		getExecutionCancelSignal: () => signal,
		getCredentials: jest.fn(),
		helpers: { httpRequestWithAuthentication: helper },
	} as unknown as IExecuteFunctions;
	return { ctx, sent, helper, mostInFlight: () => mostInFlight };
}

function client(answers: Answer[] | ((options: IHttpRequestOptions) => Answer), options: { signal?: AbortSignal; start?: number } = {}) {
	const clock = createFakeClock(options.start ?? 0);
	const { ctx, sent, helper, mostInFlight } = context(answers, options.signal);
	return { kombo: new KomboClient(ctx, clock, CONNECTION), clock, sent, helper, mostInFlight };
}

const GET = { method: 'GET' as const, path: '/lms/courses/bulk/task_1', integrationId: 'int:b', itemIndex: 3 };
const POST = { method: 'POST' as const, path: '/lms/courses/bulk', integrationId: 'int:a', body: { items: [] } };


describe('getConnection', () => {
	function credentials(data: Record<string, unknown>) {
		return { getNode: () => NODE, getCredentials: async () => data } as unknown as IExecuteFunctions;
	}

	it.each([
		['eu', undefined, DEFAULT_BASE_URL_EU],
		['us', undefined, DEFAULT_BASE_URL_US],
		['custom', ' http://127.0.0.1:4010/v1// ', 'http://127.0.0.1:4010/v1'],
	])('resolves the %s region to its base URL', async (region, baseUrl, expected) => {
		const connection = await getConnection(credentials({ apiKey: KEY, integrationId: ' int:a ', region, baseUrl }));
		expect(connection).toEqual({ baseUrl: expected, integrationId: 'int:a', secrets: [KEY] });
	});

	it.each(['', 'ftp://kombo.test', 'kombo.test/v1', 'see http://kombo.test/v1'])('refuses a custom base URL %p, saying what to enter', async (baseUrl) => {
		await expect(getConnection(credentials({ apiKey: KEY, region: 'custom', baseUrl }))).rejects.toMatchObject({
			message: 'The Kombo credential has no valid base URL',
			description: 'With the region set to Custom, enter the full URL that Kombo API paths are appended to, e.g. http://127.0.0.1:4010/v1.',
		});
	});
});

describe('KomboClient.request', () => {
	it('sends one request with the integration header, the body, a timeout and the cancel signal', async () => {
		const controller = new AbortController();
		const { kombo, sent, helper } = client([{ body: envelope({ task_id: 't' }, [{ message: 'Thumbnail ignored' }, 'plain']) }], { signal: controller.signal });
		const response = await kombo.request({ ...POST, body: { items: [{ origin_id: 'a' }] } });

		expect(response).toEqual({ data: { task_id: 't' }, warnings: ['Thumbnail ignored', 'plain'] });
		expect(helper).toHaveBeenCalledWith('komboApi', expect.anything());
		expect(sent).toEqual([
			{
				method: 'POST',
				url: 'https://kombo.test/v1/lms/courses/bulk',
				headers: { Accept: 'application/json', 'X-Integration-Id': 'int:a' },
				body: { items: [{ origin_id: 'a' }] },
				encoding: 'text',
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 60_000,
				abortSignal: controller.signal,
			},
		]);
	});

	it('sends the query string in the given order, encoded, leaving out undefined values', async () => {
		const { kombo, sent } = client([{ body: envelope({ next: null, results: [] }) }]);
		await kombo.request({ method: 'GET', path: '/lms/courses', integrationId: 'int:a', query: { page_size: '250', cursor: undefined, ids: 'a,b c', updated_after: '2026-01-01T00:00:00+01:00' } });

		expect(sent.map((options) => options.url)).toEqual(['https://kombo.test/v1/lms/courses?page_size=250&ids=a%2Cb%20c&updated_after=2026-01-01T00%3A00%3A00%2B01%3A00']);
	});

	it('sends an empty object body as the JSON text {}, which n8n’s HTTP helper would otherwise leave out', async () => {
		const { kombo, sent } = client([{ body: envelope({ id: 'k1' }) }]);
		await kombo.request({ method: 'POST', path: '/lms/courses/k1/deactivate', integrationId: 'int:a', body: {} });

		expect(sent[0]).toMatchObject({ body: '{}', headers: { Accept: 'application/json', 'X-Integration-Id': 'int:a', 'Content-Type': 'application/json' } });
	});

	it('sends no question mark for an empty query', async () => {
		const { kombo, sent } = client([{ body: envelope({}) }]);
		await kombo.request({ ...GET, query: { cursor: undefined } });
		expect(sent[0].url).toBe('https://kombo.test/v1/lms/courses/bulk/task_1');
	});

	it('reads a body that n8n already parsed, with no warnings when Kombo sent none', async () => {
		const { kombo } = client([{ body: { status: 'success', data: { id: 1 } } }]);
		expect(await kombo.request(GET)).toEqual({ data: { id: 1 }, warnings: [] });
	});

	it('turns a warning that is neither text nor an object with a message into text', async () => {
		const { kombo } = client([{ body: envelope({}, [null, 7]) }]);
		expect((await kombo.request(GET)).warnings).toEqual(['null', '7']);
	});

	it.each([
		[400, 'Kombo answered HTTP 400'],
		[300, 'Kombo answered HTTP 300'],
	])('fails on HTTP %i even when the body says success', async (status, message) => {
		const { kombo, sent } = client([{ status, body: envelope({ task_id: 't' }) }, {}]);
		expect((await failure(kombo.request(GET))).message).toBe(message);
		expect(sent).toHaveLength(1);
	});

	it('gives an error answer’s data to no reader, so a reader may expect a success', async () => {
		const reader = (data: unknown) => ({ ok: true as const, value: (data as { id: string }).id });
		const { kombo } = client([{ status: 404, body: komboError('PLATFORM.NOT_FOUND', 'No such task') }, { status: 502, body: 'Bad Gateway' }]);
		expect((await failure(kombo.request({ ...GET, read: reader }))).message).toBe('No such task');
		const { kombo: again } = client([{ status: 400, body: 'Bad Request' }]);
		expect((await failure(again.request({ ...GET, read: reader }))).message).toBe('Kombo answered HTTP 400 with a body that is not JSON');
	});

	it('says whether the execution was stopped', () => {
		const controller = new AbortController();
		const { kombo } = client([], { signal: controller.signal });
		expect(kombo.cancelled).toBe(false);
		controller.abort();
		expect(kombo.cancelled).toBe(true);
		expect(client([]).kombo.cancelled).toBe(false);
	});

	it('passes the data through the request’s reader', async () => {
		const { kombo } = client([{ body: envelope({ n: 1 }) }]);
		const response = await kombo.request({ ...GET, read: (data) => ({ ok: true, value: { read: data } }) });
		expect(response.data).toEqual({ read: { n: 1 } });
	});

	describe('request timeout', () => {
		it('never lets a request outlast the deadline, bar a 2 s last look', async () => {
			const { kombo, sent } = client([{}, {}, {}], { start: 0 });
			await kombo.request({ ...GET, deadline: 30_000 });
			await kombo.request({ ...GET, deadline: 1_500 });
			await kombo.request({ ...GET, deadline: -5_000 });
			expect(sent.map((options) => options.timeout)).toEqual([30_000, 2_000, 2_000]);
		});

		it('counts the time left from now, late in a run too', async () => {
			const { kombo, sent } = client([{}, {}], { start: 100_000 });
			await kombo.request({ ...GET, deadline: 130_000 });
			await kombo.request({ ...GET, deadline: 101_500 });
			expect(sent.map((options) => options.timeout)).toEqual([30_000, 2_000]);
		});

		it('keeps the runtime’s timeout when it is shorter than the time left', async () => {
			const { ctx, sent } = context([{}]);
			const kombo = new KomboClient(ctx, { ...createFakeClock(0), requestTimeoutMs: 500 }, CONNECTION);
			await kombo.request({ ...GET, deadline: 30_000 });
			expect(sent[0].timeout).toBe(500);
		});
	});

	describe('retries', () => {
		it('retries a 503 after 1 s plus jitter, and returns the answer that works', async () => {
			const { kombo, clock, sent } = client([{ status: 503, body: 'Service Unavailable' }, { body: envelope({ ok: true }) }]);
			expect((await kombo.request(GET)).data).toEqual({ ok: true });
			expect(sent).toHaveLength(2);
			expect(clock.sleeps).toEqual([1250]);
		});

		it.each([
			['retry-after-ms', { 'retry-after-ms': '1700' }, 1700],
			['Retry-After in seconds', { 'retry-after': '3' }, 3000],
		])('waits as long as %s asks', async (_name, headers, wait) => {
			const { kombo, clock } = client([{ status: 429, headers, body: komboError('PLATFORM.RATE_LIMIT_EXCEEDED', 'slow down') }, {}]);
			await kombo.request(POST);
			expect(clock.sleeps).toEqual([wait]);
		});

		it('does not retry a 5xx whose Kombo code needs a person', async () => {
			const { kombo, sent } = client([{ status: 500, body: komboError('INTEGRATION.INACTIVE', 'The integration is inactive') }, {}]);
			expect((await failure(kombo.request(GET))).message).toBe('The integration is inactive');
			expect(sent).toHaveLength(1);
		});

		it.each([0, 3_600_000])('gives up after 6 attempts and says so (clock at %i ms)', async (start) => {
			const { kombo, clock, sent } = client(() => ({ status: 502, body: '<html>bad gateway</html>' }), { start });
			const error = await failure(kombo.request(GET));
			expect(sent).toHaveLength(6);
			expect(clock.sleeps).toEqual([1250, 2250, 4250, 8250, 16250]);
			expect(error.message).toBe('Kombo answered HTTP 502 with a body that is not JSON');
			expect(error.description).toBe('Kombo error HTTP 502. The node tried 6 times.');
			expect(error.httpCode).toBe('502');
		});

		it('retries a write after a connection fault', async () => {
			const { kombo, sent } = client([{ throws: networkError('ECONNRESET') }, { body: envelope({ task_id: 't' }) }]);
			expect((await kombo.request(POST)).data).toEqual({ task_id: 't' });
			expect(sent).toHaveLength(2);
		});

		it('starts no retry whose wait would end after the deadline', async () => {
			const { kombo, sent, clock } = client([{ status: 503, body: '' }, {}], { start: 0 });
			await failure(kombo.request({ ...GET, deadline: 1_000 }));
			expect(sent).toHaveLength(1);
			expect(clock.sleeps).toEqual([]);
		});

		it('retries a wait that ends exactly at the deadline', async () => {
			const { kombo, sent } = client([{ status: 503, body: '' }, {}], { start: 0 });
			await kombo.request({ ...GET, deadline: 1_250 });
			expect(sent).toHaveLength(2);
		});

		it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED'])('retries the network fault %s', async (code) => {
			const { kombo, sent } = client([{ throws: networkError(code) }, {}]);
			await kombo.request(GET);
			expect(sent).toHaveLength(2);
		});

		it('finds a network fault’s code in the error’s causes', async () => {
			const wrapped = Object.assign(new Error('request failed'), { cause: { cause: networkError('ECONNRESET') } });
			const { kombo, sent } = client([{ throws: wrapped }, {}]);
			await kombo.request(GET);
			expect(sent).toHaveLength(2);
		});

		it('fails at once on a fault that carries no code, giving its message alone', async () => {
			const { kombo, sent } = client([{ throws: new Error('socket hang up') }, {}]);
			const error = await failure(kombo.request(GET));
			expect(sent).toHaveLength(1);
			expect(error.description).toMatch(/^socket hang up\. Check the region/);
		});

		it('looks no deeper than five causes for a fault’s code, and survives a cause that is itself', async () => {
			let deep: object = networkError('ECONNRESET');
			for (let level = 0; level < 5; level++) deep = { cause: deep };
			const cyclic: Error & { cause?: unknown } = new Error('loops');
			cyclic.cause = cyclic;
			const { kombo, sent } = client([{ throws: Object.assign(new Error('deep'), deep) }, { throws: cyclic }, {}]);
			expect((await failure(kombo.request(GET))).description).toMatch(/^deep\. /);
			expect((await failure(kombo.request(GET))).description).toMatch(/^loops\. /);
			expect(sent).toHaveLength(2);
		});

		it.each([
			['a number', 104],
			['a list', ['ECONNRESET']],
			['lower case', 'econnreset'],
			['a code with a prefix', 'X_ECONNRESET'],
			['a code with a suffix', 'ECONNRESET-1'],
		])('takes no code from %s, so does not retry it', async (_name, code) => {
			const { kombo, sent } = client([{ throws: Object.assign(new Error('odd'), { code }) }, {}]);
			expect((await failure(kombo.request(GET))).description).toMatch(/^odd\. Check/);
			expect(sent).toHaveLength(1);
		});

		it('fails at once when the host is unknown, saying where it tried and what to check', async () => {
			const { kombo, sent } = client([{ throws: networkError('ENOTFOUND', `getaddrinfo ENOTFOUND kombo.test ${KEY}`) }]);
			const error = await failure(kombo.request(GET));
			expect(sent).toHaveLength(1);
			expect(error.message).toBe('Could not reach Kombo at https://kombo.test/v1');
			expect(error.description).toBe(
				"ENOTFOUND: getaddrinfo ENOTFOUND kombo.test [redacted]. Check the region or base URL in the Kombo credential and this machine's network connection. n8n blocks requests to private addresses such as 127.0.0.1 unless N8N_SSRF_PROTECTION_ENABLED=false.",
			);
			expect(error.httpCode).toBeNull();
		});

		it('retries a 200 whose data its reader cannot use, then names what Kombo sent', async () => {
			const body = envelope({ nothing: 'x'.repeat(300) });
			const { kombo, sent } = client(() => ({ body }));
			const error = await failure(kombo.request({ ...POST, read: () => ({ ok: false, problem: 'it returned no task ID' }) }));
			expect(sent).toHaveLength(6);
			expect(error.message).toBe(`Kombo answered HTTP 200, but it returned no task ID: ${body.slice(0, 200)}…`);
		});

		it.each([
			['an empty body', '', 'Kombo answered HTTP 200 with an empty body'],
			['JSON that is no envelope', '[1,2]', 'Kombo answered HTTP 200 with a body that is not JSON'],
			['an envelope without status', '{"data":{}}', 'Kombo answered HTTP 200 with a body that is not a Kombo response: {"data":{}}'],
			['a body of blanks', ' \n ', 'Kombo answered HTTP 200 with an empty body'],
			['a JSON text', '"done"', 'Kombo answered HTTP 200 with a body that is not JSON'],
			['a JSON number', '42', 'Kombo answered HTTP 200 with a body that is not JSON'],
			['JSON null', 'null', 'Kombo answered HTTP 200 with a body that is not JSON'],
			['spread-out JSON, shown on one line', '\n  {"data":\n\n   {}}  \n', 'Kombo answered HTTP 200 with a body that is not a Kombo response: {"data": {}}'],
		])('retries a 200 with %s, then says so', async (_name, body, message) => {
			const { kombo, sent } = client(() => ({ body }));
			const error = await failure(kombo.request(GET));
			expect(sent).toHaveLength(6);
			expect(error.message).toBe(message);
		});
	});

	it('shows a body of exactly 200 characters whole, and cuts a longer one', async () => {
		const exact = `{"data":"${'x'.repeat(189)}"}`;
		const longer = `{"data":"${'x'.repeat(190)}"}`;
		expect(exact).toHaveLength(200);
		const { kombo } = client([...Array(6).fill({ body: exact }), ...Array(6).fill({ body: longer })]);
		expect((await failure(kombo.request(GET))).message).toBe(`Kombo answered HTTP 200 with a body that is not a Kombo response: ${exact}`);
		expect((await failure(kombo.request(GET))).message).toBe(`Kombo answered HTTP 200 with a body that is not a Kombo response: ${longer.slice(0, 200)}…`);
	});

	describe('errors', () => {
		it('turns Kombo’s error envelope into an error with its message, code, fix and log link', async () => {
			const { kombo, sent } = client([{ status: 403, body: komboError('INTEGRATION.PERMISSION_MISSING', 'Upsert courses is not enabled') }]);
			const error = await failure(kombo.request(GET));
			expect(sent).toHaveLength(1);
			expect(error.message).toBe('Upsert courses is not enabled');
			expect(error.httpCode).toBe('403');
			expect(error.description).toMatch(/^Kombo error INTEGRATION\.PERMISSION_MISSING, HTTP 403\. Enable the "Upsert courses" permission.*Details in Kombo's log: https:\/\/app\.kombo\.dev\/logs\/1$/);
			expect(error.context.itemIndex).toBe(3);
			expect(komboErrorOf(error)).toEqual({
				code: 'INTEGRATION.PERMISSION_MISSING',
				title: null,
				message: 'Upsert courses is not enabled',
				log_url: 'https://app.kombo.dev/logs/1',
			});
			expect(error.errorResponse).toEqual(expect.objectContaining({ integration_id: 'int:b', request: 'GET /lms/courses/bulk/task_1' }));
		});

		it('says the HTTP status when an error body is JSON without Kombo’s envelope', async () => {
			const { kombo } = client([{ status: 400, body: '{"oops":true}' }]);
			expect((await failure(kombo.request(GET))).message).toBe('Kombo answered HTTP 400');
		});

		it('never shows the API key, wherever Kombo echoes it', async () => {
			const { kombo } = client([{ status: 401, body: JSON.stringify({ status: 'error', error: { code: 'PLATFORM.AUTHENTICATION_INVALID', title: `bad ${KEY}`, message: `key ${KEY} is wrong`, log_url: null } }) }]);
			const error = await failure(kombo.request(GET));
			expect(JSON.stringify({ message: error.message, description: error.description, response: error.errorResponse })).not.toContain(KEY);
			expect(error.message).toBe('key [redacted] is wrong');
			expect(komboErrorOf(error).title).toBe('bad [redacted]');
		});

		it('redacts the key from data and warnings too', async () => {
			const { kombo } = client([{ body: envelope({ echo: KEY }, [{ message: `saw ${KEY}` }]) }]);
			expect(await kombo.request(GET)).toEqual({ data: { echo: '[redacted]' }, warnings: ['saw [redacted]'] });
		});
	});

	describe('write limiter', () => {
		function gated(count: number) {
			let open!: () => void;
			const gate = new Promise<void>((resolve) => (open = resolve));
			return { answers: Array.from({ length: count }, () => ({ gate, body: envelope({}) })), open };
		}

		async function flush() {
			for (let i = 0; i < 20; i++) await Promise.resolve();
		}

		it('keeps at most 4 writes of one integration in flight, and does not limit reads', async () => {
			const writes = gated(6);
			const posting = client(writes.answers);
			const requests = Array.from({ length: 6 }, () => posting.kombo.request(POST));
			await flush();
			expect(posting.sent).toHaveLength(4);
			writes.open();
			await Promise.all(requests);
			expect(posting.mostInFlight()).toBe(4);

			const reads = gated(6);
			const reading = client(reads.answers);
			const gets = Array.from({ length: 6 }, () => reading.kombo.request(GET));
			await flush();
			expect(reading.sent).toHaveLength(6);
			reads.open();
			await Promise.all(gets);
		});

		it('gives each integration its own limiter', () => {
			const { kombo } = client([]);
			expect(kombo.writeLimiter('int:a')).toBe(kombo.writeLimiter('int:a'));
			expect(kombo.writeLimiter('int:a')).not.toBe(kombo.writeLimiter('int:b'));
			expect(kombo.writeLimiter('int:a').limit).toBe(4);
		});

		it.each([429, 503])('halves the writes in flight after a concurrency-limit rejection on HTTP %i', async (status) => {
			const { kombo } = client([{ status, body: komboError('PLATFORM.CONCURRENCY_LIMIT_EXCEEDED', 'too many') }, {}]);
			await kombo.request(POST);
			expect(kombo.writeLimiter('int:a').limit).toBe(2);
		});

		it('never has more writes in flight than Kombo’s Concurrency-Remaining allows', async () => {
			const { kombo } = client([{ headers: { 'concurrency-remaining': '1' }, body: envelope({}) }]);
			await kombo.request(POST);
			// The answered write was in flight when Kombo said one more would fit.
			expect(kombo.writeLimiter('int:a').limit).toBe(2);
		});

		it('aims below Kombo’s Concurrency-Limit header once it has seen it', async () => {
			const { kombo } = client([{ headers: { 'concurrency-limit': '5' }, body: envelope({}) }]);
			await kombo.request(POST);
			expect(kombo.writeLimiter('int:a').maximum).toBe(4);
		});

		it('halves after any 429 on a write, and grows after fast accepted writes', async () => {
			const { kombo } = client([{ status: 429, body: komboError('PLATFORM.RATE_LIMIT_EXCEEDED', 'slow') }, ...Array.from({ length: 4 }, () => ({}))]);
			await kombo.request(POST);
			expect(kombo.writeLimiter('int:a').limit).toBe(2);
			for (let i = 0; i < 3; i++) await kombo.request(POST);
			expect(kombo.writeLimiter('int:a').limit).toBe(3);
		});

		it.each([0, 1_000_000])('halves after an accepted write that took markedly longer than the fastest (clock at %i ms)', async (start) => {
			let now = start;
			const durations = [100, 100, 500];
			const { ctx } = context(() => {
				now += durations.shift() ?? 0;
				return {};
			});
			const runtime = { ...createFakeClock(0), now: () => now };
			const kombo = new KomboClient(ctx, runtime, CONNECTION);
			await kombo.request(POST);
			await kombo.request(POST);
			expect(kombo.writeLimiter('int:a').limit).toBe(4);
			await kombo.request(POST);
			expect(kombo.writeLimiter('int:a').limit).toBe(2);
		});

		it('times a write from when it leaves, not from its wait behind the execution’s shared cap', async () => {
			const reads = gated(32);
			const { kombo, clock, sent } = client([{}, ...reads.answers, {}]);
			await kombo.request(POST);
			const gets = Array.from({ length: 32 }, () => kombo.request(GET));
			await flush();
			const write = kombo.request(POST);
			await flush();
			expect(sent).toHaveLength(33);
			// Ten seconds pass while the write waits for a slot of the shared cap; then it is answered at once.
			await clock.sleep(10_000);
			reads.open();
			await Promise.all([...gets, write]);
			expect(sent).toHaveLength(34);
			expect(kombo.writeLimiter('int:a').generation).toBe(0);
			expect(kombo.writeLimiter('int:a').limit).toBe(4);
		});

		it('halves once when several writes in flight together come back 429', async () => {
			const held = gated(4);
			const rejected = held.answers.map((answer) => ({ ...answer, status: 429, body: komboError('PLATFORM.CONCURRENCY_LIMIT_EXCEEDED', 'too many') }));
			const { kombo } = client([...rejected, ...Array.from({ length: 4 }, () => ({}))]);
			const writes = Array.from({ length: 4 }, () => kombo.request(POST));
			await flush();
			held.open();
			await Promise.all(writes);
			// One cut (4 → 2) for the four rejections; the retries' fast answers then grew it by one.
			expect(kombo.writeLimiter('int:a').generation).toBe(1);
			expect(kombo.writeLimiter('int:a').limit).toBe(3);
		});

		it.each([
			['a Kombo error', 400, komboError('PLATFORM.INPUT_INVALID', 'bad')],
			['HTTP 400 saying success', 400, envelope({})],
			['HTTP 300 saying success', 300, envelope({})],
		])('does not grow on reads, nor on writes Kombo did not accept: %s', async (_name, status, body) => {
			const { kombo } = client(() => ({ status, body }));
			for (let i = 0; i < 8; i++) await failure(kombo.request(POST));
			expect(kombo.writeLimiter('int:a').limit).toBe(4);
			const reads = client([]);
			for (let i = 0; i < 8; i++) await reads.kombo.request({ ...GET, integrationId: 'int:a' });
			expect(reads.kombo.writeLimiter('int:a').limit).toBe(4);
		});

		it('keeps each integration to Max Parallel Requests, starting no higher', () => {
			const { ctx } = context([]);
			const gentle = new KomboClient(ctx, createFakeClock(0), CONNECTION, { maxWritesPerIntegration: 2 });
			expect([gentle.writeLimiter('int:a').limit, gentle.writeLimiter('int:a').maximum]).toEqual([2, 2]);
			const roomy = new KomboClient(ctx, createFakeClock(0), CONNECTION, { maxWritesPerIntegration: 100 });
			expect(roomy.writeLimiter('int:a').maximum).toBe(27);
			expect(new KomboClient(ctx, createFakeClock(0), CONNECTION).writeLimiter('int:a').maximum).toBe(27);
		});

		it('drops a write unsent when it is no longer wanted at its turn', async () => {
			const { kombo, sent } = client([{}]);
			await expect(kombo.request({ ...POST, wanted: () => false })).rejects.toThrow('The request was not sent');
			expect(sent).toHaveLength(0);
		});

		it('has at most 32 requests of the execution in flight, over all integrations', async () => {
			const held = gated(40);
			const { kombo, sent } = client(held.answers);
			const requests = Array.from({ length: 40 }, (_, index) => kombo.request({ ...GET, integrationId: `int:${index}` }));
			await flush();
			expect(sent).toHaveLength(32);
			held.open();
			await Promise.all(requests);
			expect(sent).toHaveLength(40);
		});

		it.each([
			[1, {}, 32],
			[5, {}, 32 + 4 * 27],
			[10, {}, 160],
			[3, { maxWritesPerIntegration: 2 }, 32 + 2 * 2],
		])('makes room for a lane’s worth more of requests for each integration written to: %i integrations, %j → %i in flight', async (integrations, options, cap) => {
			const held = gated(200);
			const { ctx, sent } = context(held.answers);
			const kombo = new KomboClient(ctx, createFakeClock(0), CONNECTION, options);
			for (let index = 0; index < integrations; index++) kombo.writeLimiter(`int:${index}`);
			kombo.writeLimiter('int:0');
			const requests = Array.from({ length: 200 }, (_, index) => kombo.request({ ...GET, integrationId: `int:${index}` }));
			await flush();
			expect(sent).toHaveLength(cap);
			held.open();
			await Promise.all(requests);
		});

		it('counts only accepted answers towards growing, not the unreadable ones retried before them', async () => {
			const answers = Array.from({ length: 5 }, () => [{ body: '' }, { body: envelope({}) }]).flat();
			const { kombo } = client(answers);
			for (let i = 0; i < 5; i++) await kombo.request(POST);
			// 4 accepted answers at 4 in flight make it 5; the fifth starts the next round.
			expect(kombo.writeLimiter('int:a').limit).toBe(5);
		});

		it('ignores a Concurrency-Remaining header it cannot read', async () => {
			const { kombo } = client(['many', '', null].map((value) => ({ headers: { 'concurrency-remaining': value }, body: envelope({}) })));
			for (let i = 0; i < 3; i++) await kombo.request(POST);
			expect(kombo.writeLimiter('int:a').limit).toBe(4);
		});
	});

	describe('cancel', () => {
		it('sends nothing once the execution is stopped', async () => {
			const controller = new AbortController();
			controller.abort(new Error('stopped by the user'));
			const { kombo, sent } = client([{}], { signal: controller.signal });
			await expect(kombo.request(GET)).rejects.toThrow('stopped by the user');
			expect(sent).toHaveLength(0);
		});

		it('does not retry a request the stop aborted', async () => {
			const controller = new AbortController();
			const { kombo, sent } = client(
				() => {
					controller.abort(new Error('stopped by the user'));
					return { throws: networkError('ECONNRESET', 'aborted') };
				},
				{ signal: controller.signal },
			);
			const error = await failure(kombo.request(GET));
			expect(error.message).toBe('stopped by the user');
			expect(sent).toHaveLength(1);
		});
	});
});

describe('asNodeError', () => {
	const { ctx } = context([]);

	it('passes n8n errors through by their shape', () => {
		const api = new NodeApiError(NODE, { message: 'x' });
		const operation = new NodeOperationError(NODE, 'y');
		expect(asNodeError(ctx, api)).toBe(api);
		expect(asNodeError(ctx, operation)).toBe(operation);
		const lookalike = Object.assign(new Error('z'), { name: 'NodeApiError', node: NODE });
		expect(asNodeError(ctx, lookalike)).toBe(lookalike);
	});

	it('passes through a copy of NodeOperationError from another n8n-workflow, by its shape', () => {
		const lookalike = Object.assign(new Error('from a second copy'), { name: 'NodeOperationError', node: NODE });
		expect(asNodeError(ctx, lookalike)).toBe(lookalike);
	});

	it('wraps an error that has a node but is no n8n error, and a throw of nothing', () => {
		const other = Object.assign(new Error('typed'), { node: NODE });
		const wrapped = asNodeError(ctx, other);
		expect(wrapped).not.toBe(other);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		const nothing = asNodeError(ctx, undefined);
		expect(nothing).toBeInstanceOf(NodeOperationError);
		expect(nothing.message).toBe('Unknown error');
	});

	it('wraps anything else, keeping its message', () => {
		const wrapped = asNodeError(ctx, new Error('plain'));
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('plain');
		expect(asNodeError(ctx, Object.assign(new Error('no node'), { name: 'NodeApiError' }))).toBeInstanceOf(NodeOperationError);
	});
});

describe('komboErrorOf', () => {
	it('reads only text from the error Kombo sent', () => {
		const error = new NodeApiError(NODE, { code: 5, title: { text: 'x' }, log_url: 'https://app.kombo.dev/logs/2' }, { message: 'odd' });
		expect(komboErrorOf(error)).toEqual({ code: null, title: null, message: 'odd', log_url: 'https://app.kombo.dev/logs/2' });
	});
});
