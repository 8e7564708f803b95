import type { KomboTask } from '../../../../nodes/Kombo/helpers/results';
import { courseOutcomes } from '../../../../nodes/Kombo/helpers/results';

const context = { taskId: 'task_1', integrationId: 'int:a', warnings: ['w'] };
const base = { task_id: 'task_1', integration_id: 'int:a', warnings: ['w'] };

describe('courseOutcomes', () => {
	it('matches item results by origin id, whatever order Kombo lists them in', () => {
		const task: KomboTask = {
			task_id: 'task_1',
			status: 'COMPLETED',
			data: [
				{ origin_id: 'b', status: 'FAILED', error: { code: 'REMOTE.INPUT_INVALID', message: 'title too long', log_url: 'https://log/1' } },
				{ origin_id: 'a', status: 'SUCCEEDED', data: { id: 'kombo-a' } },
			],
		};
		expect(courseOutcomes(['a', 'b'], task, context)).toEqual([
			{ ...base, origin_id: 'a', status: 'SUCCEEDED', course_id: 'kombo-a', error: null },
			{
				...base,
				origin_id: 'b',
				status: 'FAILED',
				course_id: null,
				error: { code: 'REMOTE.INPUT_INVALID', title: null, message: 'title too long', log_url: 'https://log/1' },
			},
		]);
	});

	it('outputs a course Kombo reports as succeeded without its course data with no course ID', () => {
		const task: KomboTask = {
			task_id: 'task_1',
			status: 'COMPLETED',
			data: [
				{ origin_id: 'a', status: 'SUCCEEDED', data: null },
				{ origin_id: 'b', status: 'SUCCEEDED' },
			],
		};
		expect(courseOutcomes(['a', 'b'], task, context)).toEqual([
			{ ...base, origin_id: 'a', status: 'SUCCEEDED', course_id: null, error: null },
			{ ...base, origin_id: 'b', status: 'SUCCEEDED', course_id: null, error: null },
		]);
	});

	it('reports a course missing from a completed task as failed instead of dropping it', () => {
		const task: KomboTask = { task_id: 'task_1', status: 'COMPLETED', data: [] };
		const [outcome] = courseOutcomes(['a'], task, context);
		expect(outcome.status).toBe('FAILED');
		expect(outcome.error?.message).toBe('Kombo completed task task_1 without a result for this course');
	});

	it('fails every course of a task that failed as a whole with the task’s error', () => {
		const task: KomboTask = {
			task_id: 'task_1',
			status: 'FAILED',
			error: { code: 'INTEGRATION.AUTHENTICATION_INVALID', message: 'LMS login expired', log_url: null },
		};
		const outcomes = courseOutcomes(['a', 'b'], task, context);
		expect(outcomes.map((outcome) => [outcome.origin_id, outcome.status, outcome.error?.code])).toEqual([
			['a', 'FAILED', 'INTEGRATION.AUTHENTICATION_INVALID'],
			['b', 'FAILED', 'INTEGRATION.AUTHENTICATION_INVALID'],
		]);
	});

	it('reports courses of a task that is still running as pending', () => {
		expect(courseOutcomes(['a'], null, context)).toEqual([
			{ ...base, origin_id: 'a', status: 'PENDING', course_id: null, error: null },
		]);
	});
});
