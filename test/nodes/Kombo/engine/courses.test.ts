import type { IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { deactivateCourse, listCourses } from '../../../../nodes/Kombo/engine/courses';
import { KomboClient, SkippedRequest } from '../../../../nodes/Kombo/transport';
import { createFakeClock } from '../../../helpers/fake-clock';
import { failure } from '../../../helpers/failure';

const NODE: INode = { id: 'n', name: 'Kombo', type: 'n8n-nodes-kombo.kombo', typeVersion: 1, position: [0, 0], parameters: {} };
const LOG = 'https://app.kombo.dev/logs/7';

interface Answer {
	status?: number;
	body?: unknown;
	/** Thrown instead of answering, as n8n's HTTP helper throws on a network fault. */
	throws?: Error;
}

/** A request as the user would read it in Kombo's log: method, path and decoded query. */
interface Sent {
	line: string;
	integrationId: unknown;
	body: unknown;
}

function success(data: unknown, warnings?: unknown[]) {
	return { body: JSON.stringify({ status: 'success', data, ...(warnings ? { warnings } : {}) }) };
}

function refusal(status: number, code: string, message: string, logUrl: string | null = LOG) {
	return { status, body: JSON.stringify({ status: 'error', error: { code, title: null, message, log_url: logUrl } }) };
}

function course(id: string, status = 'ACTIVE') {
	return { id, remote_id: `r-${id}`, origin_id: null, revisions: [{ title: `Course ${id}`, status }] };
}

function page(ids: string[], next: string | null = null) {
	return success({ next, results: ids.map((id) => course(id)) });
}

/**
 * A real KomboClient over an execution context whose HTTP helper answers each request from a
 * function of what was sent (method, path, decoded query, the number of the request).
 */
function kombo(answer: (request: { method: string; path: string; query: Record<string, string>; index: number }) => Answer, signal?: AbortSignal) {
	const sent: Sent[] = [];
	const httpRequestWithAuthentication = async (_type: string, options: IHttpRequestOptions) => {
		const url = new URL(options.url);
		sent.push({ line: `${options.method} ${decodeURIComponent(url.pathname + url.search)}`, integrationId: options.headers?.['X-Integration-Id'], body: options.body });
		const reply = answer({ method: String(options.method), path: url.pathname, query: Object.fromEntries(url.searchParams), index: sent.length - 1 });
		if (reply.throws) throw reply.throws;
		return { statusCode: reply.status ?? 200, headers: {}, body: reply.body ?? success({}).body };
	};
	const ctx = {
		getNode: () => NODE,
		getExecutionCancelSignal: () => signal,
		helpers: { httpRequestWithAuthentication },
	} as unknown as IExecuteFunctions;
	const client = new KomboClient(ctx, createFakeClock(0), { baseUrl: 'https://kombo.test/v1', integrationId: 'int:a', secrets: ['key'] });
	return { client, sent, lines: () => sent.map((request) => request.line) };
}


const ids = (courses: Array<{ id: string }>) => courses.map((each) => each.id);

describe('listCourses', () => {
	it('lists every page, 250 courses a page, repeating the filters and passing each cursor on', async () => {
		const pages: Record<string, Answer> = { '': page(['a', 'b'], 'c1'), c1: page(['c'], 'c2'), c2: page(['d']) };
		const { client, sent, lines } = kombo(({ query }) => pages[query.cursor ?? '']);
		const courses = await listCourses(client, {
			integrationId: 'int:b',
			filters: { updatedAfter: '2026-01-01T00:00:00Z', includeDeleted: false, remoteIds: ['x', 'y'] },
			itemIndex: 2,
		});

		expect(courses).toEqual([course('a'), course('b'), course('c'), course('d')]);
		const filters = 'updated_after=2026-01-01T00:00:00Z&include_deleted=false&remote_ids=x,y';
		expect(lines()).toEqual([
			`GET /v1/lms/courses?page_size=250&${filters}`,
			`GET /v1/lms/courses?page_size=250&${filters}&cursor=c1`,
			`GET /v1/lms/courses?page_size=250&${filters}&cursor=c2`,
		]);
		expect(sent.map((request) => request.integrationId)).toEqual(['int:b', 'int:b', 'int:b']);
	});

	it('returns no courses when the first page is empty', async () => {
		const { client, lines } = kombo(() => page([]));
		expect(await listCourses(client, { integrationId: 'int:a', filters: {} })).toEqual([]);
		expect(lines()).toEqual(['GET /v1/lms/courses?page_size=250']);
	});

	it('asks for pages of the limit and stops as soon as the limit is reached, mid-page', async () => {
		const { client, lines } = kombo(({ query }) => (query.cursor ? page(['c', 'd', 'e'], 'c2') : page(['a', 'b'], 'c1')));
		const courses = await listCourses(client, { integrationId: 'int:a', filters: { ids: ['a', 'b', 'c', 'd', 'e'] }, limit: 3 });

		expect(ids(courses)).toEqual(['a', 'b', 'c']);
		expect(lines()).toEqual(['GET /v1/lms/courses?page_size=3&ids=a,b,c,d,e', 'GET /v1/lms/courses?page_size=3&ids=a,b,c,d,e&cursor=c1']);
	});

	it('returns a page that ends exactly at the limit without asking for the next one', async () => {
		const { client, lines } = kombo(() => page(['a', 'b'], 'c1'));
		expect(ids(await listCourses(client, { integrationId: 'int:a', filters: {}, limit: 2 }))).toEqual(['a', 'b']);
		expect(lines()).toEqual(['GET /v1/lms/courses?page_size=2']);
	});

	it('returns fewer courses than the limit when Kombo has no more', async () => {
		const { client } = kombo(() => page(['a']));
		expect(ids(await listCourses(client, { integrationId: 'int:a', filters: {}, limit: 5 }))).toEqual(['a']);
	});

	it('asks for pages of at most 250 when the limit is larger', async () => {
		const { client, lines } = kombo(() => page(['a']));
		await listCourses(client, { integrationId: 'int:a', filters: {}, limit: 1_000 });
		expect(lines()).toEqual(['GET /v1/lms/courses?page_size=250']);
	});

	it('ends with an error when a cursor comes back, instead of paging forever', async () => {
		// c1 → c2 → c1 again; a listing that did not notice would go on until the sixth page.
		const { client, lines } = kombo(({ index }) => (index >= 5 ? page(['z']) : page([`p${index}`], index % 2 === 0 ? 'c1' : 'c2')));
		const error = await failure(listCourses(client, { integrationId: 'int:b', filters: {}, itemIndex: 4 }));

		expect(lines()).toHaveLength(3);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Kombo returned the same page of courses twice');
		expect(error.description).toBe('The cursor "c1" came back after 3 courses, so following it would never end. Try again later; if it persists, contact Kombo support.');
		expect(error.context.itemIndex).toBe(4);
		expect(error.errorResponse).toEqual({ message: 'Kombo returned the same page of courses twice', integration_id: 'int:b', request: 'GET /lms/courses' });
	});

	it('fails with Kombo’s error when a later page is refused, asking for no further page', async () => {
		const { client, lines } = kombo(({ index }) => (index === 0 ? page(['a'], 'c1') : refusal(403, 'INTEGRATION.PERMISSION_MISSING', 'Reading courses is not enabled')));
		const error = await failure(listCourses(client, { integrationId: 'int:a', filters: {}, itemIndex: 1 }));

		expect(error.message).toBe('Reading courses is not enabled');
		expect(error.httpCode).toBe('403');
		expect(error.context.itemIndex).toBe(1);
		expect(lines()).toHaveLength(2);
	});

	it('checks each page with the course page reader', async () => {
		const { client } = kombo(() => success({ next: null, results: [{ title: 'no id' }] }));
		const error = await failure(listCourses(client, { integrationId: 'int:a', filters: {} }));
		expect(error.message).toMatch(/^Kombo answered HTTP 200, but a course has no id: /);
	});

	it('stops listing once the execution is cancelled', async () => {
		const controller = new AbortController();
		const { client, lines } = kombo(() => {
			controller.abort(new Error('stopped by the user'));
			return page(['a'], 'c1');
		}, controller.signal);
		await expect(listCourses(client, { integrationId: 'int:a', filters: {} })).rejects.toThrow('stopped by the user');
		expect(lines()).toHaveLength(1);
	});
});

describe('deactivateCourse', () => {
	it('posts the body {} to the course’s deactivate path on its integration, and returns Kombo’s course and warnings', async () => {
		const deactivated = { id: 'k1', remote_id: 'r 1', revisions: [{ status: 'INACTIVE' }] };
		const { client, sent } = kombo(() => success(deactivated, [{ message: 'The LMS keeps enrolments' }]));
		const result = await deactivateCourse(client, { integrationId: 'int:b', courseId: 'remote:r 1', itemIndex: 3 });

		expect(result).toEqual({ course: deactivated, warnings: ['The LMS keeps enrolments'] });
		expect(sent).toEqual([{ line: 'POST /v1/lms/courses/remote:r 1/deactivate', integrationId: 'int:b', body: '{}' }]);
	});

	it.each([
		['no data', success(undefined)],
		['null', success(null)],
		['a text', success('done')],
		['a list', success([{ id: 'k1' }])],
	])('returns the course as its ID when Kombo answers %s', async (_name, answer) => {
		const { client } = kombo(() => answer);
		expect(await deactivateCourse(client, { integrationId: 'int:a', courseId: 'k1' })).toEqual({ course: { id: 'k1' }, warnings: [] });
	});

	describe('an unknown course', () => {
		it('says which Kombo ID was not found in which integration, how to fix it, and where Kombo logged it', async () => {
			const { client, lines } = kombo(() => refusal(404, 'LMS.COURSE_NOT_FOUND', 'The course was not found'));
			const error = await failure(deactivateCourse(client, { integrationId: 'int:b', courseId: 'k9', itemIndex: 2 }));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('No course "k9" in integration int:b');
			expect(error.description).toBe(
				"Kombo answered HTTP 404: The course was not found. Check that this is Kombo's ID of the course (id in Get Many's output), or set Course ID Type to Remote ID for the LMS's own ID (remote_id). Check also that the course belongs to this integration (the credential’s, or the Integration ID option). Details in Kombo's log: https://app.kombo.dev/logs/7",
			);
			expect(error.httpCode).toBe('404');
			expect(error.context.itemIndex).toBe(2);
			expect(error.errorResponse).toEqual(
				expect.objectContaining({ code: 'LMS.COURSE_NOT_FOUND', log_url: LOG, integration_id: 'int:b', message: 'No course "k9" in integration int:b' }),
			);
			expect(lines()).toHaveLength(1);
		});

		it('names a remote ID without its prefix, and leaves the log out when Kombo gave none', async () => {
			const { client } = kombo(() => refusal(404, 'LMS.COURSE_NOT_FOUND', 'Not found', null));
			const error = await failure(deactivateCourse(client, { integrationId: 'int:a', courseId: 'remote:r 1' }));

			expect(error.message).toBe('No course with the remote ID "r 1" in integration int:a');
			expect(error.description).toBe(
				"Kombo answered HTTP 404: Not found. Check that this is the LMS's own ID of the course (remote_id in Get Many's output), or set Course ID Type to Kombo ID for Kombo's ID (id). Check also that the course belongs to this integration (the credential’s, or the Integration ID option).",
			);
		});
	});

	it.each([
		['400', 400, 'PLATFORM.INPUT_INVALID', 'k1', 'ids=k1'],
		['409', 409, 'LMS.COURSE_INACTIVE', 'k1', 'ids=k1'],
		['422', 422, 'REMOTE.INPUT_INVALID', 'remote:r 1', 'remote_ids=r 1'],
	])('counts a course that a %s refused but that is listed as inactive as deactivated, with the refusal as a warning', async (_name, status, code, courseId, filter) => {
		const listed = { ...course('k1', 'INACTIVE'), deleted_at: '2026-01-01T00:00:00Z' };
		const { client, sent, lines } = kombo(({ method }) => (method === 'POST' ? refusal(status, code, 'The course is inactive') : success({ next: null, results: [listed] })));
		const result = await deactivateCourse(client, { integrationId: 'int:b', courseId, itemIndex: 1 });

		expect(result).toEqual({ course: listed, warnings: ['The course was inactive already; Kombo answered: The course is inactive'] });
		expect(lines()[1]).toBe(`GET /v1/lms/courses?page_size=1&include_deleted=true&${filter}`);
		expect(sent).toHaveLength(2);
		expect(sent[1].integrationId).toBe('int:b');
	});

	it.each([
		['is listed as active', success({ next: null, results: [course('k1')] })],
		['is not listed at all', success({ next: null, results: [] })],
		['cannot be looked up', refusal(403, 'INTEGRATION.PERMISSION_MISSING', 'Reading courses is not enabled')],
	])('reports Kombo’s refusal when the refused course %s', async (_name, lookup) => {
		const { client, lines } = kombo(({ method }) => (method === 'POST' ? refusal(409, 'LMS.CONFLICT', 'The course cannot be deactivated') : lookup));
		const error = await failure(deactivateCourse(client, { integrationId: 'int:a', courseId: 'k1' }));

		expect(error.message).toBe('The course cannot be deactivated');
		expect(error.httpCode).toBe('409');
		expect(lines()).toHaveLength(2);
	});

	it.each([
		['a missing permission', 403, 'INTEGRATION.PERMISSION_MISSING', 'Deactivating courses is not enabled'],
		['an unknown integration', 404, 'PLATFORM.INTEGRATION_NOT_FOUND', 'The integration was not found'],
		['a bad API key', 401, 'PLATFORM.AUTHENTICATION_INVALID', 'The API key is invalid'],
	])('reports %s as Kombo said it, without looking the course up', async (_name, status, code, message) => {
		const { client, lines } = kombo(() => refusal(status, code, message));
		const error = await failure(deactivateCourse(client, { integrationId: 'int:a', courseId: 'k1' }));

		expect(error.message).toBe(message);
		expect(error.httpCode).toBe(String(status));
		expect(lines()).toHaveLength(1);
	});

	it('fails with the encoding error, sending nothing, for an ID that cannot be put in a URL', async () => {
		const { client, lines } = kombo(() => success({ id: 'k1' }));
		await expect(deactivateCourse(client, { integrationId: 'int:a', courseId: 'k\uD800' })).rejects.toThrow(URIError);
		expect(lines()).toHaveLength(0);
	});

	it('drops the deactivation unsent when it is no longer wanted at its turn', async () => {
		const { client, lines } = kombo(() => success({ id: 'k1' }));
		await expect(deactivateCourse(client, { integrationId: 'int:a', courseId: 'k1', wanted: () => false })).rejects.toBeInstanceOf(SkippedRequest);
		expect(lines()).toHaveLength(0);
	});

	describe('cancel', () => {
		it('sends nothing once the execution is stopped', async () => {
			const controller = new AbortController();
			controller.abort(new Error('stopped by the user'));
			const { client, lines } = kombo(() => success({ id: 'k1' }), controller.signal);
			await expect(deactivateCourse(client, { integrationId: 'int:a', courseId: 'k1' })).rejects.toThrow('stopped by the user');
			expect(lines()).toHaveLength(0);
		});

		it('reports a refusal that came back as the execution stopped, without looking the course up', async () => {
			const controller = new AbortController();
			const { client, lines } = kombo(() => {
				controller.abort(new Error('stopped by the user'));
				return refusal(409, 'LMS.CONFLICT', 'The course cannot be deactivated');
			}, controller.signal);
			const error = await failure(deactivateCourse(client, { integrationId: 'int:a', courseId: 'k1' }));

			expect(error.message).toBe('The course cannot be deactivated');
			expect(lines()).toHaveLength(1);
		});

		it('reports a not-found course that came back as the execution stopped as Kombo said it', async () => {
			const controller = new AbortController();
			const { client } = kombo(() => {
				controller.abort(new Error('stopped by the user'));
				return refusal(404, 'LMS.COURSE_NOT_FOUND', 'The course was not found');
			}, controller.signal);
			expect((await failure(deactivateCourse(client, { integrationId: 'int:a', courseId: 'k1' }))).message).toBe('The course was not found');
		});

		it('reports the stop, not the refusal, when the execution stops during the lookup', async () => {
			const controller = new AbortController();
			const { client, lines } = kombo(({ method }) => {
				if (method === 'POST') return refusal(409, 'LMS.CONFLICT', 'The course cannot be deactivated');
				controller.abort(new Error('stopped by the user'));
				return { throws: Object.assign(new Error('aborted'), { code: 'ECONNRESET' }) };
			}, controller.signal);
			const error = await failure(deactivateCourse(client, { integrationId: 'int:a', courseId: 'k1' }));

			expect(error.message).toBe('stopped by the user');
			expect(lines()).toHaveLength(2);
		});
	});
});
