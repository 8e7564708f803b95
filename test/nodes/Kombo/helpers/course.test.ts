import type { CourseField, FieldProblem } from '../../../../nodes/Kombo/helpers/course';
import {
	COURSE_FIELDS,
	describeProblems,
	FIELD_LABELS,
	fieldName,
	normaliseLanguage,
	validateCourse,
} from '../../../../nodes/Kombo/helpers/course';

const valid = {
	origin_id: 'course-1',
	title: 'Kombo basics',
	course_url: 'https://academy.example.com/courses/1',
};

function problemsOf(record: Record<string, unknown>) {
	const result = validateCourse(record);
	if (result.ok) throw new Error(`expected ${JSON.stringify(record)} to be rejected`);
	return result.problems;
}

function courseOf(record: Record<string, unknown>) {
	const result = validateCourse(record);
	if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join('; '));
	return result.item;
}

describe('validateCourse', () => {
	it('builds an EXTERNAL course with only the fields given', () => {
		expect(courseOf(valid)).toEqual({
			origin_id: 'course-1',
			course: { type: 'EXTERNAL', title: 'Kombo basics', course_url: 'https://academy.example.com/courses/1' },
		});
	});

	it('keeps every optional field when given', () => {
		expect(
			courseOf({
				...valid,
				description: 'Learn it',
				thumbnail_url: 'https://cdn.example.com/t.png',
				duration: 45,
				languages: ['en', 'de-CH'],
			}).course,
		).toEqual({
			type: 'EXTERNAL',
			title: 'Kombo basics',
			course_url: 'https://academy.example.com/courses/1',
			description: 'Learn it',
			thumbnail_url: 'https://cdn.example.com/t.png',
			duration: 45,
			languages: ['en', 'de-CH'],
		});
	});

	it('ignores input fields that are not course fields', () => {
		expect(courseOf({ ...valid, price: 10, row_number: 4 }).course).not.toHaveProperty('price');
	});

	describe('origin_id', () => {
		it.each([
			[1042, '1042'],
			['  abc-1 ', 'abc-1'],
			[7.5, '7.5'],
		])('accepts %p as %p', (input, expected) => {
			expect(courseOf({ ...valid, origin_id: input }).origin_id).toBe(expected);
		});

		it.each([[undefined], [null], [''], ['   '], [true], [{ id: 1 }], [NaN], [2 ** 53 + 2]])('rejects %p', (input) => {
			expect(problemsOf({ ...valid, origin_id: input })).toEqual([
				expect.objectContaining({ field: 'origin_id', hint: expect.stringContaining('Origin ID') }),
			]);
		});
	});

	describe('title', () => {
		it.each([[undefined], [''], ['  '], [null]])('rejects a missing title %p', (input) => {
			expect(problemsOf({ ...valid, title: input })[0]).toMatchObject({
				field: 'title',
				message: 'Title is required but empty',
			});
		});

		it('trims the title', () => {
			expect(courseOf({ ...valid, title: '  Safety 101 ' }).course.title).toBe('Safety 101');
		});
	});

	describe('course_url', () => {
		it.each([['https://a.example/x'], ['http://intranet.local/course?id=4']])('accepts %p', (input) => {
			expect(courseOf({ ...valid, course_url: input }).course.course_url).toBe(input);
		});

		it.each([
			['academy.example.com/1'],
			['ftp://files.example.com/c'],
			['/courses/1'],
			['not a url'],
			['https:academy.example.com/1'],
			['https://academy.example.com/a b'],
			['https://'],
		])(
			'rejects %p, naming the value',
			(input) => {
				expect(problemsOf({ ...valid, course_url: input })[0]).toMatchObject({
					field: 'course_url',
					value: input,
					message: `Course URL (course_url) must be an absolute http(s) URL, got ${JSON.stringify(input)}`,
				});
			},
		);

		it('names a value that is not a number as such', () => {
			expect(problemsOf({ ...valid, origin_id: NaN })[0].message).toBe('Origin ID (origin_id) must be text, got NaN');
		});

		it('rejects a missing course_url', () => {
			expect(problemsOf({ ...valid, course_url: '' })[0].field).toBe('course_url');
		});
	});

	describe('thumbnail_url', () => {
		it('treats a blank cell as not given', () => {
			expect(courseOf({ ...valid, thumbnail_url: '' }).course).not.toHaveProperty('thumbnail_url');
		});

		it('rejects a relative link', () => {
			expect(problemsOf({ ...valid, thumbnail_url: 'img/t.png' })[0].field).toBe('thumbnail_url');
		});
	});

	describe('duration', () => {
		it.each([
			[45, 45],
			['45', 45],
			[45.0, 45],
			[' 90 ', 90],
			['45.0', 45],
		])('accepts %p as %p minutes', (input, expected) => {
			expect(courseOf({ ...valid, duration: input }).course.duration).toBe(expected);
		});

		it.each([[0], [-5], [4.5], ['abc'], ['4.5'], [true], [[45]], ['0x2D'], ['1e2'], ['+45'], [1e300]])(
			'rejects %p, naming the value',
			(input) => {
				expect(problemsOf({ ...valid, duration: input })[0]).toMatchObject({
					field: 'duration',
					value: input,
					message: expect.stringContaining(typeof input === 'number' ? String(input) : JSON.stringify(input)),
				});
			},
		);

		it.each([[''], [null], ['  ']])('treats %p as not given', (input) => {
			expect(courseOf({ ...valid, duration: input }).course).not.toHaveProperty('duration');
		});
	});

	describe('languages', () => {
		it.each([
			['en, de', ['en', 'de']],
			['en;de-CH', ['en', 'de-CH']],
			['en de', ['en', 'de']],
			['EN', ['en']],
			['en-us', ['en-US']],
			['pt_br', ['pt-BR']],
			[['fr', 'DE-ch'], ['fr', 'de-CH']],
			['en, en', ['en']],
			['fil', ['fil']],
			[[' fr ', 'de-ch '], ['fr', 'de-CH']],
			[['en', '', null, '  ', 'de'], ['en', 'de']],
		])('reads %p as %p', (input, expected) => {
			expect(courseOf({ ...valid, languages: input }).course.languages).toEqual(expected);
		});

		it.each([['zh-Hant'], ['es-419'], ['english'], ['e']])('rejects %p, naming the code', (input) => {
			expect(problemsOf({ ...valid, languages: `en, ${input}` })[0]).toMatchObject({
				field: 'languages',
				value: input,
				message: `Languages holds ${JSON.stringify(input)}, which is not a language code Kombo accepts`,
			});
		});

		it.each([[''], [null], [[]], [' , '], [['', null, ' ']]])('treats %p as not given', (input) => {
			expect(courseOf({ ...valid, languages: input }).course).not.toHaveProperty('languages');
		});

		it('rejects a number', () => {
			expect(problemsOf({ ...valid, languages: 42 })[0].field).toBe('languages');
		});
	});

	it('reports every bad field of one record', () => {
		expect(problemsOf({ origin_id: 'x', duration: 0, languages: 'zz-zzz' }).map((problem) => problem.field)).toEqual([
			'title',
			'course_url',
			'duration',
			'languages',
		]);
	});

	it('lists the problems in the order of the Courses panel, Course URL before Description', () => {
		expect(
			problemsOf({ title: 'x', description: { text: 'x' }, course_url: 'foo', duration: 0 }).map((problem) => problem.field),
		).toEqual(['origin_id', 'course_url', 'description', 'duration']);
	});

	it('leads with the first problem in the panel, whatever order the fields came in', () => {
		expect(problemsOf({ ...valid, description: ['x'], course_url: 'lms/1' })[0]).toMatchObject({
			field: 'course_url',
			message: 'Course URL (course_url) must be an absolute http(s) URL, got "lms/1"',
		});
	});

	it('treats a blank description as not given and keeps a numeric one as text', () => {
		expect(courseOf({ ...valid, description: '' }).course).not.toHaveProperty('description');
		expect(courseOf({ ...valid, description: 2024 }).course.description).toBe('2024');
	});
});

