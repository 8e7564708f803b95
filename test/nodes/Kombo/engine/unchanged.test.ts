import type { IDataObject } from 'n8n-workflow';

import type { Entry } from '../../../../nodes/Kombo/helpers/batching';
import type { KomboCourseItem } from '../../../../nodes/Kombo/helpers/course';
import { courseFingerprint } from '../../../../nodes/Kombo/helpers/fingerprint';
import { closeRecord, openRecord, RECORD_FORMAT, RECORD_KEY, recordHints } from '../../../../nodes/Kombo/engine/unchanged';

function entry(originId: string, title = originId, integrationId = 'int:a', itemIndex = 0): Entry<KomboCourseItem> {
	return { itemIndex, integrationId, originId, value: { origin_id: originId, course: { type: 'EXTERNAL', title, course_url: 'https://x.test' } } };
}

const all = () => true;
const none = () => false;
const fingerprintOf = (each: Entry<KomboCourseItem>) => courseFingerprint(each.integrationId, each.value);
const recordOf = (...entries: Array<Entry<KomboCourseItem>>) => ({ format: RECORD_FORMAT, fingerprints: entries.map(fingerprintOf).sort().join('') });
const originIds = (entries: Iterable<Entry<KomboCourseItem>>) => [...entries].map((each) => each.originId);

/** One run of the node against the static data n8n hands it, closed with `succeeded`. */
function runOnce(staticData: IDataObject, entries: Array<Entry<KomboCourseItem>>, succeeded: (each: Entry<KomboCourseItem>) => boolean = all, forget = false) {
	const record = openRecord(staticData, entries, forget);
	closeRecord(record, succeeded);
	return record;
}

