import type { Entry } from '../../../../nodes/Kombo/helpers/batching';
import type { KomboCourseItem } from '../../../../nodes/Kombo/helpers/course';
import type { InvalidItem } from '../../../../nodes/Kombo/helpers/outputs';
import { validationReport } from '../../../../nodes/Kombo/helpers/validationReport';

function valid(itemIndex: number, originId: string, integrationId = 'int:a'): Entry<KomboCourseItem> {
	return { itemIndex, integrationId, originId, value: { origin_id: originId, course: { type: 'EXTERNAL', title: `Course ${originId}`, course_url: `https://lms.test/${originId}` } } };
}

describe('validationReport', () => {
	it('reports every item in input order, paired with it: VALID with the course to send, INVALID with every problem', () => {
		const invalid: InvalidItem[] = [
			{
				itemIndex: 1,
				message: 'Invalid course: title is empty [item 1]',
				description: 'Give every course a title. Give course_url a full URL.',
				field: 'title',
				value: '',
				originId: 'b',
				problems: [
					{ field: 'title', value: '', message: 'title is empty', fix: 'Give every course a title.' },
					{ field: 'course_url', value: 'lms.test/b', message: 'course_url is not a URL', fix: 'Give course_url a full URL.' },
				],
			},
		];

		expect(validationReport(3, [valid(0, 'a'), valid(2, 'c', 'int:b')], invalid)).toEqual([
			{
				json: { origin_id: 'a', status: 'VALID', course: { type: 'EXTERNAL', title: 'Course a', course_url: 'https://lms.test/a' }, integration_id: 'int:a' },
				pairedItem: { item: 0 },
			},
			{
				json: {
					origin_id: 'b',
					status: 'INVALID',
					problems: [
						{ field: 'title', value: '', message: 'title is empty', fix: 'Give every course a title.' },
						{ field: 'course_url', value: 'lms.test/b', message: 'course_url is not a URL', fix: 'Give course_url a full URL.' },
					],
				},
				pairedItem: { item: 1 },
			},
			{
				json: { origin_id: 'c', status: 'VALID', course: { type: 'EXTERNAL', title: 'Course c', course_url: 'https://lms.test/c' }, integration_id: 'int:b' },
				pairedItem: { item: 2 },
			},
		]);
	});

	it('reports an item that could not be read as one problem, with its message and how to fix it', () => {
		const unreadable: InvalidItem = {
			itemIndex: 0,
			message: 'No integration ID for this item',
			description: 'Set the Integration ID option.',
			field: null,
			value: null,
			originId: null,
		};

		expect(validationReport(2, [valid(1, 'b')], [unreadable])).toEqual([
			{
				json: { origin_id: null, status: 'INVALID', problems: [{ field: null, value: null, message: 'No integration ID for this item', fix: 'Set the Integration ID option.' }] },
				pairedItem: { item: 0 },
			},
			expect.objectContaining({ json: expect.objectContaining({ origin_id: 'b', status: 'VALID' }), pairedItem: { item: 1 } }),
		]);
	});
});
