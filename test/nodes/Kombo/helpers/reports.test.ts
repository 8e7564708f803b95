import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { SubmittedBatch, TaskState } from '../../../../nodes/Kombo/engine/tasks';
import type { Batch } from '../../../../nodes/Kombo/helpers/batching';
import type { KomboCourseItem } from '../../../../nodes/Kombo/helpers/course';
import { reportCourses, reportTasks } from '../../../../nodes/Kombo/helpers/reports';

const NODE: INode = { id: 'n', name: 'Kombo', type: 'n8n-nodes-kombo.kombo', typeVersion: 1, position: [0, 0], parameters: {} };

function batch(originIds: string[], firstItem: number, integrationId = 'int:a'): Batch<KomboCourseItem> {
	return {
		integrationId,
		entries: originIds.map((originId, index) => ({
			itemIndex: firstItem + index,
			integrationId,
			originId,
			value: { origin_id: originId, course: { type: 'EXTERNAL', title: originId, course_url: 'https://x.test' } },
		})),
	};
}

const apiError = (message: string, code: string | null = 'PLATFORM.UNKNOWN_ERROR') =>
	new NodeApiError(NODE, { message, code, title: null, log_url: 'https://log/1' }, { message, description: `Fix: ${message}`, httpCode: '404' });

const completed = (taskId: string, results: Array<[string, 'SUCCEEDED' | 'FAILED']>): TaskState => ({
	state: 'finished',
	task: {
		task_id: taskId,
		status: 'COMPLETED',
		data: results.map(([origin_id, status]) =>
			status === 'SUCCEEDED' ? { origin_id, status, data: { id: `k-${origin_id}` } } : { origin_id, status, error: { message: `${origin_id} bad`, code: 'REMOTE.INPUT_INVALID' } },
		),
	},
});

const json = (slot: Array<{ json: Record<string, unknown> }> | undefined) => slot?.map((item) => item.json);

