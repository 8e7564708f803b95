import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { AdaptiveLimiter, ConcurrencyLimiter, usableLimit } from '../helpers/concurrency';
import {
	BODY_EXCERPT_MAX_CHARS,
	DEFAULT_BASE_URL_EU,
	DEFAULT_BASE_URL_US,
	INITIAL_WRITES_PER_INTEGRATION,
	KOMBO_WRITE_LIMIT,
	LAST_CHECK_TIMEOUT_MS,
	MAX_REQUESTS_IN_FLIGHT,
	MAX_REQUESTS_IN_FLIGHT_CEILING,
} from '../helpers/constants';
import { describeKomboError, redact } from '../helpers/errors';
import type { KomboError } from '../helpers/results';
import type { AttemptOutcome } from '../helpers/retry';
import { isRetryable, mayRetry, retryDelayMs } from '../helpers/retry';
import type { Runtime } from '../helpers/runtime';

export const CREDENTIAL_TYPE = 'komboApi';

export interface KomboConnection {
	baseUrl: string;
	integrationId: string;
	secrets: string[];
}

export interface KomboRequest<T = unknown> {
	method: 'GET' | 'POST';
	path: string;
	/** Sent as the URL's query string, in this order; undefined values are left out. */
	query?: Record<string, string | undefined>;
	integrationId: string;
	body?: IDataObject;
	itemIndex?: number;
	/**
	 * Nothing of this request runs past this time (ms since epoch, the runtime's): no retry
	 * wait ends later, and a hanging answer is given up when it comes.
	 */
	deadline?: number;
	/** Says what is wrong with a success envelope's `data`, or returns it typed. */
	read?: (data: unknown) => { ok: true; value: T } | { ok: false; problem: string };
	/**
	 * Asked when the request's turn comes, just before it is sent: false drops it unsent (a
	 * SkippedRequest is thrown), e.g. because an earlier batch failed and the run stops.
	 */
	wanted?: () => boolean;
	/**
	 * The request must not be carried out twice (an enrolment): it is sent again only after an
	 * answer that says it certainly had no effect, never after a lost answer or a timeout.
	 */
	once?: boolean;
	/** How to fix errors of this request, by Kombo error code, over the course operations' hints. */
	hints?: Record<string, string>;
}

/** Thrown for a request whose `wanted` said no when its turn came. */
export class SkippedRequest extends Error {
	constructor() {
		super('The request was not sent');
		this.name = 'SkippedRequest';
	}
}

export interface ClientOptions {
	/** The most writes in flight per integration the user allows (Max Parallel Requests). */
	maxWritesPerIntegration?: number;
}

export interface KomboResponse<T> {
	data: T;
	warnings: string[];
}

interface KomboCredentials {
	apiKey: string;
	integrationId: string;
	region: 'eu' | 'us' | 'custom';
	baseUrl?: string;
}

export async function getConnection(ctx: IExecuteFunctions): Promise<KomboConnection> {
	const credentials = (await ctx.getCredentials(CREDENTIAL_TYPE)) as unknown as KomboCredentials;
	let baseUrl = DEFAULT_BASE_URL_EU;
	if (credentials.region === 'us') baseUrl = DEFAULT_BASE_URL_US;
	if (credentials.region === 'custom') {
		baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
		if (!/^https?:\/\//.test(baseUrl)) {
			throw new NodeOperationError(ctx.getNode(), 'The Kombo credential has no valid base URL', {
				description:
					'With the region set to Custom, enter the full URL that Kombo API paths are appended to, e.g. http://127.0.0.1:4010/v1.',
			});
		}
	}
	return {
		baseUrl,
		integrationId: String(credentials.integrationId ?? '').trim(),
		secrets: [String(credentials.apiKey ?? '')],
	};
}

/**
 * Errors leave the node as n8n errors. A NodeApiError or NodeOperationError passes through as it
 * is (checked by shape, since a second copy of n8n-workflow defeats instanceof); anything else,
 * such as the abort of a cancelled execution, is wrapped.
 */
