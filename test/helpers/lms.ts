import type { IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

import { KomboClient } from '../../nodes/Kombo/transport';
import { createCourseStore } from '../support/kombo-courses';
import { createLearnerStore } from '../support/kombo-learners';
import { createFakeClock } from './fake-clock';

const NODE: INode = { id: 'n', name: 'Kombo', type: 'n8n-nodes-kombo.kombo', typeVersion: 1, position: [0, 0], parameters: {} };

export interface LmsRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: unknown;
	integrationId: string;
}

/** An answer that replaces the LMS's own: a status and Kombo's error, or a network fault. */
export type Interception = { status: number; code?: string; message?: string; body?: string } | { throws: Error } | undefined;

/**
 * The stand-in's LMS (its course and learner stores, as `npm run sandbox` serves them) behind a
 * real KomboClient, without HTTP: each request the client sends is answered by the stores as the
 * stand-in answers it, unless `intercept` answers it first. Records every request.
 */
export function fakeLms(options: { intercept?: (request: LmsRequest, index: number) => Interception; integrations?: string[]; signal?: AbortSignal; sleepTicks?: number } = {}) {
	const clock = createFakeClock(Date.parse('2026-12-01T00:00:00Z'));
	// A wait that lets other requests' answers through first, as real time would.
	const sleep = clock.sleep;
	clock.sleep = async (ms, signal) => {
		for (let tick = 0; tick < (options.sleepTicks ?? 0); tick++) await Promise.resolve();
		await sleep(ms, signal);
	};
	const courses = createCourseStore({ now: () => clock.now(), nativeCourses: 0 });
	const learners = createLearnerStore({ now: () => clock.now(), courses, learners: 0 });
	const integrations = options.integrations ?? ['int:a', 'int:b'];
	courses.reset(integrations);
	learners.reset(integrations);
	const sent: LmsRequest[] = [];

	const answer = (request: LmsRequest): { status: number; body: unknown } => {
		const { method, path, query, integrationId } = request;
		const route = path.replace(/^\/v1/, '');
		const complete = /^\/lms\/course-progressions\/([^/]+)\/complete$/.exec(route);
		let result: { ok: boolean; status: number; body?: unknown; code?: string; message?: string };
		if (method === 'GET' && route === '/lms/users') result = learners.listUsers(integrationId, query);
		else if (method === 'GET' && route === '/lms/course-progressions') result = learners.listProgressions(integrationId, query);
		else if (method === 'GET' && route === '/lms/courses') result = courses.list(integrationId, query);
		else if (method === 'POST' && route === '/lms/course-progressions') result = learners.enrol(integrationId, request.body as { user_id: string; course_revision_id: string });
		else if (method === 'POST' && complete) result = learners.complete(integrationId, decodeURIComponent(complete[1]), request.body as object);
		else throw new Error(`fakeLms: no route ${method} ${route}`);
		if (result.ok) return { status: result.status, body: result.body };
		return { status: result.status, body: { status: 'error', error: { code: result.code, title: null, message: result.message, log_url: 'https://app.kombo.dev/logs/1' } } };
	};

	const httpRequestWithAuthentication = async (_type: string, http: IHttpRequestOptions) => {
		const url = new URL(http.url);
		const body = typeof http.body === 'string' ? JSON.parse(http.body) : http.body;
		const request: LmsRequest = { method: String(http.method), path: url.pathname, query: Object.fromEntries(url.searchParams), body, integrationId: String(http.headers?.['X-Integration-Id']) };
		sent.push(request);
		const intercepted = options.intercept?.(request, sent.length - 1);
		if (intercepted && 'throws' in intercepted) throw intercepted.throws;
		if (intercepted) {
			const text = intercepted.body ?? JSON.stringify({ status: 'error', error: { code: intercepted.code ?? null, title: null, message: intercepted.message ?? `HTTP ${intercepted.status}`, log_url: null } });
			return { statusCode: intercepted.status, headers: {}, body: text };
		}
		const { status, body: reply } = answer(request);
		return { statusCode: status, headers: {}, body: JSON.stringify(reply) };
	};
	const ctx = {
		getNode: () => NODE,
		getExecutionCancelSignal: () => options.signal,
		helpers: { httpRequestWithAuthentication },
	} as unknown as IExecuteFunctions;
	const client = new KomboClient(ctx, clock, { baseUrl: 'https://kombo.test/v1', integrationId: 'int:a', secrets: ['key'] });
	const lines = () => sent.map((request) => `${request.method} ${request.path.replace(/^\/v1/, '')}`);
	return { client, courses, learners, sent, lines, clock };
}
