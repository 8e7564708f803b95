import type { Entry } from './batching';
import { fieldName } from './course';

/**
 * Finds every item whose origin id another item of the same integration also uses, and returns
 * for each such item the indexes of the others. Kombo matches courses on origin id, so two rows
 * with one id would overwrite each other in an order nobody chose.
 */
export function findDuplicateOriginIds<T>(entries: Array<Entry<T>>): Map<number, number[]> {
	const byKey = new Map<string, number[]>();
	for (const entry of entries) {
		const key = JSON.stringify([entry.integrationId, entry.originId]);
		const indexes = byKey.get(key);
		if (indexes) indexes.push(entry.itemIndex);
		else byKey.set(key, [entry.itemIndex]);
	}
	const duplicates = new Map<number, number[]>();
	for (const indexes of byKey.values()) {
		if (indexes.length < 2) continue;
		for (const index of indexes) {
			duplicates.set(
				index,
				indexes.filter((other) => other !== index),
			);
		}
	}
	return duplicates;
}

/** What is wrong with an item whose origin ID another item of the same integration also uses. */
export function duplicateProblem(entry: Entry<unknown>, others: number[]): string {
	const items = [entry.itemIndex, ...others].sort((a, b) => a - b).join(' and ');
	return `${fieldName('origin_id')} ${JSON.stringify(entry.originId)} is used by items ${items} for integration ${entry.integrationId}`;
}

export const DUPLICATE_HINT =
	'Kombo matches courses on origin ID, so two items with the same one would overwrite each other. Remove the duplicate rows (e.g. with a Remove Duplicates node) or give each course its own origin ID.';