export function asNodeError(ctx: IExecuteFunctions, error: unknown): NodeApiError | NodeOperationError {
	const candidate = error as { name?: unknown; node?: unknown } | undefined;
	if (
		candidate &&
		(candidate.name === 'NodeApiError' || candidate.name === 'NodeOperationError') &&
		candidate.node
	) {
		return error as NodeApiError | NodeOperationError;
	}
	// n8n's error class cannot take undefined or null (JavaScript lets anything be thrown).
	return new NodeOperationError(ctx.getNode(), (error ?? 'Unknown error') as Error | string);
}

type Attempt =
	| {
			kind: 'response';
			status: number;
			headers: Record<string, unknown>;
			text: string;
			envelope?: IDataObject;
			/** The envelope's data, as the request's reader returned it. */
			data?: unknown;
			/** Set when the envelope says success but its data cannot be used. */
			unreadable?: string;
	  }
	| { kind: 'network'; code?: string; message: string };

function findErrorCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	return undefined;
}

function parseEnvelope(text: string): IDataObject | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON: nothing parsed
	}
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as IDataObject) : undefined;
}

function errorOf(envelope: IDataObject | undefined): Partial<KomboError> | undefined {
	const error = envelope?.error;
	// Stryker disable next-line ConditionalExpression,LogicalOperator: every reader uses ?. and a JSON value that is no object has none of these fields, so letting one through reads undefined all the same
	return error && typeof error === 'object' && !Array.isArray(error) ? (error as Partial<KomboError>) : undefined;
}

function outcomeOf(attempt: Attempt): AttemptOutcome {
	if (attempt.kind === 'network') return { kind: 'network', code: attempt.code };
	const code = errorOf(attempt.envelope)?.code ?? undefined;
	const usable = attempt.envelope?.status === 'success' && attempt.unreadable === undefined;
	return { kind: 'response', status: attempt.status, code, malformed: !usable };
}

/** A header as a number: NaN when it is absent or unreadable, which the limiter ignores. */
function headerNumber(headers: Record<string, unknown>, name: string): number {
	const value = headers[name];
	// Number() would read both as 0.
	if (value === null || value === '') return Number.NaN;
	return Number(Array.isArray(value) ? value[0] : value);
}

function excerpt(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > BODY_EXCERPT_MAX_CHARS ? `${flat.slice(0, BODY_EXCERPT_MAX_CHARS)}…` : flat;
}

/**
 * One execution's way to Kombo: every request goes through here, with the runtime's clock, the
 * execution's cancel signal, retries of what is safe to retry, and one write limiter per
 * integration so that Kombo's cap on writes in flight is respected across all batches of a run.
 */
export class KomboClient {
	private readonly writeLimiters = new Map<string, AdaptiveLimiter>();

	/**
	 * Every request of the execution, over all integrations: protects the n8n instance. It grows by
	 * a lane's worth for each integration written to after the first, up to a ceiling.
	 */
	private readonly inFlight = new ConcurrencyLimiter(MAX_REQUESTS_IN_FLIGHT);

	private readonly writeCeiling: number;

	constructor(
		readonly ctx: IExecuteFunctions,
		readonly runtime: Runtime,
		readonly connection: KomboConnection,
		options: ClientOptions = {},
	) {
		const allowed = usableLimit(KOMBO_WRITE_LIMIT);
		this.writeCeiling = options.maxWritesPerIntegration ? Math.min(allowed, options.maxWritesPerIntegration) : allowed;
	}

	get signal(): AbortSignal | undefined {
		return this.ctx.getExecutionCancelSignal();
	}

	get cancelled(): boolean {
		return this.signal?.aborted === true;
	}

	/**
	 * Each integration's own lane for writes: one integration that backs off never holds back
	 * another, since a write takes its integration's slot before a slot of the shared cap.
	 */
	writeLimiter(integrationId: string): AdaptiveLimiter {
		let limiter = this.writeLimiters.get(integrationId);
		if (!limiter) {
			limiter = new AdaptiveLimiter(INITIAL_WRITES_PER_INTEGRATION, this.writeCeiling);
			this.writeLimiters.set(integrationId, limiter);
			this.inFlight.raise(Math.min(MAX_REQUESTS_IN_FLIGHT + (this.writeLimiters.size - 1) * this.writeCeiling, MAX_REQUESTS_IN_FLIGHT_CEILING));
		}
		return limiter;
	}

