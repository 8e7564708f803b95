import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { RunReport } from '../../../../nodes/Kombo/helpers/runErrors';
import { invalidItemsError, rejectedBatchError, runError } from '../../../../nodes/Kombo/helpers/runErrors';
import type { CourseOutcome } from '../../../../nodes/Kombo/helpers/results';

const NODE: INode = { id: 'n', name: 'Kombo', type: 'n8n-nodes-kombo.kombo', typeVersion: 1, position: [0, 0], parameters: {} };

function report(changes: Partial<RunReport> = {}): RunReport {
	return { total: 10, failed: [], unreadable: [], timedOut: [], pendingCourses: 0, timeoutMs: 600_000, accepted: true, ...changes };
}

function failedCourse(index: number, withCode = true) {
	const outcome: CourseOutcome = {
		origin_id: `c-${index}`,
		status: 'FAILED',
		course_id: null,
		error: { code: withCode ? 'REMOTE.INPUT_INVALID' : null, title: null, message: `Bad ${index}`, log_url: withCode ? `https://log/${index}` : null },
		task_id: 't',
		integration_id: 'int:a',
		warnings: [],
	};
	return { outcome, itemIndex: index };
}

const apiError = (message: string, description?: string, httpCode = '404', itemIndex = 2) =>
	new NodeApiError(NODE, { message }, { message, description, httpCode, itemIndex });

describe('invalidItemsError', () => {
	const invalid = (itemIndex: number) => ({ itemIndex, message: `Bad item ${itemIndex}`, description: `Fix ${itemIndex}`, field: null, value: null, originId: null });

	it('names the first invalid item and says nothing was sent when there are several', () => {
		const error = invalidItemsError(NODE, [invalid(2), invalid(5)], 9);
		expect(error.message).toBe('Bad item 2');
		expect(error.description).toBe('Fix 2\n2 of 9 items are invalid; nothing was sent to Kombo.');
		expect(error.context.itemIndex).toBe(2);
	});

	it('says only how many items are invalid when the first one has no fix to suggest', () => {
		const error = invalidItemsError(NODE, [{ ...invalid(1), description: null }, invalid(4)], 9);
		expect(error.description).toBe('2 of 9 items are invalid; nothing was sent to Kombo.');
	});

	it('says only what is wrong when one item is invalid', () => {
		expect(invalidItemsError(NODE, [invalid(0)], 9).description).toBe('Fix 0');
		expect(invalidItemsError(NODE, [{ ...invalid(0), description: null }], 9).description).toBeUndefined();
	});
});

describe('rejectedBatchError', () => {
	it('adds how many batches had been accepted, and that a rerun is safe', () => {
		const error = rejectedBatchError(apiError('Rejected', 'Fix the title.'), 2, 5);
		expect(error.description).toBe('Fix the title.\n2 of 5 batches had been accepted before this error. Running the node again is safe: Kombo matches courses on origin ID.');
	});

	it('starts with the accepted batches when Kombo’s error had no description', () => {
		const error = rejectedBatchError(apiError('Rejected'), 1, 3);
		expect(error.description).toBe('1 of 3 batches had been accepted before this error. Running the node again is safe: Kombo matches courses on origin ID.');
	});

	it('leaves the error as it is when nothing had been accepted', () => {
		expect(rejectedBatchError(apiError('Rejected', 'Fix the title.'), 0, 5).description).toBe('Fix the title.');
	});
});

