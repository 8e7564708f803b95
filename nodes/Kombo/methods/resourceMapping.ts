import type { ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import type { CourseField } from '../helpers/course';
import { FIELD_LABELS, PANEL_FIELDS } from '../helpers/course';

const REQUIRED: ReadonlySet<CourseField> = new Set(['origin_id', 'title', 'course_url']);

// Every field is typed `string` on purpose: n8n converts typed values before the node sees them
// (a blank number cell becomes 0, "en, de" fails an array check), while the node's own
// validation understands what a spreadsheet means by them.
const COURSE_MAPPER_FIELDS: ResourceMapperField[] = PANEL_FIELDS.map((id) => ({
	id,
	displayName: FIELD_LABELS[id],
	required: REQUIRED.has(id),
	defaultMatch: id === 'origin_id',
	canBeUsedToMatch: id === 'origin_id',
	display: true,
	type: 'string',
}));

export async function getCourseFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	return { fields: COURSE_MAPPER_FIELDS.map((field) => ({ ...field })) };
}
