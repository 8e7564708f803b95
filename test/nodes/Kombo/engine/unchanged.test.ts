import type { Entry } from '../../../../nodes/Kombo/helpers/batching';
import { FINGERPRINTS_MAX_ENTRIES, RUN_OPEN_MARKER } from '../../../../nodes/Kombo/helpers/constants';
import type { KomboCourseItem } from '../../../../nodes/Kombo/helpers/course';
import { courseFingerprint } from '../../../../nodes/Kombo/helpers/fingerprint';
import { closeRecord, openRecord } from '../../../../nodes/Kombo/engine/unchanged';
import { createDedupStore } from '../../../support/dedup-store';

const CONTEXT = { workflow: { id: 'w', active: false }, node: { id: 'n' } };

/** n8n's store as the node's helpers offer it: the context is n8n's business. */
function helpers() {
	const store = createDedupStore();
	const calls: Array<{ method: string; scope: string; options: unknown }> = [];
	const api = {
		checkProcessedAndRecord: async (items: Array<string | number>, scope: 'node' | 'workflow', options: { mode: 'entries'; maxEntries?: number }) => {
			calls.push({ method: 'check', scope, options });
			return await store.checkProcessedAndRecord(items, scope, CONTEXT, options);
		},
		removeProcessed: async (items: Array<string | number>, scope: 'node' | 'workflow', options: { mode: 'entries' }) => {
			calls.push({ method: 'remove', scope, options });
			await store.removeProcessed(items, scope, CONTEXT);
		},
		clearAllProcessedItems: async (scope: 'node' | 'workflow', options: { mode: 'entries' }) => {
			calls.push({ method: 'clear', scope, options });
			await store.clearAllProcessedItems(scope, CONTEXT);
		},
	};
	const stored = () => store.rows.get('w|n:n') ?? [];
	return { api, stored, calls };
}

function entry(originId: string, title = originId, integrationId = 'int:a', itemIndex = 0): Entry<KomboCourseItem> {
	return { itemIndex, integrationId, originId, value: { origin_id: originId, course: { type: 'EXTERNAL', title, course_url: 'https://x.test' } } };
}

const all = () => true;
const none = () => false;

describe('courseFingerprint', () => {
	it('names the integration and origin ID, and hashes exactly what would be sent', () => {
		const a = courseFingerprint('int:a', entry('c1').value);
		expect(a).toMatch(/^int:a\tc1\t[A-Za-z0-9_-]{43}$/);
		expect(courseFingerprint('int:a', entry('c1').value)).toBe(a);
		expect(courseFingerprint('int:b', entry('c1').value)).not.toBe(a);
		expect(courseFingerprint('int:a', entry('c1', 'Other title').value)).not.toBe(a);
	});

	it('does not depend on the order of the course’s fields, and ignores fields not given', () => {
		const course = { type: 'EXTERNAL' as const, title: 't', course_url: 'https://x.test', duration: 5 };
		const reordered = { duration: 5, course_url: 'https://x.test', title: 't', type: 'EXTERNAL' as const, description: undefined };
		expect(courseFingerprint('i', { origin_id: 'o', course })).toBe(courseFingerprint('i', { origin_id: 'o', course: reordered }));
		expect(courseFingerprint('i', { origin_id: 'o', course: { ...course, languages: ['en', 'de'] } })).not.toBe(
			courseFingerprint('i', { origin_id: 'o', course: { ...course, languages: ['de', 'en'] } }),
		);
	});
});

