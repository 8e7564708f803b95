import type { INodeProperties } from 'n8n-workflow';

import * as getUpsertTask from './getUpsertTask.operation';
import * as upsert from './upsert.operation';

export { getUpsertTask, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['course'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update courses',
			},
			{
				name: 'Get Upsert Task',
				value: 'getUpsertTask',
				description: 'Get the status and per-course results of a Create or Update task',
				action: 'Get the status of a course upsert task',
			},
		],
		default: 'upsert',
	},
	...upsert.description,
	...getUpsertTask.description,
];
