import type { KomboError } from './results';

/** For each Kombo error code a user can fix, one sentence on how. */
export const ERROR_HINTS: Record<string, string> = {
	'PLATFORM.AUTHENTICATION_INVALID':
		'Check the API key in the Kombo credential: copy it again from the Kombo dashboard (Secrets → API Keys) and make sure the region matches its environment.',
	'PLATFORM.INTEGRATION_NOT_FOUND':
		'Check the integration ID (in the credential or the Integration ID option): copy it from the integration’s page in the Kombo dashboard, and use an API key of the same environment.',
	'PLATFORM.IP_NOT_WHITELISTED':
		'Add the IP address of this n8n instance to the allow list of your Kombo environment.',
	'PLATFORM.INPUT_INVALID': 'Fix the field Kombo names in its message, then run the node again.',
	'PLATFORM.RATE_LIMIT_EXCEEDED':
		'Kombo is rate-limiting this API key; the node already retried. Run it again later, or lower the Batch Size and spread runs out.',
	'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED':
		'Too many requests were in flight for this integration; the node already slowed down and retried. Avoid running several workflows against the same integration at once.',
	'PLATFORM.TASK_TIMED_OUT':
		'The LMS took too long to process the batch. Try a smaller Batch Size, then run the node again.',
	'PLATFORM.UNKNOWN_ERROR':
		'Kombo hit an unexpected error. Run the node again; if it keeps failing, send the log link to Kombo support.',
	'INTEGRATION.PERMISSION_MISSING':
		'Enable the "Upsert courses" permission in the integration’s scope config in the Kombo dashboard (the customer may need to grant it in their LMS too).',
	'INTEGRATION.ACTION_NOT_AVAILABLE':
		'This LMS does not support creating courses through Kombo. Check the integration’s available write actions in the Kombo dashboard.',
	'INTEGRATION.ACTION_DISABLED':
		'Enable the "Upsert courses" write action in the integration’s scope config in the Kombo dashboard.',
	'INTEGRATION.MODEL_NOT_AVAILABLE': 'This LMS does not offer courses through Kombo.',
	'INTEGRATION.MODEL_DISABLED':
		'Enable the courses model in the integration’s scope config in the Kombo dashboard.',
	'INTEGRATION.INACTIVE':
		'The integration is inactive. Reactivate it in the Kombo dashboard (or ask your customer to reconnect their LMS).',
	'INTEGRATION.SETUP_SYNC_PENDING':
		'The integration is still finishing its first sync. Wait until its setup is complete in the Kombo dashboard, then run the node again.',
	'INTEGRATION.SETUP_INCOMPLETE':
		'Finish setting up the integration in the Kombo dashboard, then run the node again.',
	'INTEGRATION.AUTHENTICATION_INVALID':
		'Kombo can no longer sign in to the LMS. Ask your customer to reconnect it from the Kombo connection flow.',
	'INTEGRATION.QA_FAILED':
		'The integration did not pass Kombo’s quality checks. Contact Kombo support with the log link.',
	'REMOTE.SERVICE_UNAVAILABLE':
		'The LMS is unavailable right now; the node already retried. Run it again later.',
	'REMOTE.RATE_LIMIT_EXCEEDED':
		'The LMS is rate-limiting Kombo; the node already retried. Run it again later or with a smaller Batch Size.',
	'REMOTE.INPUT_INVALID':
		'The LMS rejected this course’s data. Read the message for the field it names, fix it in your input, and run again.',
	'REMOTE.UNKNOWN_HTTP_ERROR':
		'The LMS answered with an unexpected error. Run the node again; if it keeps failing, send the log link to Kombo support.',
	'LMS.COURSE_UPDATE_NOT_SUPPORTED':
		'This LMS cannot update a course that already exists. Change the course in the LMS itself, or give it a new origin ID to create a new course.',
};

/** The description of a Kombo error: its code, how to fix it, and the link to Kombo's log. */
export function describeKomboError(error: KomboError, httpStatus?: number, hints: Record<string, string> = {}): string {
	const parts: string[] = [];
	const label = [error.code, httpStatus ? `HTTP ${httpStatus}` : undefined].filter(Boolean).join(', ');
	if (label) parts.push(`Kombo error ${label}.`);
	const hint = error.code ? (hints[error.code] ?? ERROR_HINTS[error.code]) : undefined;
	if (hint) parts.push(hint);
	if (error.log_url) parts.push(`Details in Kombo's log: ${error.log_url}`);
	return parts.join(' ');
}

/** Replaces every occurrence of a secret in text, so an echoing server cannot leak it. */
export function redact(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length >= 4) result = result.split(secret).join('[redacted]');
	}
	return result;
}
