import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listCourses } from '../../engine/courses';
import { simplifyCourse } from '../../helpers/lmsCourses';
import type { Runtime } from '../../helpers/runtime';
import { executeGetMany, getManyProperties, ID_FILTERS } from '../shared/getMany';

const properties = getManyProperties('courses', []);

export const description = updateDisplayOptions({ show: { resource: ['course'], operation: ['getAll'] } }, properties);

/** Lists courses once per input item, each with its own filters and integration. */
export async function execute(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	return await executeGetMany(this, runtime, {
		idFilters: ID_FILTERS,
		list: async (client, { integrationId, filters, limit, itemIndex, simplify }) => {
			const courses = await listCourses(client, { integrationId, filters, limit, itemIndex });
			return courses.map((course) => (simplify ? simplifyCourse(course) : course) as IDataObject);
		},
	});
}
