import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { clock } from '../../helpers/clock';
import { mapWithConcurrency } from '../../helpers/concurrency';
import { MAX_PARALLEL_POLLS } from '../../helpers/constants';
import { pollUntilFinished } from '../../helpers/poll';
import type { KomboTask } from '../../helpers/results';
import { courseOutcomes, isFinished, toKomboError } from '../../helpers/results';
import { asNodeError, getConnection, komboApiRequest } from '../../transport';
import {
	errorItem,
	integrationIdOption,
	integrationIdResolver,
	timeoutMs,
	timeoutOption,
} from './common';

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
	itemIndexes: number[];
}

/** Groups the input items by the task they ask for, so each task is fetched once. */
function collectTasks(ctx: IExecuteFunctions, items: INodeExecutionData[], integrationIdOf: (index: number) => string) {
	const tasks = new Map<string, TaskRequest>();
	const invalid: INodeExecutionData[] = [];
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
			if (!ctx.continueOnFail()) throw asNodeError(ctx, error);
			invalid.push(errorItem((error as Error).message, { item: itemIndex }, { item: itemIndex }));
		}
	}
	return { tasks: [...tasks.values()], invalid };
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const connection = await getConnection(this);
	const waitForCompletion = this.getNodeParameter('waitForCompletion', 0, false) as boolean;
	const deadline = waitForCompletion ? clock.now() + timeoutMs(this) : clock.now();
	const { tasks, invalid } = collectTasks(this, items, integrationIdResolver(this, connection));

	const fetch = async (request: TaskRequest) =>
		(
			await komboApiRequest<KomboTask>(this, connection, {
				method: 'GET',
				path: `/lms/courses/bulk/${encodeURIComponent(request.taskId)}`,
				integrationId: request.integrationId,
				itemIndex: request.itemIndexes[0],
			})
		).data;

	const results = await mapWithConcurrency(tasks, MAX_PARALLEL_POLLS, async (request) => {
		try {
			let task = await fetch(request);
			if (!isFinished(task) && waitForCompletion) {
				const polled = await pollUntilFinished({
					taskIds: [{ id: request.taskId, submittedAt: clock.now() }],
					fetchTask: async () => {
						task = await fetch(request);
						return isFinished(task) ? task : null;
					},
					deadline,
					concurrency: 1,
					clock,
					signal: this.getExecutionCancelSignal(),
				});
				task = polled.finished.get(request.taskId) ?? task;
			}
			return { request, task };
		} catch (error) {
			if (!this.continueOnFail() || this.getExecutionCancelSignal()?.aborted) throw asNodeError(this, error);
			return { request, error: error as NodeOperationError };
		}
	});

	const output: INodeExecutionData[] = [...invalid];
	for (const result of results) {
		const { request } = result;
		const pairedItem = request.itemIndexes.map((item) => ({ item }));
		if (result.error) {
			output.push(
				errorItem(
					result.error.message,
					{
						task_id: request.taskId,
						integration_id: request.integrationId,
						description: result.error.description ?? null,
					},
					pairedItem,
				),
			);
			continue;
		}
		const task = result.task as KomboTask;
		if (!isFinished(task)) {
			output.push({
				json: {
					task_id: request.taskId,
					status: 'PENDING',
					created_at: task.created_at ?? null,
					integration_id: request.integrationId,
				},
				pairedItem,
			});
			continue;
		}
		const context = { taskId: request.taskId, integrationId: request.integrationId, warnings: [] };
		if (task.status === 'FAILED') {
			const taskError = toKomboError(task.error, `Kombo task ${request.taskId} failed`);
			const json = { origin_id: null, status: 'FAILED', course_id: null, task_id: request.taskId, integration_id: request.integrationId, error: taskError, warnings: [] };
			output.push({ json: json as unknown as IDataObject, pairedItem });
			continue;
		}
		const originIds = (task.data ?? []).map((course) => String(course.origin_id));
		const outcomes = courseOutcomes(originIds, task, context);
		for (const outcome of outcomes) output.push({ json: { ...outcome } as unknown as IDataObject, pairedItem });
	}
	return [output];
}
