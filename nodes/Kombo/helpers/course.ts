import { z } from 'zod';

import { COURSE_TYPE_EXTERNAL } from './constants';

export const COURSE_FIELDS = [
	'origin_id',
	'title',
	'description',
	'course_url',
	'thumbnail_url',
	'duration',
	'languages',
] as const;

export type CourseField = (typeof COURSE_FIELDS)[number];

export interface KomboCourse {
	type: typeof COURSE_TYPE_EXTERNAL;
	title: string;
	course_url: string;
	description?: string;
	thumbnail_url?: string;
	duration?: number;
	languages?: string[];
}

export interface KomboCourseItem {
	origin_id: string;
	course: KomboCourse;
}

export interface FieldProblem {
	field: CourseField;
	value: unknown;
	message: string;
	hint: string;
}

export type CourseValidation =
	| { ok: true; item: KomboCourseItem }
	| { ok: false; problems: FieldProblem[] };

const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Z]{2})?$/;
const LANGUAGE_SEPARATORS = /[\s,;]+/;
const ABSOLUTE_HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;
const WHOLE_MINUTES = /^\d+(\.0+)?$/;

/** The order of the fields in the Courses panel (the required ones first) and in texts about them. */
export const PANEL_FIELDS: readonly CourseField[] = [
	'origin_id',
	'title',
	'course_url',
	'description',
	'thumbnail_url',
	'duration',
	'languages',
];

/** How the resource mapper labels each field (Courses panel); messages name fields the same way. */
export const FIELD_LABELS: Readonly<Record<CourseField, string>> = {
	origin_id: 'Origin ID',
	title: 'Title',
	course_url: 'Course URL',
	description: 'Description',
	thumbnail_url: 'Thumbnail URL',
	duration: 'Duration (Minutes)',
	languages: 'Languages',
};

/**
 * A field as messages name it: its panel label, with the API name in brackets when the label
 * does not already spell it (an auto-mapped column or an expression may use either), e.g.
 * "Course URL (course_url)", but "Title" and "Duration".
 */
export function fieldName(field: CourseField): string {
	const label = FIELD_LABELS[field].split(' (')[0];
	return label.toLowerCase() === field ? label : `${label} (${field})`;
}

