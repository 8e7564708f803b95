import { pollsUntil } from '../../nodes/Kombo/helpers/poll';
import { installFakeClock } from '../helpers/dist-clock';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { courses, getUpsertTask, jsonOf, pairedIndexes, polls, posts, startKomboStub, upsert } from './fixtures';

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
		restoreClock = installFakeClock(clock);
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
					error: null,
					warnings: [],
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
		expect(result.error.description).toContain('Get Upsert Task');
		expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(30_000);
		expect(polls(stub)).toHaveLength(6);
	});

	it('with Continue On Fail, outputs courses still pending at the deadline with their task ID', async () => {
		await start({ completeAfterPolls: 1_000 });
		const result = await upsert({ stub, items: courses(2), parameters: waiting, options: { timeout: 5 }, onError: 'continueRegularOutput' }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0])).toEqual([
			{ origin_id: 'course-0', status: 'PENDING', task_id: posts(stub)[0].taskId, integration_id: 'sandbox:demo', warnings: [] },
			{ origin_id: 'course-1', status: 'PENDING', task_id: posts(stub)[0].taskId, integration_id: 'sandbox:demo', warnings: [] },
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
		restoreClock = installFakeClock(clock);
		await start({ completeAfterPolls: 1_000_000 });
		const result = await upsert({ stub, items: courses(100), parameters: waiting }).promise;

		expect(result.error).toBeUndefined();
		expect(posts(stub)).toHaveLength(1);
		expect(polls(stub)).toHaveLength(expectedPolls);
		expect(pollsUntil(taskMs)).toBe(expectedPolls);
	});

	it('stops within 100 ms of a cancel while a request is in flight, and sends nothing after it', async () => {
		await start({ latencyMs: 0 });
		stub.script([{ match: { method: 'POST' }, delayMs: 5_000, drop: true }]);
		let arrived: () => void = () => undefined;
		const postArrived = new Promise<void>((resolve) => (arrived = resolve));
		stub.configure({ onRequest: arrived });
		const run = upsert({ stub, items: courses(3), parameters: waiting });
		await postArrived;

		const cancelledAt = Date.now();
		run.cancel();
		const result = await run.promise;

		expect(Date.now() - cancelledAt).toBeLessThan(100);
		expect(result.outputs[0] ?? []).toEqual([]);
		expect(stub.requests).toHaveLength(1);
	});

	it('stops within 100 ms of a cancel during a retry wait', async () => {
		restoreClock();
		clock = createFakeClock(undefined, { holdFrom: 0 });
		restoreClock = installFakeClock(clock);
		await start();
		stub.script([{ match: { method: 'POST' }, status: 503 }]);
		const run = upsert({ stub, items: courses(3), parameters: waiting });

		await clock.held;
		const cancelledAt = Date.now();
		run.cancel();
		const result = await run.promise;

		expect(clock.sleeps).toEqual([1250]);
		expect(Date.now() - cancelledAt).toBeLessThan(100);
		expect(result.outputs[0] ?? []).toEqual([]);
		expect(stub.requests).toHaveLength(1);
	});

	it('stops within 100 ms of a cancel while polling, and sends nothing after it', async () => {
		restoreClock();
		clock = createFakeClock(undefined, { holdFrom: 1 });
		restoreClock = installFakeClock(clock);
		await start({ completeAfterPolls: 1_000 });
		const run = upsert({ stub, items: courses(3), parameters: waiting });

		await clock.held;
		expect(polls(stub)).toHaveLength(1);
		const cancelledAt = Date.now();
		const requestsBefore = stub.requests.length;
		run.cancel();
		const result = await run.promise;

		expect(Date.now() - cancelledAt).toBeLessThan(100);
		expect(result.outputs[0] ?? []).toEqual([]);
		expect(stub.requests).toHaveLength(requestsBefore);
	});
});

