export interface Entry<T> {
	itemIndex: number;
	integrationId: string;
	originId: string;
	value: T;
}

export interface Batch<T> {
	integrationId: string;
	entries: Array<Entry<T>>;
}

/**
 * Groups entries by integration (in order of first appearance) and cuts each group into batches
 * of at most `batchSize`, keeping the input order inside every batch.
 */
export function toBatches<T>(entries: Array<Entry<T>>, batchSize: number): Array<Batch<T>> {
	const groups = new Map<string, Array<Entry<T>>>();
	for (const entry of entries) {
		const group = groups.get(entry.integrationId);
		if (group) group.push(entry);
		else groups.set(entry.integrationId, [entry]);
	}
	const batches: Array<Batch<T>> = [];
	for (const [integrationId, group] of groups) {
		for (let start = 0; start < group.length; start += batchSize) {
			batches.push({ integrationId, entries: group.slice(start, start + batchSize) });
		}
	}
	return batches;
}

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
