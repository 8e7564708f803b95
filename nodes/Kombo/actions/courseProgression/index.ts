import type { INodeProperties } from 'n8n-workflow';

import * as complete from './complete.operation';
import * as enroll from './enroll.operation';
import * as getAll from './getAll.operation';

export { complete, enroll, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['courseProgression'] } },
		options: [
			{
				name: 'Complete',
				value: 'complete',
				description: 'Write back that a learner finished a course, with the date and score; enrolls first if needed',
				action: 'Complete a course progression',
			},
			{
				name: 'Enroll',
				value: 'enroll',
				description: 'Enroll a learner in a course',
				action: 'Enroll a learner in a course',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List enrollments: which learner is in which course, and how far they got',
				action: 'Get many course progressions',
			},
		],
		default: 'complete',
	},
	...complete.description,
	...enroll.description,
	...getAll.description,
];
