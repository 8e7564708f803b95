import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { TaskRef } from '../../../../nodes/Kombo/engine/tasks';
import { checkTask, isAccepted, submitBatches, waitForTasks } from '../../../../nodes/Kombo/engine/tasks';
import type { Batch } from '../../../../nodes/Kombo/helpers/batching';
import type { KomboCourseItem } from '../../../../nodes/Kombo/helpers/course';
import type { KomboClient, KomboRequest } from '../../../../nodes/Kombo/transport';
import { SkippedRequest } from '../../../../nodes/Kombo/transport';
import { createFakeClock } from '../../../helpers/fake-clock';

const NODE: INode = { id: 'n', name: 'Kombo', type: 'n8n-nodes-kombo.kombo', typeVersion: 1, position: [0, 0], parameters: {} };

type Answer = { data?: unknown; warnings?: string[] } | { status: number; code?: string; message?: string };

function apiError(status: number, code?: string, message = `HTTP ${status}`) {
	return new NodeApiError(NODE, { message, code: code ?? null }, { message, httpCode: String(status) });
}

/** A client whose requests answer from a function of the request; it records what was asked. */
function fakeClient(answer: (request: KomboRequest<unknown>, index: number) => Answer, options: { start?: number; signal?: AbortSignal } = {}) {
	const runtime = createFakeClock(options.start ?? 0);
	const requests: Array<KomboRequest<unknown> & { at: number }> = [];
	const client = {
		runtime,
		ctx: { getNode: () => NODE },
		get signal() {
			return options.signal;
		},
		get cancelled() {
			return options.signal?.aborted === true;
		},
		async request(request: KomboRequest<unknown>) {
			// One lane, as the transport's write limiter would give a run stopping at its first error.
			const turn = lane;
			let done!: () => void;
			lane = new Promise<void>((resolve) => (done = resolve));
			await turn;
			try {
				for (let tick = 0; tick < 20; tick++) await Promise.resolve();
				return answerOne(request);
			} finally {
				done();
			}
		},
	};
	let lane = Promise.resolve();
	function answerOne(request: KomboRequest<unknown>) {
		{
			if (request.wanted && !request.wanted()) throw new SkippedRequest();
			requests.push({ ...request, at: runtime.now() });
			const result = answer(request, requests.length - 1);
			if ('status' in result) throw apiError(result.status, result.code, result.message);
			if (request.read) {
				const read = request.read(result.data);
				if (!read.ok) throw apiError(200, undefined, `unreadable: ${read.problem}`);
				return { data: read.value, warnings: result.warnings ?? [] };
			}
			return { data: result.data, warnings: result.warnings ?? [] };
		}
	}
	return { client: client as unknown as KomboClient, requests, runtime };
}

function batch(integrationId: string, originIds: string[], firstItem = 0): Batch<KomboCourseItem> {
	return {
		integrationId,
		entries: originIds.map((originId, index) => ({
			itemIndex: firstItem + index,
			integrationId,
			originId,
			value: { origin_id: originId, course: { type: 'EXTERNAL', title: originId, course_url: `https://x.test/${originId}` } },
		})),
	};
}

const ref = (taskId: string, firstCheckAt = 1_000, itemIndex = 0): TaskRef => ({ taskId, integrationId: 'int:a', itemIndex, firstCheckAt });
const pending = (taskId: string) => ({ data: { task_id: taskId, status: 'PENDING', created_at: '2026-12-01T00:00:00Z' } });
const completed = (taskId: string) => ({ data: { task_id: taskId, status: 'COMPLETED', data: [{ origin_id: 'a', status: 'SUCCEEDED', data: { id: 'k1' } }] } });

