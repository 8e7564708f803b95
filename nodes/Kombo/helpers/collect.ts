import type { Entry } from './batching';
import type { KomboCourseItem } from './course';
import { describeProblems, validateCourse } from './course';
import { DUPLICATE_HINT, duplicateProblem, findDuplicateOriginIds } from './duplicates';
import type { InvalidItem } from './outputs';

/** One input item as mapped: the record with Kombo's field names, and where it goes. */
export interface MappedRow {
	itemIndex: number;
	integrationId: string;
	record: Record<string, unknown>;
}

export interface Collected {
	entries: Array<Entry<KomboCourseItem>>;
	/** Sorted by item index. */
	invalid: InvalidItem[];
}

/**
 * Validates every mapped row and rejects origin IDs used twice for one integration. Rows that
 * could not even be mapped come in as `failed` and stay invalid. Nothing is sent from here.
 */
export function collectCourses(rows: MappedRow[], failed: InvalidItem[] = []): Collected {
	const invalid = [...failed];
	const valid: Array<Entry<KomboCourseItem>> = [];
	for (const row of rows) {
		const validation = validateCourse(row.record);
		if (validation.ok) {
			valid.push({ itemIndex: row.itemIndex, integrationId: row.integrationId, originId: validation.item.origin_id, value: validation.item });
			continue;
		}
		const [first] = validation.problems;
		const originId = typeof row.record.origin_id === 'string' && row.record.origin_id.trim() !== '' ? row.record.origin_id.trim() : null;
		invalid.push({
			itemIndex: row.itemIndex,
			message: `Invalid course: ${first.message} [item ${row.itemIndex}]`,
			description: describeProblems(validation.problems),
			field: first.field,
			value: first.value,
			originId,
			problems: validation.problems.map((problem) => ({ field: problem.field, value: problem.value, message: problem.message, fix: problem.hint })),
		});
	}
	const duplicates = findDuplicateOriginIds(valid);
	const entries: Array<Entry<KomboCourseItem>> = [];
	for (const entry of valid) {
		const others = duplicates.get(entry.itemIndex);
		if (!others) {
			entries.push(entry);
			continue;
		}
		const problem = duplicateProblem(entry, others);
		invalid.push({
			itemIndex: entry.itemIndex,
			message: `Invalid course: ${problem} [item ${entry.itemIndex}]`,
			description: DUPLICATE_HINT,
			field: 'origin_id',
			value: entry.originId,
			originId: entry.originId,
			problems: [{ field: 'origin_id', value: entry.originId, message: problem, fix: DUPLICATE_HINT }],
		});
	}
	invalid.sort((a, b) => a.itemIndex - b.itemIndex);
	return { entries, invalid };
}
