import type { CourseField } from './course';
import { COURSE_FIELDS, FIELD_LABELS, fieldName, PANEL_FIELDS } from './course';

/**
 * Every column name Map Automatically takes for a course field: the API name, the Courses
 * panel's label, then the synonyms people use. Names are compared normalised (see
 * normaliseColumnName), so case, spaces, underscores, dashes and brackets do not matter; no
 * normalised name may stand for two fields.
 */
export const COLUMN_NAMES: Readonly<Record<CourseField, readonly string[]>> = {
	origin_id: ['origin_id', FIELD_LABELS.origin_id, 'id', 'course id', 'external id', 'sku'],
	title: ['title', FIELD_LABELS.title, 'name', 'course title', 'course name'],
	course_url: ['course_url', FIELD_LABELS.course_url, 'url', 'link', 'course link'],
	description: ['description', FIELD_LABELS.description, 'course description'],
	thumbnail_url: ['thumbnail_url', FIELD_LABELS.thumbnail_url, 'thumbnail', 'image', 'image url'],
	duration: ['duration', FIELD_LABELS.duration, 'minutes', 'duration in minutes'],
	languages: ['languages', FIELD_LABELS.languages, 'language'],
};

/** Two or more input columns that name the same course field. */
export interface ColumnConflict {
	field: CourseField;
	columns: readonly string[];
}

export interface ColumnMatch {
	/** The row's values under the API field names; a field without a column is absent. */
	record: Record<string, unknown>;
	/** Fields that several columns name; such a field is left out of `record`. */
	conflicts: readonly ColumnConflict[];
	/**
	 * The row's columns that name no course field. (A column that names a field whose exact
	 * API-name column is also present is in neither list: the API-name column wins.)
	 */
	unmatched: readonly string[];
}

