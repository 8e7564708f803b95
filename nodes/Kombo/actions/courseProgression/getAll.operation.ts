import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { courseDirectories, PROGRESSIONS } from '../../engine/directory';
import { listAll } from '../../engine/listing';
import { progressionCourseId, simplifyProgression } from '../../helpers/learners';
import { readIdList } from '../../helpers/listing';
import type { Runtime } from '../../helpers/runtime';
import { executeGetMany, getManyProperties, ID_FILTERS, inputError } from '../shared/getMany';

const properties = getManyProperties('course progressions', [
	{
		displayName: 'Course IDs',
		name: 'courseIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. B8yqb9WpZEPg2nGLCKVLM4rr',
		description: "Only the enrollments in the courses with these Kombo IDs (the course's ID, not a revision's), separated by commas",
	},
	{
		displayName: 'Course Origin IDs',
		name: 'courseOriginIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. CAT-1042, CAT-1043',
		description: 'Only the enrollments in the courses your platform created with these origin IDs, separated by commas. With Course IDs too, the enrollments in any of them.',
	},
	{
		displayName: 'User IDs',
		name: 'userIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 7hR2xPcjQfGsk3VbW1dnLmZa',
		description: "Only the enrollments of the learners with these Kombo IDs (User → Get Many's ID), separated by commas",
	},
]);

export const description = updateDisplayOptions({ show: { resource: ['courseProgression'], operation: ['getAll'] } }, properties);

/**
 * Lists enrollments once per input item. Courses named by origin ID are looked up in the
 * integration's course list (read once per execution), since Kombo filters by its own IDs only;
 * Simplify looks up the origin IDs of the courses in the results the same way.
 */
export async function execute(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	let directoryOf: ReturnType<typeof courseDirectories> | undefined;
	return await executeGetMany(this, runtime, {
		idFilters: [
			...ID_FILTERS,
			['userIds', 'User IDs', 'userIds'],
			['courseIds', 'Course IDs', 'courseIds'],
		],
		list: async (client, { integrationId, filters, raw, limit, itemIndex, simplify }) => {
			directoryOf ??= courseDirectories(client);
			const directory = directoryOf(integrationId);
			const originIds = readIdList(raw.courseOriginIds);
			if (!originIds.ok) throw inputError(this, itemIndex, 'Course Origin IDs', originIds.problem, 'Give origin IDs separated by commas, e.g. CAT-1, CAT-2, or a list from an expression.');
			if (originIds.value) {
				await directory.loadAll(itemIndex);
				const unknown = originIds.value.filter((originId) => !directory.courseByOriginId(originId));
				if (unknown.length > 0) {
					throw inputError(
						this,
						itemIndex,
						'Course Origin IDs',
						`names courses that the integration ${integrationId} does not hold: ${unknown.join(', ')}`,
						"Check the origin IDs (the ones your platform gave its courses in Create or Update) and the integration. Kombo reads courses from its last sync of the LMS, so one created minutes ago may appear only after the next sync.",
					);
				}
				const courseIds = originIds.value.map((originId) => directory.courseByOriginId(originId)?.id as string);
				filters.courseIds = [...new Set([...(filters.courseIds ?? []), ...courseIds])];
			}
			const progressions = await listAll(client, PROGRESSIONS, { integrationId, filters, limit, itemIndex });
			if (!simplify) return progressions as IDataObject[];
			await directory.loadIds(progressions.map(progressionCourseId), itemIndex);
			return progressions.map((progression) => simplifyProgression(progression, (courseId) => directory.originIdOf(courseId)) as IDataObject);
		},
	});
}