describe('reportCourses', () => {
	const invalid = [{ itemIndex: 0, message: 'Bad row', description: null, field: 'title', value: '', originId: null }];

	it('puts every course in its input slot, whatever became of it', () => {
		const accepted: SubmittedBatch = { batch: batch(['a', 'b'], 1), outcome: 'accepted', taskId: 't1', warnings: ['w'], submittedAt: 0 };
		const rejected: SubmittedBatch = { batch: batch(['c'], 3), outcome: 'rejected', error: apiError('Refused', 'PLATFORM.INPUT_INVALID') };
		const skipped: SubmittedBatch = { batch: batch(['d'], 4), outcome: 'skipped' };
		const unchanged = batch(['e'], 5).entries;
		const states = new Map<SubmittedBatch, TaskState>([[accepted, completed('t1', [['a', 'SUCCEEDED'], ['b', 'FAILED']])]]);
		const { slots, report, succeeded } = reportCourses(7, invalid, [accepted, rejected, skipped], states, 60_000, unchanged);

		expect(json(slots[0])).toEqual([{ error: 'Bad row', details: expect.objectContaining({ status: 'INVALID', item: 0 }) }]);
		expect(json(slots[1])).toEqual([{ origin_id: 'a', status: 'SUCCEEDED', course_id: 'k-a', task_id: 't1', integration_id: 'int:a', warnings: ['w'] }]);
		expect(json(slots[2])).toEqual([{ error: 'b bad', details: expect.objectContaining({ origin_id: 'b', status: 'FAILED', task_id: 't1' }) }]);
		expect(slots[3]).toEqual([
			{
				json: {
					error: 'Refused',
					details: {
						origin_id: 'c',
						status: 'FAILED',
						course_id: null,
						error: { code: 'PLATFORM.INPUT_INVALID', title: null, message: 'Refused', log_url: 'https://log/1' },
						task_id: null,
						integration_id: 'int:a',
						description: 'Fix: Refused',
					},
				},
				pairedItem: { item: 3 },
			},
		]);
		expect(slots[4]).toBeUndefined();
		expect(json(slots[5])).toEqual([{ origin_id: 'e', status: 'UNCHANGED', course_id: null, task_id: null, integration_id: 'int:a' }]);
		expect(slots[6]).toBeUndefined();
		expect(slots).toHaveLength(7);
		expect([1, 2, 5].map((index) => slots[index]?.[0].pairedItem)).toEqual([{ item: 1 }, { item: 2 }, { item: 5 }]);
		expect([...succeeded]).toEqual([1]);
		expect(report.failed.map((failed) => [failed.itemIndex, failed.outcome.origin_id])).toEqual([
			[2, 'b'],
			[3, 'c'],
		]);
		expect(report).toEqual(expect.objectContaining({ total: 7, timeoutMs: 60_000, accepted: true, pendingCourses: 0, unreadable: [], timedOut: [] }));
	});

	it('reports failed courses in input order, whatever order their batches were sent in', () => {
		const later: SubmittedBatch = { batch: batch(['c', 'd'], 2), outcome: 'accepted', taskId: 't1', warnings: [], submittedAt: 0 };
		const earlier: SubmittedBatch = { batch: batch(['a', 'b'], 0), outcome: 'rejected', error: apiError('Refused') };
		const states = new Map<SubmittedBatch, TaskState>([[later, completed('t1', [['c', 'SUCCEEDED'], ['d', 'FAILED']])]]);
		const { report } = reportCourses(4, [], [later, earlier], states, 60_000);
		expect(report.failed.map((failed) => [failed.itemIndex, failed.outcome.origin_id])).toEqual([
			[0, 'a'],
			[1, 'b'],
			[3, 'd'],
		]);
	});

	it('outputs PENDING courses without counting them as pending when the run does not wait', () => {
		const accepted: SubmittedBatch = { batch: batch(['a', 'b'], 0), outcome: 'accepted', taskId: 't1', warnings: [], submittedAt: 0 };
		const { slots, report } = reportCourses(2, [], [accepted], undefined, 0);
		const pending = (origin_id: string, item: number) => [{ json: { origin_id, status: 'PENDING', course_id: null, task_id: 't1', integration_id: 'int:a' }, pairedItem: { item } }];
		expect(slots).toEqual([pending('a', 0), pending('b', 1)]);
		expect(report.pendingCourses).toBe(0);
		expect(report.timedOut).toEqual([]);
	});

	it('reports tasks still pending at the deadline, with their last failed check, and counts their courses', () => {
		const a: SubmittedBatch = { batch: batch(['a', 'b'], 0), outcome: 'accepted', taskId: 't1', warnings: [], submittedAt: 0 };
		const b: SubmittedBatch = { batch: batch(['c'], 2), outcome: 'accepted', taskId: 't2', warnings: [], submittedAt: 0 };
		const states = new Map<SubmittedBatch, TaskState>([
			[a, { state: 'pending', createdAt: null, lastCheckError: apiError('HTTP 503') }],
			[b, { state: 'pending', createdAt: null }],
		]);
		const { report } = reportCourses(3, [], [a, b], states, 5_000);
		expect(report.timedOut).toEqual([{ taskId: 't1', lastCheckError: 'HTTP 503' }, { taskId: 't2', lastCheckError: undefined }]);
		expect(report.pendingCourses).toBe(3);
	});

	it('outputs the courses of a task Kombo cannot report on as PENDING with the reason', () => {
		const a: SubmittedBatch = { batch: batch(['a', 'b'], 0), outcome: 'accepted', taskId: 't1', warnings: [], submittedAt: 0 };
		const error = apiError('Task not found');
		const { slots, report } = reportCourses(2, [], [a], new Map([[a, { state: 'unreadable', error } as TaskState]]), 5_000);
		expect(json(slots[0])).toEqual([
			{ origin_id: 'a', status: 'PENDING', course_id: null, error: { code: 'PLATFORM.UNKNOWN_ERROR', title: null, message: 'Task not found', log_url: 'https://log/1' }, task_id: 't1', integration_id: 'int:a' },
		]);
		expect(report.unreadable).toEqual([{ taskId: 't1', error, courses: 2 }]);
		expect(report.timedOut).toEqual([]);
	});
});