describe('submitBatches', () => {
	it('sends each batch as one bulk POST of its items, to its integration, reporting errors against its first item', async () => {
		const { client, requests } = fakeClient((_request, index) => ({ data: { task_id: `task_${index}` }, warnings: index === 0 ? ['w'] : [] }));
		const submitted = await submitBatches(client, [batch('int:a', ['a', 'b']), batch('int:b', ['c'], 2)], true);

		expect(requests.map(({ method, path, integrationId, itemIndex, body }) => ({ method, path, integrationId, itemIndex, body }))).toEqual([
			{ method: 'POST', path: '/lms/courses/bulk', integrationId: 'int:a', itemIndex: 0, body: { items: batch('int:a', ['a', 'b']).entries.map((e) => e.value) } },
			{ method: 'POST', path: '/lms/courses/bulk', integrationId: 'int:b', itemIndex: 2, body: { items: batch('int:b', ['c'], 2).entries.map((e) => e.value) } },
		]);
		expect(submitted.map((sent) => (isAccepted(sent) ? [sent.taskId, sent.warnings, sent.submittedAt] : sent.outcome))).toEqual([
			['task_0', ['w'], 0],
			['task_1', [], 0],
		]);
	});

	it('refuses an answer without a task ID through the request’s reader', async () => {
		const { client } = fakeClient(() => ({ data: { task_id: '' } }));
		const [sent] = await submitBatches(client, [batch('int:a', ['a'])], false);
		expect(sent.outcome).toBe('rejected');
		expect(sent.outcome === 'rejected' && sent.error.message).toBe('unreadable: it returned no task ID');
	});

	it('sends no further batch after the first rejection when the run stops at errors', async () => {
		const batches = Array.from({ length: 10 }, (_, index) => batch('int:a', [`c${index}`], index));
		const { client, requests } = fakeClient((_request, index) => (index === 0 ? { status: 400, code: 'PLATFORM.INPUT_INVALID' } : { data: { task_id: `t${index}` } }));
		const submitted = await submitBatches(client, batches, true);

		// Every batch whose turn came after the rejection is dropped unsent.
		expect(requests).toHaveLength(1);
		expect(submitted.map((sent) => sent.outcome)).toEqual(['rejected', ...Array(9).fill('skipped')]);
	});

	it('sends every batch when errors are continued', async () => {
		const batches = Array.from({ length: 6 }, (_, index) => batch('int:a', [`c${index}`], index));
		const { client, requests } = fakeClient((_request, index) => (index % 2 === 0 ? { status: 400 } : { data: { task_id: `t${index}` } }));
		const submitted = await submitBatches(client, batches, false);
		expect(requests).toHaveLength(6);
		expect(submitted.filter(isAccepted)).toHaveLength(3);
	});

	it('lets a cancel escape instead of reporting it as a rejected batch', async () => {
		const controller = new AbortController();
		const { client } = fakeClient(
			() => {
				controller.abort();
				return { status: 503 };
			},
			{ signal: controller.signal },
		);
		await expect(submitBatches(client, [batch('int:a', ['a'])], false)).rejects.toThrow('HTTP 503');
	});
});

describe('checkTask', () => {
	it('asks for the task by its escaped ID, on its integration, reporting against its item, within the deadline', async () => {
		const { client, requests } = fakeClient(() => pending('t/1'));
		const state = await checkTask(client, { taskId: 't/1', integrationId: 'int:z', itemIndex: 7, firstCheckAt: 0 }, 5_000);
		expect(state).toEqual({ state: 'pending', createdAt: '2026-12-01T00:00:00Z' });
		expect(requests[0]).toEqual(expect.objectContaining({ method: 'GET', path: '/lms/courses/bulk/t%2F1', integrationId: 'int:z', itemIndex: 7, deadline: 5_000 }));
	});

	it('reports a finished task', async () => {
		const { client } = fakeClient(() => completed('t1'));
		const state = await checkTask(client, ref('t1'));
		expect(state.state).toBe('finished');
		const failed = await checkTask(fakeClient(() => ({ data: { task_id: 't', status: 'FAILED', error: { message: 'no' } } })).client, ref('t'));
		expect(failed.state).toBe('finished');
	});

	it('reads a pending task without a creation time as created at null', async () => {
		const { client } = fakeClient(() => ({ data: { task_id: 't', status: 'PENDING' } }));
		expect(await checkTask(client, ref('t'))).toEqual({ state: 'pending', createdAt: null });
	});

	it.each([
		[401, undefined],
		[403, undefined],
		[404, undefined],
		[500, 'INTEGRATION.INACTIVE'],
	])('gives up on a task whose check fails with %i %s, since asking again fails the same way', async (status, code) => {
		const { client } = fakeClient(() => ({ status, code }));
		const state = await checkTask(client, ref('t'));
		expect(state.state).toBe('unreadable');
	});

	it.each([
		[503, undefined],
		[429, 'PLATFORM.RATE_LIMIT_EXCEEDED'],
		[200, undefined],
	])('keeps a task pending when its check fails with %i %s, which may pass', async (status, code) => {
		const { client } = fakeClient(() => ({ status, code }));
		const state = await checkTask(client, ref('t'));
		expect(state).toEqual({ state: 'pending', createdAt: null, lastCheckError: expect.objectContaining({ message: `HTTP ${status}` }) });
	});

	it('gives up on a status it does not know, naming it and saying to update the node', async () => {
		const { client } = fakeClient(() => ({ data: { task_id: 't', status: 'ARCHIVED' } }));
		const state = await checkTask(client, { ...ref('t'), itemIndex: 4 });
		expect(state.state).toBe('unreadable');
		if (state.state !== 'unreadable') return;
		expect(state.error.message).toBe('Kombo reported task t with the status "ARCHIVED", which this node does not know');
		expect(state.error.description).toContain('Update the n8n-nodes-kombo package');
		expect(state.error.context.itemIndex).toBe(4);
		expect(state.error.errorResponse).toEqual({ message: 'Kombo reported task t with the status "ARCHIVED", which this node does not know', task_id: 't', integration_id: 'int:a' });
	});

	it('keeps a task pending when its check fails with an error that carries no answer from Kombo', async () => {
		const { client } = fakeClient(() => {
			throw new Error('socket hang up');
		});
		const state = await checkTask(client, ref('t'));
		expect(state).toEqual({ state: 'pending', createdAt: null, lastCheckError: expect.objectContaining({ message: 'socket hang up' }) });
	});

	it('lets a cancel escape', async () => {
		const controller = new AbortController();
		const { client } = fakeClient(
			() => {
				controller.abort();
				return { status: 503 };
			},
			{ signal: controller.signal },
		);
		await expect(checkTask(client, ref('t'))).rejects.toThrow();
	});
});

