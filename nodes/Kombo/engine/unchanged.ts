import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';

import type { Entry } from '../helpers/batching';
import { FINGERPRINTS_MAX_ENTRIES, RUN_OPEN_MARKER } from '../helpers/constants';
import type { KomboCourseItem } from '../helpers/course';
import { courseFingerprint } from '../helpers/fingerprint';

type Store = Pick<IExecuteFunctions['helpers'], 'checkProcessedAndRecord' | 'removeProcessed' | 'clearAllProcessedItems'>;

const SCOPE = 'node';
const OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: FINGERPRINTS_MAX_ENTRIES };

export interface OpenRecord {
	/** Entries whose course is exactly what Kombo last confirmed for that integration. */
	unchanged: Set<Entry<KomboCourseItem>>;
	/** Whether the record was started afresh (forgotten on request, or left open by a dead run). */
	startedOver: boolean;
	fingerprints: Map<Entry<KomboCourseItem>, string>;
}

/**
 * n8n's deduplication store records every value it is asked about, so asking whether a course
 * is unchanged also marks it so. The record therefore trusts itself only between runs that
 * closed it: a run marks the record open before asking, and closes it once it knows which of
 * the courses it sent Kombo confirmed, writing back exactly the confirmed ones. A run that dies
 * in between leaves the record open, and the next run forgets it and sends everything: a course
 * is never skipped that Kombo did not confirm.
 */
export async function openRecord(store: Store, entries: Array<Entry<KomboCourseItem>>, forget: boolean): Promise<OpenRecord> {
	let startedOver = forget;
	if (forget) await store.clearAllProcessedItems(SCOPE, OPTIONS);
	const marker = await store.checkProcessedAndRecord([RUN_OPEN_MARKER], SCOPE, OPTIONS);
	if (marker.processed.length > 0 && !forget) {
		startedOver = true;
		await store.clearAllProcessedItems(SCOPE, OPTIONS);
		await store.checkProcessedAndRecord([RUN_OPEN_MARKER], SCOPE, OPTIONS);
	}
	const fingerprints = new Map(entries.map((entry) => [entry, courseFingerprint(entry.integrationId, entry.value)]));
	const unchanged = new Set<Entry<KomboCourseItem>>();
	// A record started afresh trusts nothing, so it is not asked: asking would record fingerprints
	// Kombo has not confirmed, which a run overlapping this one could leave behind when it closes.
	if (entries.length > 0 && !startedOver) {
		const checked = await store.checkProcessedAndRecord([...fingerprints.values()], SCOPE, OPTIONS);
		const confirmed = new Set(checked.processed);
		for (const [entry, fingerprint] of fingerprints) if (confirmed.has(fingerprint)) unchanged.add(entry);
	}
	return { unchanged, startedOver, fingerprints };
}

/**
 * Closes the record. When nothing was sent, it already holds exactly what Kombo confirmed, and
 * only the open marker goes. Otherwise it is written anew with the fingerprints of the unchanged
 * and the succeeded courses: a course's older fingerprints must not survive, or a course edited
 * back to a version Kombo confirmed earlier would be skipped although Kombo holds the later one.
 * (n8n removes entries one by one, which for many entries costs far more than writing them anew.)
 */
export async function closeRecord(store: Store, record: OpenRecord, succeeded: (entry: Entry<KomboCourseItem>) => boolean): Promise<void> {
	const sentAny = [...record.fingerprints.keys()].some((entry) => !record.unchanged.has(entry));
	if (!sentAny) {
		await store.removeProcessed([RUN_OPEN_MARKER], SCOPE, OPTIONS);
		return;
	}
	const confirmed = [...record.fingerprints].filter(([entry]) => record.unchanged.has(entry) || succeeded(entry)).map(([, fingerprint]) => fingerprint);
	await store.clearAllProcessedItems(SCOPE, OPTIONS);
	if (confirmed.length > 0) await store.checkProcessedAndRecord(confirmed, SCOPE, OPTIONS);
}