describe('Get Upsert Task', () => {
	let stub: Stub;
	let restoreClock: () => void;

	beforeEach(() => {
		restoreClock = installFakeClock(createFakeClock());
	});
	afterEach(async () => {
		restoreClock();
		await stub.close();
	});

	async function submit(count: number, options: Parameters<typeof startKomboStub>[0]) {
		stub = await startKomboStub(options);
		const submitted = await upsert({ stub, items: courses(count) }).promise;
		return jsonOf(submitted.outputs[0]);
	}

	it('outputs one PENDING item with the creation time while the task runs', async () => {
		const submitted = await submit(3, { completeAfterPolls: 1_000 });
		const result = await getUpsertTask(stub, submitted).promise;

		const task = [...stub.tasks.values()][0];
		expect(result.outputs[0]).toEqual([
			{
				json: { task_id: task.task_id, status: 'PENDING', created_at: task.created_at, integration_id: 'sandbox:demo' },
				pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }],
			},
		]);
		expect(polls(stub)).toHaveLength(1);
	});

	it('outputs one result per course of a completed task, looking the task up once', async () => {
		const submitted = await submit(3, { failOriginIds: { 'course-2': { code: 'REMOTE.INPUT_INVALID', message: 'Bad title' } } });
		const result = await getUpsertTask(stub, submitted).promise;

		expect(polls(stub)).toHaveLength(1);
		expect(jsonOf(result.outputs[0]).map((json) => [json.origin_id, json.status, json.task_id])).toEqual([
			['course-0', 'SUCCEEDED', submitted[0].task_id],
			['course-1', 'SUCCEEDED', submitted[0].task_id],
			['course-2', 'FAILED', submitted[0].task_id],
		]);
		expect(jsonOf(result.outputs[0])[2].error).toEqual(expect.objectContaining({ code: 'REMOTE.INPUT_INVALID', message: 'Bad title' }));
	});

	it('waits for the task when asked to', async () => {
		const submitted = await submit(1, { completeAfterPolls: 3 });
		const result = await getUpsertTask(stub, submitted, { waitForCompletion: true }).promise;

		expect(jsonOf(result.outputs[0]).map((json) => json.status)).toEqual(['SUCCEEDED']);
		expect(polls(stub)).toHaveLength(4);
	});

	it('looks up several tasks, each once, and pairs each result with the items that asked for it', async () => {
		const submitted = await submit(5, { completeAfterPolls: 0 });
		const byTask = new Map<string, number[]>();
		submitted.forEach((json, index) => byTask.set(json.task_id as string, [...(byTask.get(json.task_id as string) ?? []), index]));
		const rerun = await upsert({ stub, items: courses(3).map((row) => ({ ...row, origin_id: `other-${row.origin_id}` })) }).promise;
		const items = [...submitted, ...jsonOf(rerun.outputs[0])];
		const result = await getUpsertTask(stub, items).promise;

		expect(polls(stub)).toHaveLength(2);
		expect(jsonOf(result.outputs[0]).map((json) => json.origin_id)).toEqual([
			'course-0', 'course-1', 'course-2', 'course-3', 'course-4',
			'other-course-0', 'other-course-1', 'other-course-2',
		]);
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([
			...Array(5).fill([0, 1, 2, 3, 4].map((item) => ({ item }))),
			...Array(3).fill([5, 6, 7].map((item) => ({ item }))),
		]);
	});

	it('outputs a task that failed as a whole as one FAILED item with the task’s error', async () => {
		const submitted = await submit(2, {
			taskBehaviour: () => ({ failTask: { code: 'INTEGRATION.AUTHENTICATION_INVALID', message: 'LMS login expired' } }),
		});
		const result = await getUpsertTask(stub, submitted).promise;

		expect(jsonOf(result.outputs[0])).toEqual([
			{
				origin_id: null,
				status: 'FAILED',
				course_id: null,
				task_id: submitted[0].task_id,
				integration_id: 'sandbox:demo',
				error: expect.objectContaining({ code: 'INTEGRATION.AUTHENTICATION_INVALID', message: 'LMS login expired' }),
				warnings: [],
			},
		]);
	});

	it('outputs a completed task without course results as one FAILED item, never as nothing', async () => {
		const submitted = await submit(1, { taskBehaviour: () => ({ dropOriginIds: ['course-0'] }) });
		const result = await getUpsertTask(stub, submitted).promise;

		expect(jsonOf(result.outputs[0])).toEqual([
			expect.objectContaining({
				status: 'FAILED',
				error: expect.objectContaining({ message: `Kombo completed task ${submitted[0].task_id} without any course results` }),
			}),
		]);
	});

	it('outputs a task still pending at the deadline as PENDING when waiting', async () => {
		const submitted = await submit(1, { completeAfterPolls: 1_000 });
		const result = await getUpsertTask(stub, submitted, { waitForCompletion: true, options: { timeout: 20 } }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0])).toEqual([expect.objectContaining({ status: 'PENDING', task_id: submitted[0].task_id })]);
		// One look-up, then polls 1, 2.5, 4.75, 8.1 and 13.2 s later; the next would pass 20 s.
		expect(polls(stub)).toHaveLength(6);
	});

	it('explains an unknown task ID, and outputs it as an error item with Continue On Fail', async () => {
		stub = await startKomboStub();
		const failed = await getUpsertTask(stub, [{ task_id: 'task_doesnotexist' }]).promise;
		expect(failed.error.httpCode).toBe('404');
		expect(failed.error.message).toMatch(/task/i);

		const continued = await getUpsertTask(stub, [{ task_id: 'task_doesnotexist' }], {}, 'continueRegularOutput').promise;
		expect(continued.outputs[0]).toEqual([
			{
				json: { error: failed.error.message, details: expect.objectContaining({ task_id: 'task_doesnotexist' }) },
				pairedItem: [{ item: 0 }],
			},
		]);
	});
});
