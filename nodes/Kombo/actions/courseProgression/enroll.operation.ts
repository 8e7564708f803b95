import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Runtime } from '../../helpers/runtime';
import { integrationIdOption } from '../course/common';
import { executeJobs, learnerAndCourseProperties, readLearnerAndCourse } from './common';

const properties: INodeProperties[] = [
	{
		displayName:
			'Enrolls the learner in the course’s active revision. A learner already enrolled is not enrolled again: the item comes out as ALREADY_ENROLLED with the existing enrollment.',
		name: 'enrollNotice',
		type: 'notice',
		default: '',
	},
	...learnerAndCourseProperties({}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [integrationIdOption],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['courseProgression'], operation: ['enroll'] } }, properties);

/** Enrolls each item's learner in its course; see runProgressionJobs for how. */
export async function execute(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	return await executeJobs(this, runtime, (itemIndex, integrationId) => ({
		itemIndex,
		integrationId,
		action: 'enroll',
		target: { by: 'learnerAndCourse', ...readLearnerAndCourse(this, itemIndex) },
		completion: {},
	}));
}
