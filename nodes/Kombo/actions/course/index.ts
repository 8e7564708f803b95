import type { INodeProperties } from 'n8n-workflow';

import * as deactivate from './deactivate.operation';
import * as getAll from './getAll.operation';
import * as getUpsertTask from './getUpsertTask.operation';
import * as upsert from './upsert.operation';

export { deactivate, getAll, getUpsertTask, upsert };

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
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Deactivate a course: it takes no new enrolments, and existing progress stays',
				action: 'Deactivate a course',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the courses the LMS holds, with their current revision',
				action: 'Get many courses',
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
	...deactivate.description,
	...getAll.description,
	...getUpsertTask.description,
];
