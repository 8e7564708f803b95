import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { courseDirectories } from '../../engine/directory';
import type { CourseRef, JobOutcome, LearnerRef, ProgressionJob } from '../../engine/progressions';
import { FIELD_LABELS, JobError, jobErrorOutcome, runProgressionJobs } from '../../engine/progressions';
import { readEmail, readId } from '../../helpers/learners';
import type { Reading } from '../../helpers/listing';
import { errorItem } from '../../helpers/outputs';
import type { Runtime } from '../../helpers/runtime';
import { asNodeError, getConnection, KomboClient } from '../../transport';
import { integrationIdResolver } from '../course/common';

/** How an item names its learner and course: the panel's fields, shown under `show`. */
export function learnerAndCourseProperties(show: IDisplayOptions['show']): INodeProperties[] {
	const when = (extra: IDataObject) => ({ show: { ...show, ...extra } }) as IDisplayOptions;
	return [
		{
			displayName: 'Learner',
			name: 'learnerBy',
			type: 'options',
			default: 'email',
			displayOptions: { show },
			options: [
				{ name: 'By Work Email', value: 'email', description: 'The work email the learner has in the LMS' },
				{ name: 'By User ID', value: 'userId', description: "Kombo's ID of the learner, as User → Get Many outputs it" },
			],
			description: 'How the item names the learner',
		},
		{
			displayName: FIELD_LABELS.email,
			name: 'learnerEmail',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. ada@example.com',
			displayOptions: when({ learnerBy: ['email'] }),
			description: 'The learner’s work email in the LMS; upper and lower case do not matter',
		},
		{
			displayName: FIELD_LABELS.userId,
			name: 'userId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 7hR2xPcjQfGsk3VbW1dnLmZa',
			displayOptions: when({ learnerBy: ['userId'] }),
			description: "Kombo's ID of the learner (ID in User → Get Many)",
		},
		{
			displayName: 'Course',
			name: 'courseBy',
			type: 'options',
			default: 'originId',
			displayOptions: { show },
			options: [
				{ name: 'By Origin ID', value: 'originId', description: 'The ID your platform gave the course in Create or Update' },
				{ name: 'By Course ID', value: 'courseId', description: "Kombo's ID of the course, as Course → Get Many outputs it" },
				{ name: 'By Course Revision ID', value: 'revisionId', description: "Kombo's ID of one revision of the course" },
			],
			description: 'How the item names the course',
		},
		{
			displayName: FIELD_LABELS.originId,
			name: 'courseOriginId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. CAT-1042',
			displayOptions: when({ courseBy: ['originId'] }),
			description: 'The ID your platform gave the course in Create or Update',
		},
		{
			displayName: FIELD_LABELS.courseId,
			name: 'courseId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. B8yqb9WpZEPg2nGLCKVLM4rr',
			displayOptions: when({ courseBy: ['courseId'] }),
			description: "Kombo's ID of the course (ID in Course → Get Many)",
		},
		{
			displayName: FIELD_LABELS.revisionId,
			name: 'courseRevisionId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 3mYd8QpLzT1vWcR6nKx2bHsA',
			displayOptions: when({ courseBy: ['revisionId'] }),
			description: "Kombo's ID of the course revision, e.g. from the course's revisions in Course → Get Many with Simplify off",
		},
	];
}

export function required<T>(field: string, value: unknown, reading: Reading<T>, hint: string): T {
	if (!reading.ok) throw new JobError('INVALID', field, value, `'${field}' ${reading.problem}`, hint);
	return reading.value;
}

export function readLearnerAndCourse(ctx: IExecuteFunctions, itemIndex: number): { learner: LearnerRef; course: CourseRef } {
	const learnerBy = ctx.getNodeParameter('learnerBy', itemIndex, 'email') as string;
	let learner: LearnerRef;
	if (learnerBy === 'userId') {
		const value = ctx.getNodeParameter('userId', itemIndex, '');
		learner = { by: 'userId', userId: required(FIELD_LABELS.userId, value, readId(value), "Map the learner's Kombo ID, e.g. {{ $json.id }} from User → Get Many.") };
	} else {
		const value = ctx.getNodeParameter('learnerEmail', itemIndex, '');
		learner = { by: 'email', email: required(FIELD_LABELS.email, value, readEmail(value), "Map the learner's work email, e.g. {{ $json.email }}.") };
	}
	const courseBy = ctx.getNodeParameter('courseBy', itemIndex, 'originId') as string;
	let course: CourseRef;
	if (courseBy === 'courseId') {
		const value = ctx.getNodeParameter('courseId', itemIndex, '');
		course = { by: 'courseId', courseId: required(FIELD_LABELS.courseId, value, readId(value), "Map the course's Kombo ID, e.g. {{ $json.course_id }} from Create or Update.") };
	} else if (courseBy === 'revisionId') {
		const value = ctx.getNodeParameter('courseRevisionId', itemIndex, '');
		course = { by: 'revisionId', revisionId: required(FIELD_LABELS.revisionId, value, readId(value), "Map the revision's Kombo ID.") };
	} else {
		const value = ctx.getNodeParameter('courseOriginId', itemIndex, '');
		course = { by: 'originId', originId: required(FIELD_LABELS.originId, value, readId(value), 'Map the ID your platform gave the course, e.g. {{ $json.course }}.') };
	}
	return { learner, course };
}

function invalidOutcome(ctx: IExecuteFunctions, itemIndex: number, integrationId: string | null, caught: unknown): JobOutcome {
	if (caught instanceof JobError) return jobErrorOutcome(ctx.getNode(), itemIndex, integrationId, caught);
	const error = asNodeError(ctx, caught);
	return { itemIndex, error, details: { status: 'INVALID', item: itemIndex, field: null, value: null, integration_id: integrationId, description: error.description ?? null } };
}

/**
 * The frame of Enroll and Complete: reads every item into a job (an unreadable item is an error
 * outcome, and without Continue On Fail stops the run before anything is sent), runs the jobs,
 * and outputs one item per input item, in input order, paired with it.
 */
export async function executeJobs(
	ctx: IExecuteFunctions,
	runtime: Runtime,
	readJob: (itemIndex: number, integrationId: string) => ProgressionJob,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const client = new KomboClient(ctx, runtime, await getConnection(ctx));
	const integrationIdOf = integrationIdResolver(ctx, client.connection);
	const outcomes: JobOutcome[] = [];
	const jobs: ProgressionJob[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let integrationId: string | null = null;
		try {
			integrationId = integrationIdOf(itemIndex);
			jobs.push(readJob(itemIndex, integrationId));
		} catch (caught) {
			const outcome = invalidOutcome(ctx, itemIndex, integrationId, caught);
			if (!continueOnFail && 'error' in outcome) throw outcome.error;
			outcomes.push(outcome);
		}
	}
	outcomes.push(...(await runProgressionJobs(client, jobs, { continueOnFail, directoryOf: courseDirectories(client) })));
	outcomes.sort((a, b) => a.itemIndex - b.itemIndex);
	const output: INodeExecutionData[] = [];
	for (const outcome of outcomes) {
		const pairedItem = { item: outcome.itemIndex };
		if ('json' in outcome) output.push({ json: outcome.json, pairedItem });
		else output.push(errorItem(outcome.error.message, outcome.details, pairedItem));
	}
	return [output];
}