/** Lower case, letters and digits only: "Duration (Minutes)" and "duration_minutes" are alike. */
export function normaliseColumnName(name: string): string {
	return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

const FIELD_BY_NAME: ReadonlyMap<string, CourseField> = new Map(
	COURSE_FIELDS.flatMap((field) => COLUMN_NAMES[field].map((name) => [normaliseColumnName(name), field] as const)),
);

interface ColumnPlan {
	/** [field, column] pairs to copy from each row. */
	copy: ReadonlyArray<readonly [CourseField, string]>;
	conflicts: readonly ColumnConflict[];
	unmatched: readonly string[];
}

function planColumns(columns: readonly string[]): ColumnPlan {
	const byField = new Map<CourseField, string[]>();
	const unmatched: string[] = [];
	for (const column of columns) {
		const field = FIELD_BY_NAME.get(normaliseColumnName(column));
		if (field === undefined) {
			unmatched.push(column);
			continue;
		}
		const named = byField.get(field);
		if (named) named.push(column);
		else byField.set(field, [column]);
	}
	const copy: Array<readonly [CourseField, string]> = [];
	const conflicts: ColumnConflict[] = [];
	for (const field of COURSE_FIELDS) {
		const named = byField.get(field);
		if (!named) continue;
		// A column spelt exactly as the API field is what the node has always taken, and what
		// docs/courses.md documents: it wins over labels and synonyms instead of conflicting with them.
		if (named.length === 1 || named.includes(field)) {
			copy.push([field, named.length === 1 ? named[0] : field]);
		} else {
			conflicts.push(Object.freeze({ field, columns: Object.freeze(named) }));
		}
	}
	return { copy, conflicts: Object.freeze(conflicts), unmatched: Object.freeze(unmatched) };
}

// Rows of one input nearly always share their columns, so a run of 100,000 rows plans a handful
// of key sets once each. Bounded, for inputs whose rows all differ.
const PLAN_CACHE_MAX = 256;
const planCache = new Map<string, ColumnPlan>();

function planFor(columns: string[]): ColumnPlan {
	// The count keeps a row without fields apart from a row with one unnamed field ("").
	const key = `${columns.length}\u0000${columns.join('\u0000')}`;
	let plan = planCache.get(key);
	if (!plan) {
		plan = planColumns(columns);
		if (planCache.size >= PLAN_CACHE_MAX) planCache.clear();
		planCache.set(key, plan);
	}
	return plan;
}

/**
 * Map Automatically: finds each course field's column in an input row by the names in
 * COLUMN_NAMES. The `conflicts` and `unmatched` arrays are shared between rows with the same
 * columns: read them, don't change them.
 */
export function matchCourseColumns(row: Record<string, unknown>): ColumnMatch {
	const plan = planFor(Object.keys(row));
	const record: Record<string, unknown> = {};
	for (const [field, column] of plan.copy) record[field] = row[column];
	return { record, conflicts: plan.conflicts, unmatched: plan.unmatched };
}

function list(names: readonly string[], max = names.length): string {
	const shown = names.slice(0, max);
	if (names.length > max) shown.push(`${names.length - max} more`);
	if (shown.length <= 1) return shown.join('');
	return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

function quoted(names: readonly string[]): string[] {
	return names.map((name) => JSON.stringify(name));
}

/** A field's names beyond its API name and panel label, e.g. id, course id, … for Origin ID. */
function synonymsOf(field: CourseField): string[] {
	const own = new Set([normaliseColumnName(field), normaliseColumnName(FIELD_LABELS[field])]);
	return COLUMN_NAMES[field].filter((name) => !own.has(normaliseColumnName(name)));
}

/** "id, course id, external id, sku (Origin ID); name, … (Title); …" */
export function columnSynonymsText(): string {
	return PANEL_FIELDS.map((field) => `${synonymsOf(field).join(', ')} (${FIELD_LABELS[field].split(' (')[0]})`).join('; ');
}

/** "Origin ID or origin_id, Title, Course URL or course_url, …": the names every field goes by. */
function fieldNamesText(): string {
	return PANEL_FIELDS.map((field) =>
		FIELD_LABELS[field].toLowerCase() === field ? FIELD_LABELS[field] : `${FIELD_LABELS[field]} or ${field}`,
	).join(', ');
}

/** The error message for a field that several columns of a row name. */
export function conflictMessage(conflict: ColumnConflict): string {
	const columns = list(quoted(conflict.columns));
	const all = conflict.columns.length === 2 ? 'both' : 'all';
	return `The columns ${columns} ${all} name ${fieldName(conflict.field)}; Map Automatically cannot tell which to use`;
}

/** How to fix a conflict, for the error's description. */
export function conflictHint(conflict: ColumnConflict): string {
	return `Keep one of these columns, or rename the one to use to "${conflict.field}": a column named exactly like the API field wins over the others. Or choose Map Each Column Manually.`;
}

/**
 * The description for a row none of whose columns Map Automatically recognises: the row's
 * columns and the names it expects.
 */
export function noMatchingColumnsText(columns: readonly string[]): string {
	const found =
		columns.length === 0 ? 'The input item has no fields.' : `The input item's fields are ${list(quoted(columns), 10)}.`;
	return (
		`${found} Map Automatically expects columns named like the course fields: ${fieldNamesText()}; ` +
		`or ${columnSynonymsText()}. Case, spaces, dashes, underscores and brackets do not matter. ` +
		'Rename the columns (e.g. with an Edit Fields node), or choose Map Each Column Manually.'
	);
}

/**
 * The notice shown above the Courses mapper: what Origin ID is for, the formats of Duration and
 * Languages, and the column names Map Automatically takes.
 */
export const COURSES_NOTICE =
	'Origin ID: your own stable ID for a course. Keep it the same from run to run: sending it again updates the course instead of adding another. ' +
	'Duration (Minutes): whole minutes, e.g. 45 or "45". Languages: codes such as en or de-CH, comma separated. ' +
	`Map Automatically takes columns named like a field (Course URL, course_url and course-url alike) or ${columnSynonymsText()}.`;
