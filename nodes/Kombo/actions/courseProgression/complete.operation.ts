import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { FIELD_LABELS } from '../../engine/progressions';
import { readId, readScore } from '../../helpers/learners';
import { readDateOrDateTime } from '../../helpers/listing';
import { REMOTE_ID_PREFIX } from '../../helpers/lmsCourses';
import type { Runtime } from '../../helpers/runtime';
import { integrationIdOption } from '../course/common';
import { executeJobs, learnerAndCourseProperties, readLearnerAndCourse, required } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Identify By',
		name: 'progressionBy',
		type: 'options',
		default: 'learnerAndCourse',
		options: [
			{ name: 'Learner and Course', value: 'learnerAndCourse', description: 'The learner’s work email (or Kombo ID) and the course: what your platform knows' },
			{ name: 'Course Progression ID', value: 'progressionId', description: "Kombo's ID of the enrollment, or the LMS's own as remote:&lt;ID&gt;" },
		],
		description: 'How the item names the enrollment to complete',
	},
	{
		displayName: FIELD_LABELS.progressionId,
		name: 'progressionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 4fKp9WcXzR2mTb7QvLs1dJnY or remote:88231',
		displayOptions: { show: { progressionBy: ['progressionId'] } },
		description: "Kombo's ID of the course progression (ID in Course Progression → Get Many), or the LMS's own ID written as remote:&lt;ID&gt;",
	},
	...learnerAndCourseProperties({ progressionBy: ['learnerAndCourse'] }),
	{
		displayName: 'Completed At',
		name: 'completedAt',
		type: 'dateTime',
		default: '',
		description:
			"When the learner finished: a date (2026-04-15) or a date and time, in the workflow's time zone unless it names one. Left empty, Kombo uses today.",
	},
	{
		displayName: 'Score',
		name: 'score',
		type: 'string',
		default: '',
		placeholder: 'e.g. 93',
		description: 'The learner’s score, a whole number from 0 to 100 ("93", "93.0" and "93 %" are read as 93). Left empty, no score is sent.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Enroll If Needed',
				name: 'enrollIfNeeded',
				type: 'boolean',
				default: true,
				description: 'Whether to enroll a learner who is not enrolled in the course yet, then complete the new enrollment. Off, such an item is an error.',
			},
			integrationIdOption,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['courseProgression'], operation: ['complete'] } }, properties);

/** Completes each item's enrollment, enrolling first when needed; see runProgressionJobs for how. */
export async function execute(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	const timezone = this.getTimezone();
	return await executeJobs(this, runtime, (itemIndex, integrationId) => {
		const rawDate = this.getNodeParameter('completedAt', itemIndex, '');
		const completedAt = required('Completed At', rawDate, readDateOrDateTime(rawDate, timezone), 'Pick a date in the date picker, or map an ISO date such as 2026-04-15 or 2026-04-15T14:30:00Z (a Luxon or JavaScript date works too).');
		const rawScore = this.getNodeParameter('score', itemIndex, '');
		const score = required('Score', rawScore, readScore(rawScore), 'Give a whole number from 0 to 100, e.g. 93, or leave Score empty.');
		// Sent as JSON, which leaves out what is undefined.
		const completion = { completed_at: completedAt, score };
		const enrollIfNeeded = this.getNodeParameter('options.enrollIfNeeded', itemIndex, true) as boolean;
		if (this.getNodeParameter('progressionBy', itemIndex, 'learnerAndCourse') === 'progressionId') {
			const value = this.getNodeParameter('progressionId', itemIndex, '');
			const id = required(FIELD_LABELS.progressionId, value, readId(value), 'Map the enrollment’s ID, e.g. {{ $json.id }} from Course Progression → Get Many, or remote:<ID> for the LMS’s own.');
			const progressionId = id.startsWith(REMOTE_ID_PREFIX) ? `${REMOTE_ID_PREFIX}${id.slice(REMOTE_ID_PREFIX.length).trim()}` : id;
			return { itemIndex, integrationId, action: 'complete', target: { by: 'progressionId', progressionId }, completion, enrollIfNeeded };
		}
		return { itemIndex, integrationId, action: 'complete', target: { by: 'learnerAndCourse', ...readLearnerAndCourse(this, itemIndex) }, completion, enrollIfNeeded };
	});
}