const HINTS: Record<CourseField, string> = {
	origin_id:
		"Map a column that identifies each course uniquely and stays the same from run to run (a SKU or your catalogue's ID) to Origin ID. Kombo uses it to update a course instead of creating it twice.",
	title: "Map a column with the course's name to Title; it may not be blank.",
	description: 'Map text to Description, or leave it empty.',
	course_url:
		'Map a full link that opens the course to Course URL, starting with https:// or http://, e.g. https://academy.example.com/courses/42.',
	thumbnail_url: 'Map a full image link starting with https:// or http:// to Thumbnail URL, or leave it empty.',
	duration:
		'Give Duration (Minutes) as a whole number of minutes, at least 1 (e.g. 45 or "45"), or leave it empty.',
	languages:
		'Give Languages as language codes such as en, de or de-CH (a language, optionally a dash and a country), separated by commas; or leave it empty.',
};

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function show(value: unknown): string {
	if (typeof value === 'number') return String(value);
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

// Reading a spreadsheet cell the way a person meant it. These never reject: a value they cannot
// read is passed on as it is, and the schema below rejects it with a message that names it.

function readText(value: unknown): unknown {
	if (isBlank(value)) return undefined;
	if (typeof value === 'string') return value.trim();
	// Past 2^53 a spreadsheet has already rounded a number, so its digits are not the ID: keep
	// the number, which the schema then refuses.
	if (Number.isFinite(value) && !(Number.isInteger(value) && !Number.isSafeInteger(value))) {
		return String(value);
	}
	return value;
}

function readMinutes(value: unknown): unknown {
	if (isBlank(value)) return undefined;
	if (typeof value === 'string' && WHOLE_MINUTES.test(value.trim())) return Number(value);
	return value;
}

export function normaliseLanguage(code: string): string {
	const trimmed = code.trim();
	const parts = trimmed.split(/[-_]/);
	if (parts.length === 1) return parts[0].toLowerCase();
	if (parts.length === 2) return `${parts[0].toLowerCase()}-${parts[1].toUpperCase()}`;
	return trimmed;
}

/** The codes as written (for messages) and as normalised (for Kombo), index for index. */
function readLanguages(value: unknown): { written: unknown[]; codes: unknown } | undefined {
	if (isBlank(value)) return undefined;
	// Stryker disable next-line ArrayDeclaration: a value that is not a list gets one problem naming it whole, which never reads written
	if (!Array.isArray(value) && typeof value !== 'string') return { written: [], codes: value };
	const written: unknown[] = Array.isArray(value)
		? value.filter((code) => !isBlank(code))
		: value.split(LANGUAGE_SEPARATORS).filter((code) => code !== '');
	if (written.length === 0) return undefined;
	return { written, codes: written.map((code) => (typeof code === 'string' ? normaliseLanguage(code) : code)) };
}

const absoluteUrl = z.string().regex(ABSOLUTE_HTTP_URL).url();

/** What Kombo's API accepts for a course item (kombo-lms-api.md), checked before anything is sent. */
const courseInputSchema = z.object({
	origin_id: z.string().min(1),
	title: z.string().min(1),
	description: z.string().optional(),
	course_url: absoluteUrl,
	thumbnail_url: absoluteUrl.optional(),
	duration: z.number().int().min(1).safe().optional(),
	languages: z.array(z.string().regex(LANGUAGE_PATTERN)).optional(),
});

type CourseInput = z.infer<typeof courseInputSchema>;

function problemMessage(field: CourseField, issue: z.ZodIssue, raw: unknown, written: unknown[]): { value: unknown; message: string } {
	const name = fieldName(field);
	switch (field) {
		case 'duration':
			return { value: raw, message: `${name} must be a whole number of minutes of at least 1, got ${show(raw)}` };
		case 'languages': {
			if (issue.path.length < 2) {
				return { value: raw, message: `${name} must be a list of language codes, got ${show(raw)}` };
			}
			const code = written[issue.path[1] as number];
			return typeof code === 'string'
				? { value: code, message: `${name} holds ${show(code)}, which is not a language code Kombo accepts` }
				: { value: code, message: `${name} must hold language codes, got ${show(code)}` };
		}
		default:
			if (isBlank(raw)) return { value: raw, message: `${name} is required but empty` };
			if (Number.isInteger(raw) && !Number.isSafeInteger(raw)) {
				return { value: raw, message: `${name} is the number ${show(raw)}, too large to be exact; store it as text` };
			}
			if (issue.code === z.ZodIssueCode.invalid_string) {
				return { value: raw, message: `${name} must be an absolute http(s) URL, got ${show(String(raw).trim())}` };
			}
			return { value: raw, message: `${name} must be text, got ${show(raw)}` };
	}
}

/**
 * All of one item's problems as one paragraph, each with its hint: n8n shows an error's
 * description as a single paragraph and drops line breaks, so several problems are numbered
 * ("1) … 2) …") rather than put on lines of their own.
 */
export function describeProblems(problems: readonly FieldProblem[]): string {
	const sentences = problems.map((problem) => `${problem.message}. ${problem.hint}`);
	if (sentences.length <= 1) return sentences.join('');
	return sentences.map((sentence, index) => `${index + 1}) ${sentence}`).join(' ');
}

/**
 * Turns one mapped input record into the course Kombo expects, or explains every field that is
 * wrong with it. Fields that are not given are left out of the body, not sent as null, so an
 * update never blanks a value the user did not map.
 */
export function validateCourse(record: Record<string, unknown>): CourseValidation {
	const languages = readLanguages(record.languages);
	const input = {
		origin_id: readText(record.origin_id),
		title: readText(record.title),
		description: readText(record.description),
		course_url: readText(record.course_url),
		thumbnail_url: readText(record.thumbnail_url),
		duration: readMinutes(record.duration),
		languages: languages?.codes,
	};
	const result = courseInputSchema.safeParse(input);
	if (!result.success) {
		const problems: FieldProblem[] = [];
		for (const issue of result.error.issues) {
			const field = issue.path[0] as CourseField;
			if (problems.some((problem) => problem.field === field)) continue;
			// Stryker disable next-line ArrayDeclaration: languages is undefined only when none are given, and then no problem is about languages
			problems.push({ field, ...problemMessage(field, issue, record[field], languages?.written ?? []), hint: HINTS[field] });
		}
		problems.sort((a, b) => PANEL_FIELDS.indexOf(a.field) - PANEL_FIELDS.indexOf(b.field));
		return { ok: false, problems };
	}
	const data: CourseInput = result.data;
	const course: KomboCourse = { type: COURSE_TYPE_EXTERNAL, title: data.title, course_url: data.course_url };
	if (data.description !== undefined) course.description = data.description;
	if (data.thumbnail_url !== undefined) course.thumbnail_url = data.thumbnail_url;
	if (data.duration !== undefined) course.duration = data.duration;
	if (data.languages !== undefined) course.languages = [...new Set(data.languages)];
	return { ok: true, item: { origin_id: data.origin_id, course } };
}
