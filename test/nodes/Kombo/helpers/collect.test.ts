import { collectCourses } from '../../../../nodes/Kombo/helpers/collect';
import { DUPLICATE_HINT } from '../../../../nodes/Kombo/helpers/duplicates';

const row = (itemIndex: number, record: Record<string, unknown>, integrationId = 'int:a') => ({ itemIndex, integrationId, record });
const good = (id: string) => ({ origin_id: id, title: `Course ${id}`, course_url: `https://x.test/${id}` });

describe('collectCourses', () => {
	it('turns valid rows into entries for their integration, in input order', () => {
		const { entries, invalid } = collectCourses([row(0, good('a')), row(1, good('b'), 'int:b')]);
		expect(invalid).toEqual([]);
		expect(entries.map((entry) => [entry.itemIndex, entry.integrationId, entry.originId, entry.value.course.title])).toEqual([
			[0, 'int:a', 'a', 'Course a'],
			[1, 'int:b', 'b', 'Course b'],
		]);
	});

	it('names the item and its first problem, and lists every problem with its fix', () => {
		const { entries, invalid } = collectCourses([row(2, { origin_id: ' x-1 ', title: '', course_url: 'nope' })]);
		expect(entries).toEqual([]);
		expect(invalid).toHaveLength(1);
		const [item] = invalid;
		expect(item).toEqual(expect.objectContaining({ itemIndex: 2, field: 'title', value: '', originId: 'x-1' }));
		expect(item.message).toMatch(/^Invalid course: .*\[item 2\]$/);
		expect(item.description).toMatch(/^1\) .+ 2\) .+$/);
		expect(item.description).not.toContain('\n');
	});

	it('lists each problem of an invalid item with the value found and how to fix it, for Validate Only', () => {
		const [item] = collectCourses([row(2, { origin_id: 'x-1', title: '', course_url: 'nope' })]).invalid;
		expect(item.problems).toEqual([
			{ field: 'title', value: '', message: 'Title is required but empty', fix: expect.stringContaining('to Title') },
			{
				field: 'course_url',
				value: 'nope',
				message: 'Course URL (course_url) must be an absolute http(s) URL, got "nope"',
				fix: expect.stringContaining('https://'),
			},
		]);
	});

	it('has no origin ID for a row whose origin ID is blank or not text', () => {
		const { invalid } = collectCourses([row(0, { origin_id: '  ', title: 't', course_url: 'https://x.test' }), row(1, { origin_id: 7 })]);
		expect(invalid.map((item) => item.originId)).toEqual([null, null]);
	});

	it('rejects every item of an origin ID used twice for one integration, naming the others', () => {
		const { entries, invalid } = collectCourses([row(0, good('a')), row(1, good('b')), row(2, good('a')), row(3, good('a'), 'int:b')]);
		expect(entries.map((entry) => entry.itemIndex)).toEqual([1, 3]);
		expect(invalid.map((item) => [item.itemIndex, item.field, item.value, item.originId])).toEqual([
			[0, 'origin_id', 'a', 'a'],
			[2, 'origin_id', 'a', 'a'],
		]);
		expect(invalid[0].message).toBe('Invalid course: Origin ID (origin_id) "a" is used by items 0 and 2 for integration int:a [item 0]');
		expect(invalid[0].description).toContain('Remove Duplicates');
		expect(invalid[1].problems).toEqual([
			{ field: 'origin_id', value: 'a', message: 'Origin ID (origin_id) "a" is used by items 0 and 2 for integration int:a', fix: DUPLICATE_HINT },
		]);
	});

	it('keeps rows that could not be mapped, and sorts all invalid items by index', () => {
		const unmapped = { itemIndex: 1, message: 'No integration ID for this item [item 1]', description: null, field: null, value: null, originId: null };
		const { invalid } = collectCourses([row(0, {}), row(2, good('a'))], [unmapped]);
		expect(invalid.map((item) => item.itemIndex)).toEqual([0, 1]);
	});
});
