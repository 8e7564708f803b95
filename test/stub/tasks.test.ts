import type { KomboStub } from '../support/kombo-stub';
import { startKomboStub } from '../support/kombo-stub';
import { course, poll, upsert } from '../support/stub-client';

describe('Kombo stub: idempotency and task progression', () => {
	let stub: KomboStub;

	beforeAll(async () => {
		stub = await startKomboStub();
	});
	afterEach(() => {
		expect(stub.violations).toEqual([]);
		stub.reset();
	});
	afterAll(async () => await stub.close());

	async function submit(items: unknown[], integrationId = 'sandbox:demo') {
		const response = await upsert(stub, items, { integrationId });
		return response.json.data.task_id;
	}

	it('returns the same task for the same body and integration, without a second task', async () => {
		const first = await submit([course('c-1'), course('c-2')]);
		const again = await submit([course('c-1'), course('c-2')]);

		expect(again).toBe(first);
		expect(stub.tasks.size).toBe(1);
		expect(stub.posts()).toHaveLength(2);
	});

	it('treats bodies that differ only in key order as the same body', async () => {
		const first = await submit([course('c-1', { duration: 5 })]);
		const reordered = await submit([
			{
				course: {
					duration: 5,
					course_url: 'https://academy.example.com/c-1',
					title: 'Course c-1',
					type: 'EXTERNAL',
				},
				origin_id: 'c-1',
			},
		]);

		expect(reordered).toBe(first);
	});

	it('creates a new task for another body or another integration', async () => {
		const first = await submit([course('c-1')]);
		const otherBody = await submit([course('c-1', { title: 'Renamed' })]);
		const otherIntegration = await submit([course('c-1')], 'sandbox:second');

		expect(new Set([first, otherBody, otherIntegration]).size).toBe(3);
		expect(stub.tasks.size).toBe(3);
	});

	it('answers PENDING for completeAfterPolls GETs, then COMPLETED with one result per item', async () => {
		stub.configure({ completeAfterPolls: 2 });
		const taskId = await submit([course('c-1'), course('c-2')]);

		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await poll(stub, taskId)).json.data);

		expect(statuses.map((task) => task.status)).toEqual(['PENDING', 'PENDING', 'COMPLETED']);
		expect(statuses[0]).toEqual({
			task_id: taskId,
			created_at: expect.any(String),
			status: 'PENDING',
			completed_at: null,
		});
		expect(statuses[2].data).toEqual([
			{ origin_id: 'c-1', status: 'SUCCEEDED', data: { id: expect.stringMatching(/^course_/) } },
			{ origin_id: 'c-2', status: 'SUCCEEDED', data: { id: expect.stringMatching(/^course_/) } },
		]);
		expect(stub.tasks.get(taskId)?.polls).toBe(3);
	});

	it('keeps a Kombo course id per origin id across upserts, as Kombo updates the course', async () => {
		const first = await submit([course('c-1')]);
		const second = await submit([course('c-1', { title: 'Renamed' })]);

		const [a] = (await poll(stub, first)).json.data.data ?? [];
		const [b] = (await poll(stub, second)).json.data.data ?? [];

		expect(a.data?.id).toBe(b.data?.id);
		expect(stub.courseId('sandbox:demo', 'c-1')).toBe(a.data?.id);
	});

	it('fails, drops and reorders items as a per-task behaviour says', async () => {
		stub.configure({
			taskBehaviour: (task) =>
				task.index === 0
					? {
							failOriginIds: {
								'c-2': { code: 'LMS.COURSE_UPDATE_NOT_SUPPORTED', message: 'No updates here' },
							},
							dropOriginIds: ['c-3'],
							reverseResults: true,
						}
					: { failTask: true },
		});
		const mixed = await submit([course('c-1'), course('c-2'), course('c-3')]);
		const failed = await submit([course('c-4')]);

		const mixedTask = (await poll(stub, mixed)).json.data;
		const failedTask = (await poll(stub, failed)).json.data;

		expect(mixedTask.status).toBe('COMPLETED');
		expect(mixedTask.data).toEqual([
			{
				origin_id: 'c-2',
				status: 'FAILED',
				error: {
					code: 'LMS.COURSE_UPDATE_NOT_SUPPORTED',
					title: expect.any(String),
					message: 'No updates here',
					log_url: expect.stringMatching(/^https:\/\//),
				},
			},
			{ origin_id: 'c-1', status: 'SUCCEEDED', data: { id: expect.any(String) } },
		]);
		expect(failedTask.status).toBe('FAILED');
		expect(failedTask.data).toBeUndefined();
		expect(failedTask.error).toMatchObject({ code: 'INTEGRATION.AUTHENTICATION_INVALID' });
	});

	it('lets tasks finish in another order than they were submitted', async () => {
		stub.configure({ taskBehaviour: (task) => ({ pendingPolls: task.index === 0 ? 2 : 0 }) });
		const slow = await submit([course('c-1')]);
		const fast = await submit([course('c-2')]);

		expect((await poll(stub, slow)).json.data.status).toBe('PENDING');
		expect((await poll(stub, fast)).json.data.status).toBe('COMPLETED');
		expect((await poll(stub, slow)).json.data.status).toBe('PENDING');
		expect((await poll(stub, slow)).json.data.status).toBe('COMPLETED');
	});

	it('fails the items listed in failOriginIds, and a deterministic share with failRate', async () => {
		stub.configure({ failOriginIds: ['c-1'] });
		const listed = await submit([course('c-1'), course('c-2')]);
		const listedResults = (await poll(stub, listed)).json.data.data ?? [];

		stub.configure({ failOriginIds: undefined, failRate: 0.3 });
		const many = Array.from({ length: 200 }, (_, i) => course(`r-${i}`));
		const first = (await poll(stub, await submit(many))).json.data.data ?? [];
		stub.reset({ failRate: 0.3 });
		const second = (await poll(stub, await submit(many))).json.data.data ?? [];

		expect(listedResults.map((r) => r.status)).toEqual(['FAILED', 'SUCCEEDED']);
		expect(listedResults[0].error?.code).toBe('REMOTE.INPUT_INVALID');
		const failedIds = (results: typeof first) =>
			results.filter((r) => r.status === 'FAILED').map((r) => r.origin_id);
		expect(failedIds(first).length).toBeGreaterThan(30);
		expect(failedIds(first).length).toBeLessThan(90);
		expect(failedIds(second)).toEqual(failedIds(first));
	});

	it('completes a task on demand, for tests that hold it pending', async () => {
		stub.configure({ completeAfterPolls: 1_000 });
		const taskId = await submit([course('c-1')]);

		expect(stub.completeTask(taskId).status).toBe('COMPLETED');
		expect((await poll(stub, taskId)).json.data.status).toBe('COMPLETED');
		expect(stub.taskJson(taskId)?.data).toHaveLength(1);
	});

	it('restores the start options on reset', async () => {
		stub.configure({ completeAfterPolls: 5 });
		stub.reset();
		const taskId = await submit([course('c-1')]);

		expect((await poll(stub, taskId)).json.data.status).toBe('COMPLETED');
		expect(stub.stats()).toMatchObject({ requests: 2, posts: 1, polls: 1, tasks: 1 });
	});
});
