import type { INodeProperties } from 'n8n-workflow';

import * as deactivate from './deactivate.operation';
import * as getAll from './getAll.operation';
import * as getUpsertTask from './getUpsertTask.operation';
import * as upsert from './upsert.operation';

export { deactivate, getAll, getUpsertTask, upsert };

/** The value n8n's editor gives the "Custom API Call" it adds to nodes whose credential authenticates. */
export const CUSTOM_API_CALL_KEY = '__CUSTOM_API_CALL__';

/**
 * Shown beside n8n's own "We'll take care of the Kombo auth" when Custom API Call is chosen:
 * what the HTTP Request node needs that the credential cannot give it (the node insists on an
 * absolute URL, so the region's base URL has to be typed).
 */
export const CUSTOM_API_CALL_NOTICE =
	'In the HTTP Request node, set Authentication to Predefined Credential Type and pick your Kombo API credential: it adds the API key and the credential’s integration ID (X-Integration-Id; send your own X-Integration-Id header to reach another integration). ' +
	'Enter the full URL with your region’s base URL: https://api.kombo.dev/v1/… (EU), https://api.us.kombo.dev/v1/… (US), or your custom one, e.g. https://api.kombo.dev/v1/lms/courses.';

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
				description: 'Create a new course for each item, or update the current one if it already exists (upsert)',
				action: 'Create or update courses',
			},
			{
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Deactivate a course: it takes no new enrollments, and existing progress stays',
				action: 'Deactivate a course',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the courses the LMS holds, with their current revision',
				action: 'Get many courses',
			},
			{
				name: 'Get Task Status',
				value: 'getUpsertTask',
				description: 'Check whether the courses of a Create or Update task have reached the LMS, with each course’s result',
				action: 'Get the status of a create or update task',
			},
		],
		default: 'upsert',
	},
	{
		displayName: CUSTOM_API_CALL_NOTICE,
		name: 'customApiCallNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['course', 'courseProgression', 'user'], operation: [CUSTOM_API_CALL_KEY] } },
	},
	{
		displayName: CUSTOM_API_CALL_NOTICE,
		name: 'customApiCallResourceNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: [CUSTOM_API_CALL_KEY] } },
	},
	...upsert.description,
	...deactivate.description,
	...getAll.description,
	...getUpsertTask.description,
];
