import type { KomboEvent, TriggerMemory } from '../../../../nodes/KomboTrigger/helpers/events';
import { changedModelsOf, eventItem, exclusionOf, integrationIdOf, isSignedBy, plainModelName, readEvent, remember, signatureOf } from '../../../../nodes/KomboTrigger/helpers/events';

// Vectors computed outside the node's code, with OpenSSL:
//   printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SIGNED_WITH" -binary | base64 | tr '+/' '-_' | tr -d '='
const SIGNED_WITH = 'kombo_whsec_3f9a7c';
const VECTORS: Array<[string, string]> = [
	[
		'{"id":"evt_8QpL2","type":"data-changed","data":{"integration_id":"workday:HWUTwvyx2wLoSUHphiWVrp28","integration_tool":"workday","integration_category":"LMS","changed_models":[{"name":"lms_course_progressions"},{"name":"lms_users"}]}}',
		'9COZNqPUlYQ-bOcA0KmaL34cvaZ-Lu4T2kj1mRb11aQ',
	],
	['{"id":"evt_x","type":"sync-finished","data":{"integration_id":"moodle:7s9Xb2","sync_state":"SUCCEEDED"}}', '_sLF4Tri47AGIUzkSybVByD2vWqenTJz0PTUHxE1A4w'],
	['', 'It64BPuJ5Yk-Ff5H_rRnWffyJ6R7fXVKhcAvqaFup14'],
	['héllo ✓', '7oC1jor_pj0H_-AaBWEgh7hQr9ZEGNWZLB1J8BbDeB4'],
];

describe('isSignedBy', () => {
	it.each(VECTORS)('accepts Kombo’s signature of %j', (body, signature) => {
		expect(signatureOf(Buffer.from(body, 'utf8'), SIGNED_WITH)).toBe(signature);
		expect(isSignedBy(Buffer.from(body, 'utf8'), signature, SIGNED_WITH)).toBe(true);
	});

	const [body, signature] = VECTORS[0];
	const bytes = Buffer.from(body, 'utf8');

	it.each([
		['a tampered body', Buffer.from(body.replace('lms_users', 'lms_userz'), 'utf8'), signature, SIGNED_WITH],
		['the body re-serialised with other spacing', Buffer.from(JSON.stringify(JSON.parse(body), null, 1), 'utf8'), signature, SIGNED_WITH],
		['a wrong secret', bytes, signature, 'kombo_whsec_3f9a7d'],
		['an empty secret', bytes, signature, ''],
		['a missing header', bytes, undefined, SIGNED_WITH],
		['an empty header', bytes, '', SIGNED_WITH],
		['standard base64 instead of base64url', bytes, Buffer.from(signature, 'base64url').toString('base64').replace(/=+$/, ''), SIGNED_WITH],
		['hex instead of base64url', bytes, Buffer.from(signature, 'base64url').toString('hex'), SIGNED_WITH],
		['a signature cut short', bytes, signature.slice(0, 42), SIGNED_WITH],
		['a signature with a character more', bytes, `${signature}A`, SIGNED_WITH],
		['two padding characters', bytes, `${signature}==`, SIGNED_WITH],
		['a list of headers', bytes, [signature], SIGNED_WITH],
		['the secret itself', bytes, SIGNED_WITH, SIGNED_WITH],
	])('refuses %s', (_case, given, header, secret) => {
		expect(isSignedBy(given as Buffer, header, secret as string)).toBe(false);
	});

	it('refuses any signature when the secret is empty, even one made with the empty secret', () => {
		expect(isSignedBy(bytes, signatureOf(bytes, ''), '')).toBe(false);
	});

	it('accepts one trailing "=" of padding and spaces around the header: the same bytes', () => {
		expect(isSignedBy(bytes, `${signature}=`, SIGNED_WITH)).toBe(true);
		expect(isSignedBy(bytes, ` ${signature} `, SIGNED_WITH)).toBe(true);
	});
});

