import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	NodeApiError,
} from 'n8n-workflow';
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

type TaskResult = KomboTask | NodeApiError | NodeOperationError;

function isError(result: TaskResult): result is NodeApiError | NodeOperationError {
	return !('status' in result && 'task_id' in result);
}

function taskItems(request: TaskRequest, result: TaskResult): INodeExecutionData[] {
	const pairedItem = request.itemIndexes.map((item) => ({ item }));
	const base = { task_id: request.taskId, integration_id: request.integrationId };
	if (isError(result)) {
		return [errorItem(result.message, { ...base, description: result.description ?? null }, pairedItem)];
	}
	if (!isFinished(result)) {
		return [{ json: { ...base, status: 'PENDING', created_at: result.created_at ?? null }, pairedItem }];
	}
	const results = result.status === 'COMPLETED' ? (result.data ?? []) : [];
	if (results.length === 0) {
		const error =
			result.status === 'FAILED'
				? toKomboError(result.error, `Kombo task ${request.taskId} failed`)
				: toKomboError(null, `Kombo completed task ${request.taskId} without any course results`);
		const json = { origin_id: null, status: 'FAILED', course_id: null, ...base, error, warnings: [] };
		return [{ json: json as unknown as IDataObject, pairedItem }];
	}
	const outcomes = courseOutcomes(
		results.map((course) => String(course.origin_id)),
		result,
		{ taskId: request.taskId, integrationId: request.integrationId, warnings: [] },
	);
	return outcomes.map((outcome) => ({ json: { ...outcome } as unknown as IDataObject, pairedItem }));
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const connection = await getConnection(this);
	const signal = this.getExecutionCancelSignal();
	const waitForCompletion = this.getNodeParameter('waitForCompletion', 0, false) as boolean;
	const deadline = waitForCompletion ? clock.now() + timeoutMs(this) : undefined;
	const { tasks, invalid } = collectTasks(this, items, integrationIdResolver(this, connection));

	const read = async (request: TaskRequest): Promise<TaskResult> => {
		try {
			const response = await komboApiRequest<KomboTask>(this, connection, {
				method: 'GET',
				path: `/lms/courses/bulk/${encodeURIComponent(request.taskId)}`,
				integrationId: request.integrationId,
				itemIndex: request.itemIndexes[0],
				deadline,
			});
			return response.data;
		} catch (error) {
			if (!this.continueOnFail() || signal?.aborted) throw asNodeError(this, error);
			return asNodeError(this, error);
		}
	};

	const results = await mapWithConcurrency(tasks, MAX_PARALLEL_POLLS, read);
	if (deadline !== undefined) {
		const open = tasks.filter((_, index) => !isError(results[index]) && !isFinished(results[index] as KomboTask));
		const startedAt = clock.now();
		const polled = await pollUntilFinished({
			taskIds: open.map((_, index) => ({ id: String(index), submittedAt: startedAt })),
			fetchTask: async (id) => {
				const result = await read(open[Number(id)]);
				results[tasks.indexOf(open[Number(id)])] = result;
				return isError(result) || isFinished(result) ? result : null;
			},
			deadline,
			concurrency: MAX_PARALLEL_POLLS,
			clock,
			signal,
		});
		for (const [id, result] of polled.finished) results[tasks.indexOf(open[Number(id)])] = result;
	}

	return [[...invalid, ...tasks.flatMap((request, index) => taskItems(request, results[index]))]];
}
