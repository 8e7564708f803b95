import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { clock } from '../helpers/clock';
import type { ConcurrencyLimiter } from '../helpers/concurrency';
import { DEFAULT_BASE_URL_EU, DEFAULT_BASE_URL_US } from '../helpers/constants';
import { describeKomboError, redact } from '../helpers/errors';
import type { KomboError } from '../helpers/results';
import type { AttemptOutcome } from '../helpers/retry';
import { isRetryable, mayRetry, retryDelayMs } from '../helpers/retry';

export const CREDENTIAL_TYPE = 'komboApi';

export interface KomboConnection {
	baseUrl: string;
	integrationId: string;
	secrets: string[];
}

export interface KomboRequest {
	method: 'GET' | 'POST';
	path: string;
	integrationId: string;
	body?: IDataObject;
	/** Writes share one limiter per integration so that Kombo's in-flight cap is respected. */
	limiter?: ConcurrencyLimiter;
	itemIndex?: number;
	/** No retry is started that would end after this time (ms since epoch, the clock's). */
	deadline?: number;
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
	return new NodeOperationError(ctx.getNode(), error as Error);
}

type Attempt =
	| { kind: 'response'; status: number; headers: Record<string, unknown>; envelope?: IDataObject }
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
	if (text.trim() === '') return undefined;
	try {
		const parsed: unknown = JSON.parse(text);
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as IDataObject) : undefined;
	} catch {
		return undefined;
	}
}

async function send(
	ctx: IExecuteFunctions,
	connection: KomboConnection,
	request: KomboRequest,
): Promise<Attempt> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		headers: { Accept: 'application/json', 'X-Integration-Id': request.integrationId },
		body: request.body,
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: clock.requestTimeoutMs,
		abortSignal: ctx.getExecutionCancelSignal(),
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
		return {
			kind: 'response',
			status: response.statusCode,
			headers: response.headers ?? {},
			envelope: parseEnvelope(text),
		};
	} catch (error) {
		if (ctx.getExecutionCancelSignal()?.aborted) throw asNodeError(ctx, error);
		return {
			kind: 'network',
			code: findErrorCode(error),
			message: redact(String((error as Error).message ?? ''), connection.secrets),
		};
	}
}

function errorOf(envelope: IDataObject | undefined): Partial<KomboError> | undefined {
	const error = envelope?.error;
	return error && typeof error === 'object' && !Array.isArray(error) ? (error as Partial<KomboError>) : undefined;
}

function outcomeOf(attempt: Attempt): AttemptOutcome {
	if (attempt.kind === 'network') return { kind: 'network', code: attempt.code };
	const code = errorOf(attempt.envelope)?.code ?? undefined;
	const succeeded = attempt.envelope?.status === 'success';
	return { kind: 'response', status: attempt.status, code, malformed: !succeeded };
}

function headerNumber(headers: Record<string, unknown>, name: string): number | undefined {
	const value = headers[name];
	if (value === undefined || value === null || value === '') return undefined;
	const number = Number(Array.isArray(value) ? value[0] : value);
	return Number.isFinite(number) ? number : undefined;
}

function failure(
	ctx: IExecuteFunctions,
	connection: KomboConnection,
	request: KomboRequest,
	attempt: Attempt,
	attempts: number,
): NodeApiError {
	const tried = attempts > 1 ? ` The node tried ${attempts} times.` : '';
	let error: KomboError;
	let description: string;
	let httpCode: string | undefined;
	if (attempt.kind === 'network') {
		error = {
			code: null,
			title: null,
			message: `Could not reach Kombo at ${connection.baseUrl}`,
			log_url: null,
		};
		const reason = [attempt.code, attempt.message].filter(Boolean).join(': ');
		description = `${reason ? `${reason}. ` : ''}Check the region or base URL in the Kombo credential and this machine's network connection. n8n blocks requests to private addresses such as 127.0.0.1 unless N8N_SSRF_PROTECTION_ENABLED=false.${tried}`;
	} else {
		httpCode = String(attempt.status);
		const reported = errorOf(attempt.envelope);
		const isSuccessStatus = attempt.status >= 200 && attempt.status < 300;
		error = {
			code: reported?.code ?? null,
			title: reported?.title ?? null,
			log_url: reported?.log_url ?? null,
			message:
				reported?.message ??
				(isSuccessStatus
					? `Kombo answered HTTP ${attempt.status} with a body that is not a Kombo response`
					: `Kombo answered HTTP ${attempt.status}${attempt.envelope ? '' : ' with a body that is not JSON'}`),
		};
		description = `${describeKomboError(error, attempt.status)}${tried}`.trim();
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

/**
 * Sends one Kombo API request, retrying what is safe to retry, and returns the envelope's `data`
 * and warnings. Every other outcome becomes a NodeApiError with Kombo's message, a description
 * that says how to fix it, and no secret in any of it.
 */
export async function komboApiRequest<T>(
	ctx: IExecuteFunctions,
	connection: KomboConnection,
	request: KomboRequest,
): Promise<KomboResponse<T>> {
	const signal = ctx.getExecutionCancelSignal();
	const startedAt = clock.now();
	for (let attemptNumber = 1; ; attemptNumber++) {
		if (signal?.aborted) throw asNodeError(ctx, signal.reason ?? new Error('The execution was stopped'));
		const attempt = request.limiter
			? await request.limiter.run(async () => {
					const result = await send(ctx, connection, request);
					if (result.kind === 'response') {
						const remaining = headerNumber(result.headers, 'concurrency-remaining');
						if (remaining !== undefined) request.limiter?.observeRemaining(remaining);
					}
					return result;
				})
			: await send(ctx, connection, request);
		const outcome = outcomeOf(attempt);
		if (attempt.kind === 'response' && outcome.kind === 'response' && attempt.status < 300 && !outcome.malformed) {
			const warnings = Array.isArray(attempt.envelope?.warnings)
				? (attempt.envelope.warnings as IDataObject[]).map((warning) => String(warning?.message ?? warning))
				: [];
			return { data: attempt.envelope?.data as T, warnings };
		}
		if (outcome.kind === 'response' && outcome.code === 'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED') {
			request.limiter?.backOff();
		}
		const headers = attempt.kind === 'response' ? attempt.headers : {};
		const delay = retryDelayMs(attemptNumber, headers, clock.now(), clock.random());
		const pastDeadline = request.deadline !== undefined && clock.now() + delay > request.deadline;
		if (!isRetryable(outcome) || pastDeadline || !mayRetry(attemptNumber, clock.now() - startedAt, delay)) {
			throw failure(ctx, connection, request, attempt, attemptNumber);
		}
		await clock.sleep(delay, signal);
	}
}