	/**
	 * Sends one request, retrying what is safe to retry, and returns the envelope's `data` and
	 * warnings. Every other outcome becomes a NodeApiError with Kombo's message, a description
	 * that says how to fix it, and no secret in any of it. Only a cancel escapes otherwise.
	 */
	async request<T>(request: KomboRequest<T>): Promise<KomboResponse<T>> {
		const { runtime } = this;
		const limiter = request.method === 'POST' ? this.writeLimiter(request.integrationId) : undefined;
		const startedAt = runtime.now();
		for (let attemptNumber = 1; ; attemptNumber++) {
			this.throwIfCancelled();
			const attempt = limiter ? await limiter.run(async () => await this.write(request, limiter)) : await this.inFlight.run(async () => await this.send(request));
			const outcome = outcomeOf(attempt);
			// Stryker disable next-line ConditionalExpression: a network fault has no status, so the status test refuses it without the kind tests, which narrow the types
			if (attempt.kind === 'response' && attempt.status < 300 && outcome.kind === 'response' && !outcome.malformed) {
				return { data: attempt.data as T, warnings: warningsOf(attempt.envelope) };
			}
			const headers = attempt.kind === 'response' ? attempt.headers : {};
			const now = runtime.now();
			const delay = retryDelayMs(attemptNumber, headers, now, runtime.random());
			const pastDeadline = now + delay > (request.deadline ?? Infinity);
			if (!isRetryable(outcome, request.once) || pastDeadline || !mayRetry(attemptNumber, now - startedAt, delay)) {
				throw this.failure(request, attempt, attemptNumber);
			}
			await runtime.sleep(delay, this.signal);
		}
	}

