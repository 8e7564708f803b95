import { isUnknownStatus, readSubmission, readTaskData } from '../../../../nodes/Kombo/helpers/taskShape';

describe('readTaskData', () => {
	it.each([
		[{ task_id: 't', status: 'PENDING' }],
		[{ task_id: 't', status: 'FAILED', error: { message: 'x' } }],
		[{ task_id: 't', status: 'COMPLETED', data: [{ origin_id: 'a', status: 'SUCCEEDED' }, { origin_id: 7, status: 'FAILED' }] }],
		[{ task_id: 't', status: 'COMPLETED', data: [] }],
	])('accepts %j', (data) => {
		expect(readTaskData(data)).toEqual({ ok: true, value: data });
	});

	it.each([
		[undefined, 'its data is not a task'],
		[null, 'its data is not a task'],
		[[], 'its data is not a task'],
		['PENDING', 'its data is not a task'],
		[{ task_id: 't' }, 'the task has no status'],
		[{ task_id: 't', status: '' }, 'the task has no status'],
		[{ task_id: 't', status: 3 }, 'the task has no status'],
		[{ task_id: 't', status: 'COMPLETED' }, 'the completed task has no course results'],
		[{ task_id: 't', status: 'COMPLETED', data: [null] }, 'a course result is not an object'],
		[{ task_id: 't', status: 'COMPLETED', data: [{ status: 'SUCCEEDED' }] }, 'a course result has no origin_id'],
		[{ task_id: 't', status: 'COMPLETED', data: [{ origin_id: 'a', status: 'DONE' }] }, 'a course result has the status "DONE"'],
		[
			{ task_id: 't', status: 'COMPLETED', data: [{ origin_id: 'a', status: 'SUCCEEDED' }, { origin_id: 'b', status: 'DONE' }] },
			'a course result has the status "DONE"',
		],
	])('names what is wrong with %j', (data, problem) => {
		expect(readTaskData(data)).toEqual({ ok: false, problem });
	});

	it('passes a status it does not know on as such, for the caller to name', () => {
		const reading = readTaskData({ task_id: 't', status: 'ARCHIVED' });
		expect(reading).toEqual({ ok: true, value: { task_id: 't', status: 'ARCHIVED', unknown: true } });
		expect(reading.ok && isUnknownStatus(reading.value)).toBe(true);
		const known = readTaskData({ task_id: 't', status: 'PENDING' });
		expect(known.ok && isUnknownStatus(known.value)).toBe(false);
		expect(readTaskData({ status: 'ARCHIVED' })).toEqual({ ok: true, value: { task_id: '', status: 'ARCHIVED', unknown: true } });
	});
});

describe('readSubmission', () => {
	it('takes the task ID', () => {
		expect(readSubmission({ task_id: 'task_1', extra: true })).toEqual({ ok: true, value: { task_id: 'task_1' } });
	});

	it.each([[undefined], [{}], [{ task_id: '' }], [{ task_id: 5 }], [[]]])('refuses %j', (data) => {
		expect(readSubmission(data)).toEqual({ ok: false, problem: 'it returned no task ID' });
	});
});