describe('the record of confirmed courses', () => {
	it('keeps one fixed-width fingerprint per confirmed course, in the node’s static data, with room for large catalogues', () => {
		const staticData: IDataObject = {};
		const entries = [entry('b'), entry('a')];
		const record = runOnce(staticData, entries);
		expect(record.state).toBe('empty');
		expect(record.unchanged.size).toBe(0);
		expect(staticData).toEqual({ [RECORD_KEY]: recordOf(...entries) });
		expect((staticData[RECORD_KEY] as IDataObject).fingerprints).toHaveLength(32);
		// The name outlives the node's version: another name after an update would lose every record.
		expect(RECORD_KEY).toBe('confirmedCourses');
	});

	it('finds unchanged courses on the next run, and changed ones not', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [entry('a'), entry('b')]);
		const record = openRecord(staticData, [entry('a'), entry('b', 'B, revised')], false);
		expect(record.state).toBe('kept');
		expect(originIds(record.unchanged)).toEqual(['a']);
	});

	it('keeps integrations apart', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [entry('a', 'a', 'int:a')]);
		expect(openRecord(staticData, [entry('a', 'a', 'int:b')], false).unchanged.size).toBe(0);
	});

	it('writes back the unchanged and the succeeded courses, and no other', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [entry('a')]);
		const entries = [entry('a'), entry('b'), entry('c')];
		runOnce(staticData, entries, (each) => each.originId === 'b');
		expect(staticData[RECORD_KEY]).toEqual(recordOf(entries[0], entries[1]));
	});

	it('writes nothing on a first run in which Kombo confirmed nothing', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [entry('a')], none);
		expect(staticData).toEqual({});
	});

	it('empties the record when none of its courses is confirmed any more', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [entry('a')]);
		runOnce(staticData, [entry('a', 'Edited')], none);
		expect(staticData[RECORD_KEY]).toEqual({ format: RECORD_FORMAT, fingerprints: '' });
	});

	it('leaves the static data untouched when the same courses come unchanged, so that n8n has nothing to save', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [entry('a'), entry('b')]);
		const before = staticData[RECORD_KEY];
		const assigned: string[] = [];
		const watched = new Proxy(staticData, {
			set(target, key, value) {
				assigned.push(String(key));
				return Reflect.set(target, key, value);
			},
		});
		runOnce(watched, [entry('b'), entry('a')], none);
		expect(assigned).toEqual([]);
		expect(staticData[RECORD_KEY]).toBe(before);
	});

	it('drops the courses that left the input, even on a run that sent nothing', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [entry('a'), entry('b')]);
		runOnce(staticData, [entry('a')], none);
		expect(staticData[RECORD_KEY]).toEqual(recordOf(entry('a')));
		expect(openRecord(staticData, [entry('b')], false).unchanged.size).toBe(0);
	});

	it('leaves the static data untouched when a run sends something but ends with the same record', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [entry('a')]);
		const before = staticData[RECORD_KEY];
		// 'b' failed: the record is again exactly 'a'.
		runOnce(staticData, [entry('a'), entry('b')], (each) => each.originId === 'a');
		expect(staticData[RECORD_KEY]).toBe(before);
	});

	it('writes the record from a run with no courses before it only when it forgets', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [], none);
		expect(staticData).toEqual({});
	});

	it('forgets everything when asked, and remembers from then on', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [entry('a')]);
		const forgotten = runOnce(staticData, [entry('a')], all, true);
		expect(forgotten.state).toBe('forgotten');
		expect(forgotten.unchanged.size).toBe(0);
		expect(openRecord(staticData, [entry('a')], false).unchanged.size).toBe(1);
	});

	it('forgets everything when asked, even on a run with no courses to send', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [entry('a')]);
		runOnce(staticData, [], none, true);
		expect(staticData[RECORD_KEY]).toEqual({ format: RECORD_FORMAT, fingerprints: '' });
		expect(openRecord(staticData, [entry('a')], false).unchanged.size).toBe(0);
	});

	it('sends a course edited back to a version Kombo confirmed before the one it holds now', () => {
		const staticData: IDataObject = {};
		runOnce(staticData, [entry('a', 'First')]);
		runOnce(staticData, [entry('a', 'Second')]);
		expect(staticData[RECORD_KEY]).toEqual(recordOf(entry('a', 'Second')));
		expect(openRecord(staticData, [entry('a', 'First')], false).unchanged.size).toBe(0);
	});

	it('asking the record changes nothing that another run reads', () => {
		const staticData: IDataObject = { [RECORD_KEY]: recordOf(entry('a')) };
		const before = JSON.stringify(staticData);
		openRecord(staticData, [entry('a'), entry('b', 'New')], false);
		expect(JSON.stringify(staticData)).toBe(before);
	});

	it.each([
		['text', 'not a record'],
		['null', null],
		['another format', { format: 2, fingerprints: '' }],
		['fingerprints that are not text', { format: RECORD_FORMAT, fingerprints: 7 }],
		['a cut fingerprint', { format: RECORD_FORMAT, fingerprints: 'abc' }],
		['characters no fingerprint has', { format: RECORD_FORMAT, fingerprints: 'abcdefghijklmno+' }],
		['a list instead of text', { format: RECORD_FORMAT, fingerprints: [] }],
		['another format with the very fingerprints this run confirms', { format: 2, fingerprints: recordOf(entry('a')).fingerprints }],
	])('trusts nothing of a record that holds %s, and writes it anew', (_what, stored) => {
		const staticData: IDataObject = { [RECORD_KEY]: stored as IDataObject };
		const record = runOnce(staticData, [entry('a')]);
		expect(record.state).toBe('unreadable');
		expect(record.unchanged.size).toBe(0);
		expect(staticData[RECORD_KEY]).toEqual(recordOf(entry('a')));
	});

	it('replaces an unreadable record even when the run had nothing to send', () => {
		const staticData: IDataObject = { [RECORD_KEY]: 'not a record' };
		runOnce(staticData, [], none);
		expect(staticData[RECORD_KEY]).toEqual({ format: RECORD_FORMAT, fingerprints: '' });
	});

	it('reads a record whose fingerprints use every base64url character', () => {
		const fingerprints = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
		const record = openRecord({ [RECORD_KEY]: { format: RECORD_FORMAT, fingerprints } }, [entry('a')], false);
		expect(record.state).toBe('kept');
	});

	it('keeps at most the largest number of fingerprints (the others are sent again next time)', () => {
		const entries = Array.from({ length: 3 }, (_, index) => entry(`c${index}`));
		const staticData: IDataObject = {};
		closeRecord(openRecord(staticData, entries, false), all, 2);
		const kept = (staticData[RECORD_KEY] as IDataObject).fingerprints as string;
		expect(kept).toHaveLength(32);
		expect(openRecord(staticData, entries, false).unchanged.size).toBe(2);
	});
});

describe('recordHints', () => {
	it('says nothing on a run started by a trigger with a record it could read, or set aside', () => {
		for (const state of ['kept', 'forgotten'] as const) expect(recordHints(state, false)).toEqual([]);
	});

	it('says when a run started by a trigger found no record, and why that can happen', () => {
		expect(recordHints('empty', false)).toEqual([
			{
				type: 'info',
				location: 'outputPane',
				message:
					'Skip Unchanged Courses found no record of confirmed courses, so every course was sent. That is expected on the first run, or after the node was renamed. In queue mode it happens on every run: n8n 2.41 hands its workers no static data, so the option cannot skip anything there.',
			},
		]);
		expect(recordHints('empty', true).map((hint) => hint.message)).toEqual([expect.stringContaining('started from the editor')]);
	});

	it('warns in the output pane that everything was sent when the record was unreadable', () => {
		expect(recordHints('unreadable', false)).toEqual([
			{
				type: 'warning',
				location: 'outputPane',
				message:
					'Skip Unchanged Courses could not read its record of confirmed courses, so every course was sent. The record is written anew from what Kombo confirms in this run.',
			},
		]);
	});

	it('says that a run started from the editor keeps nothing', () => {
		expect(recordHints('kept', true)).toEqual([
			{
				type: 'info',
				location: 'outputPane',
				message:
					'Skip Unchanged Courses: this run was started from the editor, and n8n does not save what such a run learns. Runs started by a trigger, once the workflow is published, keep the record of confirmed courses.',
			},
		]);
		expect(recordHints('unreadable', true).map((hint) => hint.type)).toEqual(['warning', 'info']);
	});
});