describe('messages', () => {
	it.each<[CourseField, Record<string, unknown>, string]>([
		['origin_id', { origin_id: ' ' }, 'Origin ID (origin_id) is required but empty'],
		['origin_id', { origin_id: 2 ** 53 + 2 }, 'Origin ID (origin_id) is the number 9007199254740994, too large to be exact; store it as text'],
		['title', { title: '' }, 'Title is required but empty'],
		['title', { title: ['a'] }, 'Title must be text, got ["a"]'],
		['course_url', { course_url: 'foo' }, 'Course URL (course_url) must be an absolute http(s) URL, got "foo"'],
		['thumbnail_url', { thumbnail_url: ' img/t.png ' }, 'Thumbnail URL (thumbnail_url) must be an absolute http(s) URL, got "img/t.png"'],
		['description', { description: { text: 'x' } }, 'Description must be text, got {"text":"x"}'],
		['duration', { duration: '4.5' }, 'Duration must be a whole number of minutes of at least 1, got "4.5"'],
		['languages', { languages: 42 }, 'Languages must be a list of language codes, got 42'],
		['languages', { languages: ['en', 7] }, 'Languages must hold language codes, got 7'],
		['languages', { languages: 'en, english' }, 'Languages holds "english", which is not a language code Kombo accepts'],
	])('names %s as the panel labels it: %j', (field, bad, message) => {
		expect(problemsOf({ ...valid, ...bad })).toEqual([expect.objectContaining({ field, message })]);
	});

	it('names a value JSON cannot write, such as a BigInt from a Code node, by its digits', () => {
		expect(problemsOf({ ...valid, duration: BigInt(45) })).toEqual([
			expect.objectContaining({ field: 'duration', message: 'Duration must be a whole number of minutes of at least 1, got 45' }),
		]);
	});

	const badValue: Record<CourseField, unknown> = {
		origin_id: '',
		title: '',
		course_url: 'foo',
		description: { text: 'x' },
		thumbnail_url: 'foo',
		duration: 0,
		languages: 42,
	};

	it.each(COURSE_FIELDS.map((field) => [field]))('gives a hint for %s that names its panel label', (field) => {
		expect(problemsOf({ ...valid, [field]: badValue[field] })[0].hint).toContain(FIELD_LABELS[field]);
	});

	it.each<[CourseField, string]>([
		['origin_id', 'Origin ID (origin_id)'],
		['title', 'Title'],
		['course_url', 'Course URL (course_url)'],
		['description', 'Description'],
		['thumbnail_url', 'Thumbnail URL (thumbnail_url)'],
		['duration', 'Duration'],
		['languages', 'Languages'],
	])('calls %s %p', (field, name) => {
		expect(fieldName(field)).toBe(name);
	});
});