describe('runError', () => {
	it('is nothing when every course is done', () => {
		expect(runError(NODE, report())).toBeUndefined();
	});

	it('counts failed courses, lists five with code and log link, and says how to route them', () => {
		const failed = Array.from({ length: 7 }, (_, index) => failedCourse(index + 1));
		const error = runError(NODE, report({ failed, pendingCourses: 3 }))!;
		expect(error.message).toBe('7 of 10 courses failed in Kombo');
		const lines = (error.description ?? '').split('\n');
		expect(lines.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map((index) => `c-${index} [item ${index}]: Bad ${index} (REMOTE.INPUT_INVALID). Log: https://log/${index}`));
		expect(lines[5]).toBe('…and 2 more.');
		expect(lines[6]).toBe('3 more courses were still pending when the node stopped waiting.');
		expect(lines[7]).toContain('"Continue (using error output)"');
		expect(error.context.itemIndex).toBe(1);
	});

	it('lists five failed courses in full, and says nothing of pending courses when there are none', () => {
		const failed = Array.from({ length: 5 }, (_, index) => failedCourse(index));
		const error = runError(NODE, report({ failed }))!;
		const lines = (error.description ?? '').split('\n');
		expect(lines.slice(0, -1)).toEqual([0, 1, 2, 3, 4].map((index) => `c-${index} [item ${index}]: Bad ${index} (REMOTE.INPUT_INVALID). Log: https://log/${index}`));
		expect(lines.at(-1)).toContain('"Continue (using error output)"');
		expect((error as NodeApiError).errorResponse).toEqual({ message: '5 of 10 courses failed in Kombo' });
	});

	it('lists a failed course without code or log link plainly, and a task-level failure by its task', () => {
		const plain = failedCourse(0, false);
		const taskLevel = { ...failedCourse(1), outcome: { ...failedCourse(1).outcome, origin_id: null } };
		const error = runError(NODE, report({ failed: [plain, taskLevel], pendingCourses: 1 }))!;
		expect((error.description ?? '').split('\n').slice(0, 3)).toEqual([
			'c-0 [item 0]: Bad 0.',
			't [item 1]: Bad 1 (REMOTE.INPUT_INVALID). Log: https://log/1',
			'1 more course was still pending when the node stopped waiting.',
		]);
	});

	it('names tasks Kombo cannot report on, with the reason, and says their courses were accepted', () => {
		const error = runError(
			NODE,
			report({ unreadable: [{ taskId: 't1', error: apiError('Not found', 'Check the task.'), courses: 3 }, { taskId: 't2', error: apiError('Gone'), courses: 1 }] }),
		)!;
		expect(error.message).toBe('Kombo could not report on tasks t1, t2: Not found');
		expect((error.description ?? '').split('\n')).toEqual([
			'Kombo had accepted the courses of these tasks (4 courses), so they may still be processed. The node stopped waiting because asking again would fail the same way.',
			't1: Not found. Check the task.',
			't2: Gone.',
		]);
		expect((error as NodeApiError).httpCode).toBe('404');
		expect(error.context.itemIndex).toBe(2);
	});

	it('says "this task" and one course for a single unreadable task, and cuts a long list of tasks short', () => {
		const one = runError(NODE, report({ unreadable: [{ taskId: 't1', error: apiError('Not found'), courses: 1 }] }))!;
		expect(one.message).toBe('Kombo could not report on task t1: Not found');
		expect(one.description).toContain('the courses of this task (1 course)');
		const many = Array.from({ length: 6 }, (_, index) => ({ taskId: `t${index}`, error: apiError('Not found'), courses: 1 }));
		expect(runError(NODE, report({ unreadable: many }))!.message).toBe('Kombo could not report on tasks t0, t1, t2, t3, t4 and others: Not found');
	});

	it('names all of five unreadable tasks, and carries the message in the error response', () => {
		const five = Array.from({ length: 5 }, (_, index) => ({ taskId: `t${index}`, error: apiError('Not found'), courses: 1 }));
		const error = runError(NODE, report({ unreadable: five })) as NodeApiError;
		expect(error.message).toBe('Kombo could not report on tasks t0, t1, t2, t3, t4: Not found');
		expect(error.errorResponse).toEqual({ message: 'Kombo could not report on tasks t0, t1, t2, t3, t4: Not found' });
	});

	it('passes Kombo’s own error on for a task the user named', () => {
		const original = apiError('Unknown task');
		expect(runError(NODE, report({ accepted: false, unreadable: [{ taskId: 't1', error: original, courses: 0 }] }))).toBe(original);
	});

	it('names the tasks still pending at the deadline, the Timeout, and the last failed checks', () => {
		const error = runError(NODE, report({ timeoutMs: 30_000, timedOut: [{ taskId: 't1' }, { taskId: 't2', lastCheckError: 'HTTP 503' }] }))!;
		expect(error.message).toBe('Kombo had not finished after 30 s: tasks t1, t2 still pending');
		const lines = (error.description ?? '').split('\n');
		expect(lines[0]).toContain('raise the Timeout option');
		expect(lines[0]).toContain('Get Task Status');
		expect(lines.slice(1)).toEqual(['The last status check of t2 failed: HTTP 503']);
		expect(runError(NODE, report({ timeoutMs: 1_000, timedOut: [{ taskId: 't1' }] }))!.message).toBe('Kombo had not finished after 1 s: task t1 still pending');
	});

	it('reports failed courses before unreadable tasks, and those before a timeout', () => {
		const unreadable = [{ taskId: 't1', error: apiError('Not found'), courses: 1 }];
		const timedOut = [{ taskId: 't2' }];
		expect(runError(NODE, report({ failed: [failedCourse(0)], unreadable, timedOut }))!.message).toBe('1 of 10 courses failed in Kombo');
		expect(runError(NODE, report({ unreadable, timedOut }))!.message).toContain('could not report');
	});
});
