import { courseItem, errorItem, inInputOrder, invalidItem, outcomeJson } from '../../../../nodes/Kombo/helpers/outputs';
import type { CourseOutcome } from '../../../../nodes/Kombo/helpers/results';

const succeeded: CourseOutcome = {
	origin_id: 'c-1',
	status: 'SUCCEEDED',
	course_id: 'k-1',
	error: null,
	task_id: 't-1',
	integration_id: 'int:a',
	warnings: [],
};
const failedError = { code: 'REMOTE.INPUT_INVALID', title: null, message: 'Title too long', log_url: 'https://app.kombo.dev/logs/9' };

describe('outcomeJson', () => {
	it('puts origin ID, status and course ID first, then the task, and leaves out an empty error and warnings', () => {
		const json = outcomeJson(succeeded);
		expect(Object.keys(json)).toEqual(['origin_id', 'status', 'course_id', 'task_id', 'integration_id']);
		expect(json).toEqual({ origin_id: 'c-1', status: 'SUCCEEDED', course_id: 'k-1', task_id: 't-1', integration_id: 'int:a' });
	});

	it('shows the error after the course ID, extra fields after the task, and warnings last', () => {
		const json = outcomeJson({ ...succeeded, status: 'PENDING', course_id: null, error: failedError, warnings: ['Thumbnail ignored'] }, { created_at: 'x' });
		expect(Object.keys(json)).toEqual(['origin_id', 'status', 'course_id', 'error', 'task_id', 'integration_id', 'created_at', 'warnings']);
		expect(json.warnings).toEqual(['Thumbnail ignored']);
	});
});

describe('courseItem', () => {
	it('outputs a succeeded or pending course as a plain item, paired with its input', () => {
		expect(courseItem(succeeded, { item: 4 })).toEqual({ json: outcomeJson(succeeded), pairedItem: { item: 4 } });
		const pending = { ...succeeded, status: 'PENDING' as const, course_id: null };
		expect(courseItem(pending, [{ item: 1 }, { item: 2 }])).toEqual({ json: outcomeJson(pending), pairedItem: [{ item: 1 }, { item: 2 }] });
	});

	it('outputs a failed course as an error item with only error and details, saying how to fix it', () => {
		const failed = { ...succeeded, status: 'FAILED' as const, course_id: null, error: failedError };
		const item = courseItem(failed, { item: 0 });
		expect(Object.keys(item.json)).toEqual(['error', 'details']);
		expect(item).toEqual({
			json: {
				error: 'Title too long',
				details: {
					...outcomeJson(failed),
					description: expect.stringMatching(/^Kombo error REMOTE\.INPUT_INVALID\. The LMS rejected.*Details in Kombo's log: https:\/\/app\.kombo\.dev\/logs\/9$/),
				},
			},
			pairedItem: { item: 0 },
		});
	});

	it('lets a caller’s description replace the one made from the code', () => {
		const failed = { ...succeeded, status: 'FAILED' as const, error: { ...failedError, code: null, log_url: null } };
		expect((courseItem(failed, { item: 0 }).json.details as { description: unknown }).description).toBeNull();
		expect((courseItem(failed, { item: 0 }, { description: 'HTTP 400' }).json.details as { description: unknown }).description).toBe('HTTP 400');
	});
});

describe('invalidItem', () => {
	it('is an error item naming the item, the field and the value', () => {
		expect(
			invalidItem({ itemIndex: 3, message: 'Invalid course', description: 'Fix it', field: 'duration', value: 'soon', originId: 'c-3' }),
		).toEqual(errorItem('Invalid course', { origin_id: 'c-3', status: 'INVALID', item: 3, field: 'duration', value: 'soon', description: 'Fix it' }, { item: 3 }));
	});
});

describe('inInputOrder', () => {
	it('flattens the slots in order and skips empty ones', () => {
		const a = { json: { a: 1 } };
		const b = { json: { b: 1 } };
		const c = { json: { c: 1 } };
		expect(inInputOrder([[a], undefined, [b, c], []])).toEqual([a, b, c]);
	});
});
