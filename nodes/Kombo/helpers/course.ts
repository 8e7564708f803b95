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

const HINTS: Record<CourseField, string> = {
	origin_id:
		"Map a column that identifies each course uniquely and stays the same between runs (a SKU or your catalogue's ID) to 'origin_id'. Kombo uses it to update a course instead of creating it twice.",
	title: "Map a column with the course's name to 'title'; it may not be blank.",
	description: "Map text, or leave 'description' empty.",
	course_url:
		"Use a full link that opens the course, starting with https:// or http://, e.g. https://academy.example.com/courses/42.",
	thumbnail_url:
		"Use a full image link starting with https:// or http://, or leave 'thumbnail_url' empty.",
	duration:
		"Give the duration as a whole number of minutes, at least 1 (e.g. 45), or leave 'duration' empty.",
	languages:
		"Use language codes such as en, de or de-CH (language, optionally a dash and a country), separated by commas; or leave 'languages' empty.",
};

/**
 * Where a field parser records why it cannot read a value. The parsers are plain functions rather
 * than a zod schema: zod's per-field machinery cost about 40 µs a course, most of the node's own
 * time on large runs (see BENCHMARKS.md), where these checks take a few.
 */
interface FieldCheck {
	problem?: { value: unknown; message: string };
}

type FieldParser<T> = (value: unknown, check: FieldCheck) => T | undefined;

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

function fail(check: FieldCheck, value: unknown, message: string): undefined {
	check.problem = { value, message };
	return undefined;
}

function text(field: CourseField, required: boolean): FieldParser<string> {
	return (value, ctx) => {
		if (isBlank(value)) {
			return required ? fail(ctx, value, `'${field}' is required but empty`) : undefined;
		}
		if (typeof value === 'string') return value.trim();
		if (typeof value === 'number' && Number.isFinite(value)) {
			// Past 2^53 a spreadsheet has already rounded the number: its digits are not the ID.
			if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
				return fail(ctx, value, `'${field}' is the number ${show(value)}, too large to be exact; store it as text`);
			}
			return String(value);
		}
		return fail(ctx, value, `'${field}' must be text, got ${show(value)}`);
	};
}

function url(field: CourseField, required: boolean): FieldParser<string> {
	const readText = text(field, required);
	return (input, ctx) => {
		const value = readText(input, ctx);
		if (value === undefined) return undefined;
		let parsed: URL | undefined;
		try {
			parsed = ABSOLUTE_HTTP_URL.test(value) ? new URL(value) : undefined;
		} catch {
			parsed = undefined;
		}
		if (!parsed) {
			return fail(ctx, value, `'${field}' must be an absolute http(s) URL, got ${show(value)}`);
		}
		return value;
	};
}

const duration: FieldParser<number> = (value, ctx) => {
	if (isBlank(value)) return undefined;
	let minutes = NaN;
	if (typeof value === 'number') minutes = value;
	if (typeof value === 'string' && WHOLE_MINUTES.test(value.trim())) minutes = Number(value.trim());
	if (!Number.isSafeInteger(minutes) || minutes < 1) {
		return fail(ctx, value, `'duration' must be a whole number of minutes of at least 1, got ${show(value)}`);
	}
	return minutes;
};

export function normaliseLanguage(code: string): string {
	const parts = code.trim().split(/[-_]/);
	if (parts.length === 1) return parts[0].toLowerCase();
	if (parts.length === 2) return `${parts[0].toLowerCase()}-${parts[1].toUpperCase()}`;
	return code.trim();
}

const languages: FieldParser<string[]> = (value, ctx) => {
	if (isBlank(value)) return undefined;
	let codes: unknown[];
	if (Array.isArray(value)) {
		codes = value.filter((code) => !isBlank(code));
	} else if (typeof value === 'string') {
		codes = value.split(LANGUAGE_SEPARATORS).filter((code) => code !== '');
	} else {
		return fail(ctx, value, `'languages' must be a list of language codes, got ${show(value)}`);
	}
	const normalised: string[] = [];
	for (const code of codes) {
		if (typeof code !== 'string') {
			return fail(ctx, code, `'languages' must hold language codes, got ${show(code)}`);
		}
		const candidate = normaliseLanguage(code);
		if (!LANGUAGE_PATTERN.test(candidate)) {
			return fail(ctx, code, `'languages' holds ${show(code)}, which is not a language code Kombo accepts`);
		}
		if (!normalised.includes(candidate)) normalised.push(candidate);
	}
	return normalised.length > 0 ? normalised : undefined;
};

const COURSE_INPUT = {
	origin_id: text('origin_id', true),
	title: text('title', true),
	description: text('description', false),
	course_url: url('course_url', true),
	thumbnail_url: url('thumbnail_url', false),
	duration,
	languages,
} satisfies Record<CourseField, FieldParser<unknown>>;

type CourseInput = { [F in CourseField]: ReturnType<(typeof COURSE_INPUT)[F]> };

/**
 * Turns one mapped input record into the course Kombo expects, or explains every field that is
 * wrong with it. Fields that are not given are left out of the body, not sent as null, so an
 * update never blanks a value the user did not map.
 */
export function validateCourse(record: Record<string, unknown>): CourseValidation {
	const input: Partial<Record<CourseField, unknown>> = {};
	const problems: FieldProblem[] = [];
	for (const field of COURSE_FIELDS) {
		const check: FieldCheck = {};
		input[field] = COURSE_INPUT[field](record[field], check);
		if (check.problem) problems.push({ field, ...check.problem, hint: HINTS[field] });
	}
	if (problems.length > 0) return { ok: false, problems };
	const data = input as CourseInput;
	const { origin_id, title, course_url, description, thumbnail_url } = data;
	const course: KomboCourse = {
		type: COURSE_TYPE_EXTERNAL,
		title: title as string,
		course_url: course_url as string,
	};
	if (description !== undefined) course.description = description;
	if (thumbnail_url !== undefined) course.thumbnail_url = thumbnail_url;
	if (data.duration !== undefined) course.duration = data.duration;
	if (data.languages !== undefined) course.languages = data.languages;
	return { ok: true, item: { origin_id: origin_id as string, course } };
}