describe('reportTasks', () => {
	const request = (taskId: string, itemIndexes: number[]) => ({ taskId, integrationId: 'int:a', itemIndexes });

	it('puts each task’s items at the first item that asked, paired with all that did', () => {
		const { slots, report } = reportTasks(4, [], [request('t1', [1, 3]), request('t2', [0])], [completed('t1', [['a', 'SUCCEEDED'], ['b', 'FAILED']]), completed('t2', [['c', 'SUCCEEDED']])]);

		expect(slots[1]?.map((item) => [item.json.origin_id ?? (item.json.details as { origin_id: string }).origin_id, item.pairedItem])).toEqual([
			['a', [{ item: 1 }, { item: 3 }]],
			['b', [{ item: 1 }, { item: 3 }]],
		]);
		expect(json(slots[0])).toEqual([{ origin_id: 'c', status: 'SUCCEEDED', course_id: 'k-c', task_id: 't2', integration_id: 'int:a' }]);
		expect(slots[3]).toBeUndefined();
		expect(slots).toHaveLength(4);
		expect(report.total).toBe(3);
		expect(report.failed.map((failed) => [failed.itemIndex, failed.outcome.origin_id])).toEqual([[1, 'b']]);
		expect(report.accepted).toBe(false);
	});

	it('reports a pending task with its creation time, as timed out only when the run waited', () => {
		const pending: TaskState = { state: 'pending', createdAt: '2026-12-01T00:00:00Z', lastCheckError: apiError('HTTP 503') };
		const waited = reportTasks(1, [], [request('t1', [0])], [pending], 20_000);
		expect(json(waited.slots[0])).toEqual([
			{ origin_id: null, status: 'PENDING', course_id: null, task_id: 't1', integration_id: 'int:a', created_at: '2026-12-01T00:00:00Z' },
		]);
		expect(waited.report.timedOut).toEqual([{ taskId: 't1', lastCheckError: 'HTTP 503' }]);
		expect(waited.report.timeoutMs).toBe(20_000);
		expect(reportTasks(1, [], [request('t1', [0])], [pending]).report.timedOut).toEqual([]);
		const quiet: TaskState = { state: 'pending', createdAt: null };
		expect(reportTasks(1, [], [request('t2', [0])], [quiet], 20_000).report.timedOut).toEqual([{ taskId: 't2', lastCheckError: undefined }]);
	});

	it('outputs a task Kombo cannot report on as one error item with Kombo’s reason', () => {
		const error = apiError('Unknown task');
		const { slots, report } = reportTasks(1, [], [request('t1', [0])], [{ state: 'unreadable', error }]);
		expect(slots[0]).toEqual([
			{
				json: { error: 'Unknown task', details: { task_id: 't1', integration_id: 'int:a', error: expect.objectContaining({ message: 'Unknown task' }), description: 'Fix: Unknown task' } },
				pairedItem: [{ item: 0 }],
			},
		]);
		expect(report.unreadable).toEqual([{ taskId: 't1', error, courses: 0 }]);
	});

	it('fails a task that failed as a whole, or completed empty, as one task-level failure', () => {
		const failed: TaskState = { state: 'finished', task: { task_id: 't1', status: 'FAILED', error: { message: 'LMS down', code: 'REMOTE.SERVICE_UNAVAILABLE' } } };
		const empty: TaskState = { state: 'finished', task: { task_id: 't2', status: 'COMPLETED', data: [] } };
		const { slots, report } = reportTasks(2, [], [request('t1', [0]), request('t2', [1])], [failed, empty]);
		expect(json(slots[0])).toEqual([
			{
				error: 'LMS down',
				details: {
					origin_id: null,
					status: 'FAILED',
					course_id: null,
					error: { code: 'REMOTE.SERVICE_UNAVAILABLE', title: null, message: 'LMS down', log_url: null },
					task_id: 't1',
					integration_id: 'int:a',
					description: expect.any(String),
				},
			},
		]);
		expect(json(slots[1])).toEqual([{ error: 'Kombo completed task t2 without any course results', details: expect.objectContaining({ task_id: 't2' }) }]);
		expect(report.total).toBe(2);
		expect(report.failed).toHaveLength(2);
		const unnamed = reportTasks(1, [], [request('t3', [0])], [{ state: 'finished', task: { task_id: 't3', status: 'FAILED', error: {} } }]);
		expect(json(unnamed.slots[0])?.[0].error).toBe('Kombo task t3 failed');
	});

	it('keeps invalid items in their own slots', () => {
		const invalid = [{ itemIndex: 1, message: 'The task ID is empty [item 1]', description: null, field: null, value: null, originId: null }];
		const { slots } = reportTasks(2, invalid, [request('t1', [0])], [completed('t1', [['a', 'SUCCEEDED']])]);
		expect(json(slots[1])).toEqual([{ error: 'The task ID is empty [item 1]', details: expect.objectContaining({ status: 'INVALID', item: 1 }) }]);
	});
});
