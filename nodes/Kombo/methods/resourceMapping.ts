import type { ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import type { CourseField } from '../helpers/course';
import { FIELD_LABELS } from '../helpers/course';

// The panel's order: the required fields first.
const MAPPER_ORDER: readonly CourseField[] = [
	'origin_id',
	'title',
	'course_url',
	'description',
	'thumbnail_url',
	'duration',
	'languages',
];

const REQUIRED: ReadonlySet<CourseField> = new Set(['origin_id', 'title', 'course_url']);

// Every field is typed `string` on purpose: n8n converts typed values before the node sees them
// (a blank number cell becomes 0, "en, de" fails an array check), while the node's own
// validation understands what a spreadsheet means by them.
const COURSE_MAPPER_FIELDS: ResourceMapperField[] = MAPPER_ORDER.map((id) => ({
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
