import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { TaskState } from '../../engine/tasks';
import { waitForTasks } from '../../engine/tasks';
import type { InvalidItem } from '../../helpers/outputs';
import { courseItem, errorItem, inInputOrder, invalidItem } from '../../helpers/outputs';
import type { CourseOutcome, FinishedTask } from '../../helpers/results';
import { courseOutcomes, toKomboError } from '../../helpers/results';
import type { RunReport } from '../../helpers/runErrors';
import { invalidItemsError, runError } from '../../helpers/runErrors';
import type { Runtime } from '../../helpers/runtime';
import type { KomboConnection } from '../../transport';
import { getConnection, KomboClient, komboErrorOf } from '../../transport';
import { integrationIdOption, integrationIdResolver, readWaitOptions, reportFor, timeoutOption, unreadableItem } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. task_8AvRLpxwY5J6pGxfY6fUD81Z',
		description:
			'The task ID that Create or Update returned. Items naming the same task are looked up once.',
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the task has finished. When off, a pending task is output as one item with status PENDING.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [integrationIdOption, timeoutOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['course'], operation: ['getUpsertTask'] } },
	properties,
);

interface TaskRequest {
	taskId: string;
	integrationId: string;
	/** Every item that asked for this task, in input order. */
	itemIndexes: number[];
}

/** Groups the input items by the task they ask for, so each task is looked up once. */
function collectTasks(ctx: IExecuteFunctions, connection: KomboConnection, items: INodeExecutionData[]) {
	const integrationIdOf = integrationIdResolver(ctx, connection);
	const tasks = new Map<string, TaskRequest>();
	const invalid: InvalidItem[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const taskId = String(ctx.getNodeParameter('taskId', itemIndex, '') ?? '').trim();
			if (!taskId) {
				throw new NodeOperationError(ctx.getNode(), `The task ID is empty [item ${itemIndex}]`, {
					itemIndex,
					description: 'Map the task_id field that Create or Update outputs, e.g. {{ $json.task_id }}.',
				});
			}
			const integrationId = integrationIdOf(itemIndex);
			const key = JSON.stringify([integrationId, taskId]);
			const task = tasks.get(key);
			if (task) task.itemIndexes.push(itemIndex);
			else tasks.set(key, { taskId, integrationId, itemIndexes: [itemIndex] });
		} catch (error) {
			invalid.push(unreadableItem(ctx, itemIndex, error));
		}
	}
	return { requests: [...tasks.values()], invalid };
}

/** The outcome of a task that ended without course results: it failed as a whole, or said nothing. */
function taskLevelOutcome(request: TaskRequest, task: FinishedTask): CourseOutcome {
	const error =
		task.status === 'FAILED'
			? toKomboError(task.error, `Kombo task ${request.taskId} failed`)
			: toKomboError(null, `Kombo completed task ${request.taskId} without any course results`);
	return { origin_id: null, status: 'FAILED', course_id: null, error, task_id: request.taskId, integration_id: request.integrationId, warnings: [] };
}

/**
 * One output slot per input item: each task's items sit at the first item that asked for it,
 * paired with every item that did. Returns the report that decides whether the run fails.
 */
export function reportTasks(itemCount: number, invalid: InvalidItem[], requests: TaskRequest[], states: TaskState[], timeoutMs?: number) {
	const slots = new Array<INodeExecutionData[] | undefined>(itemCount);
	const report: RunReport = { total: 0, failed: [], unreadable: [], timedOut: [], pendingCourses: 0, timeoutMs: timeoutMs ?? 0, accepted: false };
	for (const each of invalid) slots[each.itemIndex] = [invalidItem(each)];
	requests.forEach((request, index) => {
		const state = states[index];
		const first = request.itemIndexes[0];
		const pairedItem = request.itemIndexes.map((item) => ({ item }));
		const base = { task_id: request.taskId, integration_id: request.integrationId };
		if (state.state === 'unreadable') {
			report.unreadable.push({ taskId: request.taskId, error: state.error, courses: 0 });
			const details = { ...base, error: komboErrorOf(state.error) as never, description: state.error.description ?? null };
			slots[first] = [errorItem(state.error.message, details, pairedItem)];
			return;
		}
		if (state.state === 'pending') {
			if (timeoutMs !== undefined) report.timedOut.push({ taskId: request.taskId, lastCheckError: state.lastCheckError?.message });
			const pending: CourseOutcome = { origin_id: null, status: 'PENDING', course_id: null, error: null, ...base, warnings: [] };
			slots[first] = [courseItem(pending, pairedItem, { created_at: state.createdAt })];
			return;
		}
		const { task } = state;
		const results = task.status === 'COMPLETED' ? task.data : [];
		const outcomes =
			results.length === 0
				? [taskLevelOutcome(request, task)]
				: courseOutcomes(results.map((result) => String(result.origin_id)), task, { taskId: request.taskId, integrationId: request.integrationId, warnings: [] });
		report.total += outcomes.length;
		for (const outcome of outcomes) if (outcome.status === 'FAILED') report.failed.push({ outcome, itemIndex: first });
		slots[first] = outcomes.map((outcome) => courseItem(outcome, pairedItem));
	});
	return { slots, report };
}

export async function execute(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const client = new KomboClient(this, runtime, await getConnection(this));
	const wait = readWaitOptions(this, false);
	const deadline = wait.timeoutMs === undefined ? undefined : runtime.now() + wait.timeoutMs;

	const { requests, invalid } = collectTasks(this, client.connection, items);
	if (invalid.length > 0 && !continueOnFail) throw invalidItemsError(this.getNode(), invalid, items.length);

	const firstCheckAt = runtime.now();
	const refs = requests.map((request) => ({ taskId: request.taskId, integrationId: request.integrationId, itemIndex: request.itemIndexes[0], firstCheckAt }));
	const states = await waitForTasks(client, refs, deadline);

	const { slots, report } = reportTasks(items.length, invalid, requests, states, wait.timeoutMs);
	if (!continueOnFail) {
		const error = runError(this.getNode(), reportFor(report, wait));
		if (error) throw error;
	}
	return [inInputOrder(slots)];
}
