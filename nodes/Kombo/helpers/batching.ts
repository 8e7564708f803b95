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
