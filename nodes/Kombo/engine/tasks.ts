import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Batch } from '../helpers/batching';
import { mapWithConcurrency } from '../helpers/concurrency';
import { MAX_PARALLEL_CHECKS } from '../helpers/constants';
import type { KomboCourseItem } from '../helpers/course';
import { waitUntilSettled } from '../helpers/poll';
import type { FinishedTask } from '../helpers/results';
import { isFinished } from '../helpers/results';
import { needsPerson } from '../helpers/retry';
import { isUnknownStatus, readSubmission, readTaskData } from '../helpers/taskShape';
import type { KomboClient } from '../transport';
import { asNodeError, SkippedRequest } from '../transport';

export type SubmittedBatch =
	| { batch: Batch<KomboCourseItem>; outcome: 'accepted'; taskId: string; warnings: string[]; submittedAt: number }
	| { batch: Batch<KomboCourseItem>; outcome: 'rejected'; error: NodeApiError }
	/** Not sent, because an earlier batch was rejected and the run stops at the first error. */
	| { batch: Batch<KomboCourseItem>; outcome: 'skipped' };

/**
 * Sends every batch as one bulk request. All batches queue at once: each integration's lane in
 * the transport lets as many through as Kombo takes, so integrations are served side by side.
 * Resending a batch is safe, because Kombo answers an identical body for the same integration
 * with the task it already created.
 */
export async function submitBatches(
	client: KomboClient,
	batches: Array<Batch<KomboCourseItem>>,
	stopAtFirstError: boolean,
): Promise<SubmittedBatch[]> {
	let stopped = false;
	const wanted = () => !stopped;
	return await Promise.all(batches.map(async (batch): Promise<SubmittedBatch> => {
		try {
			const response = await client.request({
				method: 'POST',
				path: '/lms/courses/bulk',
				integrationId: batch.integrationId,
				body: { items: batch.entries.map((entry) => entry.value) } as unknown as IDataObject,
				itemIndex: batch.entries[0].itemIndex,
				read: readSubmission,
				wanted,
			});
			const submittedAt = client.runtime.now();
			return { batch, outcome: 'accepted', taskId: response.data.task_id, warnings: response.warnings, submittedAt };
		} catch (error) {
			if (client.cancelled) throw asNodeError(client.ctx, error);
			if (error instanceof SkippedRequest) return { batch, outcome: 'skipped' };
			stopped = stopped || stopAtFirstError;
			return { batch, outcome: 'rejected', error: error as NodeApiError };
		}
	}));
}

export interface TaskRef {
	taskId: string;
	integrationId: string;
	/** The item that errors about this task are reported against. */
	itemIndex: number;
	/** When the first status check is due (ms, the runtime's clock). */
	firstCheckAt: number;
}

export type TaskState =
	| { state: 'finished'; task: FinishedTask }
	/** Not finished when last seen; `lastCheckError` when the last check itself failed. */
	| { state: 'pending'; createdAt: string | null; lastCheckError?: NodeApiError }
	/** Kombo cannot report on the task, and asking again will not change that. */
	| { state: 'unreadable'; error: NodeApiError };

/** Whether a failed check will fail the same way however often it is repeated. */
function isLasting(error: NodeApiError): boolean {
	const status = error.httpCode ? Number(error.httpCode) : undefined;
	const code = (error.errorResponse as { code?: unknown } | undefined)?.code;
	// Stryker disable next-line ConditionalExpression: needsPerson looks codes up in a set of strings, which no other value matches
	return needsPerson(status, typeof code === 'string' ? code : undefined);
}

/** One status check of a task. Only a cancel throws; every other failure is a state. */
export async function checkTask(client: KomboClient, ref: TaskRef, deadline?: number): Promise<TaskState> {
	try {
		const response = await client.request({
			method: 'GET',
			path: `/lms/courses/bulk/${encodeURIComponent(ref.taskId)}`,
			integrationId: ref.integrationId,
			itemIndex: ref.itemIndex,
			deadline,
			read: readTaskData,
		});
		const task = response.data;
		if (isUnknownStatus(task)) {
			const message = `Kombo reported task ${ref.taskId} with the status ${JSON.stringify(task.status)}, which this node does not know`;
			const error = new NodeApiError(
				client.ctx.getNode(),
				{ message, task_id: ref.taskId, integration_id: ref.integrationId },
				{
					message,
					description: 'Kombo may have added a task status since this version of the node was built. Update the n8n-nodes-kombo package, or check the task in the Kombo dashboard.',
					itemIndex: ref.itemIndex,
				},
			);
			return { state: 'unreadable', error };
		}
		if (isFinished(task)) return { state: 'finished', task };
		return { state: 'pending', createdAt: task.created_at ?? null };
	} catch (caught) {
		if (client.cancelled) throw asNodeError(client.ctx, caught);
		const error = caught as NodeApiError;
		if (isLasting(error)) return { state: 'unreadable', error };
		return { state: 'pending', createdAt: null, lastCheckError: error };
	}
}

/**
 * The one wait policy of the node. Without a deadline every task is checked once. With one,
 * every task is checked on its backoff schedule until it has finished, its checks fail for a
 * lasting reason, or it has had a last check at the deadline; failures that may pass (5xx, 429,
 * the network, a garbled answer) keep it pending until then.
 */
export async function waitForTasks(client: KomboClient, refs: TaskRef[], deadline?: number): Promise<TaskState[]> {
	if (deadline === undefined) {
		const states = await mapWithConcurrency(refs, MAX_PARALLEL_CHECKS, async (ref) => await checkTask(client, ref));
		// Without a later check to wait for, a check that failed even after retries is the answer.
		return states.map((state) =>
			// Stryker disable next-line ConditionalExpression: only a pending state carries lastCheckError; the state test narrows the type
			state.state === 'pending' && state.lastCheckError ? { state: 'unreadable', error: state.lastCheckError } : state,
		);
	}
	// Filled by the checks: waitUntilSettled checks every task at least once, or throws.
	const states: TaskState[] = [];
	await waitUntilSettled({
		firstCheckAt: refs.map((ref) => ref.firstCheckAt),
		check: async (index) => {
			const state = await checkTask(client, refs[index], deadline);
			states[index] = state;
			return state.state === 'pending' ? null : state;
		},
		deadline,
		concurrency: MAX_PARALLEL_CHECKS,
		runtime: client.runtime,
		signal: client.signal,
	});
	return states;
}

export type AcceptedBatch = Extract<SubmittedBatch, { outcome: 'accepted' }>;

export function isAccepted(sent: SubmittedBatch): sent is AcceptedBatch {
	return sent.outcome === 'accepted';
}
