import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { Deactivation } from '../../engine/courses';
import { deactivateCourse } from '../../engine/courses';
import type { CourseIdType } from '../../helpers/lmsCourses';
import { readCourseId } from '../../helpers/lmsCourses';
import { errorItem } from '../../helpers/outputs';
import type { Runtime } from '../../helpers/runtime';
import { asNodeError, getConnection, KomboClient, komboErrorOf, SkippedRequest } from '../../transport';
import { integrationIdOption, integrationIdResolver } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Course ID Type',
		name: 'courseIdType',
		type: 'options',
		default: 'komboId',
		options: [
			{ name: 'Kombo ID', value: 'komboId', description: "Kombo's ID of the course, as Get Many outputs it" },
			{ name: 'Remote ID', value: 'remoteId', description: "The LMS's own ID of the course (Get Many's remote ID), sent as remote:&lt;ID&gt;" },
		],
		description: 'Which ID Course ID holds. An ID written as remote:&lt;ID&gt; is taken as a remote ID either way.',
	},
	{
		displayName: 'Course ID',
		name: 'courseId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. B8yqb9WpZEPg2nGLCKVLM4rr',
		description: 'The course to deactivate: it takes no new enrollments, and existing progress stays. Deactivating a course that is inactive already is not an error.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [integrationIdOption],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['course'], operation: ['deactivate'] } }, properties);

type Outcome =
	| { itemIndex: number; integrationId: string; courseId: string; deactivation: Deactivation }
	| { itemIndex: number; integrationId: string | null; courseId: string | null; error: ReturnType<typeof asNodeError> }
	| { itemIndex: number; skipped: true };

/**
 * Deactivates the course each item names. All requests queue at once and each integration's write
 * lane in the transport lets a few through at a time (four at first, more while Kombo keeps up,
 * never beyond its limit). Output: the course as Kombo returns it, plus `warnings`, paired with
 * its item. Without Continue On Fail, the first failure in input order stops the run, and no
 * request whose turn comes after a failure is sent.
 */
export async function execute(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const client = new KomboClient(this, runtime, await getConnection(this));
	const integrationIdOf = integrationIdResolver(this, client.connection);
	let stopped = false;
	const wanted = () => !stopped;
	const outcomes = await Promise.all(items.map(async (_item, itemIndex): Promise<Outcome> => {
		let integrationId: string | null = null;
		let courseId: string | null = null;
		try {
			const type = this.getNodeParameter('courseIdType', itemIndex, 'komboId') as CourseIdType;
			const raw = this.getNodeParameter('courseId', itemIndex, '');
			const read = readCourseId(raw, type);
			if (!read.ok) {
				throw new NodeOperationError(this.getNode(), `'Course ID' ${read.problem} [item ${itemIndex}]`, {
					itemIndex,
					description: "Map the course's ID, e.g. {{ $json.id }} from Get Many, or {{ $json.remote_id }} with Course ID Type set to Remote ID.",
				});
			}
			courseId = read.value;
			integrationId = integrationIdOf(itemIndex);
			const deactivation = await deactivateCourse(client, { integrationId, courseId, itemIndex, wanted });
			return { itemIndex, integrationId, courseId, deactivation };
		} catch (caught) {
			// Stryker disable next-line ObjectLiteral,BooleanLiteral: a request is skipped only after a failure without Continue On Fail, which is thrown before any outcome is output
			if (caught instanceof SkippedRequest) return { itemIndex, skipped: true };
			const error = asNodeError(this, caught);
			if (client.cancelled) throw error;
			stopped = stopped || !continueOnFail;
			return { itemIndex, integrationId, courseId, error };
		}
	}));
	const failure = outcomes.find((outcome) => 'error' in outcome);
	if (failure && 'error' in failure && !continueOnFail) throw failure.error;

	const output: INodeExecutionData[] = [];
	for (const outcome of outcomes) {
		// Stryker disable next-line ConditionalExpression: a skipped outcome means the run stopped at a failure, thrown above
		if ('skipped' in outcome) continue;
		const pairedItem = { item: outcome.itemIndex };
		if ('deactivation' in outcome) {
			output.push({ json: { ...outcome.deactivation.course, warnings: outcome.deactivation.warnings }, pairedItem });
			continue;
		}
		const { error } = outcome;
		const details: IDataObject = { course_id: outcome.courseId, integration_id: outcome.integrationId, description: error.description ?? null };
		if (error.name === 'NodeApiError') details.error = komboErrorOf(error) as unknown as IDataObject;
		output.push(errorItem(error.message, details, pairedItem));
	}
	return [output];
}
