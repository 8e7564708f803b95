import { useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { courses, getUpsertTask, jsonOf, polls, startKomboStub, upsert } from './fixtures';

describe('Get Upsert Task', () => {
	let stub: Stub;
	let clock: ReturnType<typeof createFakeClock>;
	let restoreClock: () => void;

	beforeEach(() => {
		clock = createFakeClock();
		restoreClock = useRuntime(clock);
	});
	afterEach(async () => {
		restoreClock();
		expect(stub.violations).toEqual([]);
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
				json: { origin_id: null, status: 'PENDING', course_id: null, task_id: task.task_id, integration_id: 'sandbox:demo', created_at: task.created_at },
				pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }],
			},
		]);
		expect(polls(stub)).toHaveLength(1);
	});

	it('outputs one result per course of a completed task, looking the task up once, failed courses as errors', async () => {
		const submitted = await submit(3, { failOriginIds: { 'course-2': { code: 'REMOTE.INPUT_INVALID', message: 'Bad title' } } });
		const result = await getUpsertTask(stub, submitted, {}, 'continueErrorOutput').promise;

		expect(polls(stub)).toHaveLength(1);
		expect(jsonOf(result.outputs[0]).map((json) => [json.origin_id, json.status, json.task_id])).toEqual([
			['course-0', 'SUCCEEDED', submitted[0].task_id],
			['course-1', 'SUCCEEDED', submitted[0].task_id],
		]);
		expect(result.outputs[1]).toHaveLength(1);
		expect(result.outputs[1][0].json).toEqual(
			expect.objectContaining({
				error: 'Bad title',
				details: expect.objectContaining({ origin_id: 'course-2', status: 'FAILED', error: expect.objectContaining({ code: 'REMOTE.INPUT_INVALID' }) }),
			}),
		);
	});

	it('fails like Create or Update when a course failed and errors are not continued', async () => {
		const submitted = await submit(3, { failOriginIds: { 'course-1': { code: 'REMOTE.INPUT_INVALID', message: 'Bad title' } } });
		const result = await getUpsertTask(stub, submitted).promise;

		expect(result.error.message).toBe('1 of 3 courses failed in Kombo');
		expect(result.error.description).toMatch(/^course-1 \[item 0\]: Bad title \(REMOTE\.INPUT_INVALID\)\. Log: https:\/\//);
	});

	it('waits for the task when asked to', async () => {
		const submitted = await submit(1, { completeAfterPolls: 3 });
		const result = await getUpsertTask(stub, submitted, { waitForCompletion: true }).promise;

		expect(jsonOf(result.outputs[0]).map((json) => json.status)).toEqual(['SUCCEEDED']);
		expect(polls(stub)).toHaveLength(4);
		expect(clock.sleeps).toEqual([1500, 2250, 3375]);
	});

	it('looks up several tasks, each once, and pairs each result with the items that asked for it', async () => {
		const submitted = await submit(5, { completeAfterPolls: 0 });
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

	it('outputs items in input order, an item without a task ID in its own place', async () => {
		const submitted = await submit(1, { completeAfterPolls: 0 });
		const rerun = await upsert({ stub, items: [{ origin_id: 'later', title: 'Later', course_url: 'https://academy.example.com/later' }] }).promise;
		const items = [submitted[0], { task_id: '' }, jsonOf(rerun.outputs[0])[0]];
		const result = await getUpsertTask(stub, items, {}, 'continueRegularOutput').promise;

		expect(result.outputs[0].map((item) => [item.json.origin_id ?? (item.json.details as { item: number }).item, item.pairedItem])).toEqual([
			['course-0', [{ item: 0 }]],
			[1, { item: 1 }],
			['later', [{ item: 2 }]],
		]);
		expect(result.outputs[0][1].json.error).toBe('The task ID is empty [item 1]');
	});

	it('reads a task ID with spaces around it as the ID itself', async () => {
		const submitted = await submit(1, { completeAfterPolls: 0 });
		const result = await getUpsertTask(stub, [{ task_id: ` ${submitted[0].task_id} ` }]).promise;

		expect(result.error).toBeUndefined();
		expect(polls(stub).map((request) => request.route)).toEqual([`/lms/courses/bulk/${submitted[0].task_id}`]);
		expect(jsonOf(result.outputs[0]).map((json) => [json.origin_id, json.status])).toEqual([['course-0', 'SUCCEEDED']]);
	});

	it('without Continue On Fail, refuses a blank task ID before looking up any task, and says what to map', async () => {
		const submitted = await submit(1, { completeAfterPolls: 0 });
		const result = await getUpsertTask(stub, [submitted[0], { task_id: '   ' }]).promise;

		expect(polls(stub)).toEqual([]);
		expect(result.error.message).toBe('The task ID is empty [item 1]');
		expect(result.error.description).toBe('Map the task_id field that Create or Update outputs, e.g. {{ $json.task_id }}.');
		expect(result.error.context.itemIndex).toBe(1);
	});

	it('keeps the text of an expression’s error whole, naming the item once at its end', async () => {
		stub = await startKomboStub();
		const items = [{ task_id: 'task_1', algorithm: 'sha [item 3]' }];
		const result = await getUpsertTask(stub, items, { taskId: '={{ $json.task_id.hash($json.algorithm) }}' }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.error.message).toMatch(/^Unknown algorithm sha \[item 3\]\. .+ \[item 0\]$/);
		expect(result.error.message.match(/\[item \d+\]/g)).toEqual(['[item 3]', '[item 0]']);
	});

	it('outputs a task that failed as a whole as one FAILED error item with the task’s error', async () => {
		const submitted = await submit(2, {
			taskBehaviour: () => ({ failTask: { code: 'INTEGRATION.AUTHENTICATION_INVALID', message: 'LMS login expired' } }),
		});
		const result = await getUpsertTask(stub, submitted, {}, 'continueRegularOutput').promise;

		expect(jsonOf(result.outputs[0])).toEqual([
			{
				error: 'LMS login expired',
				details: expect.objectContaining({
					origin_id: null,
					status: 'FAILED',
					course_id: null,
					task_id: submitted[0].task_id,
					integration_id: 'sandbox:demo',
					error: expect.objectContaining({ code: 'INTEGRATION.AUTHENTICATION_INVALID', message: 'LMS login expired' }),
				}),
			},
		]);
	});

	it('outputs a completed task without course results as one FAILED item, never as nothing', async () => {
		const submitted = await submit(1, { taskBehaviour: () => ({ dropOriginIds: ['course-0'] }) });
		const result = await getUpsertTask(stub, submitted, {}, 'continueRegularOutput').promise;

		expect(jsonOf(result.outputs[0])).toEqual([
			{
				error: `Kombo completed task ${submitted[0].task_id} without any course results`,
				details: expect.objectContaining({ status: 'FAILED', task_id: submitted[0].task_id }),
			},
		]);
	});

	it('fails at the deadline like Create or Update, naming the task, after a last check at the deadline', async () => {
		const submitted = await submit(1, { completeAfterPolls: 1_000 });
		const result = await getUpsertTask(stub, submitted, { waitForCompletion: true, options: { timeout: 20 } }).promise;

		expect(result.error.message).toBe(`Kombo had not finished after 20 s: task ${submitted[0].task_id} still pending`);
		// At once, then 1, 2.5, 4.75, 8.1 and 13.2 s later, and at the deadline.
		expect(polls(stub)).toHaveLength(7);
		expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(20_000);
	});

	it('with Continue On Fail, outputs a task still pending at the deadline as PENDING', async () => {
		const submitted = await submit(1, { completeAfterPolls: 1_000 });
		const result = await getUpsertTask(stub, submitted, { waitForCompletion: true, options: { timeout: 20 } }, 'continueRegularOutput').promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0])).toEqual([expect.objectContaining({ status: 'PENDING', task_id: submitted[0].task_id })]);
	});

	it('keeps checking through failed checks when waiting, as Create or Update does', async () => {
		const submitted = await submit(1, { completeAfterPolls: 0 });
		stub.script([{ match: { method: 'GET' }, status: 503, times: 7 }]);
		const result = await getUpsertTask(stub, submitted, { waitForCompletion: true }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map((json) => json.status)).toEqual(['SUCCEEDED']);
		expect(polls(stub).length).toBeGreaterThan(7);
	});

	it('explains an unknown task ID at once, and outputs it as an error item with Continue On Fail', async () => {
		stub = await startKomboStub();
		const failed = await getUpsertTask(stub, [{ task_id: 'task_doesnotexist' }], { waitForCompletion: true }).promise;
		expect(failed.error.httpCode).toBe('404');
		expect(failed.error.message).toMatch(/task/i);
		expect(polls(stub)).toHaveLength(1);

		const continued = await getUpsertTask(stub, [{ task_id: 'task_doesnotexist' }], {}, 'continueRegularOutput').promise;
		expect(continued.outputs[0]).toEqual([
			{
				json: { error: failed.error.message, details: expect.objectContaining({ task_id: 'task_doesnotexist' }) },
				pairedItem: [{ item: 0 }],
			},
		]);
	});
});