describe('describeProblems', () => {
	const problem = (message: string, hint: string): FieldProblem => ({ field: 'title', value: '', message, hint });

	it('gives one problem as its message and hint, unnumbered', () => {
		expect(describeProblems([problem('Title is required but empty', 'Map a title.')])).toBe(
			'Title is required but empty. Map a title.',
		);
	});

	it('numbers several problems in one paragraph, without line breaks', () => {
		const text = describeProblems(problemsOf({ origin_id: 'x', course_url: 'foo', duration: 0 }));
		expect(text).toBe(
			'1) Title is required but empty. ' +
				"Map a column with the course's name to Title; it may not be blank. " +
				'2) Course URL (course_url) must be an absolute http(s) URL, got "foo". ' +
				'Map a full link that opens the course to Course URL, starting with https:// or http://, e.g. https://academy.example.com/courses/42. ' +
				'3) Duration must be a whole number of minutes of at least 1, got 0. ' +
				'Give Duration (Minutes) as a whole number of minutes, at least 1 (e.g. 45 or "45"), or leave it empty.',
		);
		expect(text).not.toMatch(/\n/);
	});

	it('is empty for no problems', () => {
		expect(describeProblems([])).toBe('');
	});
});

describe('normaliseLanguage', () => {
	it.each([
		['EN', 'en'],
		['de-ch', 'de-CH'],
		['zh-Hant', 'zh-HANT'],
		['a-b-c', 'a-b-c'],
		[' DE-ch ', 'de-CH'],
		[' Fr ', 'fr'],
		[' a-b-c ', 'a-b-c'],
	])('%p becomes %p', (input, expected) => {
		expect(normaliseLanguage(input)).toBe(expected);
	});
});