describe('the record of confirmed courses', () => {
	it('uses the node’s own scope, in entries mode, with room for a large catalogue', async () => {
		const { api, calls } = helpers();
		await closeRecord(api, await openRecord(api, [entry('a')], false), all);
		expect(calls.map((call) => [call.method, call.scope, call.options])).toEqual(
			['check', 'check', 'clear', 'check'].map((method) => [method, 'node', { mode: 'entries', maxEntries: FINGERPRINTS_MAX_ENTRIES }]),
		);
		expect(FINGERPRINTS_MAX_ENTRIES).toBeGreaterThanOrEqual(200_000);
	});

	it('skips nothing the first time, and keeps exactly the courses Kombo confirmed, closed', async () => {
		const { api, stored } = helpers();
		const entries = [entry('a'), entry('b')];
		const record = await openRecord(api, entries, false);
		expect(record.unchanged.size).toBe(0);
		expect(record.startedOver).toBe(false);
		expect(stored()).toContain(RUN_OPEN_MARKER);
		await closeRecord(api, record, all);
		expect(stored()).toEqual(entries.map((each) => courseFingerprint('int:a', each.value)));
	});

	it('finds unchanged courses on the next run, and changed ones not', async () => {
		const { api } = helpers();
		await closeRecord(api, await openRecord(api, [entry('a'), entry('b')], false), all);
		const second = [entry('a'), entry('b', 'B, revised')];
		const record = await openRecord(api, second, false);
		expect([...record.unchanged].map((each) => each.originId)).toEqual(['a']);
	});

	it('writes back only what was confirmed when a sent course was not', async () => {
		const { api, stored } = helpers();
		await closeRecord(api, await openRecord(api, [entry('a')], false), all);
		const entries = [entry('a'), entry('b'), entry('c')];
		const record = await openRecord(api, entries, false);
		await closeRecord(api, record, (each) => each.originId === 'b');
		expect(stored()).toEqual([courseFingerprint('int:a', entries[0].value), courseFingerprint('int:a', entries[1].value)]);
	});

	it('leaves the record empty when nothing is confirmed, writing nothing back', async () => {
		const { api, stored, calls } = helpers();
		await closeRecord(api, await openRecord(api, [entry('a')], false), none);
		expect(stored()).toEqual([]);
		expect(calls.map((call) => call.method)).toEqual(['check', 'check', 'clear']);
	});

	it('starts over after a run that left the record open, trusting none of it', async () => {
		const { api, stored } = helpers();
		await closeRecord(api, await openRecord(api, [entry('a')], false), all);
		await openRecord(api, [entry('a'), entry('b')], false); // dies here: never closed
		const record = await openRecord(api, [entry('a'), entry('b')], false);
		expect(record.startedOver).toBe(true);
		expect(record.unchanged.size).toBe(0);
		expect(stored().filter((value) => value === RUN_OPEN_MARKER)).toHaveLength(1);
		await closeRecord(api, record, all);
		expect(stored()).toHaveLength(2);
	});

	it('forgets everything when asked, and remembers from then on', async () => {
		const { api } = helpers();
		await closeRecord(api, await openRecord(api, [entry('a')], false), all);
		const forgotten = await openRecord(api, [entry('a')], true);
		expect(forgotten.startedOver).toBe(true);
		expect(forgotten.unchanged.size).toBe(0);
		await closeRecord(api, forgotten, all);
		expect((await openRecord(api, [entry('a')], false)).unchanged.size).toBe(1);
	});

	it('forgets everything when asked, even on a run with no courses to send', async () => {
		const { api, stored } = helpers();
		await closeRecord(api, await openRecord(api, [entry('a')], false), all);
		await closeRecord(api, await openRecord(api, [], true), none);
		expect(stored()).toEqual([]);
		expect((await openRecord(api, [entry('a')], false)).unchanged.size).toBe(0);
	});

	it('never skips a course that an overlapping run sent but did not see confirmed', async () => {
		const { api } = helpers();
		await closeRecord(api, await openRecord(api, [entry('a')], false), all);
		const early = await openRecord(api, [entry('a')], false);
		const overlapping = await openRecord(api, [entry('a'), entry('b')], false); // finds the record open, then dies
		expect(overlapping.startedOver).toBe(true);
		await closeRecord(api, early, all);
		const next = await openRecord(api, [entry('a'), entry('b')], false);
		expect([...next.unchanged].map((each) => each.originId)).not.toContain('b');
	});

	it('sends a course edited back to a version Kombo confirmed before the one it holds now', async () => {
		const { api, stored } = helpers();
		await closeRecord(api, await openRecord(api, [entry('a', 'First')], false), all);
		await closeRecord(api, await openRecord(api, [entry('a', 'Second')], false), all);
		expect(stored()).toEqual([courseFingerprint('int:a', entry('a', 'Second').value)]);
		const back = await openRecord(api, [entry('a', 'First')], false);
		expect(back.unchanged.size).toBe(0);
	});

	it('only drops the open marker when every course was unchanged', async () => {
		const { api, calls } = helpers();
		await closeRecord(api, await openRecord(api, [entry('a')], false), all);
		calls.length = 0;
		await closeRecord(api, await openRecord(api, [entry('a')], false), none);
		expect(calls.map((call) => call.method)).toEqual(['check', 'check', 'remove']);
	});

	it('handles a run with no courses', async () => {
		const { api, stored, calls } = helpers();
		const record = await openRecord(api, [], false);
		await closeRecord(api, record, none);
		expect(calls.map((call) => call.method)).toEqual(['check', 'remove']);
		expect(stored()).toEqual([]);
	});
});