describe('readEvent', () => {
	it('reads an event and keeps the whole body as sent', () => {
		const body = { id: 'evt_1', type: 'data-changed', data: { integration_id: 'i:1' }, extra: true };
		expect(readEvent(Buffer.from(JSON.stringify(body)))).toEqual({ ok: true, event: { id: 'evt_1', type: 'data-changed', data: { integration_id: 'i:1' }, body } });
	});

	it.each([
		['not json', 'The body is not JSON'],
		['[1]', 'The body is not a Kombo event: it is not an object'],
		['null', 'The body is not a Kombo event: it is not an object'],
		['{"type":"x","data":{}}', 'The body is not a Kombo event: it has no id'],
		['{"id":"","type":"x","data":{}}', 'The body is not a Kombo event: it has no id'],
		['{"id":"e","data":{}}', 'The body is not a Kombo event: it has no type'],
		['{"id":"e","type":"","data":{}}', 'The body is not a Kombo event: it has no type'],
		['{"id":"e","type":"x"}', 'The body is not a Kombo event: it has no data object'],
		['{"id":"e","type":"x","data":[]}', 'The body is not a Kombo event: it has no data object'],
	])('refuses %s', (text, problem) => {
		expect(readEvent(Buffer.from(text))).toEqual({ ok: false, problem });
	});
});

const event = (type: string, data: Record<string, unknown>, id = 'evt_1'): KomboEvent => ({ id, type, data, body: { id, type, data } });

describe('what an event is about', () => {
	it('finds the integration in integration_id, or in id for integration-created and -deleted', () => {
		expect(integrationIdOf(event('sync-finished', { integration_id: 'i:1', id: 'x' }))).toBe('i:1');
		expect(integrationIdOf(event('integration-created', { id: 'i:2' }))).toBe('i:2');
		expect(integrationIdOf(event('integration-deleted', { id: 'i:3' }))).toBe('i:3');
		expect(integrationIdOf(event('connection-flow-failed', { id: 'i:4' }))).toBeNull();
		expect(integrationIdOf(event('data-changed', { integration_id: 5 }))).toBeNull();
		expect(integrationIdOf(event('integration-created', { id: 5 }))).toBeNull();
	});

	it('names the changed models, as objects or as names, and plainly', () => {
		expect(changedModelsOf(event('data-changed', { changed_models: [{ name: 'lms_users' }, 'lms_courses', { name: '' }, 7, null] }))).toEqual(['lms_users', 'lms_courses']);
		expect(changedModelsOf(event('data-changed', { changed_models: 'lms_users' }))).toEqual([]);
		expect(['lms_course_progressions', 'hris_employees', 'ats_jobs', 'assessment_orders', 'custom_lms_x'].map(plainModelName)).toEqual(['course_progressions', 'employees', 'jobs', 'orders', 'custom_lms_x']);
	});
});

describe('exclusionOf', () => {
	const changed = event('data-changed', { integration_id: 'i:1', changed_models: [{ name: 'lms_users' }] });
	const all = { events: ['*'], changedModels: [], integrationIds: [] };

	it('lets through what the settings ask for', () => {
		expect(exclusionOf(changed, all)).toBeUndefined();
		expect(exclusionOf(changed, { events: ['data-changed'], changedModels: ['lms_courses', 'lms_users'], integrationIds: ['i:0', 'i:1'] })).toBeUndefined();
		expect(exclusionOf(event('sync-finished', {}), { events: ['sync-finished'], changedModels: ['lms_courses'], integrationIds: [] })).toBeUndefined();
		const two = event('data-changed', { changed_models: [{ name: 'lms_users' }, { name: 'lms_skills' }] });
		expect(exclusionOf(two, { ...all, changedModels: ['lms_users'] })).toBeUndefined();
	});

	it.each([
		['another event type', changed, { ...all, events: ['sync-finished'] }, "the event type data-changed is not one of the trigger's Events"],
		['no events at all', changed, { ...all, events: [] }, "the event type data-changed is not one of the trigger's Events"],
		['other models', changed, { ...all, changedModels: ['lms_course_progressions'] }, "none of the changed models is one of the trigger's Changed Models"],
		['a null integration asked for by name', event('connection-flow-failed', {}), { ...all, integrationIds: ['null'] }, "the integration is not one of the trigger's Integration IDs"],
		['another integration', changed, { ...all, integrationIds: ['i:2'] }, "the integration is not one of the trigger's Integration IDs"],
		['no integration', event('connection-flow-failed', {}), { ...all, integrationIds: ['i:1'] }, "the integration is not one of the trigger's Integration IDs"],
	])('excludes %s, saying why', (_case, given, filter, reason) => {
		expect(exclusionOf(given, filter)).toBe(reason);
	});
});