describe('waitForTasks', () => {
	it('without a deadline, checks each task once, at once', async () => {
		const { client, requests, runtime } = fakeClient((request) => (request.path.endsWith('t1') ? completed('t1') : pending('t2')));
		const states = await waitForTasks(client, [ref('t1', 5_000), ref('t2', 5_000)]);
		expect(states.map((state) => state.state)).toEqual(['finished', 'pending']);
		expect(requests.map((request) => [request.at, request.deadline])).toEqual([
			[0, undefined],
			[0, undefined],
		]);
		expect(runtime.sleeps).toEqual([]);
	});

	it('without a deadline, a check that failed even after retries is the answer', async () => {
		const { client } = fakeClient(() => ({ status: 503 }));
		const [state] = await waitForTasks(client, [ref('t')]);
		expect(state).toEqual({ state: 'unreadable', error: expect.objectContaining({ message: 'HTTP 503' }) });
	});

	it('with a deadline, checks on the schedule until done, each request bounded by the deadline', async () => {
		const { client, requests } = fakeClient((_request, index) => (index < 2 ? pending('t') : completed('t')));
		const [state] = await waitForTasks(client, [ref('t', 1_000)], 60_000);
		expect(state.state).toBe('finished');
		expect(requests.map((request) => [request.at, request.deadline])).toEqual([
			[1_000, 60_000],
			[2_500, 60_000],
			[4_750, 60_000],
		]);
	});

	it('keeps the last state of a task still pending at the deadline, with its last failed check', async () => {
		const { client } = fakeClient((_request, index) => (index === 0 ? pending('t') : { status: 503 }));
		const [state] = await waitForTasks(client, [ref('t')], 5_000);
		expect(state).toEqual({ state: 'pending', createdAt: null, lastCheckError: expect.objectContaining({ message: 'HTTP 503' }) });
	});

	it('stops checking a task Kombo cannot report on while waiting for the others', async () => {
		const { client, requests } = fakeClient((request) => (request.path.endsWith('bad') ? { status: 404 } : pending('ok')));
		const states = await waitForTasks(client, [ref('bad'), ref('ok')], 10_000);
		expect(states.map((state) => state.state)).toEqual(['unreadable', 'pending']);
		expect(requests.filter((request) => request.path.endsWith('bad'))).toHaveLength(1);
		expect(requests.filter((request) => request.path.endsWith('ok')).length).toBeGreaterThan(3);
	});

	it('with a deadline, gives no states and asks nothing when there are no tasks', async () => {
		const { client, requests } = fakeClient(() => pending('t'));
		expect(await waitForTasks(client, [], 5_000)).toEqual([]);
		expect(requests).toEqual([]);
	});

	it('gives every task its state, in the order of the tasks', async () => {
		const { client } = fakeClient((request) => (request.path.endsWith('b') ? completed('b') : pending('a')));
		const states = await waitForTasks(client, [ref('a'), ref('b'), ref('a')], 2_000);
		expect(states.map((state) => state.state)).toEqual(['pending', 'finished', 'pending']);
	});
});
