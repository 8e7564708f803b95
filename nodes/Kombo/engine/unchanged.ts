import type { IDataObject, NodeExecutionHint } from 'n8n-workflow';

import type { Entry } from '../helpers/batching';
import { FINGERPRINT_CHARS, FINGERPRINTS_MAX_ENTRIES } from '../helpers/constants';
import type { KomboCourseItem } from '../helpers/course';
import { courseFingerprint } from '../helpers/fingerprint';

/** Where the record lives in the node's static data, and the shape it has there. */
export const RECORD_KEY = 'confirmedCourses';
export const RECORD_FORMAT = 1;
const FINGERPRINTS_TEXT = /^[A-Za-z0-9_-]*$/;

/**
 * - `kept`: an earlier run's record was read.
 * - `empty`: there was none (the first run with the option, or the node was renamed).
 * - `forgotten`: Forget Sent Courses set it aside.
 * - `unreadable`: something that is not a record stood in its place, and was not trusted.
 */
export type RecordState = 'kept' | 'empty' | 'forgotten' | 'unreadable';

export interface OpenRecord {
	/** The node's static data, which holds the record. */
	staticData: IDataObject;
	/** Entries whose course is exactly what Kombo confirmed for that integration. */
	unchanged: Set<Entry<KomboCourseItem>>;
	state: RecordState;
	fingerprints: Map<Entry<KomboCourseItem>, string>;
	/** The record's fingerprints as they were read, when it was read. */
	read?: string;
}

/** The confirmed fingerprints a stored record holds, or undefined when it is not a record. */
function readFingerprints(stored: unknown): { text: string; fingerprints: Set<string> } | undefined {
	const record = stored as IDataObject | null;
	if (typeof record !== 'object' || record === null || record.format !== RECORD_FORMAT) return undefined;
	const text = record.fingerprints;
	if (typeof text !== 'string' || text.length % FINGERPRINT_CHARS !== 0 || !FINGERPRINTS_TEXT.test(text)) return undefined;
	const fingerprints = new Set<string>();
	// Stryker disable next-line EqualityOperator: one more step slices '', which no fingerprint equals
	for (let at = 0; at < text.length; at += FINGERPRINT_CHARS) fingerprints.add(text.slice(at, at + FINGERPRINT_CHARS));
	return { text, fingerprints };
}

/**
 * Reads the record of confirmed courses from the node's static data. n8n gives each execution its
 * own copy of that data, read when the execution starts, so asking the record cannot change what
 * another execution reads, and the record holds nothing but what Kombo confirmed.
 */
export function openRecord(staticData: IDataObject, entries: Array<Entry<KomboCourseItem>>, forget: boolean): OpenRecord {
	const stored = staticData[RECORD_KEY];
	const read = forget ? undefined : readFingerprints(stored);
	let state: RecordState = 'kept';
	if (forget) state = 'forgotten';
	else if (stored === undefined) state = 'empty';
	else if (!read) state = 'unreadable';
	const fingerprints = new Map(entries.map((entry) => [entry, courseFingerprint(entry.integrationId, entry.value)]));
	const unchanged = new Set<Entry<KomboCourseItem>>();
	for (const [entry, fingerprint] of fingerprints) if (read?.fingerprints.has(fingerprint)) unchanged.add(entry);
	return { staticData, unchanged, state, fingerprints, read: read?.text };
}

/**
 * Writes the record back into the node's static data, which n8n saves when the execution ends
 * (never for an execution started from the editor or stopped, nor for one whose process died:
 * the record then stays as it was, which is never unsafe). The record becomes exactly the courses
 * of this run that Kombo confirmed: the unchanged ones and the succeeded ones. Courses that left
 * the input leave the record, so a course that Deactivate Courses Not in Input retired is sent
 * again when it comes back; and a course's older fingerprint goes, so a course edited back to a
 * version Kombo confirmed before its current one is sent again (by executions that follow one
 * another: of overlapping ones, the last to end writes the record).
 */
export function closeRecord(record: OpenRecord, succeeded: (entry: Entry<KomboCourseItem>) => boolean, maxEntries = FINGERPRINTS_MAX_ENTRIES): void {
	const confirmed = new Set<string>();
	for (const [entry, fingerprint] of record.fingerprints) {
		if (record.unchanged.has(entry) || succeeded(entry)) confirmed.add(fingerprint);
	}
	const fingerprints = [...confirmed].sort().slice(0, maxEntries).join('');
	// Nothing to change: n8n saves the static data only when the node changed it.
	if (record.read === fingerprints || (record.state === 'empty' && fingerprints === '')) return;
	record.staticData[RECORD_KEY] = { format: RECORD_FORMAT, fingerprints };
}

/** What the output pane says about the record, beside the run's items. */
export function recordHints(state: RecordState, startedFromEditor: boolean): NodeExecutionHint[] {
	const hints: NodeExecutionHint[] = [];
	if (state === 'unreadable') {
		hints.push({
			type: 'warning',
			location: 'outputPane',
			message:
				'Skip Unchanged Courses could not read its record of confirmed courses, so every course was sent. The record is written anew from what Kombo confirms in this run.',
		});
	}
	if (state === 'empty' && !startedFromEditor) {
		hints.push({
			type: 'info',
			location: 'outputPane',
			message:
				'Skip Unchanged Courses found no record of confirmed courses, so every course was sent. That is expected on the first run, or after the node was renamed. In queue mode it happens on every run: n8n 2.41 hands its workers no static data, so the option cannot skip anything there.',
		});
	}
	if (startedFromEditor) {
		hints.push({
			type: 'info',
			location: 'outputPane',
			message:
				'Skip Unchanged Courses: this run was started from the editor, and n8n does not save what such a run learns. Runs started by a trigger, once the workflow is published, keep the record of confirmed courses.',
		});
	}
	return hints;
}
