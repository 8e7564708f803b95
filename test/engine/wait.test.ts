import { checksUntil } from '../../nodes/Kombo/helpers/poll';
import { useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { courses, jsonOf, pairedIndexes, polls, posts, startKomboStub, upsert } from './fixtures';

const waiting = { waitForCompletion: true };

describe('Create or Update with Wait for Completion', () => {
	let stub: Stub;
	let restoreClock: () => void;
	let clock: ReturnType<typeof createFakeClock>;

	async function start(options: Parameters<typeof startKomboStub>[0] = {}) {
		stub = await startKomboStub(options);
		return stub;
	}

	beforeEach(() => {
		clock = createFakeClock();
		restoreClock = useRuntime(clock);
	});
	afterEach(async () => {
		restoreClock();
		expect(stub.violations).toEqual([]);
		await stub.close();
	});

	it('polls a task that is PENDING 3 times, then outputs each course’s Kombo ID', async () => {
		await start({ completeAfterPolls: 3 });
		const result = await upsert({ stub, items: courses(2), parameters: waiting }).promise;

		expect(result.error).toBeUndefined();
		expect(polls(stub)).toHaveLength(4);
		expect(clock.sleeps).toEqual([1000, 1500, 2250, 3375]);
		const taskId = posts(stub)[0].taskId;
		const created = [...stub.tasks.values()][0].data as Array<{ origin_id: string; data: { id: string } }>;
		expect(result.outputs[0]).toEqual(
			created.map((course, index) => ({
				json: {
					origin_id: course.origin_id,
					status: 'SUCCEEDED',
					course_id: course.data.id,
					task_id: taskId,
					integration_id: 'sandbox:demo',
				},
				pairedItem: { item: index },
			})),
		);
	});

	it('fails the node when a course fails, saying how many and which, with Kombo’s message and log link', async () => {
		await start({ failOriginIds: { 'course-1': { code: 'REMOTE.INPUT_INVALID', message: 'Title is too long for this LMS' } } });
		const result = await upsert({ stub, items: courses(3), parameters: waiting }).promise;

		expect(result.error.message).toBe('1 of 3 courses failed in Kombo');
		expect(result.error.description).toMatch(
			/^course-1 \[item 1\]: Title is too long for this LMS \(REMOTE\.INPUT_INVALID\)\. Log: https:\/\/app\.kombo\.dev\/\S+/,
		);
		expect(result.error.description).toContain('Continue (using error output)');
	});

	it('lists the first five failed courses and counts the rest', async () => {
		const failing = Object.fromEntries(Array.from({ length: 7 }, (_, index) => [`course-${index}`, { code: 'REMOTE.INPUT_INVALID', message: `Bad ${index}` }]));
		await start({ failOriginIds: failing });
		const result = await upsert({ stub, items: courses(9), parameters: waiting }).promise;

		expect(result.error.message).toBe('7 of 9 courses failed in Kombo');
		const lines = result.error.description.split('\n');
		expect(lines.slice(0, 5).map((line: string) => line.split(':')[0])).toEqual([0, 1, 2, 3, 4].map((index) => `course-${index} [item ${index}]`));
		expect(lines[5]).toBe('…and 2 more.');
	});

	it('with the error output, sends failed courses there with their row and Kombo’s reason, and the rest on', async () => {
		await start({ failOriginIds: { 'course-1': { code: 'REMOTE.INPUT_INVALID', message: 'Title is too long for this LMS' } } });
		const items = courses(3, (index) => ({ sheet_row: index + 2 }));
		const result = await upsert({ stub, items, parameters: waiting, onError: 'continueErrorOutput' }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map((json) => [json.origin_id, json.status])).toEqual([
			['course-0', 'SUCCEEDED'],
			['course-2', 'SUCCEEDED'],
		]);
		expect(pairedIndexes(result.outputs[0])).toEqual([0, 2]);
		expect(result.outputs[1]).toEqual([
			{
				json: {
					...items[1],
					error: 'Title is too long for this LMS',
					details: expect.objectContaining({
						origin_id: 'course-1',
						status: 'FAILED',
						course_id: null,
						task_id: posts(stub)[0].taskId,
						integration_id: 'sandbox:demo',
						error: expect.objectContaining({ code: 'REMOTE.INPUT_INVALID', log_url: expect.stringMatching(/^https:\/\//) }),
						description: expect.stringContaining('The LMS rejected this course'),
					}),
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it('fails every course of a task that failed as a whole with the task’s error', async () => {
		await start({
			taskBehaviour: () => ({ failTask: { code: 'INTEGRATION.AUTHENTICATION_INVALID', message: 'The LMS rejected Kombo’s login' } }),
		});
		const result = await upsert({ stub, items: courses(3), parameters: waiting, onError: 'continueRegularOutput' }).promise;

		expect(jsonOf(result.outputs[0]).map((json) => [json.error, (json.details as { error: { code: string } }).error.code])).toEqual(
			Array(3).fill(['The LMS rejected Kombo’s login', 'INTEGRATION.AUTHENTICATION_INVALID']),
		);
		expect(pairedIndexes(result.outputs[0])).toEqual([0, 1, 2]);
	});

	it('reports a course that a completed task does not mention as failed, not dropped', async () => {
		await start({ taskBehaviour: () => ({ dropOriginIds: ['course-1'] }) });
		const result = await upsert({ stub, items: courses(3), parameters: waiting, onError: 'continueRegularOutput' }).promise;

		const output = jsonOf(result.outputs[0]);
		expect(output).toHaveLength(3);
		expect(output[1]).toEqual({
			error: `Kombo completed task ${posts(stub)[0].taskId} without a result for this course`,
			details: expect.objectContaining({ origin_id: 'course-1', status: 'FAILED' }),
		});
		expect([output[0].status, output[2].status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
	});

	it('pairs results correctly when tasks finish in another order than they were sent', async () => {
		await start({ taskBehaviour: (task) => ({ pendingPolls: [4, 0, 2][task.index], reverseResults: true }) });
		const items = courses(6);
		const result = await upsert({ stub, items, parameters: waiting, options: { batchSize: 2 } }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map((json) => [json.origin_id, json.status])).toEqual(
			items.map((item) => [item.origin_id, 'SUCCEEDED']),
		);
		const finishedOrder = [...stub.tasks.values()].sort((a, b) => a.polls - b.polls).map((task) => task.index);
		expect(finishedOrder).toEqual([1, 2, 0]);
		const courseIds = new Map(
			[...stub.tasks.values()].flatMap((task) => (task.data as Array<{ origin_id: string; data: { id: string } }>).map((course) => [course.origin_id, course.data.id])),
		);
		for (const json of jsonOf(result.outputs[0])) expect(json.course_id).toBe(courseIds.get(json.origin_id as string));
	});

	it('stops at the deadline, naming the pending task and how to wait longer', async () => {
		await start({ completeAfterPolls: 1_000 });
		const result = await upsert({ stub, items: courses(2), parameters: waiting, options: { timeout: 30 } }).promise;

		const taskId = posts(stub)[0].taskId;
		expect(result.error.message).toBe(`Kombo had not finished after 30 s: task ${taskId} still pending`);
		expect(result.error.description).toContain('raise the Timeout option');
		expect(result.error.description).toContain('Get Task Status');
		expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(30_000);
		// Checks at 1, 2.5, 4.75, 8.1, 13.2 and 20.8 s, and a last one at the deadline.
		expect(polls(stub)).toHaveLength(7);
	});

	it('with Continue On Fail, outputs courses still pending at the deadline with their task ID', async () => {
		await start({ completeAfterPolls: 1_000 });
		const result = await upsert({ stub, items: courses(2), parameters: waiting, options: { timeout: 5 }, onError: 'continueRegularOutput' }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0])).toEqual([
			{ origin_id: 'course-0', status: 'PENDING', course_id: null, task_id: posts(stub)[0].taskId, integration_id: 'sandbox:demo' },
			{ origin_id: 'course-1', status: 'PENDING', course_id: null, task_id: posts(stub)[0].taskId, integration_id: 'sandbox:demo' },
		]);
	});

	it.each([
		[1_000, 1],
		[10_000, 5],
		[60_000, 9],
	])('sends 1 POST and polls %i ms of work %i times', async (taskMs, expectedPolls) => {
		restoreClock();
		const base = createFakeClock(0);
		clock = {
			...base,
			async sleep(ms, signal) {
				await base.sleep(ms, signal);
				if (base.now() >= taskMs) for (const task of stub.tasks.values()) stub.completeTask(task.task_id);
			},
		};
		restoreClock = useRuntime(clock);
		await start({ completeAfterPolls: 1_000_000 });
		const result = await upsert({ stub, items: courses(100), parameters: waiting }).promise;

		expect(result.error).toBeUndefined();
		expect(posts(stub)).toHaveLength(1);
		expect(polls(stub)).toHaveLength(expectedPolls);
		expect(checksUntil(taskMs)).toBe(expectedPolls);
	});

	it('stops at a cancel while a request is in flight, and sends nothing after it', async () => {
		await start({ latencyMs: 0 });
		stub.script([{ match: { method: 'POST' }, delayMs: 3_600_000, drop: true }]);
		let arrived: () => void = () => undefined;
		const postArrived = new Promise<void>((resolve) => (arrived = resolve));
		stub.configure({ onRequest: arrived });
		const run = upsert({ stub, items: courses(3), parameters: waiting });
		await postArrived;

		run.cancel();
		const result = await run.promise;

		// The stub holds the POST for an hour: the run can only have ended through the cancel.
		expect(result.outputs[0] ?? []).toEqual([]);
		expect(stub.requests).toHaveLength(1);
		expect(clock.sleeps).toEqual([]);
	});

	it('stops at a cancel during a retry wait', async () => {
		restoreClock();
		clock = createFakeClock(undefined, { holdFrom: 0 });
		restoreClock = useRuntime(clock);
		await start();
		stub.script([{ match: { method: 'POST' }, status: 503 }]);
		const run = upsert({ stub, items: courses(3), parameters: waiting });

		await clock.held;
		run.cancel();
		const result = await run.promise;

		// The virtual clock holds the wait until it is aborted: no second attempt, no time passed.
		expect(clock.sleeps).toEqual([1250]);
		expect(clock.now()).toBe(1_700_000_000_000);
		expect(result.outputs[0] ?? []).toEqual([]);
		expect(stub.requests).toHaveLength(1);
	});

	it('stops at a cancel while waiting for the next check, and sends nothing after it', async () => {
		restoreClock();
		clock = createFakeClock(undefined, { holdFrom: 1 });
		restoreClock = useRuntime(clock);
		await start({ completeAfterPolls: 1_000 });
		const run = upsert({ stub, items: courses(3), parameters: waiting });

		await clock.held;
		expect(polls(stub)).toHaveLength(1);
		const requestsBefore = stub.requests.length;
		run.cancel();
		const result = await run.promise;

		expect(clock.sleeps).toHaveLength(2);
		expect(result.outputs[0] ?? []).toEqual([]);
		expect(stub.requests).toHaveLength(requestsBefore);
	});
});