	/** One write attempt in its integration's lane, teaching the lane's limiter what it saw. */
	private async write<T>(request: KomboRequest<T>, limiter: AdaptiveLimiter): Promise<Attempt> {
		if (request.wanted && !request.wanted()) throw new SkippedRequest();
		// Timed from when the request leaves, not from when it queued for the shared cap.
		let latencyMs = 0;
		const sentUnder = limiter.generation;
		const attempt = await this.inFlight.run(async () => {
			const startedAt = this.runtime.now();
			const result = await this.send(request);
			latencyMs = this.runtime.now() - startedAt;
			return result;
		});
		if (attempt.kind !== 'response') return attempt;
		limiter.observeLimit(headerNumber(attempt.headers, 'concurrency-limit'));
		limiter.observeRemaining(headerNumber(attempt.headers, 'concurrency-remaining'));
		const code = errorOf(attempt.envelope)?.code;
		if (attempt.status === 429 || code === 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED') limiter.backOff(sentUnder);
		else if (attempt.status < 300 && attempt.envelope?.status === 'success') limiter.succeeded(latencyMs, sentUnder);
		return attempt;
	}

	private throwIfCancelled(): void {
		const { signal } = this;
		if (signal?.aborted) throw asNodeError(this.ctx, signal.reason ?? new Error('The execution was stopped'));
	}

	/** The request timeout: the runtime's, but never past the deadline (bar a last look). */
	private timeoutMs(request: KomboRequest<unknown>): number {
		const { requestTimeoutMs } = this.runtime;
		if (request.deadline === undefined) return requestTimeoutMs;
		const left = request.deadline - this.runtime.now();
		return Math.min(requestTimeoutMs, Math.max(left, LAST_CHECK_TIMEOUT_MS));
	}

	private async send<T>(request: KomboRequest<T>): Promise<Attempt> {
		const { ctx, connection } = this;
		// n8n's HTTP helper leaves an empty object out of the request, while Kombo's deactivation
		// wants the body {}: that one is sent as JSON text.
		const emptyBody = request.body !== undefined && Object.keys(request.body).length === 0;
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${connection.baseUrl}${request.path}${queryString(request.query)}`,
			headers: {
				Accept: 'application/json',
				'X-Integration-Id': request.integrationId,
				...(emptyBody ? { 'Content-Type': 'application/json' } : {}),
			},
			body: emptyBody ? '{}' : request.body,
			encoding: 'text',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.timeoutMs(request),
			abortSignal: this.signal,
		};
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options)) as {
				body: unknown;
				headers: Record<string, unknown>;
				statusCode: number;
			};
			// Redacting the raw text covers everything Kombo may say back (errors, warnings, task
			// results), whichever field a server chose to echo the key into.
			const raw = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
			const text = redact(raw, connection.secrets);
			const envelope = parseEnvelope(text);
			let data: unknown = envelope?.data;
			let unreadable: string | undefined;
			if (request.read && envelope?.status === 'success') {
				const read = request.read(data);
				if (read.ok) data = read.value;
				else unreadable = read.problem || 'its data cannot be read';
			}
			const headers = response.headers ?? {};
			return { kind: 'response', status: response.statusCode, headers, text, envelope, data, unreadable };
		} catch (error) {
			this.throwIfCancelled();
			return {
				kind: 'network',
				code: findErrorCode(error),
				message: redact(String((error as Error).message ?? ''), connection.secrets),
			};
		}
	}

	private failure(request: KomboRequest<unknown>, attempt: Attempt, attempts: number): NodeApiError {
		const { ctx, connection } = this;
		const tried = attempts > 1 ? ` The node tried ${attempts} times.` : '';
		let error: KomboError;
		let description: string;
		let httpCode: string | undefined;
		if (attempt.kind === 'network') {
			error = { code: null, title: null, message: `Could not reach Kombo at ${connection.baseUrl}`, log_url: null };
			const reason = [attempt.code, attempt.message].filter(Boolean).join(': ');
			description = `${reason ? `${reason}. ` : ''}Check the region or base URL in the Kombo credential and this machine's network connection. n8n blocks requests to private addresses such as 127.0.0.1 unless N8N_SSRF_PROTECTION_ENABLED=false.${tried}`;
		} else {
			httpCode = String(attempt.status);
			const reported = errorOf(attempt.envelope);
			error = {
				code: reported?.code ?? null,
				title: reported?.title ?? null,
				log_url: reported?.log_url ?? null,
				message: reported?.message ?? unreadableMessage(attempt),
			};
			description = `${describeKomboError(error, attempt.status, request.hints)}${tried}`;
		}
		const message = redact(error.message, connection.secrets);
		const safe: JsonObject = {
			message,
			code: error.code,
			title: error.title ? redact(error.title, connection.secrets) : null,
			log_url: error.log_url,
			integration_id: request.integrationId,
			request: `${request.method} ${request.path}`,
		};
		return new NodeApiError(ctx.getNode(), safe, {
			message,
			description: redact(description, connection.secrets),
			httpCode,
			itemIndex: request.itemIndex,
		});
	}
}

function queryString(query: KomboRequest['query']): string {
	if (!query) return '';
	const pairs = Object.entries(query).filter((pair): pair is [string, string] => pair[1] !== undefined);
	return pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`;
}

function warningsOf(envelope: IDataObject | undefined): string[] {
	// Stryker disable next-line OptionalChaining: only a success envelope gets here
	const warnings = envelope?.warnings;
	if (!Array.isArray(warnings)) return [];
	return (warnings as IDataObject[]).map((warning) => String(warning?.message ?? warning));
}

/** What to say when Kombo's answer is not an error envelope and not a usable success either. */
function unreadableMessage(attempt: Extract<Attempt, { kind: 'response' }>): string {
	const http = `Kombo answered HTTP ${attempt.status}`;
	if (attempt.unreadable) return `${http}, but ${attempt.unreadable}: ${excerpt(attempt.text)}`;
	if (!attempt.envelope) return attempt.text.trim() === '' ? `${http} with an empty body` : `${http} with a body that is not JSON`;
	if (attempt.status < 300) {
		return `${http} with a body that is not a Kombo response: ${excerpt(attempt.text)}`;
	}
	return http;
}

/** Kombo's error as the transport recorded it on a NodeApiError (code, title, message, log link). */
export function komboErrorOf(error: NodeApiError | NodeOperationError): KomboError {
	const reported = ((error as NodeApiError).errorResponse ?? {}) as Partial<Record<keyof KomboError, unknown>>;
	const text = (value: unknown) => (typeof value === 'string' ? value : null);
	return { code: text(reported.code), title: text(reported.title), message: error.message, log_url: text(reported.log_url) };
}
