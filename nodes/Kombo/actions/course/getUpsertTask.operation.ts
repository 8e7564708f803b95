import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { waitForTasks } from '../../engine/tasks';
import type { InvalidItem } from '../../helpers/outputs';
import { inInputOrder } from '../../helpers/outputs';
import type { TaskRequest } from '../../helpers/reports';
import { reportTasks } from '../../helpers/reports';
import { invalidItemsError, runError } from '../../helpers/runErrors';
import type { Runtime } from '../../helpers/runtime';
import type { KomboConnection } from '../../transport';
import { getConnection, KomboClient } from '../../transport';
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

export async function execute(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const client = new KomboClient(this, runtime, await getConnection(this));
	// Stryker disable next-line BooleanLiteral: n8n fills in Wait for Completion's default (false), so this fallback is never read
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