describe('remember', () => {
	it('recognises an event seen before, and tells when the integration’s previous event came', () => {
		const memory: TriggerMemory = {};
		expect(remember(memory, event('data-changed', { integration_id: 'i:1' }, 'e1'), 'T1', 3)).toEqual({ duplicate: false, previousAt: null });
		expect(remember(memory, event('data-changed', { integration_id: 'i:2' }, 'e2'), 'T2', 3)).toEqual({ duplicate: false, previousAt: null });
		expect(remember(memory, event('data-changed', { integration_id: 'i:1' }, 'e3'), 'T3', 3)).toEqual({ duplicate: false, previousAt: 'T1' });
		expect(remember(memory, event('data-changed', { integration_id: 'i:1' }, 'e1'), 'T4', 3)).toEqual({ duplicate: true });
		expect(memory).toEqual({ recentEventIds: ['e1', 'e2', 'e3'], lastEventAt: { 'i:1': 'T3', 'i:2': 'T2' } });
	});

	it('keeps only the latest IDs, so an event older than those could start the workflow again', () => {
		const memory: TriggerMemory = {};
		for (const id of ['e1', 'e2', 'e3']) remember(memory, event('sync-finished', {}, id), 'T', 2);
		expect(memory.recentEventIds).toEqual(['e2', 'e3']);
		expect(remember(memory, event('sync-finished', {}, 'e1'), 'T', 2)).toEqual({ duplicate: false, previousAt: null });
		expect(memory.lastEventAt).toBeUndefined();
	});

	it('starts afresh from a memory it cannot read', () => {
		const memory = { recentEventIds: 'e1', lastEventAt: ['x'] } as unknown as TriggerMemory;
		expect(remember(memory, event('data-changed', { integration_id: 'i:1' }, 'e1'), 'T1', 5)).toEqual({ duplicate: false, previousAt: null });
		expect(memory).toEqual({ recentEventIds: ['e1'], lastEventAt: { 'i:1': 'T1' } });
		const mixed = { recentEventIds: [1, 'e9'], lastEventAt: { 'i:1': 7 } } as unknown as TriggerMemory;
		expect(remember(mixed, event('data-changed', { integration_id: 'i:1' }, 'e2'), 'T2', 5)).toEqual({ duplicate: false, previousAt: null });
		expect(mixed.recentEventIds).toEqual(['e9', 'e2']);
	});
});

describe('eventItem', () => {
	it('puts flat fields beside Kombo’s event as sent', () => {
		const given = event('data-changed', { integration_id: 'i:1', changed_models: [{ name: 'lms_course_progressions' }] }, 'e7');
		expect(eventItem(given, '2026-12-08T10:00:00.000Z', '2026-12-08T09:00:00.000Z')).toEqual({
			event_id: 'e7',
			type: 'data-changed',
			integration_id: 'i:1',
			changed_models: ['course_progressions'],
			received_at: '2026-12-08T10:00:00.000Z',
			updated_after: '2026-12-08T09:00:00.000Z',
			event: given.body,
		});
	});
});
