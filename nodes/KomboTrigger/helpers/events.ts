import { createHmac, timingSafeEqual } from 'crypto';

/** The events Kombo sends, as its `type` names them. */
export const EVENT_TYPES = ['data-changed', 'sync-finished', 'integration-created', 'integration-deleted', 'integration-state-changed', 'connection-flow-failed'] as const;

/** The value of the Events option that lets every event through, those Kombo adds later too. */
export const ANY_EVENT = '*';

/** The LMS models a data-changed event names, as people say them in the panel. */
export const LMS_MODELS: Array<{ name: string; value: string }> = [
	{ name: 'Course Progressions', value: 'lms_course_progressions' },
	{ name: 'Course Providers', value: 'lms_course_providers' },
	{ name: 'Course Revisions', value: 'lms_course_revisions' },
	{ name: 'Courses', value: 'lms_courses' },
	{ name: 'Skills', value: 'lms_skills' },
	{ name: 'Users', value: 'lms_users' },
];

// A SHA-256 digest in base64url without padding is 43 characters; a trailing "=" pads it to 44.
const SIGNATURE = /^([A-Za-z0-9_-]{43})=?$/;

/** The signature Kombo puts in X-Kombo-Signature: HMAC-SHA256 of the body as sent, base64url, no padding. */
export function signatureOf(body: Buffer, secret: string): string {
	return createHmac('sha256', secret).update(body).digest('base64url');
}

/**
 * Whether the header is Kombo's signature of this body under this secret. The comparison takes
 * the same time wherever the first difference is. A header that is not a SHA-256 digest in
 * base64url never matches; a trailing "=" of padding is allowed, since it changes no byte.
 */
export function isSignedBy(body: Buffer, header: unknown, secret: string): boolean {
	if (secret === '' || typeof header !== 'string') return false;
	const match = SIGNATURE.exec(header.trim());
	if (!match) return false;
	const given = Buffer.from(match[1], 'utf8');
	const expected = Buffer.from(signatureOf(body, secret), 'utf8');
	// Stryker disable next-line ConditionalExpression: the pattern makes both 43 characters; timingSafeEqual needs the lengths equal
	return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface KomboEvent {
	id: string;
	type: string;
	data: Record<string, unknown>;
	/** The whole body as Kombo sent it. */
	body: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as a Kombo event, or what is wrong with it. */
export function readEvent(body: Buffer): { ok: true; event: KomboEvent } | { ok: false; problem: string } {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch {
		return { ok: false, problem: 'The body is not JSON' };
	}
	if (!isObject(parsed)) return { ok: false, problem: 'The body is not a Kombo event: it is not an object' };
	if (typeof parsed.id !== 'string' || parsed.id === '') return { ok: false, problem: 'The body is not a Kombo event: it has no id' };
	if (typeof parsed.type !== 'string' || parsed.type === '') return { ok: false, problem: 'The body is not a Kombo event: it has no type' };
	if (!isObject(parsed.data)) return { ok: false, problem: 'The body is not a Kombo event: it has no data object' };
	return { ok: true, event: { id: parsed.id, type: parsed.type, data: parsed.data, body: parsed } };
}

/** The integration an event is about: `integration_id`, or `id` in the integration-created and -deleted events. */
export function integrationIdOf(event: KomboEvent): string | null {
	const { data } = event;
	if (typeof data.integration_id === 'string') return data.integration_id;
	if ((event.type === 'integration-created' || event.type === 'integration-deleted') && typeof data.id === 'string') return data.id;
	return null;
}

/** The models a data-changed event names, as Kombo names them. */
export function changedModelsOf(event: KomboEvent): string[] {
	const models = event.data.changed_models;
	if (!Array.isArray(models)) return [];
	return models.map((model) => (isObject(model) ? model.name : model)).filter((name): name is string => typeof name === 'string' && name !== '');
}

/** A model's name without Kombo's category prefix: lms_course_progressions → course_progressions. */
export const plainModelName = (name: string) => name.replace(/^(lms|hris|ats|assessment)_/, '');

export interface EventFilter {
	/** Event types, or ANY_EVENT. */
	events: string[];
	/** Kombo's model names; empty means any. Applies to data-changed events only. */
	changedModels: string[];
	/** Empty means any. */
	integrationIds: string[];
}

/**
 * Why an event does not start the workflow under this filter, or undefined when it does. An event
 * without an integration (connection-flow-failed) does not pass an Integration IDs filter.
 */
export function exclusionOf(event: KomboEvent, filter: EventFilter): string | undefined {
	if (!filter.events.includes(ANY_EVENT) && !filter.events.includes(event.type)) return `the event type ${event.type} is not one of the trigger's Events`;
	if (event.type === 'data-changed' && filter.changedModels.length > 0 && !changedModelsOf(event).some((model) => filter.changedModels.includes(model))) {
		return "none of the changed models is one of the trigger's Changed Models";
	}
	// An event without an integration (null) is in no list of IDs.
	if (filter.integrationIds.length > 0 && !filter.integrationIds.includes(integrationIdOf(event) as string)) return "the integration is not one of the trigger's Integration IDs";
	return undefined;
}

/** What the trigger keeps between executions, in the node's static data. */
export interface TriggerMemory {
	/** IDs of the latest events that started the workflow, oldest first. */
	recentEventIds?: string[];
	/** Per integration, when the latest event that started the workflow was received. */
	lastEventAt?: Record<string, string>;
}

/**
 * Records an event that starts the workflow: its ID among the recent ones (at most `keep`, the
 * oldest dropped first) and, for its integration, when it came. Returns when the previous event of
 * the same integration came (null for the first), or `duplicate` when this ID was seen already.
 */
export function remember(memory: TriggerMemory, event: KomboEvent, receivedAt: string, keep: number): { duplicate: true } | { duplicate: false; previousAt: string | null } {
	const recent = Array.isArray(memory.recentEventIds) ? memory.recentEventIds.filter((id) => typeof id === 'string') : [];
	if (recent.includes(event.id)) return { duplicate: true };
	recent.push(event.id);
	memory.recentEventIds = recent.slice(Math.max(0, recent.length - keep));
	const integrationId = integrationIdOf(event);
	if (integrationId === null) return { duplicate: false, previousAt: null };
	const last = isObject(memory.lastEventAt) ? (memory.lastEventAt as Record<string, unknown>) : {};
	const previous = last[integrationId];
	memory.lastEventAt = { ...(last as Record<string, string>), [integrationId]: receivedAt };
	return { duplicate: false, previousAt: typeof previous === 'string' ? previous : null };
}

/** The item an event starts the workflow with: Kombo's event as sent, and flat fields beside it. */
export function eventItem(event: KomboEvent, receivedAt: string, previousAt: string | null) {
	return {
		event_id: event.id,
		type: event.type,
		integration_id: integrationIdOf(event),
		changed_models: changedModelsOf(event).map(plainModelName),
		received_at: receivedAt,
		updated_after: previousAt,
		event: event.body,
	};
}
